package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"regexp"
	"strings"
	"sync"
)

// templates holds every page in one template set, parsed once at start-up:
// the base layout, the partials, and each page's "content" (and optional
// "head") renamed after the page. A page is rendered in two steps, its
// content first and then the layout around it, so that no page needs a
// copy of the layout and the partials: cloning them per page held about
// 50 MB of parse trees, and the garbage collector's headroom over that
// live heap was most of what an idle websocket connection seemed to cost.
type templates struct {
	set   *template.Template
	pages map[string]bool // page name -> whether it adds to <head>
}

var defineRE = regexp.MustCompile(`\{\{-?\s*(?:define|block)\s+"([^"]+)"`)

func contentName(page string) string { return "content:" + page }
func headName(page string) string    { return "head:" + page }

func parseTemplates(fsys fs.FS, funcs template.FuncMap) (*templates, error) {
	set, err := template.New("base").Funcs(funcs).ParseFS(fsys, "layouts/*.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layouts: %w", err)
	}
	t := &templates{set: set, pages: map[string]bool{}}
	err = fs.WalkDir(fsys, "pages", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "pages/"), ".html")
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		text := strings.Replace(string(src), `{{define "content"}}`, `{{define "`+contentName(name)+`"}}`, 1)
		withHead := strings.Contains(text, `{{define "head"}}`)
		text = strings.Replace(text, `{{define "head"}}`, `{{define "`+headName(name)+`"}}`, 1)
		// In one set a page's own template would silently replace one of
		// the same name elsewhere: refuse that at start-up.
		for _, m := range defineRE.FindAllStringSubmatch(text, -1) {
			if set.Lookup(m[1]) != nil {
				return fmt.Errorf("parse %s: template %q is defined twice", p, m[1])
			}
		}
		if _, err := set.New(p).Parse(text); err != nil {
			return fmt.Errorf("parse %s: %w", p, err)
		}
		if set.Lookup(contentName(name)) == nil {
			return fmt.Errorf("parse %s: no {{define \"content\"}}", p)
		}
		t.pages[name] = withHead
		return nil
	})
	return t, err
}

var pageBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func (t *templates) render(w io.Writer, page string, v *View) error {
	withHead, ok := t.pages[page]
	if !ok {
		return fmt.Errorf("no template %q", page)
	}
	part := func(name string) (template.HTML, error) {
		buf := pageBuffers.Get().(*bytes.Buffer)
		defer pageBuffers.Put(buf)
		buf.Reset()
		if err := t.set.ExecuteTemplate(buf, name, v); err != nil {
			return "", err
		}
		// The part was escaped by html/template in the context the layout
		// puts it in (HTML text), so it goes in as it is.
		return template.HTML(buf.String()), nil
	}
	var err error
	if v.content, err = part(contentName(page)); err != nil {
		return err
	}
	v.head = ""
	if withHead {
		if v.head, err = part(headName(page)); err != nil {
			return err
		}
	}
	return t.set.ExecuteTemplate(w, "layout", v)
}

func (t *templates) has(page string) bool {
	_, ok := t.pages[page]
	return ok
}
