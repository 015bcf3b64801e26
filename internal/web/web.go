// Package web is Yizhan's console (一站 指挥平台): plain HTML pages, each
// with a small JavaScript module, that are thin clients of the JSON API.
// Everything is embedded in the binary; assets are served under
// content-hashed URLs and cached for a year, pages are revalidated on
// every visit so that they always name the current assets.
package web

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed static
var staticFiles embed.FS

//go:embed pages
var pageFiles embed.FS

// Handler serves the console: the pages, their assets under /static/, and
// a Chinese "not found" page for every other path. The API server mounts
// it at "/" beside /api, /healthz and /metrics.
//
// Everything it serves is embedded and checked by the package's tests, so
// it panics only on a build whose embedded files are broken.
func Handler() http.Handler {
	static, err := fs.Sub(staticFiles, "static")
	if err != nil {
		panic(err)
	}
	assets, err := loadAssets(static)
	if err != nil {
		panic(err)
	}
	pages, err := renderPages(pageFiles, assets)
	if err != nil {
		panic(err)
	}

	mux := http.NewServeMux()
	mux.Handle("GET "+staticPrefix, assets)
	mux.Handle("GET /{$}", pages.page("desk"))
	mux.Handle("GET /login", pages.page("login"))
	mux.Handle("GET /cases/{id}", pages.page("case"))
	mux.Handle("GET /dashboard", pages.page("dashboard"))
	mux.Handle("GET /roster", pages.page("roster"))
	mux.Handle("GET /indicators", pages.page("indicators"))
	mux.Handle("GET /problems", pages.page("problems"))
	mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		u, _ := assets.URL("img/icon.svg")
		http.Redirect(w, r, u, http.StatusMovedPermanently)
	})
	mux.Handle("/", pages.notFound())
	return mux
}
