// Package config gathers the settings of a command from flags and the
// environment into one struct, validated once at start.
package config

import (
	"net"
	"net/netip"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // the zone's time zone must exist on a machine without zoneinfo
	"unicode"

	"github.com/dustin/go-humanize"
	"github.com/spf13/pflag"
)

// Store says which database a command opens.
type Store struct {
	DataDir string // --data, YIZHAN_DATA
	DBURL   string // --db, YIZHAN_DB
}

// Serve is the configuration of `yizhan serve`.
type Serve struct {
	Store
	Addr         string // --addr, YIZHAN_ADDR
	Demo         bool   // --demo
	SLAFile      string // --sla
	TaxonomyFile string // --taxonomy
	RoutingFile  string // --routing
	ReturnLimit  int    // --return-limit
	Dedup        Dedup
	DebugAddr    string // --debug-addr: pprof, off by default
	AdminToken   string // YIZHAN_ADMIN_TOKEN
	LogFormat    string // --log-format: text or json
	LogLevel     string // --log-level
	TimeZone     string // --tz, YIZHAN_TZ
	MemoryLimit  string // --memory-limit, YIZHAN_MEMORY_LIMIT
	Login        Login
	RateLimit    int // --rate-limit, YIZHAN_RATE_LIMIT: requests per second per account; 0 for none
	// TrustedProxies (--trusted-proxies, YIZHAN_TRUSTED_PROXIES) are the
	// reverse proxies whose X-Forwarded-For names the client: addresses
	// or CIDR prefixes, comma-separated; none by default.
	TrustedProxies string
	// CORSOrigins (--cors-origins, YIZHAN_CORS_ORIGINS) are the web
	// origins whose browsers may call the API, comma-separated.
	CORSOrigins string
	envErr      error
}

// Login are the settings of the login throttle, which counts in each
// node's memory.
type Login struct {
	PerUser int           // --login-max-failures: failed logins of one username before it is locked
	PerIP   int           // --login-max-failures-ip: failed logins from one address before it is locked
	Window  time.Duration // --login-window: how long failures count and a lock lasts
}

// Dedup are the settings of the duplicate check.
type Dedup struct {
	Window      time.Duration // --dedup-window: same incident within this time
	Radius      float64       // --dedup-radius: metres
	Horizon     time.Duration // --dedup-horizon: repeat disputes within this time after closure
	Merge       float64       // --dedup-merge: score to merge at once
	Candidate   float64       // --dedup-candidate: score to show as a possible duplicate
	NoAutoMerge bool          // --dedup-no-auto-merge: show sure duplicates instead of merging them
}

// Zone is the zone's default time zone.
const Zone = "Asia/Shanghai"

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// BindStore adds --data and --db to a command's flags.
func BindStore(fs *pflag.FlagSet, s *Store) {
	fs.StringVar(&s.DataDir, "data", env("YIZHAN_DATA", "./data"), Msg(
		"内置 SQLite 数据库所在目录（环境变量 YIZHAN_DATA）",
		"directory of the embedded SQLite database (env YIZHAN_DATA)"))
	fs.StringVar(&s.DBURL, "db", env("YIZHAN_DB", ""), Msg(
		"改用 PostgreSQL 时的 postgres:// 连接地址（环境变量 YIZHAN_DB）",
		"postgres:// URL to use PostgreSQL instead of SQLite (env YIZHAN_DB)"))
}

// BindServe adds the flags of `yizhan serve`.
func BindServe(fs *pflag.FlagSet, s *Serve) {
	BindStore(fs, &s.Store)
	fs.StringVar(&s.Addr, "addr", env("YIZHAN_ADDR", "127.0.0.1:8080"), Msg(
		"监听地址（环境变量 YIZHAN_ADDR）",
		"address to listen on (env YIZHAN_ADDR)"))
	fs.BoolVar(&s.Demo, "demo", false, Msg(
		"数据库为空时载入演示数据",
		"on an empty database, load the demo zone"))
	fs.StringVar(&s.SLAFile, "sla", env("YIZHAN_SLA", ""), Msg(
		"时限策略文件（YAML），替换内置策略",
		"YAML file of SLA policies replacing the built-in ones"))
	fs.StringVar(&s.TaxonomyFile, "taxonomy", env("YIZHAN_TAXONOMY", ""), Msg(
		"分类体系文件（YAML），替换内置研判规则",
		"YAML taxonomy file replacing the built-in triage rules"))
	fs.StringVar(&s.RoutingFile, "routing", env("YIZHAN_ROUTING", ""), Msg(
		"启动时安装的流转规则文件（YAML 或 JSON），替换已保存的规则",
		"YAML or JSON file of routing rules to install at start (replaces the stored ones)"))
	fs.IntVar(&s.ReturnLimit, "return-limit", 2, Msg(
		"一件工单允许退单的次数，超过后由中心指定首接负责单位",
		"returns (退单) a case allows before the center must name a first-receiver unit"))
	fs.DurationVar(&s.Dedup.Window, "dedup-window", 2*time.Hour, Msg(
		"查重：此时间内的多次反映视为同一事件",
		"duplicate check: reports of one incident within this time"))
	fs.Float64Var(&s.Dedup.Radius, "dedup-radius", 300, Msg(
		"查重：此距离（米）内的多次反映视为同一事件",
		"duplicate check: reports of one incident within this many metres"))
	fs.DurationVar(&s.Dedup.Horizon, "dedup-horizon", 30*24*time.Hour, Msg(
		"重复纠纷：办结后此时间内同一当事人再次反映",
		"repeat disputes: the same parties back within this time after closure"))
	fs.Float64Var(&s.Dedup.Merge, "dedup-merge", 0.65, Msg(
		"查重：相似度（0-1）达到此值即直接合并",
		"duplicate check: score (0-1) at which a report is merged at once"))
	fs.Float64Var(&s.Dedup.Candidate, "dedup-candidate", 0.35, Msg(
		"查重：相似度（0-1）达到此值即提示为疑似重复件",
		"duplicate check: score (0-1) at which a case is shown as a possible duplicate"))
	fs.BoolVar(&s.Dedup.NoAutoMerge, "dedup-no-auto-merge", false, Msg(
		"确定的重复件不自动合并，列出交值班员处理",
		"list sure duplicates for the dispatcher instead of merging them at once"))
	fs.StringVar(&s.DebugAddr, "debug-addr", env("YIZHAN_DEBUG_ADDR", ""), Msg(
		"Go pprof 性能剖析的监听地址（如 127.0.0.1:6060）；为空则不开启",
		"address for Go's pprof profiles (e.g. 127.0.0.1:6060); off when empty"))
	fs.StringVar(&s.LogFormat, "log-format", env("YIZHAN_LOG_FORMAT", "text"), Msg(
		"日志格式：text 或 json",
		"log format: text or json"))
	fs.StringVar(&s.LogLevel, "log-level", env("YIZHAN_LOG_LEVEL", "info"), Msg(
		"日志级别：debug、info、warn 或 error",
		"log level: debug, info, warn or error"))
	fs.StringVar(&s.TimeZone, "tz", env("YIZHAN_TZ", Zone), Msg(
		"本区所在时区",
		"the zone's time zone"))
	BindMemoryLimit(fs, &s.MemoryLimit)
	fs.IntVar(&s.Login.PerUser, "login-max-failures", 5, Msg(
		"同一用户名在 --login-window 内登录失败达到此次数后，拒绝其登录（429）直至时段结束",
		"failed logins of one username within --login-window before its logins are refused (429) until the window passes"))
	fs.IntVar(&s.Login.PerIP, "login-max-failures-ip", 100, Msg(
		"同一客户端地址在 --login-window 内登录失败达到此次数后，拒绝其登录（429）",
		"failed logins from one client address within --login-window before its logins are refused (429)"))
	fs.DurationVar(&s.Login.Window, "login-window", 15*time.Minute, Msg(
		"登录失败的计数时段，也是锁定的时长",
		"how long failed logins count, and how long a lock lasts"))
	var rateLimit int
	rateLimit, s.envErr = envInt("YIZHAN_RATE_LIMIT", 0)
	fs.IntVar(&s.RateLimit, "rate-limit", rateLimit, Msg(
		"每个账号（令牌）每秒可发的请求数，允许两倍的突发；0 为不限流（环境变量 YIZHAN_RATE_LIMIT）",
		"requests per second one account (token) may make, with bursts of twice that; 0 for no limit (env YIZHAN_RATE_LIMIT)"))
	fs.StringVar(&s.TrustedProxies, "trusted-proxies", env("YIZHAN_TRUSTED_PROXIES", ""), Msg(
		"可信的反向代理（地址或 CIDR 网段，逗号分隔，如 127.0.0.1,10.0.0.0/8），登录限制按其 X-Forwarded-For 认定客户端；默认无（环境变量 YIZHAN_TRUSTED_PROXIES）",
		"reverse proxies (addresses or CIDR prefixes, comma-separated, e.g. 127.0.0.1,10.0.0.0/8) whose X-Forwarded-For header names the client for the login throttle; none by default (env YIZHAN_TRUSTED_PROXIES)"))
	fs.StringVar(&s.CORSOrigins, "cors-origins", env("YIZHAN_CORS_ORIGINS", ""), Msg(
		"允许在浏览器中调用接口的其他网站来源（如 https://dashboard.example.gov.cn，逗号分隔）；默认无（环境变量 YIZHAN_CORS_ORIGINS）",
		"web origins (e.g. https://dashboard.example.gov.cn, comma-separated) whose browsers may call the API; none by default (env YIZHAN_CORS_ORIGINS)"))
	s.AdminToken = os.Getenv("YIZHAN_ADMIN_TOKEN")
}

// Validate checks the settings once, at start, and returns the zone's
// time zone it loaded on the way.
func (s *Serve) Validate() (*time.Location, error) {
	if s.Addr == "" {
		return nil, invalid("--addr 不能为空", "--addr is empty")
	}
	if s.LogFormat != "text" && s.LogFormat != "json" {
		return nil, invalid("--log-format 只能是 text 或 json，收到 %q", "--log-format must be text or json, got %q", s.LogFormat)
	}
	switch s.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return nil, invalid("--log-level 只能是 debug、info、warn 或 error，收到 %q",
			"--log-level must be debug, info, warn or error, got %q", s.LogLevel)
	}
	loc, err := s.Location()
	if err != nil {
		return nil, err
	}
	if s.ReturnLimit < 1 || s.ReturnLimit > 20 {
		return nil, invalid("--return-limit 须在 1 到 20 之间，收到 %d", "--return-limit must be between 1 and 20, got %d", s.ReturnLimit)
	}
	if strings.ContainsFunc(s.AdminToken, unicode.IsSpace) || strings.ContainsFunc(s.AdminToken, unicode.IsControl) {
		return nil, invalid("YIZHAN_ADMIN_TOKEN 不能含空格或控制字符（它以 \"Authorization: Bearer <token>\" 发送）",
			"YIZHAN_ADMIN_TOKEN must not contain spaces or control characters (it is sent as \"Authorization: Bearer <token>\")")
	}
	if _, err := ParseMemoryLimit(s.MemoryLimit); err != nil {
		return nil, err
	}
	if s.envErr != nil {
		return nil, s.envErr
	}
	if s.RateLimit < 0 {
		return nil, invalid("--rate-limit 须为 0（不限流）或正数，收到 %d", "--rate-limit must be 0 (no limit) or more, got %d", s.RateLimit)
	}
	if s.Login.PerUser < 1 || s.Login.PerIP < 1 {
		return nil, invalid("--login-max-failures 和 --login-max-failures-ip 至少为 1",
			"--login-max-failures and --login-max-failures-ip must be at least 1")
	}
	if s.Login.Window < time.Minute || s.Login.Window > 24*time.Hour {
		return nil, invalid("--login-window 须在 1m 到 24h 之间，收到 %s", "--login-window must be between 1m and 24h, got %s", s.Login.Window)
	}
	if _, err := ParsePrefixes(s.TrustedProxies); err != nil {
		return nil, err
	}
	if _, err := ParseOrigins(s.CORSOrigins); err != nil {
		return nil, err
	}
	return loc, nil
}

// ParseOrigins reads --cors-origins: web origins (scheme, host and
// optional port, no path), comma-separated.
func ParseOrigins(list string) ([]string, error) {
	var out []string
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		u, err := url.Parse(item)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return nil, invalid("--cors-origins 中的 %q 不是网站来源（应如 https://dashboard.example.gov.cn）",
				"--cors-origins: %q is no web origin (like https://dashboard.example.gov.cn)", item)
		}
		// As a browser sends it: the host in lower case, no default port.
		host := strings.ToLower(u.Host)
		if h, port, err := net.SplitHostPort(host); err == nil && (u.Scheme == "https" && port == "443" || u.Scheme == "http" && port == "80") {
			host = h
			if strings.Contains(h, ":") {
				host = "[" + h + "]" // an IPv6 address keeps its brackets
			}
		}
		out = append(out, u.Scheme+"://"+host)
	}
	return out, nil
}

// ParsePrefixes reads a comma-separated list of addresses and CIDR
// prefixes (--trusted-proxies); a bare address is a prefix of itself
// alone. An empty list is none.
func ParsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for item := range strings.SplitSeq(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if strings.Contains(item, "/") {
			p, err := netip.ParsePrefix(item)
			if err != nil {
				return nil, notPrefix(item)
			}
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, notPrefix(item)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

func notPrefix(item string) error {
	return invalid("--trusted-proxies 中的 %q 不是地址或 CIDR 网段", "--trusted-proxies: %q is not an address or CIDR prefix", item)
}

// envInt reads an integer setting's default from the environment.
func envInt(name string, def int) (int, error) {
	v := env(name, "")
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return def, invalid("%s 须为整数，收到 %q", "%s must be a whole number, got %q", name, v)
	}
	return n, nil
}

// DefaultMemoryLimit is the Go runtime's soft memory limit unless told
// otherwise: it keeps a server under load within about 250 MB resident on
// 10,000,000 cases (docs/PERFORMANCE.md), where the garbage collector would
// otherwise let freed memory pile up to twice what is live.
const DefaultMemoryLimit = "200MiB"

// BindMemoryLimit adds --memory-limit.
func BindMemoryLimit(fs *pflag.FlagSet, v *string) {
	fs.StringVar(v, "memory-limit", env("YIZHAN_MEMORY_LIMIT", DefaultMemoryLimit),
		Msg("Go 运行时的软内存上限，如 200MiB 或 1GiB；0 为不设上限；设置了 GOMEMLIMIT 时以其为准（环境变量 YIZHAN_MEMORY_LIMIT）",
			"soft limit of the Go runtime's memory, e.g. 200MiB or 1GiB; 0 for none; GOMEMLIMIT, when set, takes precedence (env YIZHAN_MEMORY_LIMIT)"))
}

// ParseMemoryLimit reads a --memory-limit: bytes, or 0 for none.
func ParseMemoryLimit(v string) (int64, error) {
	if v == "0" {
		return 0, nil
	}
	n, err := humanize.ParseBytes(v)
	if err != nil {
		return 0, invalid("--memory-limit 须为 200MiB 这样的大小或 0，收到 %q", "--memory-limit must be a size such as 200MiB or 0, got %q", v)
	}
	if n < 32<<20 || n > 1<<50 {
		return 0, invalid("--memory-limit 须为 0 或在 32MiB 到 1PiB 之间，收到 %q", "--memory-limit must be 0 or between 32MiB and 1PiB, got %q", v)
	}
	return int64(n), nil
}

// ApplyMemoryLimit sets the Go runtime's soft memory limit from a
// --memory-limit, unless GOMEMLIMIT set one already. The limit is soft: a
// process that needs more gets it, at the cost of more frequent garbage
// collection. It answers the limit in force (math.MaxInt64 for none).
func ApplyMemoryLimit(v string) (int64, error) {
	n, err := ParseMemoryLimit(v)
	if err != nil {
		return 0, err
	}
	if os.Getenv("GOMEMLIMIT") != "" || n == 0 {
		return debug.SetMemoryLimit(-1), nil
	}
	debug.SetMemoryLimit(n)
	return n, nil
}

// Location loads the zone's time zone.
func (s *Serve) Location() (*time.Location, error) {
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return nil, invalid("未知时区 %q：%w", "unknown time zone %q: %w", s.TimeZone, err)
	}
	return loc, nil
}

// ZoneLocation loads the zone's default time zone for commands without --tz.
func ZoneLocation() *time.Location {
	loc, err := time.LoadLocation(env("YIZHAN_TZ", Zone))
	if err != nil {
		loc, _ = time.LoadLocation(Zone)
	}
	return loc
}
