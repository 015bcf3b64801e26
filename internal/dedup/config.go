package dedup

import (
	"cmp"
	"fmt"
	"time"
)

// Config holds the settings of the duplicate and repeat check. The caller
// may expose them as settings; the zero value of a field means its default.
type Config struct {
	// Window is how far apart two reports may be and still be the same
	// incident (重复报警时间窗).
	Window time.Duration
	// Radius is how far apart, in metres, two reported points may be and
	// still be the same place.
	Radius float64
	// RepeatHorizon is how long after a case was resolved or closed a
	// dispute between the same parties counts as coming back (重复纠纷).
	RepeatHorizon time.Duration
	// MergeThreshold is the score from which a match that passes the merge
	// rules is merged without asking.
	MergeThreshold float64
	// CandidateThreshold is the score from which a match is shown to the
	// dispatcher as a possible duplicate. Within the window, the same
	// caller, the same spot or the same firm is shown whatever its score.
	CandidateThreshold float64
}

// MaxWindow is the longest duplicate window a zone may set: a key looked
// up only within the window (Key.WindowOnly) is never looked up further
// back, which lets the store keep such keys out of its long-term index.
const MaxWindow = 72 * time.Hour

// Limits that keep the number of query keys small: a radius beyond MaxRadius
// would need more than 25 spatial cells per query.
const (
	MaxRadius = 600.0
	minRadius = 20.0
)

// DefaultConfig answers the settings the zone starts with.
func DefaultConfig() Config {
	return Config{
		Window:             2 * time.Hour,
		Radius:             300,
		RepeatHorizon:      30 * 24 * time.Hour,
		MergeThreshold:     0.65,
		CandidateThreshold: 0.35,
	}
}

// withDefaults fills zero fields so that a partly set Config never divides
// by zero or merges on a zero threshold.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	c.Window = cmp.Or(c.Window, d.Window)
	c.Radius = cmp.Or(c.Radius, d.Radius)
	c.RepeatHorizon = cmp.Or(c.RepeatHorizon, d.RepeatHorizon)
	c.MergeThreshold = cmp.Or(c.MergeThreshold, d.MergeThreshold)
	c.CandidateThreshold = cmp.Or(c.CandidateThreshold, d.CandidateThreshold)
	return c
}

// Validate checks the settings once, when they are loaded or changed.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case c.Window < time.Minute || c.Window > MaxWindow:
		return fmt.Errorf("dedup: window must be between 1m and %v, got %v", MaxWindow, c.Window)
	case c.Radius < minRadius || c.Radius > MaxRadius:
		return fmt.Errorf("dedup: radius must be between %.0f and %.0f metres, got %g", minRadius, MaxRadius, c.Radius)
	case c.RepeatHorizon < c.Window || c.RepeatHorizon > 366*24*time.Hour:
		return fmt.Errorf("dedup: repeat horizon must be between the window (%v) and 366 days, got %v", c.Window, c.RepeatHorizon)
	case c.MergeThreshold <= 0 || c.MergeThreshold > 1:
		return fmt.Errorf("dedup: merge threshold must be in (0, 1], got %g", c.MergeThreshold)
	case c.CandidateThreshold <= 0 || c.CandidateThreshold >= c.MergeThreshold:
		return fmt.Errorf("dedup: candidate threshold must be in (0, merge threshold %g), got %g", c.MergeThreshold, c.CandidateThreshold)
	}
	return nil
}
