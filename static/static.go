// Package static holds Doorway's stylesheet and script, embedded in the binary and served
// under content-hashed URLs so browsers may cache them for a year: a changed file gets a new
// URL, so a stale copy is never used.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

//go:embed app.css app.js favicon.svg
var files embed.FS

// asset is one embedded file with its hashed name.
type asset struct {
	name   string // "app.css"
	hashed string // "app.3f2a1b9c0d4e.css"
	body   []byte
	ctype  string
}

// assets is computed once from the embedded files. It is derived from immutable embedded
// data, so it behaves as a constant.
var assets = sync.OnceValue(func() map[string]asset {
	m := map[string]asset{}
	entries, _ := fs.ReadDir(files, ".")
	for _, e := range entries {
		body, _ := fs.ReadFile(files, e.Name())
		sum := sha256.Sum256(body)
		ext := path.Ext(e.Name())
		a := asset{name: e.Name(), body: body,
			hashed: strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:6]) + ext}
		switch ext {
		case ".css":
			a.ctype = "text/css; charset=utf-8"
		case ".js":
			a.ctype = "text/javascript; charset=utf-8"
		case ".svg":
			a.ctype = "image/svg+xml"
		default:
			a.ctype = "application/octet-stream"
		}
		m[e.Name()] = a
		m[a.hashed] = a
	}
	return m
})

// Prefix is the URL path under which assets are served.
const Prefix = "/static/"

// URL returns the content-hashed URL of the embedded file name, e.g.
// URL("app.css") = "/static/app.3f2a1b9c0d4e.css". Unknown names map to Prefix+name.
func URL(name string) string {
	if a, ok := assets()[name]; ok {
		return Prefix + a.hashed
	}
	return Prefix + name
}

// Size returns the byte size of the embedded file name (0 when unknown).
func Size(name string) int { return len(assets()[name].body) }

// Handler serves the assets under Prefix. A hashed name is served as immutable for a year;
// the plain name or an outdated hash is served fresh-checked, so nothing stale sticks.
func Handler() http.Handler {
	mod := time.Unix(0, 0)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := strings.TrimPrefix(r.URL.Path, Prefix)
		a, ok := assets()[name]
		if !ok {
			// An old hash (a page cached across a deploy) gets today's file, not a 404.
			a, ok = assets()[unhashed(name)]
		}
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", a.ctype)
		w.Header().Set("X-Content-Type-Options", "nosniff")
		if name == a.hashed {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		http.ServeContent(w, r, a.name, mod, bytes.NewReader(a.body))
	})
}

// unhashed turns "app.0123abcd4567.css" into "app.css".
func unhashed(name string) string {
	ext := path.Ext(name)
	base := strings.TrimSuffix(name, ext)
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		return base[:i] + ext
	}
	return name
}
