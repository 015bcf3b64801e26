package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/store"
)

// heartbeat keeps idle streams open through proxies.
const heartbeat = 15 * time.Second

// sessionCheck is how often a stream asks whether its token still holds:
// a stream outlives neither a logout nor an expired session by more.
const sessionCheck = 5 * time.Second

// CloseStreams ends every live event stream, at shutdown: a stream never
// ends by itself, and the server's graceful stop would wait for them all.
// The consoles reconnect to whichever server answers next.
func (s *Server) CloseStreams() {
	s.closeStreams.Do(func() { close(s.closing) })
}

// stream sends the caller, as server-sent events, every case event it may
// see, as it happens: "event: case" with the case and the event as data.
// A browser's EventSource cannot set headers, so this endpoint also takes
// the token as ?access_token=. When the caller falls behind and messages
// are dropped, an "event: resync" tells the console to reload.
func (s *Server) stream(w http.ResponseWriter, r *http.Request, u account.User) {
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{})
	scope := s.directory().ScopeOf(u.Actor())
	sub := s.hub.Subscribe(scope.Sees, !u.Role.SeesPhones(), 256)
	defer s.hub.Unsubscribe(sub)

	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Connection", "keep-alive")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprintf(w, "retry: 3000\nevent: ready\ndata: {\"user\":%q}\n\n", u.Username); err != nil {
		return
	}
	_ = rc.Flush()

	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	check := time.NewTicker(sessionCheck)
	defer check.Stop()
	token, _ := streamToken(r)
	dropped := int64(0)
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			_, _ = fmt.Fprint(w, "event: shutdown\ndata: {}\n\n")
			_ = rc.Flush()
			return
		case <-check.C:
			// Logged out, expired or disabled: the stream ends with the
			// session, and the console logs in again.
			if _, err := s.userByToken(r, token); err == store.ErrBadToken {
				_, _ = fmt.Fprint(w, "event: expired\ndata: {}\n\n")
				_ = rc.Flush()
				return
			}
		case m := <-sub.C:
			// Send it and what else is already waiting, then flush once.
			for more := true; more; {
				if d := sub.Dropped(); d != dropped {
					dropped = d
					if _, err := fmt.Fprintf(w, "event: resync\ndata: {\"dropped\":%d}\n\n", d); err != nil {
						return
					}
				}
				if m != nil { // nil only says messages were missed
					if _, err := fmt.Fprintf(w, "id: %s\nevent: case\ndata: %s\n\n", m.ID, m.JSON(sub.Masked())); err != nil {
						return
					}
				}
				select {
				case m = <-sub.C:
				default:
					more = false
				}
			}
			if err := rc.Flush(); err != nil {
				return
			}
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": ping\n\n"); err != nil {
				return
			}
			if err := rc.Flush(); err != nil {
				return
			}
		}
	}
}
