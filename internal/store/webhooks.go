package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/notify"
)

// CreateWebhook stores a subscription.
func (s *Store) CreateWebhook(ctx context.Context, n notify.NewWebhook, now time.Time) (int64, error) {
	events, _ := json.Marshal(n.Events)
	var id int64
	err := s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, s.rebind(`INSERT INTO webhooks (url, secret, events, active, created_at) VALUES (?, ?, ?, 1, ?) RETURNING id`),
			n.URL, n.Secret, string(events), micros(now)).Scan(&id)
	})
	s.hooks.clear()
	return id, err
}

// activeHooks keeps the active subscriptions for a second: every published
// event asks for them, and they change seldom. A change made through this
// store clears them at once (a read that raced the change is not kept);
// another PostgreSQL node's change is seen within the second.
type activeHooks struct {
	mu    sync.Mutex
	gen   uint64
	at    time.Time
	hooks []notify.Webhook
}

const activeHooksFor = time.Second

func (h *activeHooks) get(now time.Time) (hooks []notify.Webhook, gen uint64, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.hooks == nil || now.Sub(h.at) >= activeHooksFor || now.Before(h.at) {
		return nil, h.gen, false
	}
	return slices.Clone(h.hooks), h.gen, true
}

func (h *activeHooks) put(gen uint64, now time.Time, hooks []notify.Webhook) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if gen == h.gen {
		h.hooks, h.at = slices.Clone(hooks), now
	}
}

func (h *activeHooks) clear() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.gen++
	h.hooks = nil
}

// Webhooks answers every subscription, active or not.
func (s *Store) Webhooks(ctx context.Context) ([]notify.Webhook, error) {
	return s.webhooks(ctx, "webhooks")
}

// ActiveWebhooks answers the subscriptions that receive deliveries (asked
// for every event published; kept a second, see activeHooks).
func (s *Store) ActiveWebhooks(ctx context.Context) ([]notify.Webhook, error) {
	now := time.Now()
	hooks, gen, ok := s.hooks.get(now)
	if ok {
		return hooks, nil
	}
	hooks, err := s.webhooks(ctx, "active_webhooks")
	if err != nil {
		return nil, err
	}
	s.hooks.put(gen, now, hooks)
	return hooks, nil
}

// webhooks runs the named query listing subscriptions.
func (s *Store) webhooks(ctx context.Context, name string) ([]notify.Webhook, error) {
	rows, err := s.rows(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("store: webhooks: %w", err)
	}
	defer rows.Close()
	out := []notify.Webhook{}
	for rows.Next() {
		var w notify.Webhook
		var events string
		var active int
		var created int64
		if err := rows.Scan(&w.ID, &w.URL, &w.Secret, &events, &active, &created); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(events), &w.Events)
		w.Active, w.CreatedAt = active != 0, s.fromMicros(created)
		out = append(out, w)
	}
	return out, rows.Err()
}

// DeactivateWebhook stops deliveries to a subscription; its history stays.
func (s *Store) DeactivateWebhook(ctx context.Context, id int64) error {
	defer s.hooks.clear()
	return s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.rebind(`UPDATE webhooks SET active = 0 WHERE id = ?`), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return casework.NotFound("webhook_not_found", "webhook 不存在")
		}
		return nil
	})
}

// Enqueue stores deliveries, due at once.
func (s *Store) Enqueue(ctx context.Context, ds []notify.Delivery, now time.Time) error {
	return s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		for _, d := range ds {
			if _, err := s.txExec(ctx, tx, "enqueue_delivery", d.WebhookID, d.Body, micros(now), micros(now)); err != nil {
				return fmt.Errorf("store: enqueue delivery: %w", err)
			}
		}
		return nil
	})
}

// ClaimDeliveries takes the undelivered calls whose time has come, that
// have attempts left and that no earlier call of their subscription is
// waiting behind, in each subscription's order, for lease: another node
// (or another round of this one) does not take them meanwhile, and takes
// them again if this one never reports (it stopped).
func (s *Store) ClaimDeliveries(ctx context.Context, now time.Time, maxAttempts, limit int, lease time.Duration) ([]notify.Delivery, error) {
	q := s.q["due_deliveries"]
	if s.dialect == Postgres {
		q += ` FOR UPDATE OF d SKIP LOCKED`
	}
	var out []notify.Delivery
	err := s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		out = out[:0]
		if s.dialect == Postgres {
			// One claim at a time across the nodes: the order check must
			// see another node's claim, which it cannot while that claim
			// is uncommitted (the lock is the transaction's).
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':yizhan webhook claims'))`); err != nil {
				return fmt.Errorf("store: lock webhook claims: %w", err)
			}
		}
		rows, err := tx.QueryContext(ctx, q, micros(now), maxAttempts, maxAttempts, micros(now), limit)
		if err != nil {
			return fmt.Errorf("store: due deliveries: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range ids {
			if _, err := s.txExec(ctx, tx, "claim_delivery", micros(now.Add(lease)), id); err != nil {
				return fmt.Errorf("store: claim delivery %d: %w", id, err)
			}
			ds, err := s.scanDeliveries(s.txRows(ctx, tx, "delivery", id))
			if err != nil {
				return err
			}
			out = append(out, ds...)
		}
		return nil
	})
	return out, err
}

// Deliveries answers a webhook's latest deliveries.
func (s *Store) Deliveries(ctx context.Context, webhookID int64, limit int) ([]notify.Delivery, error) {
	return s.deliveries(ctx, "webhook_deliveries", webhookID, limit)
}

// deliveries runs the named query listing deliveries.
func (s *Store) deliveries(ctx context.Context, name string, args ...any) ([]notify.Delivery, error) {
	return s.scanDeliveries(s.rows(ctx, name, args...))
}

func (s *Store) scanDeliveries(rows *sql.Rows, err error) ([]notify.Delivery, error) {
	if err != nil {
		return nil, fmt.Errorf("store: deliveries: %w", err)
	}
	defer rows.Close()
	out := []notify.Delivery{}
	for rows.Next() {
		var d notify.Delivery
		var next, created int64
		var delivered sql.NullInt64
		if err := rows.Scan(&d.ID, &d.WebhookID, &d.URL, &d.Secret, &d.Body, &d.Attempts, &next, &d.LastError, &delivered, &created); err != nil {
			return nil, err
		}
		d.NextAt, d.CreatedAt = s.fromMicros(next), s.fromMicros(created)
		if delivered.Valid {
			t := s.fromMicros(delivered.Int64)
			d.DeliveredAt = &t
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// DeliveryDone records an attempt.
func (s *Store) DeliveryDone(ctx context.Context, id int64, attempts int, nextAt time.Time, lastErr string, delivered *time.Time) error {
	var d any
	if delivered != nil {
		d = micros(*delivered)
	}
	return s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.txExec(ctx, tx, "delivery_done", attempts, micros(nextAt), lastErr, d, id)
		return err
	})
}
