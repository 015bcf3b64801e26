package demo

import (
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/dedup"
	"github.com/yizhan/yizhan/internal/store"
)

// indexed is the duplicate check of a demo case: it looks nothing up (the
// demo's stories say themselves which reports are duplicates) but indexes
// the case under its keys, as intake does, so that a report a user makes
// of one of the demo's incidents finds it.
func indexed(c casework.Case) *store.DuplicateCheck {
	cfg := dedup.DefaultConfig()
	index, _ := dedup.Prepare(dedup.FromCase(c), cfg).KeySets(cfg)
	check := &store.DuplicateCheck{
		Decide: func(c casework.Case, evs []casework.Event, _ []casework.Case) store.DuplicateOutcome {
			return store.DuplicateOutcome{Case: c, Events: evs}
		},
	}
	for _, k := range index {
		check.Index = append(check.Index, k.String())
		check.WindowOnly = append(check.WindowOnly, k.WindowOnly())
	}
	return check
}
