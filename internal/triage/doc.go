// Package triage reads a report as told to the center's 24-hour desk (a 110
// hand-over, a 12345 call, a grid worker's note, a mediation summary) and
// answers, in a few microseconds, what a dispatcher must decide first:
// which of the zone's 4 categories and 21 types of dispute it is, whether it
// is a police matter that goes back to 110 (治安类案件: violence, weapons,
// theft, threats, self-harm, gambling, drugs, unlawful detention...), and
// how likely it is to escalate (low, medium, high), with the words and
// reasons behind each answer.
//
// It combines rules and statistics. Rules live in taxonomy.yaml, which can
// be replaced at start (LoadTaxonomy): the taxonomy itself, police cues
// with negation and hedges, risk cues and weights, and hint words per type.
// The statistics are a linear model over hashed character n-grams, trained
// at start from the embedded corpus (testdata/train.tsv) in about a third
// of a second, so that dispatchers' corrections can be folded in by
// training again (Train) and swapping the model.
//
// The package is pure: no network, no database, no global mutable state.
// A Model is immutable and safe for concurrent use.
package triage
