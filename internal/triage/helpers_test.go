package triage

import (
	"sync"
	"testing"
)

var (
	sharedModelOnce sync.Once
	sharedModel     *Model
	sharedModelErr  error
)

// testModel is the built-in model, trained once for all tests of the
// package; it is immutable, so tests may share it.
func testModel(tb testing.TB) *Model {
	tb.Helper()
	sharedModelOnce.Do(func() {
		sharedModel, sharedModelErr = NewDefaultModel()
	})
	if sharedModelErr != nil {
		tb.Fatal(sharedModelErr)
	}
	return sharedModel
}
