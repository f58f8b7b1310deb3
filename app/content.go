package app

import "time"

// Sections of editable content.
const (
	SectionIntro  = "intro"
	SectionPhase  = "phase"
	SectionFormat = "format"
	SectionPage   = "page"
)

// Limits of editable content.
const (
	MaxContentTitle = 200
	MaxContentBody  = 50000
)

// ContentBlock is a piece of editable, bilingual Markdown content: the home
// page introduction, a phase, a participation format or a page such as the
// privacy notice.
type ContentBlock struct {
	ID        int64
	Section   string
	Slug      string
	Position  int
	TitleDE   string `gorm:"column:title_de"`
	TitleEN   string `gorm:"column:title_en"`
	BodyDE    string `gorm:"column:body_de"`
	BodyEN    string `gorm:"column:body_en"`
	UpdatedAt time.Time
	UpdatedBy *int64
}

// Title returns the title in lang, falling back to German.
func (b ContentBlock) Title(lang string) string { return pick(lang, b.TitleDE, b.TitleEN) }

// Body returns the Markdown body in lang, falling back to German.
func (b ContentBlock) Body(lang string) string { return pick(lang, b.BodyDE, b.BodyEN) }

// TitleLang is the language Title(lang) is written in: German where the
// English text is missing, for the lang attribute of the page.
func (b ContentBlock) TitleLang(lang string) string { return pickLang(lang, b.TitleEN) }

// BodyLang is the language Body(lang) is written in.
func (b ContentBlock) BodyLang(lang string) string { return pickLang(lang, b.BodyEN) }

// ContentInput is what the admin form sends for one block.
type ContentInput struct {
	TitleDE  string `form:"title_de"`
	TitleEN  string `form:"title_en"`
	BodyDE   string `form:"body_de"`
	BodyEN   string `form:"body_en"`
	Position int    `form:"position"`
}

// Clean normalises the input before validation.
func (in *ContentInput) Clean() {
	in.TitleDE, in.TitleEN = CleanLine(in.TitleDE), CleanLine(in.TitleEN)
	in.BodyDE, in.BodyEN = CleanText(in.BodyDE), CleanText(in.BodyEN)
}

// Validate checks the content form.
func (in *ContentInput) Validate() error {
	var v Validator
	v.Line("title_de", in.TitleDE, true, MaxContentTitle)
	v.Line("title_en", in.TitleEN, false, MaxContentTitle)
	v.Text("body_de", in.BodyDE, true, MaxContentBody)
	v.Text("body_en", in.BodyEN, false, MaxContentBody)
	if in.Position < 0 || in.Position > 1000 {
		v.Add("position", "form.number_range", "Min", 0, "Max", 1000)
	}
	return v.Err()
}

// Feedback is a message from the accessibility feedback or contact form.
type Feedback struct {
	ID        int64
	Kind      string
	Name      string
	Email     string
	PageURL   string `gorm:"column:page_url"`
	Message   string
	UserID    *int64
	CreatedAt time.Time
	HandledAt *time.Time
}

// TableName keeps gorm on the table created by the migration.
func (Feedback) TableName() string { return "feedback" }

// Feedback kinds.
const (
	FeedbackAccessibility = "accessibility"
	FeedbackContact       = "contact"
)

// Limits of the feedback form.
const MaxFeedbackMessage = 5000

// FeedbackInput is what the feedback form sends.
type FeedbackInput struct {
	Kind    string `form:"kind"`
	Name    string `form:"name"`
	Email   string `form:"email"`
	PageURL string `form:"page_url"`
	Message string `form:"message"`
}

// Clean normalises the input before validation.
func (in *FeedbackInput) Clean() {
	in.Name = CleanLine(in.Name)
	in.Email = NormalizeEmail(in.Email)
	in.PageURL = CleanLine(in.PageURL)
	in.Message = CleanText(in.Message)
}

// Validate checks the feedback form; name and address are optional.
func (in *FeedbackInput) Validate() error {
	var v Validator
	if in.Kind != FeedbackAccessibility && in.Kind != FeedbackContact {
		v.Add("kind", "form.choice_invalid")
	}
	v.Line("name", in.Name, false, 100)
	if in.Email != "" {
		v.Email("email", in.Email)
	}
	v.Line("page_url", in.PageURL, false, 500)
	v.Text("message", in.Message, true, MaxFeedbackMessage)
	return v.Err()
}
