package web

import (
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"strings"
)

// templates holds every page, parsed once at start-up: each page is the base
// layout plus the partials plus its own file.
type templates struct {
	pages map[string]*template.Template
}

func parseTemplates(fsys fs.FS, funcs template.FuncMap) (*templates, error) {
	base := template.New("base").Funcs(funcs)
	base, err := base.ParseFS(fsys, "layouts/*.html", "partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layouts: %w", err)
	}
	t := &templates{pages: map[string]*template.Template{}}
	err = fs.WalkDir(fsys, "pages", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "pages/"), ".html")
		clone, err := base.Clone()
		if err != nil {
			return err
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		if _, err := clone.New(path.Base(p)).Parse(string(src)); err != nil {
			return fmt.Errorf("parse %s: %w", p, err)
		}
		t.pages[name] = clone
		return nil
	})
	return t, err
}

func (t *templates) render(w io.Writer, page string, v *View) error {
	tmpl, ok := t.pages[page]
	if !ok {
		return fmt.Errorf("no template %q", page)
	}
	return tmpl.ExecuteTemplate(w, "layout", v)
}

func (t *templates) has(page string) bool {
	_, ok := t.pages[page]
	return ok
}
