package config

import (
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestParseMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"200MiB", 200 << 20, true},
		{"1GiB", 1 << 30, true},
		{"300MB", 300_000_000, true},
		{"0", 0, true},
		{DefaultMemoryLimit, 200 << 20, true},
		{"", 0, false},
		{"abc", 0, false},
		{"1MiB", 0, false},
		{"-5MiB", 0, false},
	} {
		got, err := ParseMemoryLimit(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseMemoryLimit(%q) = %d, %v; want %d, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestServeLimits(t *testing.T) {
	t.Setenv("YIZHAN_RATE_LIMIT", "50")
	var s Serve
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	BindServe(fs, &s)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if s.RateLimit != 50 || s.Login != (Login{PerUser: 5, PerIP: 100, Window: 15 * time.Minute}) {
		t.Fatalf("rate limit %d, login %+v", s.RateLimit, s.Login)
	}
	if _, err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	s.Login.Window = 0
	if _, err := s.Validate(); err == nil {
		t.Fatal("a zero --login-window passed")
	}

	t.Setenv("YIZHAN_RATE_LIMIT", "lots")
	var bad Serve
	BindServe(pflag.NewFlagSet("serve", pflag.ContinueOnError), &bad)
	if _, err := bad.Validate(); err == nil {
		t.Fatal("YIZHAN_RATE_LIMIT=lots passed")
	}
}
