package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/stdlib"
)

// The live-event relay between nodes on one PostgreSQL database: a node
// that publishes events of a case announces them (NOTIFY); every other
// node hears it (LISTEN), reads the case and its events, and hands them to
// its own consoles. On SQLite there is one node and nothing to relay.

// relayNote is what one announcement carries: NOTIFY's payload is small
// (8,000 bytes), so the case and its events are read by whoever hears it.
type relayNote struct {
	Origin string `json:"o"` // the announcing node, which ignores its own
	CaseID int64  `json:"c"`
	Seqs   []int  `json:"s"`
}

// relayChannel is the channel of the store's schema: notifications are
// database-wide, and two schemas (two zones, or tests) must not hear each
// other.
func (s *Store) relayChannel(ctx context.Context) (string, error) {
	var schema string
	if err := s.rdb.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return "", fmt.Errorf("store: current schema: %w", err)
	}
	return "yizhan_events_" + schema, nil
}

// AnnounceEvents tells the other nodes that events seqs of a case were
// written (PostgreSQL; nothing on SQLite). origin names this node.
func (s *Store) AnnounceEvents(ctx context.Context, origin string, caseID int64, seqs []int) error {
	if s.dialect != Postgres || len(seqs) == 0 {
		return nil
	}
	channel, err := s.cachedRelayChannel(ctx)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(relayNote{Origin: origin, CaseID: caseID, Seqs: seqs})
	if err != nil {
		return err
	}
	if _, err := s.wdb.ExecContext(ctx, `SELECT pg_notify($1, $2)`, channel, string(payload)); err != nil {
		return fmt.Errorf("store: announce events of case %d: %w", caseID, err)
	}
	return nil
}

func (s *Store) cachedRelayChannel(ctx context.Context) (string, error) {
	if c := s.channel.Load(); c != nil {
		return *c, nil
	}
	c, err := s.relayChannel(ctx)
	if err != nil {
		return "", err
	}
	s.channel.Store(&c)
	return c, nil
}

// ListenEvents hears the other nodes' announcements until ctx ends and
// calls heard with each (its own, origin's, left out), on one goroutine.
// A lost connection is opened again after a pause; what was announced
// meanwhile is missed, so missed is called on every reconnection for the
// listener to tell its consoles to reload. On SQLite it returns at once.
func (s *Store) ListenEvents(ctx context.Context, origin string, missed func(), heard func(caseID int64, seqs []int)) {
	if s.dialect != Postgres {
		return
	}
	listened := false // once, so that a later connection follows a gap
	for pause := time.Second; ctx.Err() == nil; pause = min(2*pause, 30*time.Second) {
		connected := false
		err := s.listenOnce(ctx, origin, func() {
			if listened {
				missed()
			}
			listened, connected = true, true
		}, heard)
		if ctx.Err() != nil {
			return
		}
		if connected {
			pause = time.Second // it had worked: the first retry is quick again
		}
		s.log.Warn("live-event relay lost its connection; listening again", "err", err, "in", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
	}
}

func (s *Store) listenOnce(ctx context.Context, origin string, ready func(), heard func(int64, []int)) error {
	channel, err := s.cachedRelayChannel(ctx)
	if err != nil {
		return err
	}
	conn, err := s.wdb.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		sc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return errors.New("store: the relay needs a pgx connection")
		}
		pc := sc.Conn()
		if _, err := pc.Exec(ctx, `LISTEN "`+channel+`"`); err != nil {
			return fmt.Errorf("store: listen: %w", err)
		}
		// The session goes back to the pool after; it must not keep
		// hearing (the pool would hold the notifications).
		defer func() { _, _ = pc.Exec(context.WithoutCancel(ctx), `UNLISTEN *`) }()
		ready()
		for {
			n, err := pc.WaitForNotification(ctx)
			if err != nil {
				return err
			}
			var note relayNote
			if json.Unmarshal([]byte(n.Payload), &note) != nil || note.Origin == origin {
				continue
			}
			heard(note.CaseID, note.Seqs)
		}
	})
}
