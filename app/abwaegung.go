package app

import (
	"regexp"
	"slices"
	"strings"
	"time"
)

// Fachamt is a specialist department of the city that answers the
// contributions of its subject (docs/abwaegung.md).
type Fachamt struct {
	ID        int64
	Short     string
	Name      string
	Email     string
	Active    bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps gorm on the table created by the migration.
func (Fachamt) TableName() string { return "fachaemter" }

// Label is "Name (KURZ)".
func (f *Fachamt) Label() string { return f.Name + " (" + f.Short + ")" }

// Limits of the Abwägung.
const (
	MaxFachamtShort   = 20
	MaxFachamtName    = 200
	MaxRoundName      = 120
	MaxChangeText     = 5000
	MaxComment        = 2000
	MaxBulk           = 200
	MaxUploadRows     = 5000
	MaxUploadBytes    = 8 << 20
	MaxUploadUnpacked = 128 << 20 // what an uploaded XLSX may unpack to
	MaxRuleValue      = 80
	MaxCosigners      = 8
	MaxRulesPerKind   = 500
	MaxRoundDeadlines = 100
)

var shortPattern = regexp.MustCompile(`^[A-Za-z0-9ÄÖÜäöüß][A-Za-z0-9ÄÖÜäöüß_-]*$`)

// FachamtInput is what the admin form and `mitwirken fachamt add` send.
type FachamtInput struct {
	Short  string `form:"short" json:"short"`
	Name   string `form:"name" json:"name"`
	Email  string `form:"email" json:"email"`
	Active bool   `form:"active" json:"active"`
}

// Clean normalises the input before validation.
func (in *FachamtInput) Clean() {
	in.Short, in.Name = CleanLine(in.Short), CleanLine(in.Name)
	in.Email = NormalizeEmail(in.Email)
}

// Validate checks the input.
func (in *FachamtInput) Validate() error {
	var v Validator
	v.Line("short", in.Short, true, MaxFachamtShort)
	if !v.Has("short") && !shortPattern.MatchString(in.Short) {
		v.Add("short", "abwaegung.short_invalid")
	}
	v.Line("name", in.Name, true, MaxFachamtName)
	if in.Email != "" {
		v.Email("email", in.Email)
	}
	return v.Err()
}

// Assessment states of the workflow.
const (
	StateOpen      = "open"
	StateDrafted   = "drafted"
	StateCosigned  = "cosigned"
	StateInReview  = "in_review"
	StatePublished = "published"
)

// AssessmentStates lists the states in workflow order.
var AssessmentStates = []string{StateOpen, StateDrafted, StateCosigned, StateInReview, StatePublished}

// ValidState reports whether s is a workflow state.
func ValidState(s string) bool { return slices.Contains(AssessmentStates, s) }

// Transition actions of the workflow.
const (
	ActAssign   = "assign"
	ActDraft    = "draft"
	ActCosign   = "cosign"
	ActSubmit   = "submit"
	ActReturn   = "return"
	ActPublish  = "publish"
	ActHandBack = "handback"
	ActReopen   = "reopen"
	ActRound    = "round"
)

// Capacities in which someone acts (versions and transitions record it).
const (
	AsFachamt = "fachamt"
	AsAgInsek = "ag_insek"
)

// Rule kinds and roles of assignment rules.
const (
	RuleChapter = "chapter"
	RuleTag     = "tag"
	RuleChannel = "channel"
	RuleLead    = "lead"
	RuleCosign  = "cosign"
)

// RuleKinds lists the kinds in the order of precedence for the lead:
// the chapter decides before a tag, a tag before the channel.
var RuleKinds = []string{RuleChapter, RuleTag, RuleChannel}

// AssignmentRule assigns contributions to a Fachamt by default.
type AssignmentRule struct {
	ID        int64
	Kind      string
	Value     string
	FachamtID int64
	Role      string
	CreatedBy *int64
	CreatedAt time.Time
}

// TableName keeps gorm on the table created by the migration.
func (AssignmentRule) TableName() string { return "assignment_rules" }

// RuleInput is the rules form.
type RuleInput struct {
	Kind    string `form:"kind" json:"kind"`
	Value   string `form:"value" json:"value"`
	Fachamt string `form:"fachamt" json:"fachamt"` // short name
	Role    string `form:"role" json:"role"`
}

// Clean normalises the input before validation.
func (in *RuleInput) Clean() {
	in.Kind, in.Value, in.Fachamt, in.Role = strings.TrimSpace(in.Kind), CleanLine(in.Value), CleanLine(in.Fachamt), strings.TrimSpace(in.Role)
}

// Validate checks the input; the store checks the references.
func (in *RuleInput) Validate() error {
	var v Validator
	if !slices.Contains(RuleKinds, in.Kind) {
		v.Add("kind", "form.choice_invalid")
	}
	v.Line("value", in.Value, true, MaxRuleValue)
	if in.Kind == RuleChannel && in.Value != "" && !ValidChannel(in.Value) {
		v.Add("value", "form.choice_invalid")
	}
	v.Line("fachamt", in.Fachamt, true, MaxFachamtShort)
	if in.Role != RuleLead && in.Role != RuleCosign {
		v.Add("role", "form.choice_invalid")
	}
	return v.Err()
}

// Round is a batch of assessments with a deadline per Fachamt.
type Round struct {
	ID        int64
	Name      string
	Deadline  string // YYYY-MM-DD (Europe/Berlin)
	CreatedBy *int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// TableName keeps gorm on the table created by the migration.
func (Round) TableName() string { return "assessment_rounds" }

// DeadlineDay parses a deadline day; ok is false for "".
func DeadlineDay(s string) (time.Time, bool) {
	d, err := time.ParseInLocation("2006-01-02", s, Berlin)
	return d, err == nil
}

// RoundInput is the form that starts a round.
type RoundInput struct {
	Name     string `form:"name" json:"name"`
	Deadline string `form:"deadline" json:"deadline"`
}

// Clean normalises the input before validation.
func (in *RoundInput) Clean() { in.Name, in.Deadline = CleanLine(in.Name), normalDay(in.Deadline) }

// Validate checks the input.
func (in *RoundInput) Validate() error {
	var v Validator
	v.Line("name", in.Name, true, MaxRoundName)
	validDeadline(&v, "deadline", in.Deadline, true)
	return v.Err()
}

func validDeadline(v *Validator, field, day string, required bool) {
	if day == "" {
		if required {
			v.Add(field, "form.required")
		}
		return
	}
	if _, ok := DeadlineDay(day); !ok {
		v.Add(field, "abwaegung.date_invalid")
	}
}

// normalDay writes a day typed as TT.MM.JJJJ as JJJJ-MM-TT (what date
// inputs send); anything else stays for the validator to refuse.
func normalDay(s string) string {
	s = strings.TrimSpace(s)
	if t, err := time.ParseInLocation("02.01.2006", s, Berlin); err == nil {
		return t.Format("2006-01-02")
	}
	return s
}

// DeadlineInput sets the deadline of one Fachamt's batch ("" removes it).
type DeadlineInput struct {
	Fachamt  string `form:"fachamt" json:"fachamt"`
	Deadline string `form:"deadline" json:"deadline"`
}

// Clean normalises the input before validation.
func (in *DeadlineInput) Clean() {
	in.Fachamt, in.Deadline = CleanLine(in.Fachamt), normalDay(in.Deadline)
}

// Validate checks the input.
func (in *DeadlineInput) Validate() error {
	var v Validator
	v.Line("fachamt", in.Fachamt, true, MaxFachamtShort)
	validDeadline(&v, "deadline", in.Deadline, false)
	return v.Err()
}

// DraftInput is a text of an assessment: result, reasoning, where it is
// reflected and the proposed change. Version is the assessment version the
// writer saw (optimistic locking).
type DraftInput struct {
	Version      int    `form:"version" json:"version"`
	Result       string `form:"result" json:"result"`
	Reasoning    string `form:"reasoning" json:"reasoning"`
	Anchor       string `form:"anchor" json:"anchor"`
	ChangeAnchor string `form:"change_anchor" json:"change_anchor"`
	ChangeText   string `form:"change_text" json:"change_text"`
}

// Clean normalises the input before validation.
func (in *DraftInput) Clean() {
	in.Result, in.Anchor, in.ChangeAnchor = strings.TrimSpace(in.Result), strings.TrimSpace(in.Anchor), strings.TrimSpace(in.ChangeAnchor)
	in.Reasoning, in.ChangeText = CleanText(in.Reasoning), CleanText(in.ChangeText)
}

// Validate checks the text; the store checks the anchors against the
// chapter.
func (in *DraftInput) Validate() error {
	var v Validator
	if !ValidAssessmentStatus(in.Result) {
		v.Add("result", "contribution.assessment_status_required")
	}
	v.Text("reasoning", in.Reasoning, true, MaxReasoning)
	if in.Anchor != "" && !ValidAnchor(in.Anchor) {
		v.Add("anchor", "contribution.paragraph_unknown")
	}
	if in.ChangeAnchor != "" && !ValidAnchor(in.ChangeAnchor) {
		v.Add("change_anchor", "contribution.paragraph_unknown")
	}
	v.Text("change_text", in.ChangeText, false, MaxChangeText)
	if in.ChangeText != "" && in.ChangeAnchor == "" && !v.Has("change_anchor") {
		v.Add("change_anchor", "abwaegung.change_anchor_required")
	}
	if in.ChangeAnchor != "" && in.ChangeText == "" && !v.Has("change_text") {
		v.Add("change_text", "abwaegung.change_text_required")
	}
	return v.Err()
}

// SameText reports whether the input says what the assessment says.
func (in *DraftInput) SameText(a *Assessment) bool {
	return a.TextNumber > 0 && in.Result == a.Result && in.Reasoning == a.Reasoning && in.Anchor == a.Anchor &&
		in.ChangeAnchor == a.ChangeAnchor && in.ChangeText == a.ChangeText
}

// TransitionInput moves an assessment on; Comment is required to return it
// to the drafters and to hand it back to AG INSEK.
type TransitionInput struct {
	Action  string `form:"action" json:"action"`
	Version int    `form:"version" json:"version"`
	Comment string `form:"comment" json:"comment"`
}

// Clean normalises the input before validation.
func (in *TransitionInput) Clean() {
	in.Action, in.Comment = strings.TrimSpace(in.Action), CleanText(in.Comment)
}

// Validate checks the input.
func (in *TransitionInput) Validate() error {
	var v Validator
	switch in.Action {
	case ActCosign, ActSubmit, ActPublish, ActReopen:
	case ActReturn, ActHandBack:
		if in.Comment == "" {
			v.Add("comment", "abwaegung.comment_required")
		}
	default:
		v.Add("action", "form.choice_invalid")
	}
	v.Text("comment", in.Comment, false, MaxComment)
	return v.Err()
}

// Assessment is the working copy of a contribution's Abwägung.
type Assessment struct {
	ID              int64
	ContributionID  int64
	LeadFachamtID   *int64
	RoundID         *int64
	State           string
	Version         int
	TextNumber      int
	Result          string
	Reasoning       string
	Anchor          string
	ChangeAnchor    string
	ChangeText      string
	ChangeVersionID *int64
	ReturnComment   string
	HandbackReason  string
	AssignedAt      *time.Time
	DraftedAt       *time.Time
	CosignedAt      *time.Time
	ReviewAt        *time.Time
	ReturnedAt      *time.Time
	PublishedAt     *time.Time
	PublishedBy     *int64
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// TableName keeps gorm on the table created by the migration.
func (Assessment) TableName() string { return "assessments" }

// Editable reports whether the text may still change.
func (a *Assessment) Editable() bool { return a.State != StatePublished }

// AssessmentVersion is one saved text of an assessment.
type AssessmentVersion struct {
	ID              int64
	AssessmentID    int64
	Number          int
	AuthorID        *int64
	AuthorRole      string
	AuthorFachamtID *int64
	Source          string
	Result          string
	Reasoning       string
	Anchor          string
	ChangeAnchor    string
	ChangeText      string
	CreatedAt       time.Time
}

// TableName keeps gorm on the table created by the migration.
func (AssessmentVersion) TableName() string { return "assessment_versions" }

// AssessmentTransition is one step of an assessment's way.
type AssessmentTransition struct {
	ID           int64
	AssessmentID int64
	ActorID      *int64
	ActorRole    string
	Action       string
	FromState    string
	ToState      string
	Comment      string
	CreatedAt    time.Time
}

// TableName keeps gorm on the table created by the migration.
func (AssessmentTransition) TableName() string { return "assessment_transitions" }

// Audit actions of the Abwägung. Details never hold texts or personal data.
const (
	AuditFachamt      = "abwaegung.fachamt"
	AuditGrant        = "user.grant"
	AuditMembership   = "user.fachamt_membership"
	AuditRule         = "abwaegung.rule"
	AuditRound        = "abwaegung.round"
	AuditTransition   = "abwaegung.transition"
	AuditXLSXUpload   = "abwaegung.xlsx_upload"
	AuditRulesApplied = "abwaegung.rules_applied"
)
