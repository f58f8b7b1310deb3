package web

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// staticAssets serves the embedded static files under content-hashed URLs
// (/static/css/app.3f2a1b9c0d.css) that may be cached for a year, because a
// changed file gets a new URL.
type staticAssets struct {
	fsys    fs.FS
	hashed  map[string]string // logical path -> hashed URL
	logical map[string]string // hashed file name -> logical path
}

func newStaticAssets(fsys fs.FS) (*staticAssets, error) {
	a := &staticAssets{fsys: fsys, hashed: map[string]string{}, logical: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".go") {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(p)
		hashedName := strings.TrimSuffix(p, ext) + "." + hex.EncodeToString(sum[:])[:10] + ext
		a.hashed[p] = "/static/" + hashedName
		a.logical[hashedName] = p
		return nil
	})
	return a, err
}

// URL returns the hashed URL of a logical path such as "css/app.css".
func (a *staticAssets) URL(p string) string {
	if u, ok := a.hashed[p]; ok {
		return u
	}
	return "/static/" + p
}

func (a *staticAssets) serve(c echo.Context) error {
	name := c.Param("*")
	p, immutable := a.logical[name]
	if !immutable {
		p = name
	}
	b, err := fs.ReadFile(a.fsys, p)
	if err != nil || strings.HasSuffix(p, ".go") {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	if immutable {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	return c.Blob(http.StatusOK, contentType(p), b)
}

func contentType(p string) string {
	switch path.Ext(p) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".ico":
		return "image/x-icon"
	case ".woff2":
		return "font/woff2"
	case ".json", ".webmanifest":
		return "application/json"
	}
	return "application/octet-stream"
}
