// Package api is Yizhan's JSON API: one file per resource, each handler a
// straight line from parsing and authorising, through the domain package
// that decides, to the store that writes, to the notifier that tells.
package api

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/dedup"
	"github.com/yizhan/yizhan/internal/notify"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store"
)

// Deps are what the handlers need.
type Deps struct {
	Store *store.Store
	// Triage reads reports; it also says which types exist.
	Triage Triager
	// Dedup configures the duplicate check (defaults: 2 hours, 300 m).
	Dedup dedup.Config
	// NoAutoMerge lists a sure duplicate as a candidate instead of merging
	// it at once; NoDuplicateCheck skips the check altogether (tests that
	// file many alike reports).
	NoAutoMerge      bool
	NoDuplicateCheck bool
	Logger           *slog.Logger
	Registry         *prometheus.Registry
	// Now is the clock; tests inject one.
	Now func() time.Time
	// Location is the zone's time zone, for dates without a zone.
	Location *time.Location
	// ReturnLimit is how many returns a case allows before 首接负责 (default 2).
	ReturnLimit int
	// Hub fans events out to live consoles; Webhooks to subscribed systems.
	Hub      *notify.Hub
	Webhooks *notify.Webhooks
	// Version is the server's version, for GET /api/v1/info.
	Version string
	// Login throttles failed logins (on, with defaults, when zero).
	Login LoginLimits
	// RateLimit is how many requests per second one account may make,
	// with bursts of twice that; 0 is no limit.
	RateLimit int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names
	// the client for the login throttle; none believes the header.
	TrustedProxies []netip.Prefix
	// CORSOrigins are the web origins whose browsers may call the API
	// (a dashboard on another site); none by default.
	CORSOrigins []string
	// Console serves the web console at every path outside /api, /healthz
	// and /metrics; nil serves none.
	Console http.Handler
}

// Server holds the handlers and their dependencies.
type Server struct {
	store     *store.Store
	triage    Triager
	types     casework.TypeChecker
	dedupCfg  dedup.Config
	autoMerge bool
	checkDups bool
	prepared  *preparedCache
	log       *slog.Logger
	now       func() time.Time
	loc       *time.Location
	dir       atomic.Pointer[routing.Directory]
	rules     atomic.Pointer[routing.RuleSet]
	ents      atomic.Pointer[routing.EnterpriseIndex]
	returns   int
	hub       *notify.Hub
	webhooks  *notify.Webhooks
	console   http.Handler
	version   string
	metrics   *metrics
	ready     atomic.Bool
	tokens    sync.Map // token hash → cachedToken
	logins    *loginThrottle
	requests  *requestLimiter // nil when there is no limit
	proxies   []netip.Prefix

	closing      chan struct{} // closed at shutdown: live streams end
	closeStreams sync.Once
	node         string // this process, among the nodes on one database
	origins      []string
}

// New builds the server and loads the directory.
func New(ctx context.Context, d Deps) (*Server, error) {
	s := &Server{
		store:     d.Store,
		triage:    d.Triage,
		types:     d.Triage,
		dedupCfg:  d.Dedup,
		autoMerge: !d.NoAutoMerge,
		checkDups: !d.NoDuplicateCheck,
		prepared:  newPreparedCache(4096),
		log:       cmp.Or(d.Logger, slog.Default()),
		now:       d.Now,
		loc:       d.Location,
		returns:   cmp.Or(d.ReturnLimit, casework.DefaultReturnLimit),
		hub:       d.Hub,
		webhooks:  d.Webhooks,
		console:   d.Console,
		version:   d.Version,
		logins:    newLoginThrottle(d.Login),
		requests:  newRequestLimiter(d.RateLimit),
		proxies:   d.TrustedProxies,
		closing:   make(chan struct{}),
		node:      rand.Text(),
		origins:   d.CORSOrigins,
	}
	if s.hub == nil {
		s.hub = notify.NewHub()
	}
	now := d.Now
	if now == nil {
		now = time.Now
	}
	// Every time Yizhan writes is in the zone's time zone, to the
	// microsecond the store keeps: the 201 and a later GET agree.
	s.now = func() time.Time { return now().In(s.loc).Truncate(time.Microsecond) }
	s.hub.Now = s.now
	s.hub.View = func(c casework.Case, masked bool) any { return shapeCase(c, masked) }
	if s.triage == nil {
		return nil, fmt.Errorf("api: no triage")
	}
	if s.dedupCfg == (dedup.Config{}) {
		s.dedupCfg = dedup.DefaultConfig()
	}
	if err := s.dedupCfg.Validate(); err != nil {
		return nil, err
	}
	if s.loc == nil {
		s.loc = time.Local
	}
	s.metrics = newMetrics(d.Registry, d.Store)
	if err := s.reloadDirectory(ctx); err != nil {
		return nil, err
	}
	s.ready.Store(true)
	return s, nil
}

// SetReady marks whether the server accepts work; /healthz follows it.
func (s *Server) SetReady(ok bool) { s.ready.Store(ok) }

// reloadDirectory reads the unit tree, the enterprises and the routing
// rules again after they changed (here or on another node).
func (s *Server) reloadDirectory(ctx context.Context) error {
	units, err := s.store.Units(ctx)
	if err != nil {
		return err
	}
	ents, err := s.store.Enterprises(ctx)
	if err != nil {
		return err
	}
	if err := s.reloadCalendar(ctx); err != nil {
		return err
	}
	rules, err := s.store.RoutingRules(ctx)
	if err != nil {
		return err
	}
	s.dir.Store(routing.NewDirectory(units))
	s.ents.Store(routing.NewEnterpriseIndex(ents))
	s.rules.Store(&rules)
	return nil
}

// directory is the current snapshot of the unit tree.
func (s *Server) directory() *routing.Directory { return s.dir.Load() }

// RefreshDirectory keeps the unit tree current when other nodes change it.
func (s *Server) RefreshDirectory(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.reloadDirectory(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("reload directory", "err", err)
			}
		}
	}
}

// Handler answers every route of the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.healthz)
	mux.Handle("GET /metrics", s.metrics.handler())

	mux.HandleFunc("POST /api/v1/auth/login", s.login)
	mux.Handle("POST /api/v1/auth/password", s.auth(s.changePassword, allowPasswordChange))
	mux.Handle("GET /api/v1/me", s.auth(s.me))
	mux.Handle("POST /api/v1/auth/logout", s.auth(s.logout, allowPasswordChange))
	mux.Handle("GET /api/v1/info", s.auth(s.info))
	mux.Handle("GET /api/v1/taxonomy", s.auth(s.taxonomy))

	mux.Handle("POST /api/v1/cases", s.auth(s.createCase))
	mux.Handle("GET /api/v1/cases", s.auth(s.listCases))
	mux.Handle("GET /api/v1/cases/{id}", s.auth(s.getCase))
	mux.Handle("POST /api/v1/cases/{id}/actions", s.auth(s.actOnCase))

	mux.Handle("GET /api/v1/cases/{id}/recommend", s.auth(s.recommend))
	mux.Handle("POST /api/v1/triage", s.auth(s.triageText))

	mux.Handle("POST /api/v1/units", s.auth(s.adminOnly(s.createUnit)))
	mux.Handle("GET /api/v1/units", s.auth(s.listUnits))
	mux.Handle("GET /api/v1/units/{id}", s.auth(s.getUnit))
	mux.Handle("PATCH /api/v1/units/{id}", s.auth(s.adminOnly(s.updateUnit)))
	mux.Handle("POST /api/v1/units/areas", s.auth(s.adminOnly(s.importAreas)))

	mux.Handle("POST /api/v1/people", s.auth(s.adminOnly(s.createPerson)))
	mux.Handle("GET /api/v1/people", s.auth(s.listPeople))
	mux.Handle("GET /api/v1/people/export", s.auth(s.exportPeople))
	mux.Handle("POST /api/v1/people/import", s.auth(s.adminOnly(s.importPeople)))
	mux.Handle("GET /api/v1/people/{id}", s.auth(s.getPerson))
	mux.Handle("POST /api/v1/people/{id}/location", s.auth(s.setPersonLocation))

	mux.Handle("POST /api/v1/enterprises", s.auth(s.adminOnly(s.createEnterprise)))
	mux.Handle("GET /api/v1/enterprises", s.auth(s.listEnterprises))
	mux.Handle("GET /api/v1/enterprises/export", s.auth(s.exportEnterprises))
	mux.Handle("POST /api/v1/enterprises/import", s.auth(s.adminOnly(s.importEnterprises)))
	mux.Handle("GET /api/v1/enterprises/{id}", s.auth(s.getEnterprise))

	mux.Handle("POST /api/v1/roster/shifts", s.auth(s.createShifts))
	mux.Handle("GET /api/v1/roster/shifts", s.auth(s.listShifts))
	mux.Handle("DELETE /api/v1/roster/shifts/{id}", s.auth(s.deleteShift))
	mux.Handle("GET /api/v1/roster/on-duty", s.auth(s.onDuty))
	mux.Handle("GET /api/v1/roster/gaps", s.auth(s.rosterGaps))

	mux.Handle("GET /api/v1/routing/rules", s.auth(s.getRules))
	mux.Handle("PUT /api/v1/routing/rules", s.auth(s.adminOnly(s.putRules)))
	mux.Handle("POST /api/v1/routing/preview", s.auth(s.previewRouting))

	mux.Handle("POST /api/v1/users", s.auth(s.adminOnly(s.createUser)))
	mux.Handle("GET /api/v1/users", s.auth(s.adminOnly(s.listUsers)))
	mux.Handle("POST /api/v1/users/{id}/tokens", s.auth(s.adminOnly(s.createToken)))

	mux.Handle("GET /api/v1/events/stream", s.auth(s.stream))
	mux.Handle("POST /api/v1/webhooks", s.auth(s.adminOnly(s.createWebhook)))
	mux.Handle("GET /api/v1/webhooks", s.auth(s.adminOnly(s.listWebhooks)))
	mux.Handle("DELETE /api/v1/webhooks/{id}", s.auth(s.adminOnly(s.deleteWebhook)))
	mux.Handle("GET /api/v1/webhooks/{id}/deliveries", s.auth(s.adminOnly(s.listDeliveries)))

	mux.Handle("GET /api/v1/calendar/workdays", s.auth(s.workdays))
	mux.Handle("GET /api/v1/calendar", s.auth(s.calendarDays))
	mux.Handle("PUT /api/v1/calendar/overrides", s.auth(s.adminOnly(s.putOverrides)))
	mux.Handle("GET /api/v1/sla/policies", s.auth(s.slaPolicies))

	mux.Handle("GET /api/v1/stats/summary", s.auth(s.summary))
	mux.Handle("GET /api/v1/stats/breakdown", s.auth(s.breakdown))
	mux.Handle("GET /api/v1/stats/sla", s.auth(s.slaStats))
	mux.Handle("GET /api/v1/stats/returns", s.auth(s.returnsStats))
	mux.Handle("GET /api/v1/stats/trend", s.auth(s.trend))
	mux.Handle("GET /api/v1/reports/{file}", s.auth(s.report))

	mux.Handle("GET /api/v1/indicators", s.auth(s.listIndicators))
	mux.Handle("POST /api/v1/indicators", s.auth(s.managersOnly(s.createIndicator)))
	mux.Handle("GET /api/v1/indicators/{id}", s.auth(s.getIndicator))
	mux.Handle("PATCH /api/v1/indicators/{id}", s.auth(s.managersOnly(s.updateIndicator)))
	mux.Handle("GET /api/v1/indicators/{id}/values", s.auth(s.listValues))
	mux.Handle("GET /api/v1/indicators/zones", s.auth(s.listIndicatorZones))
	mux.Handle("POST /api/v1/indicators/zones", s.auth(s.managersOnly(s.createIndicatorZone)))
	mux.Handle("POST /api/v1/indicators/values", s.auth(s.recordValues))
	mux.Handle("POST /api/v1/indicators/values/import", s.auth(s.importValues))
	mux.Handle("GET /api/v1/indicators/values/template", s.auth(s.valuesTemplate))
	mux.Handle("GET /api/v1/indicators/ranking", s.auth(s.indicatorRanking))
	mux.Handle("GET /api/v1/indicators/review", s.auth(s.indicatorReview))
	mux.Handle("GET /api/v1/indicators/export.xlsx", s.auth(s.exportIndicators))
	mux.Handle("GET /api/v1/indicators/export.html", s.auth(s.exportIndicators))

	mux.Handle("GET /api/v1/office-days", s.auth(s.listOfficeDays))
	mux.Handle("PUT /api/v1/office-days/overrides", s.auth(s.adminOnly(s.putOfficeDayOverrides)))
	mux.Handle("GET /api/v1/problem-list", s.auth(s.listProblems))
	mux.Handle("GET /api/v1/problem-list/export.xlsx", s.auth(s.exportProblems))

	mux.HandleFunc("/api/", s.notFound)
	if s.console != nil {
		mux.Handle("/", s.console)
	}
	return s.recoverPanics(s.metrics.instrument(s.cors(s.checkURL(mux))))
}

// checkURL answers 400 to an API request whose path or query is not
// UTF-8 text, or spells the character U+0000 (%00): no parameter needs
// either, and PostgreSQL cannot compare text with them. ('%' only ever
// starts an escape in a URL, so "%00" in the raw query is always one.)
// The console's pages read no parameter on the server: a hand-edited
// link gets the page (or its not-found page), not an API error.
func (s *Server) checkURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		if strings.Contains(r.URL.RawQuery, "%00") || strings.ContainsRune(r.URL.Path, 0) {
			s.fail(w, r, casework.Invalid("invalid_character", "请求地址中含有空字符（%%00），请删除后重试"))
			return
		}
		if !utf8.ValidString(r.URL.Path) || !validQuery(r.URL.RawQuery) {
			s.fail(w, r, casework.Invalid("invalid_utf8", "请求地址中含有非法的 UTF-8 字符"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// validQuery reports whether every name and value of a raw query is
// UTF-8 once unescaped. (A malformed escape is left to the handler that
// reads the parameter.)
func validQuery(raw string) bool {
	if !strings.Contains(raw, "%") {
		return utf8.ValidString(raw)
	}
	q, _ := url.ParseQuery(raw)
	for k, vs := range q {
		if !utf8.ValidString(k) {
			return false
		}
		for _, v := range vs {
			if !utf8.ValidString(v) {
				return false
			}
		}
	}
	return true
}

// adminOnly lets only administrators through to a handler.
func (s *Server) adminOnly(h authHandler) authHandler {
	return func(w http.ResponseWriter, r *http.Request, u account.User) {
		if !casework.CanAdminister(u.Actor()) {
			s.fail(w, r, errAdminOnly)
			return
		}
		h(w, r, u)
	}
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "not_found", "没有这个接口："+r.Method+" "+r.URL.Path)
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if !s.ready.Load() {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "stopping"})
		return
	}
	if err := s.store.Ping(r.Context()); err != nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// recoverPanics keeps a panicking handler from killing the server: the
// client gets a 500 and the log gets the panic.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("handler panic", "method", r.Method, "path", r.URL.Path, "panic", v, "stack", stack())
				writeError(w, http.StatusInternalServerError, "internal_error", "服务器内部错误，请稍后重试")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// Publish tells live consoles and subscribed systems about new events of
// a case. The scheduler publishes through it too. The events are already
// committed: a client that hangs up, or a scheduler told to stop, must not
// cost the subscribed systems their delivery, so the request's
// cancellation does not reach the webhook outbox (a bound does).
func (s *Server) Publish(ctx context.Context, c casework.Case, evs []casework.Event) {
	s.hub.Publish(c, evs...)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if s.webhooks != nil {
		if err := s.webhooks.Enqueue(ctx, c, evs); err != nil {
			s.log.Warn("enqueue webhooks", "case", c.ID, "err", err)
		}
	}
	// The consoles connected to the other nodes hear of it too.
	seqs := make([]int, len(evs))
	for i, ev := range evs {
		seqs[i] = ev.Seq
	}
	if err := s.store.AnnounceEvents(ctx, s.node, c.ID, seqs); err != nil {
		s.log.Warn("announce events to other nodes", "case", c.ID, "err", err)
	}
}

// RelayEvents hands the events other nodes announce (PostgreSQL) to this
// node's consoles, until ctx ends: it reads the case and the events and
// publishes them here, without webhooks (the node that wrote them queued
// those). With SQLite it returns at once.
func (s *Server) RelayEvents(ctx context.Context) {
	// After a gap, what was announced meanwhile is lost: consoles reload.
	s.store.ListenEvents(ctx, s.node, s.hub.MarkMissed, func(caseID int64, seqs []int) {
		if s.hub.Subscribers() == 0 {
			return
		}
		c, evs, err := s.store.CaseWithTimeline(ctx, caseID, s.now())
		if err != nil {
			s.log.Warn("relay: read case", "case", caseID, "err", err)
			return
		}
		var heard []casework.Event
		for _, ev := range evs {
			if slices.Contains(seqs, ev.Seq) {
				heard = append(heard, ev)
			}
		}
		s.hub.Publish(c, heard...)
	})
}
