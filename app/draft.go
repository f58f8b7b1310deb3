package app

import (
	"regexp"
	"strings"
	"time"
)

// Moderation modes of a draft document.
const (
	ModerationPre  = "pre"  // comments appear after approval
	ModerationPost = "post" // comments appear at once and can be hidden
)

// Limits of the draft document.
const (
	MaxDraftTitle   = 200
	MaxDraftSlug    = 80
	MaxDraftIntro   = 20000
	MaxChapterBody  = 200000
	MaxFachamt      = 200
	MaxVersionNote  = 500
	MaxPeriodLabel  = 120
	MaxChapterCount = 200
)

// DraftDocument is a document for comment, e.g. "INSEK Leipzig 2030 – Entwurf".
type DraftDocument struct {
	ID         int64
	Slug       string
	Title      string
	Intro      string
	Moderation string
	Published  bool
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// TableName keeps gorm on the table created by the migration.
func (DraftDocument) TableName() string { return "draft_documents" }

// PreModeration reports whether comments wait for approval.
func (d *DraftDocument) PreModeration() bool { return d.Moderation != ModerationPost }

// DraftChapter is one chapter of a document (Teil A, Teil B, a Fachkonzept),
// with the Fachamt responsible for it.
type DraftChapter struct {
	ID               int64
	DocumentID       int64
	Slug             string
	Title            string
	Fachamt          string
	Position         int
	CurrentVersionID *int64
	NextAnchor       int
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// TableName keeps gorm on the table created by the migration.
func (DraftChapter) TableName() string { return "draft_chapters" }

// DraftVersion is one saved text of a chapter; it never changes.
type DraftVersion struct {
	ID        int64
	ChapterID int64
	Number    int
	Body      string
	Note      string
	CreatedBy *int64
	CreatedAt time.Time
}

// TableName keeps gorm on the table created by the migration.
func (DraftVersion) TableName() string { return "draft_versions" }

// Kinds of anchored blocks.
const (
	BlockParagraph = "paragraph"
	BlockHeading   = "heading"
	BlockListItem  = "list_item"
	BlockTable     = "table"
	BlockQuote     = "quote"
	BlockCode      = "code"
)

// DraftBlock is an anchored block of a chapter version: a paragraph, heading,
// list item, table, quote or code block. Its anchor ("p-12") stays the same
// across versions as long as the block can be matched to its predecessor.
type DraftBlock struct {
	ID          int64
	VersionID   int64
	ChapterID   int64
	Anchor      string
	Kind        string
	Position    int
	Text        string
	HTML        string `gorm:"column:html"`
	ListGroup   int
	ListOrdered bool
	ListStart   int
}

// TableName keeps gorm on the table created by the migration.
func (DraftBlock) TableName() string { return "draft_blocks" }

// CommentPeriod is a time span in which a document can be commented on.
type CommentPeriod struct {
	ID         int64
	DocumentID int64
	StartsAt   time.Time
	EndsAt     time.Time
	Label      string
	CreatedAt  time.Time
}

// TableName keeps gorm on the table created by the migration.
func (CommentPeriod) TableName() string { return "draft_periods" }

// Open reports whether t lies in the period.
func (p CommentPeriod) Open(t time.Time) bool { return !t.Before(p.StartsAt) && t.Before(p.EndsAt) }

var (
	slugPattern   = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)
	anchorPattern = regexp.MustCompile(`^p-[1-9][0-9]{0,6}$`)
)

// ValidSlug reports whether s is a lower-case address part like "nachhaltige-mobilitaet".
func ValidSlug(s string) bool { return len(s) <= MaxDraftSlug && slugPattern.MatchString(s) }

// ValidAnchor reports whether s is a paragraph anchor like "p-12".
func ValidAnchor(s string) bool { return anchorPattern.MatchString(s) }

// Slugify makes an address part from a title: lower case, umlauts spelled out,
// everything else a hyphen.
func Slugify(title string) string {
	r := strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "Ä", "ae", "Ö", "oe", "Ü", "ue")
	s := strings.ToLower(r.Replace(title))
	var b strings.Builder
	dash := false
	for _, c := range s {
		if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
			b.WriteRune(c)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.TrimRight(b.String(), "-")
	if len(out) > MaxDraftSlug {
		out = strings.TrimRight(out[:MaxDraftSlug], "-")
	}
	return out
}

// DocumentInput is what the admin form sends for a document.
type DocumentInput struct {
	Title      string `form:"title" json:"title"`
	Slug       string `form:"slug" json:"slug"`
	Intro      string `form:"intro" json:"intro"`
	Moderation string `form:"moderation" json:"moderation"`
	Published  bool   `form:"published" json:"published"`
}

// Clean normalises the input before validation.
func (in *DocumentInput) Clean() {
	in.Title, in.Intro = CleanLine(in.Title), CleanText(in.Intro)
	in.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	if in.Slug == "" {
		in.Slug = Slugify(in.Title)
	}
}

// Validate checks the document form.
func (in *DocumentInput) Validate() error {
	var v Validator
	v.Line("title", in.Title, true, MaxDraftTitle)
	if !ValidSlug(in.Slug) {
		v.Add("slug", "draft.slug_invalid")
	}
	v.Text("intro", in.Intro, false, MaxDraftIntro)
	if in.Moderation != ModerationPre && in.Moderation != ModerationPost {
		v.Add("moderation", "form.choice_invalid")
	}
	return v.Err()
}

// ChapterInput is what the admin form (or the import) sends for a chapter.
// A changed body becomes a new version.
type ChapterInput struct {
	Title    string `form:"title" json:"title"`
	Slug     string `form:"slug" json:"slug"`
	Fachamt  string `form:"fachamt" json:"fachamt"`
	Position int    `form:"position" json:"position"`
	Body     string `form:"body" json:"body"`
	Note     string `form:"note" json:"note"`
}

// Clean normalises the input before validation.
func (in *ChapterInput) Clean() {
	in.Title, in.Fachamt, in.Note = CleanLine(in.Title), CleanLine(in.Fachamt), CleanLine(in.Note)
	in.Body = CleanText(in.Body)
	in.Slug = strings.ToLower(strings.TrimSpace(in.Slug))
	if in.Slug == "" {
		in.Slug = Slugify(in.Title)
	}
}

// Validate checks the chapter form.
func (in *ChapterInput) Validate() error {
	var v Validator
	v.Line("title", in.Title, true, MaxDraftTitle)
	if !ValidSlug(in.Slug) {
		v.Add("slug", "draft.slug_invalid")
	}
	v.Line("fachamt", in.Fachamt, false, MaxFachamt)
	if in.Position < 0 || in.Position > 1000 {
		v.Add("position", "form.number_range", "Min", 0, "Max", 1000)
	}
	v.Text("body", in.Body, true, MaxChapterBody)
	v.Line("note", in.Note, false, MaxVersionNote)
	return v.Err()
}

// PeriodInput is what the admin form sends for a comment period. Times are
// local (Europe/Berlin) as entered in datetime-local fields.
type PeriodInput struct {
	StartsAt string `form:"starts_at" json:"starts_at"`
	EndsAt   string `form:"ends_at" json:"ends_at"`
	Label    string `form:"label" json:"label"`
}

// Parse validates the input and returns the period in UTC.
func (in *PeriodInput) Parse(loc *time.Location) (CommentPeriod, error) {
	in.Label = CleanLine(in.Label)
	var v Validator
	parse := func(field, value string) time.Time {
		value = strings.TrimSpace(value)
		if value == "" {
			v.Add(field, "form.required")
			return time.Time{}
		}
		for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05", "2006-01-02"} {
			if t, err := time.ParseInLocation(layout, value, loc); err == nil {
				return t.UTC()
			}
		}
		v.Add(field, "draft.datetime_invalid")
		return time.Time{}
	}
	p := CommentPeriod{StartsAt: parse("starts_at", in.StartsAt), EndsAt: parse("ends_at", in.EndsAt), Label: in.Label}
	v.Line("label", in.Label, false, MaxPeriodLabel)
	if !v.Has("starts_at") && !v.Has("ends_at") && !p.EndsAt.After(p.StartsAt) {
		v.Add("ends_at", "draft.period_order")
	}
	return p, v.Err()
}
