package api

import (
	"context"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/dedup"
	"github.com/yizhan/yizhan/internal/store"
)

// duplicateCheck prepares the duplicate check of a new case: the keys to
// look up and to index it under, and what to make of what is found —
// merge it into the open case it repeats (重复报警), link it to the settled
// dispute of the same parties it brings back (重复纠纷), or list the
// possible duplicates for the dispatcher.
//
// A type triage was unsure of (confidence under MinTypeConfidence) is left
// out of the comparison: two witnesses of one scene are often read as
// different kinds of dispute when their words are thin.
func (s *Server) duplicateCheck(c casework.Case, typeConfidence float64) *store.DuplicateCheck {
	if !s.checkDups {
		return nil
	}
	cfg := s.dedupCfg
	r := dedup.FromCase(c)
	if typeConfidence < MinTypeConfidence {
		r.Category, r.Type = "", ""
	}
	prep := dedup.Prepare(r, cfg)
	check := &store.DuplicateCheck{}
	index, lookup := prep.KeySets(cfg)
	for _, k := range lookup {
		check.Lookups = append(check.Lookups, store.KeyLookup{Key: k.String(), Since: c.CreatedAt.Add(-k.Lookback(cfg)), Weak: k.Weak()})
	}
	for _, k := range index {
		check.Index = append(check.Index, k.String())
		check.WindowOnly = append(check.WindowOnly, k.WindowOnly())
	}
	// Decide runs once before the write and again inside it when the write
	// finds more, one call after another, never at once: the risk of a
	// repeated dispute is worked out once per text and repeat count.
	type riskOf struct {
		text    string
		repeats int
	}
	risks := map[riskOf]string{}
	check.Decide = func(c casework.Case, evs []casework.Event, found []casework.Case) store.DuplicateOutcome {
		out := store.DuplicateOutcome{Case: c, Events: evs}
		if len(found) == 0 {
			return out
		}
		byID := make(map[int64]casework.Case, len(found))
		olds := make([]*dedup.Prepared, len(found))
		for i, f := range found {
			byID[f.ID] = f
			olds[i] = s.prepared.get(f, cfg)
		}
		merge, candidates, repeats := dedup.BestPrepared(prep, olds, cfg)
		now := c.CreatedAt
		if merge != nil && !s.autoMerge {
			candidates = append([]dedup.Match{*merge}, candidates...)
			merge = nil
		}
		if merge != nil {
			master := byID[merge.ID]
			out.Case, out.Events = casework.MergeOnReceipt(c, evs, master, match(*merge, master), now)
			out.Master = &master
			out.Update = func(m, dup casework.Case) (casework.Case, casework.Event) {
				return casework.AddDuplicate(m, dup, casework.SystemActor, "系统判定为同一事件的重复报警，已自动合并", now)
			}
			return out
		}
		if len(repeats) > 0 {
			earlier := make([]casework.DuplicateMatch, len(repeats))
			for i, r := range repeats {
				earlier[i] = match(r, byID[r.ID])
			}
			key := riskOf{c.Text, len(repeats)}
			risk, ok := risks[key]
			if !ok {
				risk = s.triage.Triage(c.Text, len(repeats)).Risk
				risks[key] = risk
			}
			out.Case, out.Events = casework.LinkRepeat(out.Case, out.Events, earlier, risk, now)
		}
		cands := make([]casework.DuplicateMatch, len(candidates))
		for i, m := range candidates {
			cands[i] = match(m, byID[m.ID])
		}
		out.Case.DuplicateCandidates = casework.Candidates(cands)
		return out
	}
	return check
}

// MinTypeConfidence is the triage confidence below which a report's type
// does not count in the duplicate check.
const MinTypeConfidence = 0.5

func match(m dedup.Match, c casework.Case) casework.DuplicateMatch {
	return casework.DuplicateMatch{ID: m.ID, Number: c.Number, Score: m.Score, Reasons: m.Reasons}
}

func lastReport(c casework.Case) time.Time {
	if c.LastReportAt != nil {
		return *c.LastReportAt
	}
	return time.Time{}
}

// CheckDuplicates runs the whole duplicate check of a report without
// storing it: triage, keys, the index lookups, the comparison. Benchmarks
// time it.
func (s *Server) CheckDuplicates(ctx context.Context, in casework.Intake, actor casework.Actor) (store.DuplicateOutcome, error) {
	if err := in.Validate(actor); err != nil {
		return store.DuplicateOutcome{}, err
	}
	cls, conf, err := s.classify(&in)
	if err != nil {
		return store.DuplicateOutcome{}, err
	}
	c, ev, err := casework.Receive(in, cls, s.types, actor, s.now())
	if err != nil {
		return store.DuplicateOutcome{}, err
	}
	check := s.duplicateCheck(c, conf)
	if check == nil {
		return store.DuplicateOutcome{Case: c}, nil
	}
	found, err := s.store.FindDuplicates(ctx, check.Lookups)
	if err != nil {
		return store.DuplicateOutcome{}, err
	}
	return check.Decide(c, []casework.Event{ev}, found), nil
}
