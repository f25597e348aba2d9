package static

import (
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"strings"
	"testing"
)

func TestHashedURLs(t *testing.T) {
	for _, name := range []string{"app.css", "app.js", "favicon.svg"} {
		u := URL(name)
		if !regexp.MustCompile(`^/static/[a-z]+\.[0-9a-f]{12}\.[a-z]+$`).MatchString(u) {
			t.Errorf("URL(%q) = %q, want a content-hashed URL", name, u)
		}
		for _, tt := range []struct {
			path, cache string
			status      int
		}{
			{u, "public, max-age=31536000, immutable", http.StatusOK},
			{Prefix + name, "no-cache", http.StatusOK},
			{Prefix + strings.TrimSuffix(name, path.Ext(name)) + ".000000000000" + path.Ext(name), "no-cache", http.StatusOK},
		} {
			rec := httptest.NewRecorder()
			Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if rec.Code != tt.status || rec.Header().Get("Cache-Control") != tt.cache {
				t.Errorf("GET %s: %d %q, want %d %q", tt.path, rec.Code, rec.Header().Get("Cache-Control"), tt.status, tt.cache)
			}
		}
	}
	if Size("app.css")+Size("app.js") > 30*1024 {
		t.Errorf("CSS and JS are %d bytes, want under 30 KB", Size("app.css")+Size("app.js"))
	}
	rec := httptest.NewRecorder()
	Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/static/missing.css", nil))
	if rec.Code != http.StatusNotFound {
		t.Errorf("missing asset: %d", rec.Code)
	}
}
