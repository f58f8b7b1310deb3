// Package markdown renders Markdown written by admins and moderators into
// safe HTML: goldmark (CommonMark + GitHub tables, strikethrough, autolinks)
// without raw HTML, then bluemonday's user-content policy as a second line
// of defence.
package markdown

import (
	"bytes"
	"html/template"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
)

var (
	md = goldmark.New(
		goldmark.WithExtensions(extension.GFM),
		goldmark.WithRendererOptions(html.WithHardWraps()),
	)
	policy = func() *bluemonday.Policy {
		p := bluemonday.UGCPolicy()
		p.RequireNoFollowOnLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(false)
		return p
	}()
)

// HTML renders src to sanitised HTML.
func HTML(src string) template.HTML {
	var buf bytes.Buffer
	if err := md.Convert([]byte(src), &buf); err != nil {
		return template.HTML(template.HTMLEscapeString(src))
	}
	return template.HTML(policy.SanitizeBytes(buf.Bytes())) //nolint:gosec // sanitised above
}

// Sanitize cleans HTML produced elsewhere with the same policy.
func Sanitize(h string) template.HTML {
	return template.HTML(policy.Sanitize(h)) //nolint:gosec // sanitised
}
