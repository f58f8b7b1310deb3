package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/i18n"
	"github.com/mitwirken/mitwirken/views"
)

// runDraft imports chapters of a draft document from Markdown files
// (format in docs/draft.md).
func runDraft(ctx context.Context, env *cliEnv, args []string) error {
	if len(args) == 0 || args[0] != "import" {
		return fmt.Errorf("bitte `draft import [--document SLUG] [--title TITEL] [--moderation pre|post] [--publish] VERZEICHNIS` angeben")
	}
	fs := newFlags("draft import", env)
	var opts draft.ImportOptions
	fs.StringVar(&opts.DocumentSlug, "document", "insek-2030", "Adresse des Dokuments (wird angelegt, wenn es fehlt)")
	fs.StringVar(&opts.DocumentTitle, "title", "", "Titel eines neuen Dokuments")
	fs.StringVar(&opts.Moderation, "moderation", app.ModerationPre, "Moderation eines neuen Dokuments: pre (vorab) oder post (nachträglich)")
	fs.BoolVar(&opts.Publish, "publish", false, "Dokument veröffentlichen")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return fmt.Errorf("bitte genau ein Verzeichnis mit Markdown-Dateien angeben")
	}
	files, err := readChapterFiles(fs.Arg(0))
	if err != nil {
		return err
	}
	s, err := openStore(ctx, true)
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := (&draft.Service{Store: s}).Import(ctx, nil, opts, files)
	if err != nil {
		return describeImportError(err)
	}
	fmt.Fprintf(env.stdout, "Dokument %q (%s): %d Kapitel neu, %d mit neuer Fassung, %d unverändert\n",
		res.Document.Title, res.Document.Slug, len(res.Created), len(res.Versioned), len(res.Unchanged))
	for _, list := range []struct {
		label string
		slugs []string
	}{{"neu", res.Created}, {"neue Fassung", res.Versioned}, {"unverändert", res.Unchanged}} {
		for _, slug := range list.slugs {
			fmt.Fprintf(env.stdout, "  %-13s /entwurf/%s\n", list.label, slug)
		}
	}
	return nil
}

// readChapterFiles reads every *.md file of dir (not recursive).
func readChapterFiles(dir string) ([]draft.ImportFile, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []draft.ImportFile
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".md") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		files = append(files, draft.ImportFile{Name: e.Name(), Content: string(b)})
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("keine .md-Dateien in %s", dir)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	return files, nil
}

// describeImportError puts the German messages of a validation error into
// the error text.
func describeImportError(err error) error {
	var ie *draft.ImportError
	e, ok := app.AsError(err)
	if !errors.As(err, &ie) || !ok {
		return err
	}
	bundle, lerr := i18n.Load(views.FS)
	if lerr != nil {
		return err
	}
	loc := bundle.Localizer("de")
	if len(e.Fields) == 0 {
		return fmt.Errorf("%s: %s", ie.Where, loc.Msg(e.Msg))
	}
	var parts []string
	for _, f := range e.Fields {
		parts = append(parts, f.Field+": "+loc.Msg(f.Msg))
	}
	return fmt.Errorf("%s: %s", ie.Where, strings.Join(parts, "; "))
}
