package dedup

import (
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		edit func(*Config)
		ok   bool
	}{
		{"default", func(*Config) {}, true},
		{"zero value means defaults", func(c *Config) { *c = Config{} }, true},
		{"window too short", func(c *Config) { c.Window = time.Second }, false},
		{"window too long", func(c *Config) { c.Window = 100 * time.Hour }, false},
		{"radius too small", func(c *Config) { c.Radius = 5 }, false},
		{"radius beyond the cells a query may touch", func(c *Config) { c.Radius = 1000 }, false},
		{"horizon shorter than the window", func(c *Config) { c.RepeatHorizon = time.Hour }, false},
		{"merge threshold above one", func(c *Config) { c.MergeThreshold = 1.5 }, false},
		{"candidate threshold above merge", func(c *Config) { c.CandidateThreshold = 0.8 }, false},
		{"a week's window and horizon", func(c *Config) { c.Window = 72 * time.Hour; c.RepeatHorizon = 7 * 24 * time.Hour }, true},
	} {
		cfg := DefaultConfig()
		c.edit(&cfg)
		if err := cfg.Validate(); (err == nil) != c.ok {
			t.Errorf("%s: Validate() = %v, want ok=%v", c.name, err, c.ok)
		}
	}
}
