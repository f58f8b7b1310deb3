// Package static holds the stylesheets, scripts and images, embedded into the
// binary and served under content-hashed URLs (see app/web/static.go).
package static

import "embed"

// FS holds all static files.
//
//go:embed css js img
var FS embed.FS
