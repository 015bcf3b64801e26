package config

import "testing"

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
