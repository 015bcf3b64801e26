// Package sla holds Yizhan's service-level rules: the Chinese working-day
// calendar, the SLA policies read from YAML, and the clocks that turn a
// case's event log into deadlines, warnings and breaches.
//
// The package is pure on purpose: no database, no network, no goroutines and
// no mutable package state, and every function that needs "now" takes it as
// an argument. Deadlines are therefore recomputed from a case's marks
// whenever they are needed, and two servers (or a report run long after the
// fact) always agree on them. The scheduler, the store and the HTTP side are
// built on top of this package elsewhere.
//
// Day boundaries are those of Asia/Shanghai (see [Location]); the time zone
// database is embedded so a static binary works without /usr/share/zoneinfo.
package sla
