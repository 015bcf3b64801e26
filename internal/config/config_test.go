package config

import (
	"testing"
	"time"

	"github.com/spf13/pflag"
)

func TestParseMemoryLimit(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"200MiB", 200 << 20, true},
		{"1GiB", 1 << 30, true},
		{"300MB", 300_000_000, true},
		{"0", 0, true},
		{DefaultMemoryLimit, 200 << 20, true},
		{"", 0, false},
		{"abc", 0, false},
		{"1MiB", 0, false},
		{"-5MiB", 0, false},
	} {
		got, err := ParseMemoryLimit(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("ParseMemoryLimit(%q) = %d, %v; want %d, ok %v", c.in, got, err, c.want, c.ok)
		}
	}
}

func TestServeLimits(t *testing.T) {
	t.Setenv("YIZHAN_RATE_LIMIT", "50")
	var s Serve
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	BindServe(fs, &s)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if s.RateLimit != 50 || s.Login != (Login{PerUser: 5, PerIP: 100, Window: 15 * time.Minute}) {
		t.Fatalf("rate limit %d, login %+v", s.RateLimit, s.Login)
	}
	if _, err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	s.Login.Window = 0
	if _, err := s.Validate(); err == nil {
		t.Fatal("a zero --login-window passed")
	}

	t.Setenv("YIZHAN_RATE_LIMIT", "lots")
	t.Setenv("YIZHAN_LANG", "")
	var bad Serve
	BindServe(pflag.NewFlagSet("serve", pflag.ContinueOnError), &bad)
	if _, err := bad.Validate(); err == nil || err.Error() != `设置有误：YIZHAN_RATE_LIMIT 须为整数，收到 "lots"` {
		t.Fatalf("YIZHAN_RATE_LIMIT=lots: %v", err)
	}
}

func TestTrustedProxies(t *testing.T) {
	t.Setenv("YIZHAN_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8 ,fd00::/8,::ffff:192.168.1.1")
	var s Serve
	fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
	BindServe(fs, &s)
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	got, err := ParsePrefixes(s.TrustedProxies)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"127.0.0.1/32", "10.0.0.0/8", "fd00::/8", "192.168.1.1/32"}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i].String() != want[i] {
			t.Errorf("prefix %d = %s, want %s", i, got[i], want[i])
		}
	}
	if p, err := ParsePrefixes(" , "); err != nil || len(p) != 0 {
		t.Errorf("an empty list = %v, %v; want none", p, err)
	}
	for _, bad := range []string{"localhost", "10.0.0.0/33", "300.1.1.1", "10.0.0.1;10.0.0.2"} {
		s.TrustedProxies = bad
		if _, err := s.Validate(); err == nil {
			t.Errorf("--trusted-proxies %q passed", bad)
		}
	}
}

// TestLanguage: settings errors and flag help are in Chinese, and in
// English with YIZHAN_LANG=en (en_US… too).
func TestLanguage(t *testing.T) {
	for _, c := range []struct {
		lang    string
		english bool
	}{
		{"", false}, {"zh", false}, {"zh_CN.UTF-8", false}, {"eng", false}, {"fr_FR", false},
		{"en", true}, {"EN", true}, {" en ", true}, {"english", true}, {"en_US", true}, {"en-GB", true}, {"en_US.UTF-8", true}, {"en.UTF-8", true},
	} {
		t.Setenv("YIZHAN_LANG", c.lang)
		if English() != c.english {
			t.Errorf("YIZHAN_LANG=%q: English() = %v", c.lang, !c.english)
		}
		s := Serve{Addr: "127.0.0.1:0", LogFormat: "text", LogLevel: "info", TimeZone: Zone, ReturnLimit: 0,
			MemoryLimit: DefaultMemoryLimit, Login: Login{PerUser: 5, PerIP: 100, Window: time.Minute}}
		_, err := s.Validate()
		want := "设置有误：--return-limit 须在 1 到 20 之间，收到 0"
		if c.english {
			want = "config: --return-limit must be between 1 and 20, got 0"
		}
		if err == nil || err.Error() != want {
			t.Errorf("YIZHAN_LANG=%q: %v, want %s", c.lang, err, want)
		}
		fs := pflag.NewFlagSet("serve", pflag.ContinueOnError)
		BindServe(fs, &s)
		usage, wantUsage := fs.Lookup("addr").Usage, "监听地址（环境变量 YIZHAN_ADDR）"
		if c.english {
			wantUsage = "address to listen on (env YIZHAN_ADDR)"
		}
		if usage != wantUsage {
			t.Errorf("YIZHAN_LANG=%q: --addr %q, want %q", c.lang, usage, wantUsage)
		}
	}
}

func TestCORSOrigins(t *testing.T) {
	got, err := ParseOrigins(" https://Dashboard.Example.gov.cn:443, http://10.0.0.5:8080/ ")
	if err != nil || len(got) != 2 || got[0] != "https://dashboard.example.gov.cn" || got[1] != "http://10.0.0.5:8080" {
		t.Fatalf("origins %v, %v", got, err)
	}
	for _, bad := range []string{"dashboard.example.gov.cn", "ftp://x", "https://x/path", "https://"} {
		if _, err := ParseOrigins(bad); err == nil {
			t.Errorf("--cors-origins %q passed", bad)
		}
	}
}
