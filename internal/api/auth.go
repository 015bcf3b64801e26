package api

import (
	"net/http"
	"strings"
	"time"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/store"
)

// authHandler is a handler that knows who is asking.
type authHandler func(w http.ResponseWriter, r *http.Request, u account.User)

type authOption int

// allowPasswordChange lets an account that must change its password reach
// the one endpoint that does it.
const allowPasswordChange authOption = 1

// auth resolves the bearer token to an account, or answers 401.
func (s *Server) auth(h authHandler, opts ...authOption) http.Handler {
	passwordChange := len(opts) > 0 && opts[0] == allowPasswordChange
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := streamToken(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="yizhan"`)
			writeError(w, http.StatusUnauthorized, "unauthorized", "缺少访问令牌：请在 Authorization 头中提供 Bearer token")
			return
		}
		u, err := s.userByToken(r, token)
		if err == store.ErrBadToken {
			w.Header().Set("WWW-Authenticate", `Bearer realm="yizhan", error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "invalid_token", "访问令牌无效或已过期")
			return
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if wait, ok := s.requests.allow(u.ID, r, s.now()); !ok {
			s.rateLimited(w, wait)
			return
		}
		if u.MustChangePassword && !passwordChange {
			writeError(w, http.StatusForbidden, "password_change_required", "首次登录须先修改密码：POST /api/v1/auth/password")
			return
		}
		h(w, r, u)
	})
}

// streamToken is the request's bearer token, or, for the event stream
// (which a browser's EventSource opens without headers), ?access_token=.
func streamToken(r *http.Request) (string, bool) {
	if token, ok := bearer(r); ok || r.URL.Path != "/api/v1/events/stream" {
		return token, ok
	}
	token := r.URL.Query().Get("access_token")
	return token, token != ""
}

func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

type loginBody struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type loginAnswer struct {
	Token              string       `json:"token"`
	ExpiresAt          time.Time    `json:"expires_at"`
	MustChangePassword bool         `json:"must_change_password"`
	User               account.User `json:"user"`
}

// login trades a username and password for a session token that lasts a shift.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	var body loginBody
	if _, err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	// A locked username or address is refused before the password is
	// looked at, so the answer's time says nothing about the password.
	key, addr := loginKey(body.Username), clientAddr(r, s.proxies)
	if wait, ok := s.logins.admit(key, addr, s.now()); !ok {
		s.tooManyAttempts(w, wait)
		return
	}
	u, err := s.store.UserByUsername(r.Context(), strings.TrimSpace(body.Username))
	if err != nil && err != store.ErrUserNotFound {
		s.fail(w, r, err)
		return
	}
	// Every refusal costs one bcrypt comparison (against a decoy for an
	// unknown name or an account without a password, which no password
	// opens), so the answer's time does not tell which accounts exist or
	// are disabled.
	known := err == nil && u.PasswordHash != ""
	hash := account.DecoyHash()
	if known {
		hash = u.PasswordHash
	}
	if matches := account.CheckPassword(hash, body.Password); !known || !matches || u.Disabled {
		writeError(w, http.StatusUnauthorized, "bad_credentials", "用户名或密码错误")
		return
	}
	s.logins.succeeded(key, addr)
	token := account.NewToken()
	now := s.now()
	expires := now.Add(account.SessionTTL)
	if _, err := s.store.CreateToken(r.Context(), u.ID, account.HashToken(token), account.TokenSession, "login", now, &expires); err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, loginAnswer{Token: token, ExpiresAt: expires.In(s.loc), MustChangePassword: u.MustChangePassword, User: u})
}

type passwordBody struct {
	OldPassword string `json:"old_password"`
	NewPassword string `json:"new_password"`
}

// changePassword replaces the caller's password; the first administrator
// must do this before anything else.
func (s *Server) changePassword(w http.ResponseWriter, r *http.Request, u account.User) {
	var body passwordBody
	if _, err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if !account.CheckPassword(u.PasswordHash, body.OldPassword) {
		s.fail(w, r, casework.Invalid("bad_password", "原密码不正确"))
		return
	}
	check := account.NewUser{Username: u.Username, Role: u.Role, Password: body.NewPassword}
	if err := check.Validate(); err != nil || body.NewPassword == "" {
		s.fail(w, r, cmpErr(err, casework.Invalid("weak_password", "新密码至少 %d 位", account.MinPasswordLen)))
		return
	}
	hash, err := account.HashPassword(body.NewPassword)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.store.SetPassword(r.Context(), u.ID, hash); err != nil {
		s.fail(w, r, err)
		return
	}
	s.forgetTokens()
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func cmpErr(a, b error) error {
	if a != nil {
		return a
	}
	return b
}

type meAnswer struct {
	account.User
	Capabilities capabilities `json:"capabilities"`
}

// capabilities say what an account may reach, so that a console shows only
// what will work.
type capabilities struct {
	Stats       bool `json:"stats"`       // statistics and reports
	Administer  bool `json:"administer"`  // users, units, people, enterprises, rules, calendar, webhooks
	EditRoster  bool `json:"edit_roster"` // the duty roster
	Receive     bool `json:"receive"`     // take reports in
	Dispatch    bool `json:"dispatch"`    // send cases out
	Supervise   bool `json:"supervise"`   // order a case sped up (督办)
	SeesPhones  bool `json:"sees_phones"` // reporters' phones unmasked
	SeesAllCase bool `json:"sees_all_cases"`
}

// me answers the caller's own account and what it may do.
func (s *Server) me(w http.ResponseWriter, r *http.Request, u account.User) {
	a := u.Actor()
	writeJSON(w, http.StatusOK, meAnswer{User: u, Capabilities: capabilities{
		Stats: canReadStats(u), Administer: casework.CanAdminister(a), EditRoster: canEditRoster(u), Receive: true,
		Dispatch: casework.Authorize(a, casework.ActionDispatch) == nil, Supervise: casework.Authorize(a, casework.ActionSupervise) == nil,
		SeesPhones: u.Role.SeesPhones(), SeesAllCase: s.directory().ScopeOf(a).All,
	}})
}

// logout ends the session whose token made the request.
func (s *Server) logout(w http.ResponseWriter, r *http.Request, _ account.User) {
	token, _ := bearer(r)
	if err := s.store.DeleteToken(r.Context(), account.HashToken(token)); err != nil {
		s.fail(w, r, err)
		return
	}
	s.forgetTokens()
	w.WriteHeader(http.StatusNoContent)
}

type infoAnswer struct {
	Version  string `json:"version"`
	TimeZone string `json:"time_zone"`
	Offset   string `json:"utc_offset"`
	Now      string `json:"now"`
}

// info answers what a client needs to know of this server: its version and
// the zone's time zone.
func (s *Server) info(w http.ResponseWriter, r *http.Request, _ account.User) {
	now := s.now()
	writeJSON(w, http.StatusOK, infoAnswer{Version: s.version, TimeZone: s.loc.String(), Offset: now.Format("-07:00"), Now: now.Format(time.RFC3339)})
}

// tokenTTL is how long a token's account is remembered: a busy client does
// not cost a database read per request, and a token revoked on another
// node stops working within this time.
const tokenTTL = 5 * time.Second

type cachedToken struct {
	user    account.User
	fetched time.Time
}

// userByToken answers the account a token acts as, from a short-lived
// cache in front of the store.
func (s *Server) userByToken(r *http.Request, token string) (account.User, error) {
	hash := account.HashToken(token)
	now := time.Now()
	if v, ok := s.tokens.Load(hash); ok {
		if c := v.(cachedToken); now.Sub(c.fetched) < tokenTTL {
			return c.user, nil
		}
	}
	u, err := s.store.UserByToken(r.Context(), hash, s.now())
	if err != nil {
		s.tokens.Delete(hash)
		return u, err
	}
	s.tokens.Store(hash, cachedToken{user: u, fetched: now})
	return u, nil
}

// forgetTokens drops the cache, after a logout or a password change.
func (s *Server) forgetTokens() {
	s.tokens.Clear()
}
