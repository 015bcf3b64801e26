package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/yizhan/yizhan/internal/account"
)

// heartbeat keeps idle streams open through proxies.
const heartbeat = 15 * time.Second

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
	dropped := int64(0)
	for {
		select {
		case <-r.Context().Done():
			return
		case m := <-sub.C:
			if d := sub.Dropped(); d != dropped {
				dropped = d
				if _, err := fmt.Fprintf(w, "event: resync\ndata: {\"dropped\":%d}\n\n", d); err != nil {
					return
				}
			}
			if _, err := fmt.Fprintf(w, "id: %s\nevent: case\ndata: %s\n\n", m.ID, m.JSON(sub.Masked())); err != nil {
				return
			}
			// Send what else is already waiting before flushing once.
			for more := true; more; {
				select {
				case m = <-sub.C:
					if _, err := fmt.Fprintf(w, "id: %s\nevent: case\ndata: %s\n\n", m.ID, m.JSON(sub.Masked())); err != nil {
						return
					}
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
