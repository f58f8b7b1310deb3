package app

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Channels a contribution comes through. Online comments are written on the
// platform; the others are transcribed by moderators or handed over by
// future.labs.
const (
	ChannelOnline            = "online"
	ChannelWerkstatt         = "werkstatt"
	ChannelStadtgebietsforum = "stadtgebietsforum"
	ChannelFachforum         = "fachforum"
	ChannelFutureLab         = "futurelab"
	// ChannelSurvey is a free-text survey answer sent on by AG INSEK.
	ChannelSurvey = "umfrage"
)

// Channels lists every channel.
var Channels = []string{ChannelOnline, ChannelWerkstatt, ChannelStadtgebietsforum, ChannelFachforum, ChannelFutureLab, ChannelSurvey}

// TranscribedChannels are the in-person formats a moderator transcribes.
var TranscribedChannels = []string{ChannelWerkstatt, ChannelStadtgebietsforum, ChannelFachforum}

// Moderation statuses of a contribution.
const (
	StatusPending   = "pending"   // waits for approval (pre-moderation)
	StatusPublished = "published" // visible to everyone
	StatusRejected  = "rejected"  // refused before it was visible
	StatusHidden    = "hidden"    // hidden after it was visible
	StatusWithdrawn = "withdrawn" // withdrawn by its author
)

// Statuses lists every moderation status in display order.
var Statuses = []string{StatusPending, StatusPublished, StatusRejected, StatusHidden, StatusWithdrawn}

// Reason codes for rejecting, hiding and reporting.
const (
	ReasonInsult       = "beleidigung"
	ReasonPersonalData = "personenbezogene_daten"
	ReasonAdvertising  = "werbung"
	ReasonOffTopic     = "nicht_zum_thema"
	ReasonDuplicate    = "doppelung"
	ReasonOther        = "sonstiges"
)

// Reasons lists every reason code in display order.
var Reasons = []string{ReasonInsult, ReasonPersonalData, ReasonAdvertising, ReasonOffTopic, ReasonDuplicate, ReasonOther}

// Assessment statuses of the Abwägung.
const (
	AssessConsidered    = "beruecksichtigt"
	AssessPartly        = "teilweise_beruecksichtigt"
	AssessNotConsidered = "nicht_beruecksichtigt"
	AssessNoted         = "zur_kenntnis_genommen"
	AssessOutOfScope    = "nicht_gegenstand"
)

// AssessmentStatuses lists every assessment status in display order.
var AssessmentStatuses = []string{AssessConsidered, AssessPartly, AssessNotConsidered, AssessNoted, AssessOutOfScope}

// Moderation actions.
const (
	ActionApprove = "approve"
	ActionReject  = "reject"
	ActionHide    = "hide"
)

// Limits of contributions.
const (
	MaxContributionBody = 5000
	MaxAuthorLabel      = 120
	MaxReasonText       = 1000
	MaxAnswerBody       = 5000
	MaxReasoning        = 10000
	MaxNote             = 2000
	MaxTags             = 12
	MaxReplyDepth       = 2
	// RateLimitPerMinute is how many online comments one person may write a minute.
	RateLimitPerMinute = 10
	// RepeatWindow is how long the same text by the same person is refused.
	RepeatWindow = time.Minute
)

// Contribution is one entry of the contribution pipeline: an online comment
// on a chapter or paragraph, input transcribed from an in-person format, or a
// card handed over from future.labs. Every contribution is moderated and
// assessed (Abwägung) the same way and has a stable public number ("A-0042").
type Contribution struct {
	ID      int64
	Number  int64
	Channel string
	// Where it belongs: all nil for a lab card that concerns no chapter.
	DocumentID *int64
	ChapterID  *int64
	// Paragraph is the anchor ("p-12") in VersionID; "" for the whole chapter.
	Paragraph string
	VersionID *int64
	// References into features built in parallel (no foreign keys).
	EventID *int64
	LabID   *int64
	BoardID *int64
	CardID  *int64
	// AuthorID is the account of an online author; AuthorLabel names the
	// authors of transcribed input ("Teilnehmende des Werkstattgesprächs").
	AuthorID    *int64
	AuthorLabel string
	EnteredBy   *int64
	ParentID    *int64
	Depth       int
	// Body is the public text; after a redaction, OriginalBody keeps the
	// text as written (admins only).
	Body         string
	OriginalBody *string
	BodyHash     string
	Tags         []string `gorm:"-"`
	OrtsteilCode *string
	// The optional point (WGS 84, rounded by RoundPoint) and the author's
	// description of the place; the point is public only with PointPublic.
	PointLat     *float64
	PointLon     *float64
	PointPublic  bool
	PlaceText    string
	Status       string
	ReasonCode   string
	ReasonText   string
	ModeratedBy  *int64
	ModeratedAt  *time.Time
	RedactedBy   *int64
	RedactedAt   *time.Time
	DuplicateOf  *int64
	SupportCount int
	OpenReports  int
	AnswerBody   string
	AnsweredBy   *int64
	AnsweredAt   *time.Time
	// The Abwägung.
	AssessmentStatus      string
	AssessmentReasoning   string
	AssessmentFachamt     string
	AssessmentVersionID   *int64
	AssessmentAnchor      string
	AssessedBy            *int64
	AssessedAt            *time.Time
	AssessmentPublishedAt *time.Time
	EditedAt              *time.Time
	CreatedAt             time.Time
	UpdatedAt             time.Time
}

// TableName keeps gorm on the table created by the migration.
func (Contribution) TableName() string { return "contributions" }

// PublicNumber is the stable number shown to people and in exports: "A-0042".
func (c *Contribution) PublicNumber() string { return FormatContributionNumber(c.Number) }

// FormatContributionNumber formats a number as "A-0042".
func FormatContributionNumber(n int64) string { return fmt.Sprintf("A-%04d", n) }

// ParseContributionNumber reads "A-0042", "a-42" or "42".
func ParseContributionNumber(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	if len(s) > 2 && (s[0] == 'A' || s[0] == 'a') && s[1] == '-' {
		s = s[2:]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil && n > 0
}

// Visible reports whether everyone may read the text.
func (c *Contribution) Visible() bool { return c.Status == StatusPublished }

// Redacted reports whether a moderator removed personal data from the text.
func (c *Contribution) Redacted() bool { return c.RedactedAt != nil }

// Ortsteil returns the Ortsteil code or "".
func (c *Contribution) Ortsteil() string {
	if c.OrtsteilCode == nil {
		return ""
	}
	return *c.OrtsteilCode
}

// Assessed reports whether the Abwägung of the contribution is published.
func (c *Contribution) Assessed() bool {
	return c.AssessmentPublishedAt != nil && c.AssessmentStatus != ""
}

// IsAuthor reports whether u wrote the contribution online.
func (c *Contribution) IsAuthor(u *User) bool {
	return u != nil && c.AuthorID != nil && *c.AuthorID == u.ID
}

// Transcribed reports whether the contribution came from an in-person format
// or a lab rather than from an online comment.
func (c *Contribution) Transcribed() bool { return c.Channel != ChannelOnline }

// BodyHashOf is the hash that recognises the same text sent twice: case,
// white space and punctuation at the ends do not matter.
func BodyHashOf(body string) string {
	norm := strings.Join(strings.Fields(strings.ToLower(body)), " ")
	norm = strings.TrimFunc(norm, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	sum := sha256.Sum256([]byte(norm))
	return hex.EncodeToString(sum[:])
}

// Clean normalises the text fields before validation.
func (c *Contribution) Clean() {
	c.Body = CleanText(c.Body)
	c.AuthorLabel = CleanLine(c.AuthorLabel)
	c.Paragraph = strings.TrimSpace(c.Paragraph)
	c.PlaceText = CleanLine(c.PlaceText)
	if c.OrtsteilCode != nil {
		code := strings.TrimSpace(*c.OrtsteilCode)
		if code == "" {
			c.OrtsteilCode = nil
		} else {
			c.OrtsteilCode = &code
		}
	}
	seen := map[string]bool{}
	tags := c.Tags[:0:0]
	for _, t := range c.Tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && !seen[t] {
			seen[t] = true
			tags = append(tags, t)
		}
	}
	c.Tags = tags
}

// Validate checks what can be checked without the database; the store checks
// the references (chapter, paragraph, parent, tags, Ortsteil, period).
func (c *Contribution) Validate() error {
	var v Validator
	v.Text("body", c.Body, true, MaxContributionBody)
	if !slices.Contains(Channels, c.Channel) {
		v.Add("channel", "form.choice_invalid")
	}
	v.Line("author_label", c.AuthorLabel, false, MaxAuthorLabel)
	switch {
	case c.Channel == ChannelOnline && c.AuthorID == nil:
		v.Add("author_label", "contribution.author_required")
	case c.Channel != ChannelOnline && c.AuthorID == nil && c.AuthorLabel == "":
		v.Add("author_label", "form.required")
	}
	if c.Paragraph != "" && !ValidAnchor(c.Paragraph) {
		v.Add("paragraph", "contribution.paragraph_unknown")
	}
	if c.Paragraph != "" && c.ChapterID == nil {
		v.Add("paragraph", "contribution.paragraph_unknown")
	}
	if c.Channel == ChannelOnline && c.ChapterID == nil {
		v.Add("chapter", "contribution.chapter_unknown")
	}
	if len(c.Tags) > MaxTags {
		v.Add("tags", "contribution.too_many_tags", "Max", MaxTags)
	}
	for _, t := range c.Tags {
		if len(t) > 40 {
			v.Add("tags", "contribution.tag_unknown")
		}
	}
	if code := c.Ortsteil(); code != "" && !validOrtsteilSyntax(code) {
		v.Add("ortsteil", "form.ortsteil_unknown")
	}
	c.validatePoint(&v)
	return v.Err()
}

// ValidReason reports whether code is a known reason code.
func ValidReason(code string) bool { return slices.Contains(Reasons, code) }

// ValidAssessmentStatus reports whether code is a known assessment status.
func ValidAssessmentStatus(code string) bool { return slices.Contains(AssessmentStatuses, code) }

// ValidChannel reports whether ch is a known channel.
func ValidChannel(ch string) bool { return slices.Contains(Channels, ch) }

// ModerationInput is a moderator's decision: approve, reject or hide, with a
// reason code (and a free text, required for "sonstiges") for the latter two.
type ModerationInput struct {
	Action     string `form:"action" json:"action"`
	Reason     string `form:"reason" json:"reason"`
	ReasonText string `form:"reason_text" json:"reason_text"`
}

// Clean normalises the input before validation.
func (in *ModerationInput) Clean() {
	in.Action, in.Reason = strings.TrimSpace(in.Action), strings.TrimSpace(in.Reason)
	in.ReasonText = CleanText(in.ReasonText)
}

// Validate checks the decision.
func (in *ModerationInput) Validate() error {
	var v Validator
	switch in.Action {
	case ActionApprove:
	case ActionReject, ActionHide:
		if !ValidReason(in.Reason) {
			v.Add("reason", "contribution.reason_required")
		}
		if in.Reason == ReasonOther && strings.TrimSpace(in.ReasonText) == "" {
			v.Add("reason_text", "contribution.reason_text_required")
		}
	default:
		v.Add("action", "form.choice_invalid")
	}
	v.Text("reason_text", in.ReasonText, false, MaxReasonText)
	return v.Err()
}

// ReportInput is what a reader sends to report a contribution.
type ReportInput struct {
	Reason string `form:"reason" json:"reason"`
	Text   string `form:"text" json:"text"`
}

// Clean normalises the input before validation.
func (in *ReportInput) Clean() {
	in.Reason = strings.TrimSpace(in.Reason)
	in.Text = CleanText(in.Text)
}

// Validate checks the report.
func (in *ReportInput) Validate() error {
	var v Validator
	if !ValidReason(in.Reason) {
		v.Add("reason", "contribution.reason_required")
	}
	v.Text("text", in.Text, in.Reason == ReasonOther, MaxReasonText)
	return v.Err()
}

// AssessmentInput is the Abwägung of a contribution by AG INSEK.
type AssessmentInput struct {
	Status    string `form:"status" json:"status"`
	Reasoning string `form:"reasoning" json:"reasoning"`
	Fachamt   string `form:"fachamt" json:"fachamt"`
	// Paragraph is the anchor in the chapter's current version that reflects
	// the contribution (optional).
	Paragraph string `form:"paragraph" json:"paragraph"`
	// Publish makes the assessment public and mails the author.
	Publish bool `form:"publish" json:"publish"`
}

// Clean normalises the input before validation.
func (in *AssessmentInput) Clean() {
	in.Status, in.Paragraph = strings.TrimSpace(in.Status), strings.TrimSpace(in.Paragraph)
	in.Reasoning, in.Fachamt = CleanText(in.Reasoning), CleanLine(in.Fachamt)
}

// Validate checks the assessment.
func (in *AssessmentInput) Validate() error {
	var v Validator
	if !ValidAssessmentStatus(in.Status) {
		v.Add("status", "contribution.assessment_status_required")
	}
	v.Text("reasoning", in.Reasoning, true, MaxReasoning)
	v.Line("fachamt", in.Fachamt, false, MaxFachamt)
	if in.Paragraph != "" && !ValidAnchor(in.Paragraph) {
		v.Add("paragraph", "contribution.paragraph_unknown")
	}
	return v.Err()
}

// ContributionLogEntry is one line of a contribution's moderation log: who
// did what, when and why. Notes are entries with action "note".
type ContributionLogEntry struct {
	ID             int64
	ContributionID int64
	ActorID        *int64
	Action         string
	ReasonCode     string
	Detail         string
	CreatedAt      time.Time
}

// TableName keeps gorm on the table created by the migration.
func (ContributionLogEntry) TableName() string { return "contribution_log" }

// Log actions besides the moderation actions.
const (
	LogCreated     = "created"
	LogApproved    = "approved"
	LogRejected    = "rejected"
	LogHidden      = "hidden"
	LogRedacted    = "redacted"
	LogDuplicate   = "duplicate"
	LogUnduplicate = "unduplicate"
	LogNote        = "note"
	LogAnswered    = "answered"
	LogAssessed    = "assessed"
	LogEdited      = "edited"
	LogWithdrawn   = "withdrawn"
	LogReported    = "reported"
)

// ContributionReport is a reader's report of a contribution.
type ContributionReport struct {
	ID             int64
	ContributionID int64
	UserID         *int64
	ReasonCode     string
	Text           string
	CreatedAt      time.Time
	ResolvedAt     *time.Time
	ResolvedBy     *int64
}

// TableName keeps gorm on the table created by the migration.
func (ContributionReport) TableName() string { return "contribution_reports" }

// Audit actions of the draft and the contribution pipeline. Details never
// hold personal data or the text of a contribution.
const (
	AuditDraftDocument  = "draft.document"
	AuditDraftChapter   = "draft.chapter"
	AuditDraftVersion   = "draft.version"
	AuditDraftPeriod    = "draft.period"
	AuditModerate       = "contribution.moderate"
	AuditRedact         = "contribution.redact"
	AuditDuplicate      = "contribution.duplicate"
	AuditAnswer         = "contribution.answer"
	AuditAssess         = "contribution.assess"
	AuditTranscribe     = "contribution.transcribe"
	AuditModerationNote = "contribution.note"
)
