package sla

import (
	"testing"
	"time"
)

func TestParseTarget(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		duration time.Duration
		workdays int
		wantErr  bool
	}{
		{in: "90s", duration: 90 * time.Second},
		{in: "3s", duration: 3 * time.Second},
		{in: "10m", duration: 10 * time.Minute},
		{in: "24h", duration: 24 * time.Hour},
		{in: "1h30m", duration: 90 * time.Minute},
		{in: "7d", duration: 168 * time.Hour},
		{in: "5wd", workdays: 5},
		{in: " 15wd ", workdays: 15},
		{in: "", wantErr: true},
		{in: "0s", wantErr: true},
		{in: "-5m", wantErr: true},
		{in: "0wd", wantErr: true},
		{in: "-1wd", wantErr: true},
		{in: "1.5wd", wantErr: true},
		{in: "+5wd", wantErr: true},
		{in: "wd", wantErr: true},
		{in: "5 wd", wantErr: true},
		{in: "5days", wantErr: true},
		{in: "1.5d", wantErr: true},
		{in: "99999d", wantErr: true},
		{in: "100000h", wantErr: true},
		{in: "soon", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseTarget(tt.in)
			if tt.wantErr {
				isTrue(t, err != nil, "want an error for %q", tt.in)
				return
			}
			noErr(t, err)
			equal(t, tt.duration, got.Duration)
			equal(t, tt.workdays, got.Workdays)
			equal(t, tt.workdays > 0, got.IsWorkdays())
		})
	}
}

func TestTargetDueFrom(t *testing.T) {
	t.Parallel()
	cal := DefaultCalendar()
	start := time.Date(2026, 9, 30, 15, 4, 5, 0, shanghai)
	tests := []struct {
		target string
		start  time.Time
		want   string
	}{
		{"3s", start, "2026-09-30T15:04:08+08:00"},
		{"24h", start, "2026-10-01T15:04:05+08:00"},
		{"7d", start, "2026-10-07T15:04:05+08:00"},
		{"5wd", start, "2026-10-13T23:59:59+08:00"},
		{"1wd", start, "2026-10-08T23:59:59+08:00"},
		// 23:30 UTC on 30 September is already 1 October in Beijing.
		{"1wd", time.Date(2026, 9, 30, 23, 30, 0, 0, time.UTC), "2026-10-08T23:59:59+08:00"},
		{"1wd", time.Date(2026, 9, 29, 16, 30, 0, 0, time.UTC), "2026-10-08T23:59:59+08:00"}, // 00:30 on the 30th
		{"1wd", time.Date(2026, 9, 29, 15, 30, 0, 0, time.UTC), "2026-09-30T23:59:59+08:00"}, // 23:30 on the 29th
		{"1wd", time.Date(2026, 9, 29, 12, 0, 0, 0, time.UTC), "2026-09-30T23:59:59+08:00"},
	}
	for _, tt := range tests {
		t.Run(tt.target+"@"+tt.start.Format(time.RFC3339), func(t *testing.T) {
			t.Parallel()
			equal(t, tt.want, MustParseTarget(tt.target).DueFrom(cal, tt.start).Format(time.RFC3339))
		})
	}
}

func TestTargetString(t *testing.T) {
	t.Parallel()
	equal(t, "7d", MustParseTarget("7d").String())
	equal(t, "5wd", Target{Workdays: 5}.String())
	equal(t, "1m30s", Target{Duration: 90 * time.Second}.String())
	equal(t, "", Target{}.String())
	isTrue(t, Target{}.IsZero())
}
