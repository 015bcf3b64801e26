package store_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// countdown is a context that is canceled once its Done has been asked for
// n times: it stops Open at every step in turn.
type countdown struct {
	context.Context
	left atomic.Int64
	done chan struct{}
	once atomic.Bool
}

func newCountdown(n int64) *countdown {
	c := &countdown{Context: context.Background(), done: make(chan struct{})}
	c.left.Store(n)
	return c
}

func (c *countdown) Done() <-chan struct{} {
	if c.left.Add(-1) <= 0 && c.once.CompareAndSwap(false, true) {
		close(c.done)
	}
	return c.done
}

func (c *countdown) Err() error {
	select {
	case <-c.done:
		return context.Canceled
	default:
		return nil
	}
}

// TestOpenStoppedAtAnyStepFailsCleanly: a start cut short (a signal while
// serving starts) at any step of Open answers an error and closes what it
// opened; it never panics on what it had not opened yet.
func TestOpenStoppedAtAnyStepFailsCleanly(t *testing.T) {
	t.Parallel()
	opt := storetest.FreshSQLite(t).Options
	st, err := store.Open(context.Background(), opt) // migrated once
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	stopped := 0
	for n := int64(1); n < 2000; n += 7 {
		st, err := store.Open(newCountdown(n), opt)
		if err == nil {
			st.Close()
			break
		}
		stopped++
	}
	if stopped < 10 {
		t.Fatalf("Open was stopped at only %d steps", stopped)
	}
}
