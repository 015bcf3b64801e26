package notify

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// Webhook is a system that wants to hear of case events.
type Webhook struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`
	Secret    string    `json:"-"`
	Events    []string  `json:"events"` // action names, or "*" for all
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

// Wants reports whether the webhook subscribes to an action.
func (w Webhook) Wants(a casework.Action) bool {
	return w.Active && (slices.Contains(w.Events, "*") || slices.Contains(w.Events, string(a)))
}

// NewWebhook is a subscription to create.
type NewWebhook struct {
	URL    string   `json:"url"`
	Secret string   `json:"secret"`
	Events []string `json:"events"`
}

// Validate checks a subscription.
func (n *NewWebhook) Validate() error {
	u, err := url.Parse(strings.TrimSpace(n.URL))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return casework.Invalid("invalid_url", "url 须为 http(s):// 地址")
	}
	if n.URL = u.String(); len(n.URL) > 2048 {
		return casework.Invalid("invalid_url", "url 编码后最长 2048 个字符")
	}
	if len(n.Secret) < 16 {
		return casework.Invalid("weak_secret", "secret 至少 16 个字符，用于 HMAC-SHA256 签名")
	}
	if len(n.Secret) > 256 {
		return casework.Invalid("invalid_secret", "secret 最长 256 个字节")
	}
	if len(n.Events) > 100 {
		return casework.Invalid("invalid_event", "events 最多 100 项")
	}
	if len(n.Events) == 0 {
		n.Events = []string{"*"}
	}
	for _, e := range n.Events {
		if e != "*" && !casework.Action(e).Known() && casework.Action(e).Label() == "" {
			return casework.Invalid("invalid_event", "未知的事件“%s”", e)
		}
	}
	return nil
}

// Delivery is one webhook call, tried until it succeeds or runs out of
// attempts.
type Delivery struct {
	ID          int64      `json:"id"`
	WebhookID   int64      `json:"webhook_id"`
	URL         string     `json:"-"`
	Secret      string     `json:"-"`
	Body        string     `json:"body"`
	Attempts    int        `json:"attempts"`
	NextAt      time.Time  `json:"next_at"`
	LastError   string     `json:"last_error"`
	DeliveredAt *time.Time `json:"delivered_at"`
	CreatedAt   time.Time  `json:"created_at"`
}

// Outbox is where deliveries wait; the store keeps it, so that they
// survive a restart.
type Outbox interface {
	ActiveWebhooks(ctx context.Context) ([]Webhook, error)
	Enqueue(ctx context.Context, ds []Delivery, now time.Time) error
	// ClaimDeliveries takes the calls to make now, in each subscription's
	// order, for lease (see store.ClaimDeliveries).
	ClaimDeliveries(ctx context.Context, now time.Time, maxAttempts, limit int, lease time.Duration) ([]Delivery, error)
	DeliveryDone(ctx context.Context, id int64, attempts int, nextAt time.Time, lastErr string, delivered *time.Time) error
}

// Sign is the signature a receiver checks: HMAC-SHA256 of the body with
// the webhook's secret, hex-encoded, in the header X-Yizhan-Signature as
// "sha256=<hex>".
func Sign(secret string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Webhooks delivers case events to subscribed systems, retrying with
// exponential backoff (1s, 2s, 4s … at most an hour apart) up to
// MaxAttempts times.
type Webhooks struct {
	Outbox      Outbox
	Client      *http.Client
	Log         *slog.Logger
	Now         func() time.Time
	MaxAttempts int
	Poll        time.Duration

	wake chan struct{}
	stop context.CancelFunc
	done chan struct{}
	once sync.Once
}

func (w *Webhooks) defaults() { w.once.Do(w.fill) }

// fill sets the defaults, once: rounds run side by side.
func (w *Webhooks) fill() {
	// A redirect is not a delivery: the 3xx is the answer, retried as
	// any other that is not 2xx (following it would GET the new address
	// without the body and count that as delivered).
	w.Client = cmp.Or(w.Client, &http.Client{Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }})
	w.Log = cmp.Or(w.Log, slog.Default())
	if w.Now == nil {
		w.Now = time.Now
	}
	w.MaxAttempts = cmp.Or(w.MaxAttempts, 10)
	w.Poll = cmp.Or(w.Poll, time.Second)
	if w.wake == nil {
		w.wake = make(chan struct{}, 1)
	}
}

// Enqueue stores a delivery for every active webhook that wants the
// events.
func (w *Webhooks) Enqueue(ctx context.Context, c casework.Case, evs []casework.Event) error {
	w.defaults()
	hooks, err := w.Outbox.ActiveWebhooks(ctx)
	if err != nil || len(hooks) == 0 {
		return err
	}
	var ds []Delivery
	for _, ev := range evs {
		body, err := json.Marshal(map[string]any{"id": fmt.Sprintf("%d-%d", c.ID, ev.Seq), "type": ev.Action, "case": c, "event": ev})
		if err != nil {
			return err
		}
		for _, h := range hooks {
			if h.Wants(ev.Action) {
				ds = append(ds, Delivery{WebhookID: h.ID, Body: string(body)})
			}
		}
	}
	if len(ds) == 0 {
		return nil
	}
	if err := w.Outbox.Enqueue(ctx, ds, w.Now()); err != nil {
		return err
	}
	select {
	case w.wake <- struct{}{}:
	default:
	}
	return nil
}

// deliveryLease is how long a round holds the calls it took: longer than
// it can take to make them (claimLimit calls of one subscription, one
// after another, each at most the client's 10 s).
const (
	claimLimit    = 50
	deliveryLease = 10 * time.Minute
)

// Start runs the sender until Stop. Rounds run side by side (at most
// four): a subscription whose receiver hangs holds up its own calls, not
// the other subscriptions' (each round takes only calls no other round
// holds, and none of a subscription behind one still held).
func (w *Webhooks) Start(ctx context.Context) {
	w.defaults()
	ctx, w.stop = context.WithCancel(ctx)
	w.done = make(chan struct{})
	go func() {
		defer close(w.done)
		var rounds sync.WaitGroup
		defer rounds.Wait()
		slots := make(chan struct{}, 4)
		for {
			select {
			case slots <- struct{}{}:
				rounds.Go(func() {
					defer func() { <-slots }()
					if _, err := w.RunOnce(ctx); err != nil && ctx.Err() == nil {
						w.Log.Warn("webhooks", "err", err)
					}
				})
			default: // four rounds are out: the next tick tries again
			}
			select {
			case <-ctx.Done():
				return
			case <-w.wake:
			case <-time.After(w.Poll):
			}
		}
	}()
}

// Stop ends the sender and waits for it.
func (w *Webhooks) Stop() {
	if w.stop != nil {
		w.stop()
		<-w.done
	}
}

// RunOnce makes the calls that are due and answers how many it tried:
// each subscription's in order, one after another, the subscriptions side
// by side. A failed call stops its subscription's round; the calls after
// it wait for its retry, so a receiver never gets a case's events out of
// order.
func (w *Webhooks) RunOnce(ctx context.Context) (int, error) {
	w.defaults()
	due, err := w.Outbox.ClaimDeliveries(ctx, w.Now(), w.MaxAttempts, claimLimit, deliveryLease)
	if err != nil {
		return 0, err
	}
	byHook := map[int64][]Delivery{}
	for _, d := range due {
		byHook[d.WebhookID] = append(byHook[d.WebhookID], d)
	}
	var wg sync.WaitGroup
	for _, ds := range byHook {
		wg.Go(func() {
			for i, d := range ds {
				if ctx.Err() != nil {
					// Stopping: what was not made is given back at once.
					w.release(ctx, ds[i:])
					return
				}
				if !w.send(ctx, d) {
					w.release(ctx, ds[i+1:])
					return
				}
			}
		})
	}
	wg.Wait()
	return len(due), nil
}

// release gives back calls taken but not made: due again at once (behind
// a failed call before them, if any). It is recorded even while the sender
// stops, so that a restart carries on at once.
func (w *Webhooks) release(ctx context.Context, ds []Delivery) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	now := w.Now()
	for _, d := range ds {
		if err := w.Outbox.DeliveryDone(ctx, d.ID, d.Attempts, now, d.LastError, nil); err != nil {
			w.Log.Warn("webhook bookkeeping", "err", err)
		}
	}
}

// send makes one call and records it; it answers whether it was
// delivered.
func (w *Webhooks) send(ctx context.Context, d Delivery) bool {
	err := w.post(ctx, d)
	if err != nil && ctx.Err() != nil {
		// Cut off by a stop, not refused: no attempt is used; the caller
		// gives the call back.
		w.release(ctx, []Delivery{d})
		return false
	}
	attempts := d.Attempts + 1
	now := w.Now()
	// What was done is recorded even while the sender stops.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err == nil {
		if derr := w.Outbox.DeliveryDone(ctx, d.ID, attempts, now, "", &now); derr != nil {
			w.Log.Warn("webhook bookkeeping", "err", derr)
		}
		return true
	}
	backoff := time.Second << min(attempts-1, 12)
	backoff = min(backoff, time.Hour)
	if attempts >= w.MaxAttempts {
		w.Log.Warn("webhook delivery given up", "delivery", d.ID, "url", d.URL, "attempts", attempts, "err", err)
	}
	if derr := w.Outbox.DeliveryDone(ctx, d.ID, attempts, now.Add(backoff), err.Error(), nil); derr != nil {
		w.Log.Warn("webhook bookkeeping", "err", derr)
	}
	return false
}

func (w *Webhooks) post(ctx context.Context, d Delivery) error {
	body := []byte(d.Body)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Yizhan-Webhook/1")
	req.Header.Set("X-Yizhan-Delivery", strconv.FormatInt(d.ID, 10))
	req.Header.Set("X-Yizhan-Signature", Sign(d.Secret, body))
	resp, err := w.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
	return nil
}
