package sla

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2026-10-13", want: Date{2026, time.October, 13}},
		{in: "2024-02-29", want: Date{2024, time.February, 29}},
		{in: "2026-02-30", wantErr: true},
		{in: "2026-13-01", wantErr: true},
		{in: "2026-1-5", wantErr: true},
		{in: "20261005", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tt.in)
			if tt.wantErr {
				isTrue(t, err != nil, "want an error")
				return
			}
			noErr(t, err)
			equal(t, tt.want, got)
			equal(t, tt.in, got.String())
		})
	}
}

func TestDateOfUsesShanghaiDay(t *testing.T) {
	t.Parallel()
	// 16:30 UTC is already the next morning in Beijing.
	utc := time.Date(2026, 9, 30, 16, 30, 0, 0, time.UTC)
	equal(t, Date{2026, time.October, 1}, DateOf(utc))
	equal(t, "2026-10-13T23:59:59+08:00", Date{2026, 10, 13}.End().Format(time.RFC3339))
	equal(t, "2026-10-13T00:00:00+08:00", Date{2026, 10, 13}.Start().Format(time.RFC3339))
}

func TestDateHelpers(t *testing.T) {
	t.Parallel()
	d := Date{2026, time.February, 28}
	equal(t, Date{2026, time.March, 1}, d.AddDays(1))
	equal(t, Date{2025, time.December, 31}, Date{2026, 1, 1}.AddDays(-1))
	equal(t, time.Saturday, d.Weekday())
	isTrue(t, d.Before(d.AddDays(1)))
	isTrue(t, d.AddDays(1).After(d))
	equal(t, 0, d.Compare(d))
	isTrue(t, d.Valid())
	isTrue(t, !Date{2026, 2, 29}.Valid())
	isTrue(t, Date{}.IsZero())
	equal(t, Date{2026, 3, 2}, NewDate(2026, 2, 30))
}

func TestDateJSON(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(struct{ D Date }{Date{2026, 10, 13}})
	noErr(t, err)
	equal(t, `{"D":"2026-10-13"}`, string(b))
	var v struct{ D Date }
	noErr(t, json.Unmarshal(b, &v))
	equal(t, Date{2026, 10, 13}, v.D)
	isTrue(t, json.Unmarshal([]byte(`{"D":"2026-10-32"}`), &v) != nil)
}
