package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// TestSearchFindsPhonesStoredTheOldWay: a case received before phone
// numbers were kept as digits ("0579-12345678") is still found by its
// number as it was stored, on both backends.
func TestSearchFindsPhonesStoredTheOldWay(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		at := time.Date(2026, 11, 27, 9, 0, 0, 0, storetest.Zone)
		admin := casework.Actor{UserID: 1, Username: "admin", Role: casework.RoleAdmin}
		c, ev := storetest.Received(t, casework.Intake{Channel: "110", Text: "楼道堆放杂物", Type: "neighbor"}, admin, at)
		c.Reporter.Phone = "0579-12345678" // as an older version kept it
		created, err := st.CreateCase(context.Background(), store.NewCase{Case: c, Events: []casework.Event{ev}})
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{"0579-12345678", " 0579-12345678 "} {
			page, err := st.ListCases(context.Background(), store.CaseFilter{Scope: casework.Scope{All: true}, Q: q, Limit: 10})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Items) != 1 || page.Items[0].ID != created.Case.ID {
				t.Errorf("q=%q finds %d cases, want the one stored with that number", q, len(page.Items))
			}
		}
	})
}

// TestRetryOfARequestMadeBeforeTheUpgrade: a key stored with the older
// hash (of the raw body) still answers its case when the same request is
// retried after the upgrade, which hashes the body as read.
func TestRetryOfARequestMadeBeforeTheUpgrade(t *testing.T) {
	t.Parallel()
	st := storetest.SQLite(t)
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, storetest.Zone)
	admin := casework.Actor{UserID: 1, Username: "admin", Role: casework.RoleAdmin}
	c, ev := storetest.Received(t, casework.Intake{Channel: "110", Text: "两车刮擦", Type: "traffic"}, admin, at)
	first, err := st.CreateCase(context.Background(), store.NewCase{Case: c, Events: []casework.Event{ev}, IdempotencyKey: "k", RequestHash: "raw-hash"})
	if err != nil {
		t.Fatal(err)
	}
	again, err := st.CreateCase(context.Background(), store.NewCase{Case: c, Events: []casework.Event{ev}, IdempotencyKey: "k",
		RequestHash: "canonical-hash", LegacyHash: "raw-hash"})
	if err != nil || !again.Replayed || again.Case.ID != first.Case.ID {
		t.Fatalf("the retry after the upgrade: %+v %v", again, err)
	}
	if _, err := st.CreateCase(context.Background(), store.NewCase{Case: c, Events: []casework.Event{ev}, IdempotencyKey: "k",
		RequestHash: "other", LegacyHash: "other-raw"}); !errors.Is(err, store.ErrIdempotencyMismatch) {
		t.Fatalf("a different request under the key: %v", err)
	}
}
