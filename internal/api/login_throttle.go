package api

import (
	"cmp"
	"fmt"
	"math"
	"net"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// LoginLimits throttle password guessing at POST /api/v1/auth/login. The
// counts live in this node's memory: a cluster of N nodes behind a load
// balancer allows up to N times as many attempts, and a restart forgets
// them. Zero fields take the defaults.
type LoginLimits struct {
	// PerUser is how many failed logins a username may have within Window
	// before further attempts are refused (default 5).
	PerUser int
	// PerIP is the same for a client address (default 100: an office
	// behind one address must not be locked out by one person). IPv6
	// clients count by their /64, which one subscriber usually holds whole.
	PerIP int
	// Window is how long failures count, and how long a lock lasts
	// (default 15 minutes).
	Window time.Duration
	// MaxEntries caps each of the two tables (usernames, addresses), so
	// that a flood of made-up usernames cannot grow memory without end
	// (default 10,000).
	MaxEntries int
}

// Defaults of LoginLimits.
const (
	DefaultLoginPerUser    = 5
	DefaultLoginPerIP      = 100
	DefaultLoginWindow     = 15 * time.Minute
	DefaultLoginMaxEntries = 10_000
)

func (l LoginLimits) withDefaults() LoginLimits {
	l.PerUser = cmp.Or(l.PerUser, DefaultLoginPerUser)
	l.PerIP = cmp.Or(l.PerIP, DefaultLoginPerIP)
	l.Window = cmp.Or(l.Window, DefaultLoginWindow)
	l.MaxEntries = cmp.Or(l.MaxEntries, DefaultLoginMaxEntries)
	return l
}

// attempts is one username's or address's recent logins that did not succeed.
type attempts struct {
	first time.Time // the first of the current window
	n     int
	until time.Time // locked until then; zero while under the limit
}

// expired says whether the entry no longer counts at now.
func (a *attempts) expired(now time.Time, window time.Duration) bool {
	if !a.until.IsZero() {
		return !now.Before(a.until)
	}
	return now.Sub(a.first) >= window
}

// loginThrottle counts login attempts by username and by client address.
//
// An attempt counts when it is let in, before the password is checked, and
// is taken back when it succeeds: parallel guesses cannot all slip past
// the check while the first ones are still hashing.
type loginThrottle struct {
	limits    LoginLimits
	mu        sync.Mutex
	users     map[string]*attempts
	addrs     map[string]*attempts
	lastPrune time.Time
}

func newLoginThrottle(l LoginLimits) *loginThrottle {
	return &loginThrottle{limits: l.withDefaults(), users: map[string]*attempts{}, addrs: map[string]*attempts{}}
}

// pruneEvery is how often the tables drop entries whose window has passed.
const pruneEvery = time.Minute

// admit lets an attempt in and counts it, or answers how long the caller
// must wait because the username or the address is locked.
func (t *loginThrottle) admit(user, addr string, now time.Time) (wait time.Duration, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if now.Sub(t.lastPrune) >= pruneEvery || now.Before(t.lastPrune) {
		t.prune(now)
	}
	u := t.entry(t.users, user, now)
	a := t.entry(t.addrs, addr, now)
	if u != nil && u.n >= t.limits.PerUser {
		wait = u.until.Sub(now)
	}
	if a != nil && a.n >= t.limits.PerIP {
		wait = max(wait, a.until.Sub(now))
	}
	if wait > 0 {
		return wait, false
	}
	t.count(t.users, user, u, t.limits.PerUser, now)
	t.count(t.addrs, addr, a, t.limits.PerIP, now)
	return 0, true
}

// succeeded takes back an admitted attempt that logged in: the username
// starts afresh, and the address is not blamed for it.
func (t *loginThrottle) succeeded(user, addr string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.users, user)
	if a := t.addrs[addr]; a != nil {
		a.n--
		if a.n < t.limits.PerIP {
			a.until = time.Time{}
		}
		if a.n <= 0 {
			delete(t.addrs, addr)
		}
	}
}

// entry answers the key's live entry, dropping one whose window has passed.
func (t *loginThrottle) entry(m map[string]*attempts, key string, now time.Time) *attempts {
	e := m[key]
	if e != nil && e.expired(now, t.limits.Window) {
		delete(m, key)
		return nil
	}
	return e
}

// count adds an attempt to the key's entry e (nil for none yet); reaching
// the limit locks the key for a window from now.
func (t *loginThrottle) count(m map[string]*attempts, key string, e *attempts, limit int, now time.Time) {
	if e == nil {
		if len(m) >= t.limits.MaxEntries {
			t.evict(m, now)
		}
		e = &attempts{first: now}
		m[key] = e
	}
	e.n++
	if e.n >= limit && e.until.IsZero() {
		e.until = now.Add(t.limits.Window)
	}
}

// prune drops every entry whose window has passed.
func (t *loginThrottle) prune(now time.Time) {
	for _, m := range []map[string]*attempts{t.users, t.addrs} {
		for k, e := range m {
			if e.expired(now, t.limits.Window) {
				delete(m, k)
			}
		}
	}
	t.lastPrune = now
}

// evict makes room in a full table: first by dropping what has expired,
// then, if that is not enough, the oldest tenth, unlocked entries before
// locked ones so that a flood of new names does not lift a lock cheaply.
// Dropping a tenth at once keeps a sustained flood from paying a full
// scan on every attempt.
func (t *loginThrottle) evict(m map[string]*attempts, now time.Time) {
	t.prune(now)
	if len(m) < t.limits.MaxEntries {
		return
	}
	type aged struct {
		key    string
		locked bool
		first  time.Time
	}
	all := make([]aged, 0, len(m))
	for k, e := range m {
		all = append(all, aged{k, !e.until.IsZero(), e.first})
	}
	slices.SortFunc(all, func(a, b aged) int {
		if a.locked != b.locked {
			if a.locked {
				return 1
			}
			return -1
		}
		return a.first.Compare(b.first)
	})
	drop := max(1, len(all)/10)
	for _, a := range all[:drop] {
		delete(m, a.key)
	}
}

// size answers how many usernames and addresses the throttle holds.
func (t *loginThrottle) size() (users, addrs int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.users), len(t.addrs)
}

// loginKey is the username as the throttle counts it: no account's
// username is longer than 64 characters, so a longer one is cut rather
// than stored whole, and case does not make a new name.
func loginKey(username string) string {
	k := strings.ToLower(strings.TrimSpace(username))
	if len(k) > 65 {
		k = k[:65]
	}
	return k
}

// clientAddr is the address the throttle counts, IPv6 cut to its /64:
// the connection's remote address, or, when that is one of the trusted
// reverse proxies (`serve --trusted-proxies`), the nearest address in
// X-Forwarded-For that is not a trusted proxy itself. Hops are read from
// the right, because only the ones the trusted proxies appended can be
// believed; a client can write anything to the left of them.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return host
	}
	ip = ip.Unmap()
	if isTrusted(trusted, ip) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, ok := parseHop(hops[i])
			if !ok {
				break
			}
			ip = hop
			if !isTrusted(trusted, hop) {
				break
			}
		}
	}
	if ip.Is6() {
		p, _ := ip.WithZone("").Prefix(64)
		return p.String()
	}
	return ip.String()
}

// parseHop reads one X-Forwarded-For entry: an address, perhaps with a
// port.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap(), true
	}
	a, err := netip.ParseAddr(strings.Trim(s, "[]"))
	return a.Unmap(), err == nil
}

// isTrusted says whether ip is one of the trusted proxies.
func isTrusted(trusted []netip.Prefix, ip netip.Addr) bool {
	for _, p := range trusted {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// retryAfter is a wait in whole seconds for a Retry-After header, never 0.
func retryAfter(wait time.Duration) int {
	return max(1, int(math.Ceil(wait.Seconds())))
}

// tooManyAttempts answers a locked login: when to try again, and no word
// on whether the password would have been right.
func (s *Server) tooManyAttempts(w http.ResponseWriter, wait time.Duration) {
	secs := retryAfter(wait)
	at := s.now().Add(time.Duration(secs) * time.Second)
	about := fmt.Sprintf("%d 分钟", (secs+59)/60)
	if secs < 60 {
		about = fmt.Sprintf("%d 秒", secs)
	}
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	writeError(w, http.StatusTooManyRequests, "too_many_attempts",
		fmt.Sprintf("登录失败次数过多，请于 %s 后再试（约 %s）", at.Format("15:04:05"), about))
}
