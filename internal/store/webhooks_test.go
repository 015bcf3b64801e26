package store_test

import (
	"context"
	"testing"

	"github.com/yizhan/yizhan/internal/notify"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// TestActiveWebhooksFollowChanges checks that the active subscriptions,
// which the store keeps for a second, follow a change made through it at
// once.
func TestActiveWebhooksFollowChanges(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		active := func() []notify.Webhook {
			t.Helper()
			hooks, err := st.ActiveWebhooks(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return hooks
		}
		if hooks := active(); len(hooks) != 0 {
			t.Fatalf("before any: %v", hooks)
		}
		id, err := st.CreateWebhook(ctx, notify.NewWebhook{URL: "http://127.0.0.1:9/hook", Secret: "s", Events: []string{"receive"}}, t0)
		if err != nil {
			t.Fatal(err)
		}
		if hooks := active(); len(hooks) != 1 || hooks[0].ID != id {
			t.Fatalf("after creating: %v", hooks)
		}
		if err := st.DeactivateWebhook(ctx, id); err != nil {
			t.Fatal(err)
		}
		if hooks := active(); len(hooks) != 0 {
			t.Fatalf("after deactivating: %v", hooks)
		}
	})
}
