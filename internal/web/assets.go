package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"
	"time"
)

// staticPrefix is where assets are served. Every asset has a
// content-hashed URL under it (/static/js/desk.3f2a9c1d0e.js) that may be
// cached for a year: a new build changes the hash, and pages, which are
// never cached, name the new URL.
const staticPrefix = "/static/"

// hashLen is how many hex digits of the SHA-256 an asset URL carries.
const hashLen = 10

// asset is one embedded file and the ways it is served.
type asset struct {
	name  string // path under static/, e.g. "js/desk.js"
	url   string // content-hashed URL, e.g. "/static/js/desk.3f2a9c1d0e.js"
	hash  string
	ctype string
	body  []byte

	gzOnce sync.Once
	gz     []byte // gzip of body, nil when it is not worth it
}

// assetSet holds every embedded asset, by name and by hashed URL.
type assetSet struct {
	byName map[string]*asset
	byURL  map[string]*asset
}

// loadAssets reads every file of fsys and gives it a hashed URL.
func loadAssets(fsys fs.FS) (*assetSet, error) {
	s := &assetSet{byName: map[string]*asset{}, byURL: map[string]*asset{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		a := &asset{name: name, hash: hex.EncodeToString(sum[:])[:hashLen], ctype: contentType(name), body: body}
		a.url = staticPrefix + hashedName(name, a.hash)
		s.byName[name] = a
		s.byURL[a.url] = a
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: load assets: %w", err)
	}
	return s, nil
}

// hashedName puts the hash before the last extension:
// "vendor/echarts/echarts.min.js" becomes "vendor/echarts/echarts.min.<hash>.js".
func hashedName(name, hash string) string {
	dir, file := path.Split(name)
	if i := strings.LastIndexByte(file, '.'); i > 0 {
		return dir + file[:i] + "." + hash + file[i:]
	}
	return name + "." + hash
}

// URL is the hashed URL of the named asset; ok is false when there is none.
func (s *assetSet) URL(name string) (string, bool) {
	a, ok := s.byName[name]
	if !ok {
		return "", false
	}
	return a.url, true
}

// Names lists the assets in a stable order.
func (s *assetSet) Names() []string {
	out := make([]string, 0, len(s.byName))
	for n := range s.byName {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// ServeHTTP answers a hashed URL with a year's cache, and the plain name
// (/static/js/api.js, for a browser without import maps) with revalidation
// on every use. Anything else is 404.
func (s *assetSet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	if a, ok := s.byURL[r.URL.Path]; ok {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
		a.serve(w, r)
		return
	}
	if a, ok := s.byName[strings.TrimPrefix(r.URL.Path, staticPrefix)]; ok {
		h.Set("Cache-Control", "no-cache")
		a.serve(w, r)
		return
	}
	h.Set("Cache-Control", "no-store")
	http.Error(w, "404 找不到该文件", http.StatusNotFound)
}

// serve writes the asset, gzipped when the client takes it and it helps;
// http.ServeContent answers HEAD, ranges and If-None-Match.
func (a *asset) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", a.ctype)
	body, etag := a.body, `"`+a.hash+`"`
	if compressible(a.ctype) {
		h.Add("Vary", "Accept-Encoding")
		if gz := a.gzipped(); gz != nil && acceptsGzip(r) {
			body, etag = gz, `"`+a.hash+`-gz"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// gzipped compresses the asset the first time a client asks for it, so
// that commands which never serve the console do not pay for it.
func (a *asset) gzipped() []byte {
	a.gzOnce.Do(func() {
		if len(a.body) < 1024 {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
		if _, err := zw.Write(a.body); err != nil {
			return
		}
		if err := zw.Close(); err != nil {
			return
		}
		if buf.Len() < len(a.body)*9/10 {
			a.gz = buf.Bytes()
		}
	})
	return a.gz
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			return strings.ReplaceAll(strings.TrimSpace(q), " ", "") != "q=0"
		}
	}
	return false
}

// contentTypes are spelled out rather than taken from the system's MIME
// tables, which differ between machines.
var contentTypes = map[string]string{
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".json":  "application/json",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
	".html":  "text/html; charset=utf-8",
}

func contentType(name string) string {
	if ct, ok := contentTypes[path.Ext(name)]; ok {
		return ct
	}
	// Licence texts (LICENSE, NOTICE) and anything else without a known
	// extension are shown as text.
	return "text/plain; charset=utf-8"
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.HasPrefix(ctype, "image/svg") || strings.HasPrefix(ctype, "application/json")
}
