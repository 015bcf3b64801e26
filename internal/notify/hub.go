// Package notify tells people and systems what happened to cases: live
// events to connected consoles (server-sent events), signed webhooks with
// retries, and text messages through a pluggable sender.
package notify

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// Message is one event of a case as subscribers receive it.
type Message struct {
	ID    string         `json:"id"` // "<case id>-<seq>", unique and increasing per case
	Case  any            `json:"case"`
	Event casework.Event `json:"event"`
	// SentAt is when the hub published it, so a client can measure delay.
	SentAt time.Time `json:"sent_at"`

	full, masked []byte
}

// JSON answers the message encoded once for every subscriber of the same
// kind: with the reporter's phone, or with it masked.
func (m *Message) JSON(masked bool) []byte {
	if masked {
		return m.masked
	}
	return m.full
}

func (h *Hub) newMessage(c casework.Case, ev casework.Event, now time.Time) *Message {
	view := h.View
	if view == nil {
		view = func(c casework.Case, masked bool) any {
			if masked {
				c.Reporter.Phone = casework.MaskPhone(c.Reporter.Phone)
			}
			return c
		}
	}
	m := &Message{ID: fmt.Sprintf("%d-%d", c.ID, ev.Seq), Case: view(c, false), Event: ev, SentAt: now}
	m.full, _ = json.Marshal(m)
	mc := *m
	mc.Case = view(c, true)
	mc.Event = casework.MaskEvent(ev)
	m.masked, _ = json.Marshal(&mc)
	return m
}

// Subscriber receives the messages its filter lets through; a nil message
// says that messages may have been missed (MarkMissed).
type Subscriber struct {
	C       chan *Message
	sees    func(*casework.Case) bool
	masked  bool
	dropped atomic.Int64
}

// Masked reports whether the subscriber sees reporters' phones masked.
func (s *Subscriber) Masked() bool { return s.masked }

// Dropped answers how many messages were dropped because the subscriber
// did not keep up; a console that sees a gap reloads.
func (s *Subscriber) Dropped() int64 { return s.dropped.Load() }

// Hub fans case events out to subscribers. Publishing never blocks: a
// subscriber whose buffer is full loses the message (and counts it)
// rather than holding up everyone else.
type Hub struct {
	// View shapes a case as clients see it, its reporters' phones masked
	// or not; nil sends the case as it is.
	View func(c casework.Case, masked bool) any
	// Now stamps messages; nil is time.Now.
	Now func() time.Time

	mu   sync.RWMutex
	subs map[*Subscriber]struct{}
}

// NewHub makes an empty hub.
func NewHub() *Hub {
	return &Hub{subs: map[*Subscriber]struct{}{}}
}

// Subscribe registers a subscriber that sees the cases sees lets through.
func (h *Hub) Subscribe(sees func(*casework.Case) bool, masked bool, buffer int) *Subscriber {
	s := &Subscriber{C: make(chan *Message, buffer), sees: sees, masked: masked}
	h.mu.Lock()
	h.subs[s] = struct{}{}
	h.mu.Unlock()
	return s
}

// Unsubscribe removes a subscriber.
func (h *Hub) Unsubscribe(s *Subscriber) {
	h.mu.Lock()
	delete(h.subs, s)
	h.mu.Unlock()
}

// MarkMissed tells every subscriber at once that messages may have been
// missed (the relay from other nodes was down): a nil message, which a
// stream answers with a resync, and the dropped count raised.
func (h *Hub) MarkMissed() {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.subs {
		s.dropped.Add(1)
		select {
		case s.C <- nil:
		default: // full: the dropped count says it at the next message
		}
	}
}

// Subscribers answers how many are connected.
func (h *Hub) Subscribers() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.subs)
}

// Publish sends a case's new events to every subscriber that may see the
// case.
func (h *Hub) Publish(c casework.Case, evs ...casework.Event) {
	if len(evs) == 0 {
		return
	}
	h.mu.RLock()
	defer h.mu.RUnlock()
	if len(h.subs) == 0 {
		return
	}
	now := time.Now()
	if h.Now != nil {
		now = h.Now()
	}
	msgs := make([]*Message, len(evs))
	for i, ev := range evs {
		msgs[i] = h.newMessage(c, ev, now)
	}
	for s := range h.subs {
		if !s.sees(&c) {
			continue
		}
		for _, m := range msgs {
			select {
			case s.C <- m:
			default:
				s.dropped.Add(1)
			}
		}
	}
}
