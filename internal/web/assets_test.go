package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func serve(t *testing.T, h http.Handler, method, path string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	var r io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestHashedAssetURLs(t *testing.T) {
	t.Parallel()
	h := Handler()
	tests := []struct {
		name, ctype string
	}{
		{"js/desk.js", "text/javascript; charset=utf-8"},
		{"js/api.js", "text/javascript; charset=utf-8"},
		{"css/app.css", "text/css; charset=utf-8"},
		{"img/icon.svg", "image/svg+xml"},
		{"vendor/echarts/echarts.min.js", "text/javascript; charset=utf-8"},
		{"vendor/echarts/LICENSE", "text/plain; charset=utf-8"},
	}
	set := testAssets(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, ok := set.URL(tc.name)
			if !ok {
				t.Fatalf("no asset %s", tc.name)
			}
			if !regexp.MustCompile(`^/static/.+\.[0-9a-f]{10}(\.[a-z0-9]+)?$`).MatchString(u) {
				t.Errorf("URL %s is not content-hashed", u)
			}
			res := serve(t, h, "GET", u, nil)
			if res.StatusCode != 200 {
				t.Fatalf("GET %s: %d", u, res.StatusCode)
			}
			if got := res.Header.Get("Content-Type"); got != tc.ctype {
				t.Errorf("Content-Type %q, want %q", got, tc.ctype)
			}
			if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control %q", got)
			}
			if res.Header.Get("ETag") == "" {
				t.Error("no ETag")
			}
			if res.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no nosniff")
			}
			if body(t, res) == "" {
				t.Error("empty body")
			}
		})
	}
}

func TestAssetGzipAndRevalidation(t *testing.T) {
	t.Parallel()
	h := Handler()
	u, _ := testAssets(t).URL("vendor/echarts/echarts.min.js")

	res := serve(t, h, "GET", u, map[string]string{"Accept-Encoding": "gzip, deflate, br"})
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("large script not gzipped: %v", res.Header)
	}
	if !strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
		t.Error("no Vary: Accept-Encoding")
	}
	if b := body(t, res); !strings.Contains(b[:2000], "Apache") {
		t.Error("gzipped body does not unpack to ECharts")
	}
	etag := res.Header.Get("ETag")

	res = serve(t, h, "GET", u, map[string]string{"Accept-Encoding": "gzip", "If-None-Match": etag})
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", res.StatusCode)
	}
	res = serve(t, h, "GET", u, map[string]string{"Accept-Encoding": "gzip;q=0"})
	if res.Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent to a client that refused it")
	}
	res = serve(t, h, "HEAD", u, nil)
	if res.StatusCode != 200 || body(t, res) != "" {
		t.Errorf("HEAD: %d", res.StatusCode)
	}
}

func TestUnknownAssets(t *testing.T) {
	t.Parallel()
	h := Handler()
	for _, p := range []string{
		"/static/js/nothing.js",
		"/static/js/desk.0000000000.js", // a stale hash
		"/static/",
		"/static/js/",
	} {
		res := serve(t, h, "GET", p, nil)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: %d, want 404", p, res.StatusCode)
		}
		if cc := res.Header.Get("Cache-Control"); strings.Contains(cc, "max-age=31536000") {
			t.Errorf("GET %s: a 404 cached for a year", p)
		}
	}
}

func TestPathTraversalFindsNothing(t *testing.T) {
	t.Parallel()
	h := Handler()
	for _, p := range []string{"/static/../web.go", "/static/%2e%2e/web.go", "/static/js/../../pages/desk.html"} {
		res := serve(t, h, "GET", p, nil)
		if res.StatusCode == http.StatusOK {
			t.Errorf("GET %s: 200", p)
		}
	}
}

func TestPlainAssetNameRevalidates(t *testing.T) {
	t.Parallel()
	res := serve(t, Handler(), "GET", "/static/js/api.js", nil)
	if res.StatusCode != 200 || res.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("GET /static/js/api.js: %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
}

func TestHashedName(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"js/app.js":                     "js/app.abc.js",
		"vendor/echarts/echarts.min.js": "vendor/echarts/echarts.min.abc.js",
		"vendor/echarts/LICENSE":        "vendor/echarts/LICENSE.abc",
		".hidden":                       ".hidden.abc",
	} {
		if got := hashedName(in, "abc"); got != want {
			t.Errorf("hashedName(%q) = %q, want %q", in, got, want)
		}
	}
}
