package export

import (
	"strings"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/store"
)

// Record is one contribution as the JSON export and the open data show it.
// Codes are stable (channel, statuses); labels are German. It never holds an
// address: the author is the public pseudonym.
type Record struct {
	Number           string    `json:"number"`
	Chapter          string    `json:"chapter"`
	Paragraph        string    `json:"paragraph"`
	ParagraphText    string    `json:"paragraph_text"`
	Text             string    `json:"text"`
	Author           string    `json:"author"`
	CreatedAt        time.Time `json:"created_at"`
	Channel          string    `json:"channel"`
	Event            string    `json:"event"`
	OrtsteilCode     string    `json:"ortsteil_code"`
	Ortsteil         string    `json:"ortsteil"`
	Stadtbezirk      string    `json:"stadtbezirk"`
	Tags             []string  `json:"tags"`
	Status           string    `json:"moderation_status"`
	Answer           string    `json:"answer"`
	AssessmentStatus string    `json:"assessment_status"`
	Reasoning        string    `json:"assessment_reasoning"`
	Fachamt          string    `json:"fachamt"`
	ReflectedIn      string    `json:"reflected_in"`
	ReflectedText    string    `json:"reflected_text"`
	// How the Abwägung came about (docs/abwaegung.md).
	Lead              string     `json:"lead_fachamt"`
	Cosigners         []string   `json:"cosigning_fachaemter"`
	WorkflowState     string     `json:"workflow_state"`
	DraftedBy         []string   `json:"drafted_by"`
	DrafterNames      []string   `json:"drafted_by_names,omitempty"`
	ReviewedBy        string     `json:"published_by"`
	ReviewerName      string     `json:"published_by_name,omitempty"`
	DraftedAt         *time.Time `json:"drafted_at"`
	CosignedAt        *time.Time `json:"cosigned_at"`
	SubmittedAt       *time.Time `json:"submitted_at"`
	PublishedAt       *time.Time `json:"published_at"`
	ProposedParagraph string     `json:"proposed_paragraph"`
	ProposedText      string     `json:"proposed_text"`
}

// labels are the German names looked up once per export, not once per row.
type labels struct {
	t          Translate
	ref        *store.RefData
	channel    map[string]string
	status     map[string]string
	assessment map[string]string
	tag        map[string]string
	paragraph  map[string]string
	erased     string
	noChapter  string
}

func newLabels(t Translate, ref *store.RefData) *labels {
	l := &labels{t: t, ref: ref, channel: map[string]string{}, status: map[string]string{}, assessment: map[string]string{}, tag: map[string]string{}, paragraph: map[string]string{}}
	for _, ch := range app.Channels {
		l.channel[ch] = t("contribution.channel." + ch)
	}
	for _, st := range app.Statuses {
		l.status[st] = t("contribution.status." + st)
	}
	l.assessment[""] = t("contribution.assessment_none")
	for _, a := range app.AssessmentStatuses {
		l.assessment[a] = t("contribution.assessment." + a)
	}
	for _, h := range ref.Handlungsschwerpunkte {
		l.tag[h.Code] = h.NameDE
	}
	for _, th := range ref.Themes {
		l.tag[th.Code] = th.NameDE
	}
	l.erased = t("account.erased_name")
	l.noChapter = t("results.no_chapter")
	return l
}

func (l *labels) record(r *store.ExportRow) *Record {
	rec := &Record{
		Number: app.FormatContributionNumber(r.Number), Chapter: r.ChapterTitle, ParagraphText: r.ParagraphText,
		Text: r.Body, CreatedAt: r.CreatedAt.UTC(), Channel: r.Channel, Event: r.EventTitle, Status: r.Status,
		Answer: r.AnswerBody, AssessmentStatus: r.AssessmentStatus, Reasoning: r.AssessmentReasoning,
		Fachamt: r.AssessmentFachamt, ReflectedText: r.AssessmentText, Tags: make([]string, 0, len(r.Tags)),
	}
	if rec.Chapter == "" {
		rec.Chapter = l.noChapter
	}
	if rec.Fachamt == "" {
		rec.Fachamt = r.ChapterFachamt
	}
	if r.Paragraph != "" {
		rec.Paragraph = l.paragraphRef(r.Paragraph)
	}
	if r.AssessmentAnchor != "" {
		rec.ReflectedIn = l.paragraphRef(r.AssessmentAnchor)
	}
	name, erased := r.Pseudonym()
	if erased {
		name = l.erased
	}
	rec.Author = name
	if r.OrtsteilCode != nil {
		rec.OrtsteilCode = *r.OrtsteilCode
		if o, ok := l.ref.Ortsteil(*r.OrtsteilCode); ok {
			rec.Ortsteil = o.Name
			if b, ok := l.ref.Stadtbezirk(o.StadtbezirkCode); ok {
				rec.Stadtbezirk = b.Name
			}
		}
	}
	rec.Tags = append(rec.Tags, r.Tags...)
	rec.Cosigners, rec.DraftedBy = []string{}, []string{}
	if w := r.Workflow; w != nil {
		rec.Lead, rec.WorkflowState = w.Lead, w.State
		rec.Cosigners = append(rec.Cosigners, w.Cosigners...)
		for _, d := range w.Drafters {
			role, short, _ := strings.Cut(d, " ")
			rec.DraftedBy = append(rec.DraftedBy, strings.TrimSpace(l.t("abwaegung.as."+role)+" "+short))
		}
		rec.DrafterNames = w.DrafterNames
		if w.Reviewer != "" {
			rec.ReviewedBy = l.t("abwaegung.as." + w.Reviewer)
		}
		rec.ReviewerName = w.ReviewerName
		rec.DraftedAt, rec.CosignedAt, rec.SubmittedAt, rec.PublishedAt = utc(w.DraftedAt), utc(w.CosignedAt), utc(w.ReviewAt), utc(w.Publish)
		if w.ChangeAnchor != "" {
			rec.ProposedParagraph, rec.ProposedText = l.paragraphRef(w.ChangeAnchor), w.ChangeText
		}
	}
	return rec
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// paragraphRef names an anchor ("Absatz 12"), translated once per anchor.
func (l *labels) paragraphRef(anchor string) string {
	if s, ok := l.paragraph[anchor]; ok {
		return s
	}
	s := l.t("draft.paragraph_ref", "Number", draft.AnchorNumber(anchor))
	l.paragraph[anchor] = s
	return s
}

// columns are the header ids and widths of the table exports (CSV, XLSX).
var columns = []struct {
	id    string
	width float64
}{
	{"results.col.number", 10}, {"results.col.chapter", 24}, {"results.col.paragraph", 12}, {"results.col.paragraph_text", 40},
	{"results.col.text", 60}, {"results.col.author", 20}, {"results.col.date", 17}, {"results.col.channel", 18},
	{"results.col.event", 24}, {"results.col.ortsteil", 18}, {"results.col.stadtbezirk", 14}, {"results.col.tags", 28},
	{"results.col.status", 14}, {"results.col.assessment", 22}, {"results.col.reasoning", 60}, {"results.col.fachamt", 28},
	{"results.col.reflected_in", 14}, {"results.col.reflected_text", 40},
	{"abwaegung.export.lead", 14}, {"abwaegung.export.cosigners", 16}, {"abwaegung.export.state", 14},
	{"abwaegung.export.drafted_by", 20}, {"abwaegung.export.drafter_names", 20}, {"abwaegung.export.published_by", 16},
	{"abwaegung.export.publisher_name", 20}, {"abwaegung.export.drafted_at", 17}, {"abwaegung.export.cosigned_at", 17},
	{"abwaegung.export.submitted_at", 17}, {"abwaegung.export.published_at", 17}, {"abwaegung.export.proposed_paragraph", 14},
	{"abwaegung.export.proposed_text", 40},
}

func (l *labels) header() []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = l.t(c.id)
	}
	return out
}

// cells are the German table cells of a record.
func (l *labels) cells(rec *Record) []string {
	tags := make([]string, len(rec.Tags))
	for i, t := range rec.Tags {
		if name := l.tag[t]; name != "" {
			tags[i] = name
		} else {
			tags[i] = t
		}
	}
	ortsteil := rec.Ortsteil
	if rec.OrtsteilCode != "" {
		ortsteil = rec.OrtsteilCode + " " + rec.Ortsteil
	}
	return []string{
		rec.Number, rec.Chapter, rec.Paragraph, rec.ParagraphText, rec.Text, rec.Author,
		rec.CreatedAt.In(app.Berlin).Format("02.01.2006 15:04"), l.channel[rec.Channel], rec.Event,
		strings.TrimSpace(ortsteil), rec.Stadtbezirk, strings.Join(tags, ", "), l.status[rec.Status],
		l.assessment[rec.AssessmentStatus], rec.Reasoning, rec.Fachamt, rec.ReflectedIn, rec.ReflectedText,
		rec.Lead, strings.Join(rec.Cosigners, ", "), l.state(rec.WorkflowState), strings.Join(rec.DraftedBy, ", "),
		strings.Join(rec.DrafterNames, ", "), rec.ReviewedBy, rec.ReviewerName, day(rec.DraftedAt), day(rec.CosignedAt),
		day(rec.SubmittedAt), day(rec.PublishedAt), rec.ProposedParagraph, rec.ProposedText,
	}
}

func (l *labels) state(s string) string {
	if s == "" {
		return ""
	}
	return l.t("abwaegung.state." + s)
}

func day(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.In(app.Berlin).Format("02.01.2006 15:04")
}
