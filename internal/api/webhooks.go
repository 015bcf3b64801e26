package api

import (
	"net/http"
	"slices"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/notify"
)

type webhookList struct {
	Items []notify.Webhook `json:"items"`
}

// createWebhook subscribes a system to case events (admin). Deliveries are
// signed with the secret: X-Yizhan-Signature: sha256=<HMAC-SHA256 of the body>.
func (s *Server) createWebhook(w http.ResponseWriter, r *http.Request, u account.User) {
	var body notify.NewWebhook
	if _, err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := body.Validate(); err != nil {
		s.fail(w, r, err)
		return
	}
	id, err := s.store.CreateWebhook(r.Context(), body, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, notify.Webhook{ID: id, URL: body.URL, Events: body.Events, Active: true, CreatedAt: s.now()})
}

// listWebhooks answers the subscriptions (admin); secrets are never shown.
func (s *Server) listWebhooks(w http.ResponseWriter, r *http.Request, u account.User) {
	hooks, err := s.store.Webhooks(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, webhookList{Items: hooks})
}

// deleteWebhook stops a subscription (admin); its delivery history stays.
func (s *Server) deleteWebhook(w http.ResponseWriter, r *http.Request, u account.User) {
	id, err := pathID(r, casework.NotFound("webhook_not_found", "webhook 不存在"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.DeactivateWebhook(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

type deliveryList struct {
	Items []notify.Delivery `json:"items"`
}

// listDeliveries answers a subscription's latest 100 deliveries (admin).
func (s *Server) listDeliveries(w http.ResponseWriter, r *http.Request, u account.User) {
	id, err := pathID(r, casework.NotFound("webhook_not_found", "webhook 不存在"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hooks, err := s.store.Webhooks(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !slices.ContainsFunc(hooks, func(h notify.Webhook) bool { return h.ID == id }) {
		s.fail(w, r, casework.NotFound("webhook_not_found", "webhook 不存在"))
		return
	}
	ds, err := s.store.Deliveries(r.Context(), id, 100)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, deliveryList{Items: ds})
}
