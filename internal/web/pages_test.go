package web

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func testAssets(t *testing.T) *assetSet {
	t.Helper()
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		t.Fatal(err)
	}
	set, err := loadAssets(static)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// pagePaths are the console's pages by path, with their data-page.
var pagePaths = map[string]string{
	"/":           "desk",
	"/login":      "login",
	"/cases/42":   "case",
	"/dashboard":  "dashboard",
	"/roster":     "roster",
	"/indicators": "indicators",
	"/problems":   "problems",
	"/no/such":    "notfound",
	"/cases":      "notfound",
	"/index.html": "notfound",
}

func TestPagesServedAtTheirPaths(t *testing.T) {
	t.Parallel()
	h := Handler()
	for path, name := range pagePaths {
		res := serve(t, h, "GET", path, nil)
		want := 200
		if name == "notfound" {
			want = 404
		}
		if res.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, res.StatusCode, want)
		}
		if ct := res.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", path, ct)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("GET %s: Cache-Control %q, want no-cache", path, cc)
		}
		if res.Header.Get("Content-Security-Policy") == "" {
			t.Errorf("GET %s: no Content-Security-Policy", path)
		}
		b := body(t, res)
		if !strings.Contains(b, `data-page="`+name+`"`) {
			t.Errorf("GET %s: not the %s page", path, name)
		}
		if !strings.Contains(b, `lang="zh-CN"`) {
			t.Errorf("GET %s: page not marked Chinese", path)
		}
	}
}

func TestPageRevalidation(t *testing.T) {
	t.Parallel()
	h := Handler()
	res := serve(t, h, "GET", "/dashboard", nil)
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag on a page")
	}
	res = serve(t, h, "GET", "/dashboard", map[string]string{"If-None-Match": etag})
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: %d, want 304", res.StatusCode)
	}
	res = serve(t, h, "POST", "/dashboard", nil)
	if res.StatusCode == 200 {
		t.Error("POST to a page answered 200")
	}
	res = serve(t, h, "GET", "/favicon.ico", nil)
	if res.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(res.Header.Get("Location"), "/static/img/icon.") {
		t.Errorf("favicon: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
}

// pageRefs is what one page refers to: asset URLs, links and the import map.
type pageRefs struct {
	assets    []string
	links     []string
	importMap map[string]string
	inline    []string
}

func parsePage(t *testing.T, src string) pageRefs {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	var refs pageRefs
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			attr := map[string]string{}
			for _, a := range n.Attr {
				attr[a.Key] = a.Val
			}
			switch n.Data {
			case "script":
				switch {
				case attr["type"] == "importmap":
					var m struct {
						Imports map[string]string `json:"imports"`
					}
					if err := json.Unmarshal([]byte(n.FirstChild.Data), &m); err != nil {
						t.Fatalf("import map: %v", err)
					}
					refs.importMap = m.Imports
				case attr["src"] != "":
					refs.assets = append(refs.assets, attr["src"])
				default:
					refs.inline = append(refs.inline, n.FirstChild.Data)
				}
			case "link":
				refs.assets = append(refs.assets, attr["href"])
			case "img":
				refs.assets = append(refs.assets, attr["src"])
			case "a":
				refs.links = append(refs.links, attr["href"])
			case "form":
				if a, ok := attr["action"]; ok {
					refs.links = append(refs.links, a)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return refs
}

var importRE = regexp.MustCompile(`(?m)^\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"|^\s*import\s+"([^"]+)"`)

func TestPagesReferOnlyToExistingAssets(t *testing.T) {
	t.Parallel()
	h := Handler()
	set := testAssets(t)
	for path := range pagePaths {
		src := body(t, serve(t, h, "GET", path, nil))
		refs := parsePage(t, src)
		if len(refs.inline) > 0 {
			t.Errorf("%s: inline script (the CSP forbids it): %q", path, refs.inline[0])
		}
		if len(refs.assets) < 3 {
			t.Errorf("%s: only %d assets referenced", path, len(refs.assets))
		}
		for _, u := range refs.assets {
			if !strings.HasPrefix(u, "/static/") {
				t.Errorf("%s: asset %q outside /static/", path, u)
				continue
			}
			if _, ok := set.byURL[u]; !ok {
				t.Errorf("%s: refers to %s, which is not a hashed asset", path, u)
				continue
			}
			if res := serve(t, h, "GET", u, nil); res.StatusCode != 200 {
				t.Errorf("%s: %s answers %d", path, u, res.StatusCode)
			}
		}
		// Every module a page can load is in the import map, and every
		// import of every module resolves to an asset that exists.
		if refs.importMap == nil {
			t.Fatalf("%s: no import map", path)
		}
		for from, to := range refs.importMap {
			a, ok := set.byURL[to]
			if !ok || staticPrefix+a.name != from {
				t.Errorf("%s: import map %s → %s does not name that asset", path, from, to)
			}
		}
		// No dead links: every link leads to a page (or an anchor on it).
		for _, l := range refs.links {
			if strings.HasPrefix(l, "#") {
				if !strings.Contains(src, `id="`+l[1:]+`"`) {
					t.Errorf("%s: anchor %s has no target", path, l)
				}
				continue
			}
			if res := serve(t, h, "GET", l, nil); res.StatusCode != 200 {
				t.Errorf("%s: link %s answers %d", path, l, res.StatusCode)
			}
		}
	}
}

func TestModulesImportOnlyExistingModules(t *testing.T) {
	t.Parallel()
	set := testAssets(t)
	n := 0
	for _, name := range set.Names() {
		if !strings.HasPrefix(name, "js/") {
			continue
		}
		src := string(set.byName[name].body)
		for _, m := range importRE.FindAllStringSubmatch(src, -1) {
			spec := m[1] + m[2]
			n++
			if !strings.HasPrefix(spec, "./") {
				t.Errorf("%s imports %q: only relative module imports resolve through the import map", name, spec)
				continue
			}
			target := "js/" + strings.TrimPrefix(spec, "./")
			if _, ok := set.byName[target]; !ok {
				t.Errorf("%s imports %s, which does not exist", name, spec)
			}
		}
	}
	if n < 10 {
		t.Errorf("found only %d imports: is the pattern right?", n)
	}
}

func TestContentSecurityPolicyAllowsTheImportMap(t *testing.T) {
	t.Parallel()
	res := serve(t, Handler(), "GET", "/", nil)
	csp := res.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "script-src 'self' 'sha256-") || strings.Contains(csp, "unsafe-eval") {
		t.Errorf("CSP %q", csp)
	}
}
