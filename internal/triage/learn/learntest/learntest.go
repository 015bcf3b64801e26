// Package learntest gives tests a trained triage learner.
package learntest

import (
	"context"
	"log/slog"
	"sync"
	"testing"

	"github.com/yizhan/yizhan/internal/triage/learn"
)

// shared trains the built-in model once per test binary.
var shared = sync.OnceValues(func() (*learn.Learner, error) {
	l := &learn.Learner{Log: slog.New(slog.DiscardHandler)}
	return l, l.Train(context.Background())
})

// Shared answers a learner trained on the built-in corpus, trained once for
// all the tests of a package: the model is read-only once trained, so the
// tests may share it.
func Shared(t testing.TB) *learn.Learner {
	t.Helper()
	l, err := shared()
	if err != nil {
		t.Fatal(err)
	}
	return l
}
