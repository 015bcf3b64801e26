package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"
)

// page is one console page as its template needs it.
type page struct {
	// Name is the template file (pages/<Name>.html) and the body's data-page.
	Name string
	// Title is the page's Chinese title.
	Title string
	// Nav is the navigation entry to mark as current; empty for none.
	Nav string
	// Module is the page's own script under static/js/.
	Module string
	// Scripts are classic scripts the module needs first (ECharts).
	Scripts []string
	// Status is the HTTP status the page answers with.
	Status int
}

// consolePages are the pages of the console, in navigation order.
var consolePages = []page{
	{Name: "desk", Title: "值班台", Nav: "desk", Module: "js/desk.js"},
	{Name: "login", Title: "登录", Module: "js/login.js"},
	{Name: "case", Title: "工单详情", Nav: "desk", Module: "js/case.js"},
	{Name: "dashboard", Title: "领导看板", Nav: "dashboard", Module: "js/dashboard.js", Scripts: []string{"vendor/echarts/echarts.min.js"}},
	{Name: "roster", Title: "值班表", Nav: "roster", Module: "js/roster.js"},
	{Name: "indicators", Title: "指标晾晒", Nav: "indicators", Module: "js/indicators.js"},
	{Name: "problems", Title: "企业问题清单", Nav: "problems", Module: "js/problems.js"},
	{Name: "notfound", Title: "页面不存在", Module: "js/notfound.js", Status: http.StatusNotFound},
}

// renderedPage is a page rendered once at start: its assets never change
// while the binary runs.
type renderedPage struct {
	body   []byte
	etag   string
	csp    string
	status int
}

// pageSet holds the rendered pages by name.
type pageSet map[string]*renderedPage

// renderPages renders every page with its assets' hashed URLs and an
// import map, so that modules importing "./api.js" load the hashed file.
func renderPages(files fs.FS, assets *assetSet) (pageSet, error) {
	importMap, err := buildImportMap(assets)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(importMap))
	csp := strings.Join([]string{
		"default-src 'self'",
		"script-src 'self' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'",
		// ECharts' tooltips carry style attributes.
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob:",
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'none'",
		"form-action 'self'",
		"frame-ancestors 'none'",
	}, "; ")

	funcs := template.FuncMap{
		"asset": func(name string) (string, error) {
			u, ok := assets.URL(name)
			if !ok {
				return "", fmt.Errorf("web: no asset %q", name)
			}
			return u, nil
		},
		"importMap": func() template.HTML {
			return template.HTML(`<script type="importmap">` + importMap + `</script>`)
		},
	}
	tmpl, err := template.New("").Funcs(funcs).ParseFS(files, "pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse pages: %w", err)
	}
	set := pageSet{}
	for _, p := range consolePages {
		var buf bytes.Buffer
		if err := tmpl.ExecuteTemplate(&buf, p.Name+".html", p); err != nil {
			return nil, fmt.Errorf("web: render page %s: %w", p.Name, err)
		}
		sum := sha256.Sum256(buf.Bytes())
		set[p.Name] = &renderedPage{
			body:   buf.Bytes(),
			etag:   `"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`,
			csp:    csp,
			status: p.Status,
		}
	}
	return set, nil
}

// buildImportMap maps every module's plain URL to its hashed one. Module
// specifiers that resolve to /static/js/x.js load /static/js/x.<hash>.js.
func buildImportMap(assets *assetSet) (string, error) {
	// Names come sorted, and so do the entries. json.Marshal would sort a
	// map too; encode by hand only to keep one entry a line, which reads
	// better in the page source.
	var b strings.Builder
	b.WriteString("{\"imports\": {\n")
	sep := ""
	for _, name := range assets.Names() {
		if !strings.HasPrefix(name, "js/") || !strings.HasSuffix(name, ".js") {
			continue
		}
		u, _ := assets.URL(name)
		kj, err := json.Marshal(staticPrefix + name)
		if err != nil {
			return "", err
		}
		vj, err := json.Marshal(u)
		if err != nil {
			return "", err
		}
		b.WriteString(sep + "  " + string(kj) + ": " + string(vj))
		sep = ",\n"
	}
	if sep != "" {
		b.WriteString("\n")
	}
	b.WriteString("}}")
	return b.String(), nil
}

// page serves one rendered page.
func (s pageSet) page(name string) http.Handler {
	p, ok := s[name]
	if !ok {
		panic("web: no page " + name)
	}
	return p
}

// notFound answers every unknown path with the Chinese "not found" page.
func (s pageSet) notFound() http.Handler { return s.page("notfound") }

// ServeHTTP writes the page; it is never cached without revalidation, so
// a new build's assets are picked up at once.
func (p *renderedPage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	h.Set("Content-Security-Policy", p.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	if p.status != 0 && p.status != http.StatusOK {
		w.WriteHeader(p.status)
		if r.Method != http.MethodHead {
			_, _ = w.Write(p.body)
		}
		return
	}
	h.Set("ETag", p.etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(p.body))
}
