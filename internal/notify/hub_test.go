package notify

import (
	"testing"

	"github.com/yizhan/yizhan/internal/casework"
)

// TestMarkMissedReachesEverySubscriberAtOnce: after a gap in the relay
// every subscriber hears of it without waiting for the next case message,
// and one whose buffer is full still counts it.
func TestMarkMissedReachesEverySubscriberAtOnce(t *testing.T) {
	h := NewHub()
	all := func(*casework.Case) bool { return true }
	quiet := h.Subscribe(all, false, 4)
	full := h.Subscribe(all, false, 1)
	h.Publish(casework.Case{ID: 1}, casework.Event{CaseID: 1, Seq: 1, Action: casework.ActionReceive})
	<-quiet.C
	h.MarkMissed()
	if m := <-quiet.C; m != nil || quiet.Dropped() != 1 {
		t.Fatalf("the quiet subscriber got %v, dropped %d", m, quiet.Dropped())
	}
	if m := <-full.C; m == nil || full.Dropped() != 1 {
		t.Fatalf("the full subscriber got %v first, dropped %d", m, full.Dropped())
	}
}
