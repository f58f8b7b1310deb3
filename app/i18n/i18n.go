// Package i18n translates user-facing strings. Catalogs live in
// views/locales as one TOML file per feature and language
// (account.de.toml, account.en.toml, ...); German is the default and the
// fallback for anything missing in English.
package i18n

import (
	"fmt"
	"io/fs"
	"log/slog"
	"path"
	"time"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"

	"github.com/mitwirken/mitwirken/app"
)

// Languages are the UI languages, default first.
var Languages = []string{"de", "en"}

var matcher = language.NewMatcher([]language.Tag{language.German, language.English})

// Bundle holds the parsed catalogs.
type Bundle struct {
	b    *goi18n.Bundle
	locs map[string]*Localizer
	// ids lists every message id per language, for completeness checks.
	ids map[string]map[string]bool
}

// Load parses every locales/*.toml file of fsys.
func Load(fsys fs.FS) (*Bundle, error) {
	b := goi18n.NewBundle(language.German)
	b.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	files, err := fs.Glob(fsys, "locales/*.toml")
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("i18n: no catalogs under locales/")
	}
	ids := map[string]map[string]bool{}
	for _, f := range files {
		mf, err := b.LoadMessageFileFS(fsys, f)
		if err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", f, err)
		}
		lang := mf.Tag.String()
		if ids[lang] == nil {
			ids[lang] = map[string]bool{}
		}
		for _, m := range mf.Messages {
			if ids[lang][m.ID] {
				return nil, fmt.Errorf("i18n: %s: message %q is defined twice", path.Base(f), m.ID)
			}
			ids[lang][m.ID] = true
		}
	}
	bundle := &Bundle{b: b, ids: ids, locs: map[string]*Localizer{}}
	for _, lang := range Languages {
		bundle.locs[lang] = &Localizer{lang: lang, l: goi18n.NewLocalizer(b, lang)}
	}
	return bundle, nil
}

// IDs returns the message ids defined for a language.
func (b *Bundle) IDs(lang string) map[string]bool { return b.ids[lang] }

// Localizer returns the localizer of a supported language (German otherwise).
func (b *Bundle) Localizer(lang string) *Localizer {
	if l, ok := b.locs[lang]; ok {
		return l
	}
	return b.locs["de"]
}

// Match picks the UI language from an explicit choice (query or cookie) and
// the Accept-Language header; German wins when nothing matches.
func Match(choice, acceptLanguage string) string {
	for _, lang := range Languages {
		if choice == lang {
			return lang
		}
	}
	if acceptLanguage == "" {
		return "de"
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return "de"
	}
	_, idx, conf := matcher.Match(tags...)
	if conf == language.No {
		return "de"
	}
	return Languages[idx]
}

// Localizer translates into one language.
type Localizer struct {
	lang string
	l    *goi18n.Localizer
}

// Lang is the language code ("de" or "en").
func (l *Localizer) Lang() string { return l.lang }

// T translates a message id. args are alternating key/value pairs; a "Count"
// key selects the plural form. A missing id is logged and shown as the id, so
// a forgotten translation is visible rather than silently blank.
func (l *Localizer) T(id string, args ...any) string {
	return l.Msg(app.M(id, args...))
}

// Msg translates a domain message.
//
// An argument that is itself a message is translated first: a sentence
// with two numbers ("3 Plätze, aber nur 1 Bewerbung") takes each number
// with its noun as a plural message of its own, so that every noun agrees
// with its number in both languages.
func (l *Localizer) Msg(m app.Msg) string {
	args := m.Args
	copied := false
	for k, v := range m.Args {
		if sub, ok := v.(app.Msg); ok {
			if !copied {
				args = make(map[string]any, len(m.Args))
				for k2, v2 := range m.Args {
					args[k2] = v2
				}
				copied = true
			}
			args[k] = l.Msg(sub)
		}
	}
	cfg := &goi18n.LocalizeConfig{MessageID: m.ID, TemplateData: args}
	if n, ok := m.Args["Count"]; ok {
		cfg.PluralCount = n
	}
	s, err := l.l.Localize(cfg)
	if err != nil {
		if s == "" {
			slog.Warn("missing translation", "id", m.ID, "lang", l.lang)
			return m.ID
		}
	}
	return s
}

// Has reports whether a message id exists in the default catalog.
func (b *Bundle) Has(id string) bool { return b.ids["de"][id] }

// berlin is the time zone of every date shown to people.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err) // time/tzdata is linked in by the platform package
	}
	return loc
}()

// Date formats a day in lang: "30.11.2026" or "30 November 2026".
func Date(lang string, t time.Time) string {
	if lang == "en" {
		return t.In(berlin).Format("2 January 2006")
	}
	return t.In(berlin).Format("02.01.2006")
}

// DateTime formats a moment in Berlin time in lang: "30.11.2026, 18:00 Uhr"
// or "30 November 2026, 18:00".
func DateTime(lang string, t time.Time) string {
	if lang == "en" {
		return t.In(berlin).Format("2 January 2006, 15:04")
	}
	return t.In(berlin).Format("02.01.2006, 15:04") + " Uhr"
}

// DayMonth formats a day without its year in lang: "30.11." or "30 Nov".
func DayMonth(lang string, t time.Time) string {
	if lang == "en" {
		return t.In(berlin).Format("2 Jan")
	}
	return t.In(berlin).Format("02.01.")
}

// Date formats a day in the localizer's language.
func (l *Localizer) Date(t time.Time) string { return Date(l.lang, t) }

// DateTime formats a moment in the localizer's language.
func (l *Localizer) DateTime(t time.Time) string { return DateTime(l.lang, t) }
