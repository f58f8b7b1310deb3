package draft

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// ImportFile is one Markdown file of an import: one chapter.
type ImportFile struct {
	Name    string
	Content string
}

// ImportOptions name the document the chapters belong to.
type ImportOptions struct {
	// DocumentSlug selects the document; it is created when missing.
	DocumentSlug string
	// DocumentTitle is the title of a new document (default: the slug).
	DocumentTitle string
	// Moderation of a new document: pre (default) or post.
	Moderation string
	// Publish makes the document public.
	Publish bool
}

// ImportResult tells what an import changed, by chapter address.
type ImportResult struct {
	Document  *app.DraftDocument
	Created   []string
	Versioned []string
	Unchanged []string
}

// ParseChapterFile reads one chapter file (format in docs/draft.md): an
// optional front matter between lines of "---" with "key: value" lines
// (title, slug, fachamt, position, note), then the Markdown text. Without a
// front matter the file name gives position and address ("03-wohnen.md") and
// a first-level heading at the top gives the title.
func ParseChapterFile(name, content string) (app.ChapterInput, error) {
	var in app.ChapterInput
	content = strings.TrimPrefix(strings.ReplaceAll(content, "\r\n", "\n"), "\ufeff")
	base := strings.TrimSuffix(path.Base(name), path.Ext(name))
	if num, rest, ok := strings.Cut(base, "-"); ok {
		if n, err := strconv.Atoi(num); err == nil {
			in.Position, base = n, rest
		}
	}
	in.Slug = app.Slugify(base)
	body := content
	if strings.HasPrefix(content, "---\n") {
		head, rest, ok := strings.Cut(content[4:], "\n---\n")
		if !ok {
			head, rest, ok = strings.Cut(content[4:], "\n---")
			if !ok || strings.TrimSpace(rest) != "" {
				return in, fmt.Errorf("%s: die Kopfzeilen (front matter) werden nicht mit --- beendet", name)
			}
		}
		body = rest
		for i, line := range strings.Split(head, "\n") {
			if strings.TrimSpace(line) == "" || strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			key, value, ok := strings.Cut(line, ":")
			if !ok {
				return in, fmt.Errorf("%s: Kopfzeile %d hat nicht die Form „schlüssel: wert“", name, i+2)
			}
			value = strings.Trim(strings.TrimSpace(value), `"'`)
			switch strings.ToLower(strings.TrimSpace(key)) {
			case "title", "titel":
				in.Title = value
			case "slug", "adresse":
				in.Slug = value
			case "fachamt":
				in.Fachamt = value
			case "position", "reihenfolge":
				n, err := strconv.Atoi(value)
				if err != nil {
					return in, fmt.Errorf("%s: position muss eine Zahl sein, nicht %q", name, value)
				}
				in.Position = n
			case "note", "notiz", "aenderung", "änderung":
				in.Note = value
			default:
				return in, fmt.Errorf("%s: unbekannte Kopfzeile %q (erlaubt: title, slug, fachamt, position, note)", name, strings.TrimSpace(key))
			}
		}
	}
	if in.Title == "" {
		trimmed := strings.TrimLeft(body, "\n")
		if strings.HasPrefix(trimmed, "# ") {
			line, rest, _ := strings.Cut(trimmed, "\n")
			in.Title, body = strings.TrimSpace(line[2:]), rest
		}
	}
	if in.Title == "" {
		in.Title = base
	}
	in.Body = body
	return in, nil
}

// Import creates or updates the chapters of a document from Markdown files
// in one transaction: all files or none. A chapter is found by its address
// (slug); a changed text becomes a new version with stable anchors, an
// unchanged one is left alone.
func (s *Service) Import(ctx context.Context, actor *app.User, opts ImportOptions, files []ImportFile) (*ImportResult, error) {
	if !app.ValidSlug(opts.DocumentSlug) {
		return nil, fmt.Errorf("ungültige Dokument-Adresse %q (nur a-z, 0-9 und Bindestriche)", opts.DocumentSlug)
	}
	if len(files) > app.MaxChapterCount {
		return nil, fmt.Errorf("%d Dateien: ein Dokument kann höchstens %d Kapitel haben", len(files), app.MaxChapterCount)
	}
	inputs := make([]app.ChapterInput, 0, len(files))
	sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
	seen := map[string]string{}
	for _, f := range files {
		in, err := ParseChapterFile(f.Name, f.Content)
		if err != nil {
			return nil, err
		}
		in.Clean()
		if err := in.Validate(); err != nil {
			return nil, &ImportError{Where: f.Name, Err: err}
		}
		if other, dup := seen[in.Slug]; dup {
			return nil, fmt.Errorf("%s und %s haben dieselbe Adresse %q", other, f.Name, in.Slug)
		}
		seen[in.Slug] = f.Name
		inputs = append(inputs, in)
	}
	res := &ImportResult{}
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		doc, err := tx.DocumentBySlug(ctx, opts.DocumentSlug)
		switch {
		case app.ErrorCode(err) == app.CodeNotFound:
			title := opts.DocumentTitle
			if title == "" {
				title = opts.DocumentSlug
			}
			mod := opts.Moderation
			if mod == "" {
				mod = app.ModerationPre
			}
			din := app.DocumentInput{Title: title, Slug: opts.DocumentSlug, Moderation: mod, Published: opts.Publish}
			din.Clean()
			if err := din.Validate(); err != nil {
				return &ImportError{Where: opts.DocumentSlug, Err: err}
			}
			if doc, err = tx.SaveDocument(ctx, actor, 0, din); err != nil {
				return err
			}
		case err != nil:
			return err
		case opts.Publish && !doc.Published:
			din := app.DocumentInput{Title: doc.Title, Slug: doc.Slug, Intro: doc.Intro, Moderation: doc.Moderation, Published: true}
			if doc, err = tx.SaveDocument(ctx, actor, doc.ID, din); err != nil {
				return err
			}
		}
		res.Document = doc
		for _, in := range inputs {
			var id int64
			existing, err := tx.ChapterBySlug(ctx, in.Slug)
			switch {
			case err == nil && existing.DocumentID != doc.ID:
				return fmt.Errorf("die Adresse %q gehört schon zu einem Kapitel eines anderen Dokuments", in.Slug)
			case err == nil:
				id = existing.ID
			case app.ErrorCode(err) != app.CodeNotFound:
				return err
			}
			_, added, err := s.saveChapter(ctx, tx, actor, doc.ID, id, in)
			if err != nil {
				return &ImportError{Where: seen[in.Slug], Err: err}
			}
			switch {
			case id == 0:
				res.Created = append(res.Created, in.Slug)
			case added:
				res.Versioned = append(res.Versioned, in.Slug)
			default:
				res.Unchanged = append(res.Unchanged, in.Slug)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ImportError names the file (or chapter address) an import failed on;
// Err is often an *app.Error whose messages the caller translates.
type ImportError struct {
	Where string
	Err   error
}

func (e *ImportError) Error() string { return e.Where + ": " + e.Err.Error() }

func (e *ImportError) Unwrap() error { return e.Err }
