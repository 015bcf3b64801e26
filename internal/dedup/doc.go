// Package dedup decides whether a new report is the same incident as a case
// already received (重复报警: merge it), a dispute coming back after its case
// was closed (重复纠纷: raise the risk), or merely worth showing to the
// dispatcher (疑似重复: a candidate).
//
// The package is pure: no SQL, no clock. It is used in three steps.
//
//  1. Index: when a case is stored, the store writes one row per Key of
//     Keys(FromCase(c), cfg): a 64-bit FNV hash of the key's string, with
//     the case's time and id. No version of the key scheme is stored: after
//     a change to it, the rows indexed before simply no longer match, and
//     are pruned once older than the longest look-back.
//  2. Look up: for a new report, the store reads the cases indexed under
//     each of QueryKeys(r, cfg), each only as far back as Key.Lookback: the
//     phone, house number, estate, firm and full-name keys over the repeat
//     horizon, the spatial cells, text bands, roads and persons over the
//     window. Candidates therefore come from shared keys, never from a scan
//     of history.
//  3. Decide: Best(r, found, cfg) answers the case to merge into, the
//     candidates to show with their reasons, and the closed disputes the
//     report repeats.
//
// When a report is merged into a case, the store should index the merged
// report's keys under the master case too and pass the master's Report
// with LastAt (its latest merged report) and Phones (its callers), so that
// a caller who rings every hour keeps landing on the one case.
//
// Text is matched as Chinese: light normalisation (full width, numerals),
// names of firms, places and persons read from the text, character pairs
// for wording, and facets (a crowd, a blocked gate, unpaid wages) for what
// different callers see in one scene; place and time carry most of the
// weight, since two witnesses rarely use the same words.
package dedup
