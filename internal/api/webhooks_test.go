package api_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/notify"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// TestWebhooksInOrderOnceEach: a receiver that failed once still gets a
// case's events in the order they happened, and two senders at once (two
// nodes, or two rounds) make each call once.
func TestWebhooksInOrderOnceEach(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		z := newZoneOn(t, st, false)
		var mu sync.Mutex
		var got []string
		calls := map[string]int{}
		failFirst := true
		hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var body struct {
				ID string `json:"id"`
			}
			_ = json.NewDecoder(r.Body).Decode(&body)
			mu.Lock()
			defer mu.Unlock()
			calls[r.Header.Get("X-Yizhan-Delivery")]++
			if failFirst {
				failFirst = false
				w.WriteHeader(http.StatusInternalServerError)
				return
			}
			got = append(got, body.ID)
		}))
		defer hook.Close()
		z.call("POST", "/api/v1/webhooks", "admin", map[string]any{"url": hook.URL, "secret": "a-webhook-secret-of-length"}).expect(t, 201)
		id := z.newCase("dispatcher", nil)
		z.act(id, "dispatcher", map[string]any{"action": "dispatch", "unit_id": z.units["team"]}).expect(t, 200)
		z.act(id, "responder", map[string]any{"action": "accept"}).expect(t, 200)

		now := time.Now()
		sender := func() *notify.Webhooks {
			return &notify.Webhooks{Outbox: st, Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }}
		}
		a, b := sender(), sender()
		// The first call fails: nothing after it goes out.
		if n, err := a.RunOnce(context.Background()); err != nil || n != 3 {
			t.Fatalf("first round: %d %v", n, err)
		}
		if len(got) != 0 {
			t.Fatalf("calls after a failed one went out: %v", got)
		}
		now = now.Add(2 * time.Second)
		var wg sync.WaitGroup
		for _, s := range []*notify.Webhooks{a, b} {
			wg.Go(func() {
				if _, err := s.RunOnce(context.Background()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		mu.Lock()
		defer mu.Unlock()
		want := []string{itoa(id) + "-1", itoa(id) + "-2", itoa(id) + "-3"}
		if len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
			t.Fatalf("received %v, want %v", got, want)
		}
		for d, n := range calls {
			if n > 2 || n == 2 && d != firstDelivery(calls) {
				t.Fatalf("delivery %s called %d times: %v", d, n, calls)
			}
		}
	})
}

// firstDelivery is the delivery that was called twice (it failed once).
func firstDelivery(calls map[string]int) string {
	for d, n := range calls {
		if n == 2 {
			return d
		}
	}
	return ""
}

// TestStoppingTheSenderGivesCallsBack: a call cut off by a stop uses no
// attempt and is due again at once, so a restart carries on.
func TestStoppingTheSenderGivesCallsBack(t *testing.T) {
	t.Parallel()
	z := newZone(t)
	arrived := make(chan struct{}, 4)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.ReadAll(r.Body) // (the server notices a closed connection only after the body)
		arrived <- struct{}{}
		<-r.Context().Done() // hangs until the sender gives up
	}))
	defer hook.Close()
	wh := z.call("POST", "/api/v1/webhooks", "admin", map[string]any{"url": hook.URL, "secret": "a-webhook-secret-of-length"}).expect(t, 201)
	z.newCase("dispatcher", nil)
	sender := &notify.Webhooks{Outbox: z.st, Log: slog.New(slog.DiscardHandler), Poll: 10 * time.Millisecond}
	sender.Start(context.Background())
	select {
	case <-arrived:
	case <-time.After(10 * time.Second):
		t.Fatal("the call never went out")
	}
	sender.Stop()
	d := z.call("GET", "/api/v1/webhooks/"+itoa(wh.id())+"/deliveries", "admin", nil).expect(t, 200).body["items"].([]any)[0].(map[string]any)
	next, err := time.Parse(time.RFC3339Nano, d["next_at"].(string))
	if err != nil {
		t.Fatal(err)
	}
	if d["attempts"].(float64) != 0 || time.Until(next) > 5*time.Second {
		t.Fatalf("after the stop the call is %v (attempts used, or held for the claim)", d)
	}
}
