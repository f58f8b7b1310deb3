package app

import (
	"strconv"
	"strings"
	"time"
)

// Question kinds of a survey.
const (
	QSingle    = "single"
	QMulti     = "multi"
	QScale     = "scale"
	QRanking   = "ranking"
	QMatrix    = "matrix"
	QTextShort = "text_short"
	QTextLong  = "text_long"
	QNumber    = "number"
	QDate      = "date"
	QOrtsteil  = "ortsteil"
	QPoint     = "point"
)

// QuestionKinds lists the kinds in the order the builder offers them.
var QuestionKinds = []string{QSingle, QMulti, QScale, QRanking, QMatrix, QTextShort, QTextLong, QNumber, QDate, QOrtsteil, QPoint}

// Limits of surveys.
const (
	MaxSurveyTitle     = 160
	MaxSurveyText      = 5000
	MaxSectionTitle    = 160
	MaxQuestionText    = 500
	MaxQuestionHelp    = 1000
	MaxSurveyOptions   = 30
	MaxOptionLabel     = 200
	MaxScaleLabel      = 60
	MaxShortAnswer     = 200
	MaxLongAnswer      = 5000
	MaxOtherAnswer     = 200
	MaxHideReason      = 500
	MaxQuestionsPerRun = 200
)

// Audit actions of surveys.
const (
	AuditSurveyAnswerHide = "survey.answer_hide"
	AuditSurveyAnswerSend = "survey.answer_send"
)

// Survey is a questionnaire built by admins and AG INSEK.
type Survey struct {
	ID        int64
	Title     string
	Intro     string
	ThankYou  string
	Consent   string
	OpensAt   *time.Time
	ClosesAt  *time.Time
	Anonymous bool
	// OnePerScreen shows one question per page instead of all on one.
	OnePerScreen bool
	ChapterID    *int64
	EventID      *int64
	// Version rises when a question's type or options change after the
	// first response; responses keep the version they answered.
	Version int
	// AnnouncedAt is when the opening was announced to followers (once).
	AnnouncedAt *time.Time
	CreatedBy   *int64
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Open reports whether the survey takes answers at now.
func (s *Survey) Open(now time.Time) bool {
	return s.OpensAt != nil && !now.Before(*s.OpensAt) && (s.ClosesAt == nil || now.Before(*s.ClosesAt))
}

// Public reports whether the survey is shown to everybody: once it has an
// opening date. Before that date it is announced (title, introduction, the
// date, a follow button), so people can follow it and hear when it opens;
// the questions are shown from the opening on. Without a date it is a draft.
func (s *Survey) Public() bool { return s.OpensAt != nil }

// Upcoming reports whether the survey is announced but not open yet.
func (s *Survey) Upcoming(now time.Time) bool { return s.OpensAt != nil && now.Before(*s.OpensAt) }

// NotOpenError is why the survey takes no answers at now (nil: it does).
func (s *Survey) NotOpenError(now time.Time) error {
	switch {
	case s.Open(now):
		return nil
	case s.Upcoming(now):
		return Errorf(CodeGone, "surveys.not_open_yet")
	}
	return Errorf(CodeGone, "surveys.closed")
}

// SurveySection groups questions under a heading.
type SurveySection struct {
	ID       int64
	SurveyID int64
	Title    string
	Position int
}

// TableName keeps gorm on the migration's table.
func (SurveySection) TableName() string { return "survey_sections" }

// SurveyQuestion is one question in one or more versions of a survey: it
// belongs to the versions from SinceVersion up to (not including)
// UntilVersion. A structural change ends the row and starts a new one, so
// answers always point at the question as it was asked.
type SurveyQuestion struct {
	ID        int64
	SurveyID  int64
	SectionID *int64
	Position  int
	Kind      string
	Text      string
	Help      string
	Required  bool
	// Other adds "Sonstiges: …" with a text field to a choice.
	Other bool
	// Options are the choices (single, multi, ranking) or the matrix rows.
	Options    []string `gorm:"serializer:json"`
	MinChoices int
	MaxChoices int
	ScaleLow   string
	ScaleHigh  string
	MaxLength  int
	NumMin     *int64
	NumMax     *int64
	// CondQuestionID and CondOption: show the question only when an
	// earlier choice question was answered with option CondOption (1-based).
	CondQuestionID *int64
	CondOption     int
	SinceVersion   int
	UntilVersion   *int
}

// TableName keeps gorm on the migration's table.
func (SurveyQuestion) TableName() string { return "survey_questions" }

// Choice reports whether the question picks from options.
func (q *SurveyQuestion) Choice() bool { return q.Kind == QSingle || q.Kind == QMulti }

// Field is the form field name of the question's answer.
func (q *SurveyQuestion) Field() string { return "q" + strconv.FormatInt(q.ID, 10) }

// SurveyInput is what the survey settings form sends.
type SurveyInput struct {
	Title        string `form:"title"`
	Intro        string `form:"intro"`
	ThankYou     string `form:"thank_you"`
	Consent      string `form:"consent"`
	OpensAt      string `form:"opens_at"`
	ClosesAt     string `form:"closes_at"`
	Anonymous    bool   `form:"anonymous"`
	OnePerScreen bool   `form:"one_per_screen"`
	ChapterID    string `form:"chapter_id"`
	EventID      string `form:"event_id"`
}

// Clean normalises the input before validation.
func (in *SurveyInput) Clean() {
	in.Title = CleanLine(in.Title)
	in.Intro, in.ThankYou, in.Consent = CleanText(in.Intro), CleanText(in.ThankYou), CleanText(in.Consent)
	in.OpensAt, in.ClosesAt = strings.TrimSpace(in.OpensAt), strings.TrimSpace(in.ClosesAt)
	in.ChapterID, in.EventID = strings.TrimSpace(in.ChapterID), strings.TrimSpace(in.EventID)
}

// Validate checks the settings and returns the parsed dates (start of the
// opening day, start of the day after the closing day) and links.
func (in *SurveyInput) Validate() (opens, closes *time.Time, chapter, event *int64, err error) {
	var v Validator
	v.Line("title", in.Title, true, MaxSurveyTitle)
	v.Text("intro", in.Intro, false, MaxSurveyText)
	v.Text("thank_you", in.ThankYou, false, MaxSurveyText)
	v.Text("consent", in.Consent, false, MaxSurveyText)
	opens, closes = v.DateRange("opens_at", in.OpensAt, "closes_at", in.ClosesAt)
	chapter = optionalID(&v, "chapter_id", in.ChapterID)
	event = optionalID(&v, "event_id", in.EventID)
	return opens, closes, chapter, event, v.Err()
}

func optionalID(v *Validator, field, s string) *int64 {
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		v.Add(field, "surveys.link_invalid")
		return nil
	}
	return &n
}

// SectionInput is what the section form sends.
type SectionInput struct {
	Title string `form:"title"`
}

// Validate checks the section form.
func (in *SectionInput) Validate() error {
	in.Title = CleanLine(in.Title)
	var v Validator
	v.Line("title", in.Title, true, MaxSectionTitle)
	return v.Err()
}

// QuestionInput is what the question form of the builder sends. Options
// (and matrix rows) are one per line.
type QuestionInput struct {
	Kind       string `form:"kind"`
	Text       string `form:"text"`
	Help       string `form:"help"`
	Required   bool   `form:"required"`
	Other      bool   `form:"other"`
	Options    string `form:"options"`
	MinChoices string `form:"min_choices"`
	MaxChoices string `form:"max_choices"`
	ScaleLow   string `form:"scale_low"`
	ScaleHigh  string `form:"scale_high"`
	MaxLength  string `form:"max_length"`
	NumMin     string `form:"num_min"`
	NumMax     string `form:"num_max"`
	SectionID  string `form:"section_id"`
	// Condition is "<question id>:<option number>" or empty.
	Condition string `form:"condition"`
}

// Validate checks the question form and builds the question (without ids,
// survey and version).
func (in *QuestionInput) Validate() (*SurveyQuestion, error) {
	var v Validator
	q := &SurveyQuestion{Kind: in.Kind, Text: CleanLine(in.Text), Help: CleanText(in.Help), Required: in.Required}
	known := false
	for _, k := range QuestionKinds {
		known = known || k == in.Kind
	}
	if !known {
		v.Add("kind", "surveys.kind_invalid")
	}
	v.Line("text", q.Text, true, MaxQuestionText)
	v.Text("help", q.Help, false, MaxQuestionHelp)
	v.Text("options", in.Options, false, MaxSurveyOptions*(MaxOptionLabel+2))
	for _, line := range strings.Split(CleanText(in.Options), "\n") {
		if line = CleanLine(line); line != "" {
			q.Options = append(q.Options, line)
		}
	}
	needsOptions := in.Kind == QSingle || in.Kind == QMulti || in.Kind == QRanking || in.Kind == QMatrix
	switch {
	case !needsOptions:
		q.Options = nil
	case v.Has("options"):
	case len(q.Options) < 2:
		v.Add("options", "surveys.options_too_few")
	case len(q.Options) > MaxSurveyOptions:
		v.Add("options", "surveys.options_too_many", "Max", MaxSurveyOptions)
	default:
		for _, o := range q.Options {
			v.Line("options", o, true, MaxOptionLabel)
		}
	}
	q.Other = in.Other && q.Choice()
	if in.Kind == QMulti {
		q.MinChoices = smallInt(&v, "min_choices", in.MinChoices, 0, MaxSurveyOptions)
		q.MaxChoices = smallInt(&v, "max_choices", in.MaxChoices, 0, MaxSurveyOptions)
		if q.MaxChoices > 0 && q.MinChoices > q.MaxChoices {
			v.Add("max_choices", "surveys.max_below_min")
		}
	}
	if in.Kind == QScale || in.Kind == QMatrix {
		q.ScaleLow, q.ScaleHigh = CleanLine(in.ScaleLow), CleanLine(in.ScaleHigh)
		v.Line("scale_low", q.ScaleLow, true, MaxScaleLabel)
		v.Line("scale_high", q.ScaleHigh, true, MaxScaleLabel)
	}
	if in.Kind == QTextShort || in.Kind == QTextLong {
		limit := MaxShortAnswer
		if in.Kind == QTextLong {
			limit = MaxLongAnswer
		}
		q.MaxLength = smallInt(&v, "max_length", in.MaxLength, 1, limit)
		if q.MaxLength == 0 {
			q.MaxLength = limit
		}
	}
	if in.Kind == QNumber {
		q.NumMin = optionalInt(&v, "num_min", in.NumMin)
		q.NumMax = optionalInt(&v, "num_max", in.NumMax)
		if q.NumMin != nil && q.NumMax != nil && *q.NumMax < *q.NumMin {
			v.Add("num_max", "surveys.max_below_min")
		}
	}
	q.SectionID = optionalID(&v, "section_id", strings.TrimSpace(in.SectionID))
	if c := strings.TrimSpace(in.Condition); c != "" {
		qid, opt, ok := strings.Cut(c, ":")
		id, err1 := strconv.ParseInt(qid, 10, 64)
		n, err2 := strconv.Atoi(opt)
		if !ok || err1 != nil || err2 != nil || id <= 0 || n <= 0 {
			v.Add("condition", "surveys.condition_invalid")
		} else {
			q.CondQuestionID, q.CondOption = &id, n
		}
	}
	return q, v.Err()
}

// smallInt reads an optional whole number in [min, max]; empty is 0.
func smallInt(v *Validator, field, s string, min, max int) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		v.Add(field, "surveys.number_between", "Min", min, "Max", max)
		return 0
	}
	return n
}

func optionalInt(v *Validator, field, s string) *int64 {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < -1e12 || n > 1e12 {
		v.Add(field, "surveys.number_invalid")
		return nil
	}
	return &n
}

// SameStructure reports whether two versions of a question ask the same
// thing: only the question's text and help differ. A change of kind,
// options, limits, obligation or condition makes existing answers mean
// something else and so needs a new version of the survey.
func (q *SurveyQuestion) SameStructure(o *SurveyQuestion) bool {
	if q.Kind != o.Kind || q.Other != o.Other || len(q.Options) != len(o.Options) || q.MinChoices != o.MinChoices ||
		q.MaxChoices != o.MaxChoices || q.MaxLength != o.MaxLength || !sameInt(q.NumMin, o.NumMin) || !sameInt(q.NumMax, o.NumMax) ||
		!sameInt(q.CondQuestionID, o.CondQuestionID) || q.CondOption != o.CondOption || q.Required != o.Required {
		return false
	}
	for i := range q.Options {
		if q.Options[i] != o.Options[i] {
			return false
		}
	}
	return true
}

func sameInt(a, b *int64) bool { return (a == nil) == (b == nil) && (a == nil || *a == *b) }

// SurveyResponse is one person's (or one browser's) answers to a survey.
type SurveyResponse struct {
	ID       int64
	SurveyID int64
	Version  int
	// UserID is set for account-bound surveys only.
	UserID *int64
	// OnceHash is the hash of the anonymous one-time token that submitted
	// it: random, tied to no person.
	OnceHash *string
	// Step is the next question (1-based, in the order of the version's
	// questions) of an unfinished one-per-screen run.
	Step int
	// Draft holds the answers so far of that run as form values (JSON);
	// see migration 1130 for why they are not answers yet.
	Draft       string
	SubmittedAt *time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// TableName keeps gorm on the migration's table.
func (SurveyResponse) TableName() string { return "survey_responses" }

// SurveyAnswer is the answer to one question. Value encodes it per kind:
// option numbers joined by "," (single, multi, ranking in order), the
// scale value, "row=value" pairs joined by "," (matrix), the text, the
// number, the date (JJJJ-MM-TT), the Ortsteil code or "lat,lon".
type SurveyAnswer struct {
	ResponseID   int64
	QuestionID   int64
	Value        string
	Other        string
	Hidden       bool
	HiddenReason string
	// ContributionID is set once a free-text answer went into the
	// contribution pipeline.
	ContributionID *int64
}

// TableName keeps gorm on the migration's table.
func (SurveyAnswer) TableName() string { return "survey_answers" }
