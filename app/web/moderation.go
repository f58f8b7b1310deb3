package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/store"
)

func (s *Server) moderationRoutes() {
	g := s.adminGroup()
	g.GET("/moderation", s.moderationQueue)
	g.POST("/moderation/sammelaktion", s.moderationBulk)
	g.GET("/moderation/erfassen", s.transcribeForm)
	g.POST("/moderation/erfassen", s.transcribe)
	g.GET("/moderation/:number", s.moderationDetail)
	g.POST("/moderation/:number/entscheidung", s.moderationDecide)
	g.POST("/moderation/:number/schwaerzen", s.moderationRedact)
	g.POST("/moderation/:number/doppelung", s.moderationDuplicate)
	g.POST("/moderation/:number/notiz", s.moderationNote)
	g.POST("/moderation/:number/antwort", s.moderationAnswer)
}

// queueFilterParams are the query parameters of the queue, by filter field.
var queueStatuses = slices.Concat([]string{store.QueueOpen}, app.Statuses, []string{store.QueueAll})

type chapterGroup struct {
	Document app.DraftDocument
	Chapters []app.DraftChapter
}

type moderationQueuePage struct {
	Items      []*store.ContributionView
	Filter     store.QueueFilter
	Statuses   []string
	Channels   []string
	Groups     []chapterGroup
	Pagination pagination
	// SelectAll ticks every checkbox of the page (the no-script "select all").
	SelectAll bool
	// Query is the queue's address with its filters, to come back to.
	Query string
	// SelectAllURL is Query with every checkbox ticked.
	SelectAllURL string
	Counts       store.ModerationCounts
}

// chapterGroups lists every document with its chapters, for chapter selects.
func (s *Server) chapterGroups(c echo.Context) ([]chapterGroup, error) {
	docs, err := s.draft.Documents(c.Request().Context(), true)
	if err != nil {
		return nil, err
	}
	out := make([]chapterGroup, len(docs))
	for i, d := range docs {
		out[i].Document = d.Document
		for _, ch := range d.Chapters {
			out[i].Chapters = append(out[i].Chapters, ch.DraftChapter)
		}
	}
	return out, nil
}

// ChapterOptions turns chapter groups into select groups.
func (v *View) ChapterOptions(groups []chapterGroup) []OptGroup {
	out := make([]OptGroup, len(groups))
	for i, g := range groups {
		out[i].Label = g.Document.Title
		for _, ch := range g.Chapters {
			out[i].Options = append(out[i].Options, Option{Value: strconv.FormatInt(ch.ID, 10), Label: ch.Title})
		}
	}
	return out
}

// maxQueueQuery is the longest search (in characters) the queue uses.
const maxQueueQuery = 200

func queueFilterFrom(q url.Values, defaultStatus string) (store.QueueFilter, url.Values) {
	f := store.QueueFilter{Status: q.Get("status"), Channel: q.Get("kanal"), Age: q.Get("alter"),
		Query: strings.TrimSpace(q.Get("suche")), Assessment: q.Get("stand"), PerPage: 50}
	f.Page, _ = strconv.Atoi(q.Get("page"))
	f.ChapterID, _ = strconv.ParseInt(q.Get("kapitel"), 10, 64)
	f.Reported = q.Get("gemeldet") == "true"
	if !app.ValidChannel(f.Channel) {
		f.Channel = ""
	}
	valid := false
	for _, st := range queueStatuses {
		valid = valid || st == f.Status
	}
	if !valid {
		f.Status = defaultStatus
	}
	switch f.Age {
	case store.AgeNewerThanDay, store.AgeOlderThan3d, store.AgeOlderThan7d:
	default:
		f.Age = ""
	}
	switch f.Assessment {
	case store.AssessmentOpen, store.AssessmentDraft, store.AssessmentDone:
	default:
		f.Assessment = ""
	}
	if r := []rune(f.Query); len(r) > maxQueueQuery {
		f.Query = string(r[:maxQueueQuery]) // by characters: a byte cut could split one
	}
	base := url.Values{}
	for key, val := range map[string]string{"status": f.Status, "kanal": f.Channel, "alter": f.Age, "suche": f.Query, "stand": f.Assessment} {
		if val != "" {
			base.Set(key, val)
		}
	}
	if f.ChapterID != 0 {
		base.Set("kapitel", strconv.FormatInt(f.ChapterID, 10))
	}
	if f.Reported {
		base.Set("gemeldet", "true")
	}
	return f, base
}

func (s *Server) moderationQueueData(c echo.Context, q url.Values) (*moderationQueuePage, error) {
	f, base := queueFilterFrom(q, store.QueueOpen)
	f.ReportedFirst = true
	items, total, err := s.store.ModerationQueue(c.Request().Context(), f)
	if err != nil {
		return nil, err
	}
	groups, err := s.chapterGroups(c)
	if err != nil {
		return nil, err
	}
	counts, err := s.store.CountModeration(c.Request().Context())
	if err != nil {
		return nil, err
	}
	if f.Page < 1 {
		f.Page = 1
	}
	query := "/admin/moderation"
	withPage := url.Values{}
	for k, v := range base {
		withPage[k] = v
	}
	if f.Page > 1 {
		withPage.Set("page", strconv.Itoa(f.Page))
	}
	if len(withPage) > 0 {
		query += "?" + withPage.Encode()
	}
	withPage.Set("alle", "1")
	selectAll := "/admin/moderation?" + withPage.Encode()
	return &moderationQueuePage{Items: items, Filter: f, Statuses: queueStatuses, Channels: app.Channels, Groups: groups,
		Pagination: pagination{Page: f.Page, PerPage: f.PerPage, Total: total, Base: base, Path: "/admin/moderation"},
		SelectAll:  q.Get("alle") == "1", Query: query, SelectAllURL: selectAll, Counts: counts}, nil
}

func (s *Server) moderationQueue(c echo.Context) error {
	d, err := s.moderationQueueData(c, c.QueryParams())
	if err != nil {
		return err
	}
	return s.page(c, "admin/moderation_queue", "moderation.queue_title", d)
}

type bulkInput struct {
	IDs        []int64 `form:"ids"`
	Action     string  `form:"action"`
	Reason     string  `form:"reason"`
	ReasonText string  `form:"reason_text"`
	Back       string  `form:"back"`
}

func (s *Server) moderationBulk(c echo.Context) error {
	var in bulkInput
	if err := bind(c, &in); err != nil {
		return err
	}
	back := safeNext(in.Back)
	if !strings.HasPrefix(back, "/admin/moderation") {
		back = "/admin/moderation"
	}
	_, err := s.draft.ModerateMany(c.Request().Context(), currentUser(c), in.IDs, app.ModerationInput{Action: in.Action, Reason: in.Reason, ReasonText: in.ReasonText})
	if err != nil {
		u, _ := url.Parse(back)
		d, derr := s.moderationQueueData(c, u.Query())
		if derr != nil {
			return derr
		}
		return s.renderTitled(c, "admin/moderation_queue", localizer(c).T("moderation.queue_title"), d, err)
	}
	return s.redirect(c, back, "moderation.bulk_done")
}

type moderationDetailPage struct {
	Page    *draft.ContributionPage
	View    *store.ContributionView
	Reports []app.ContributionReport
	Log     []*store.LogEntryView
	Similar *similarSection
}

func (s *Server) moderationDetailData(c echo.Context) (*moderationDetailPage, url.Values, error) {
	cv, err := s.loadContributionPage(c)
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	d := &moderationDetailPage{Page: cv.Page, View: cv.Page.Comment.ContributionView}
	if d.Reports, err = s.store.Reports(ctx, d.View.ID); err != nil {
		return nil, nil, err
	}
	if d.Log, err = s.store.ContributionLog(ctx, d.View.ID); err != nil {
		return nil, nil, err
	}
	if d.Similar, err = s.similarSection(c, d.View, "/admin/moderation/"); err != nil {
		return nil, nil, err
	}
	d.Similar.Merge = d.View.Status != app.StatusWithdrawn
	defaults := url.Values{"body": {d.View.Body}, "answer": {d.View.AnswerBody}}
	if d.View.DuplicateNumber != nil {
		defaults.Set("primary", app.FormatContributionNumber(*d.View.DuplicateNumber))
	}
	return d, defaults, nil
}

func (s *Server) moderationTitle(c echo.Context, d *moderationDetailPage) string {
	return localizer(c).T("moderation.detail_title", "Number", d.View.PublicNumber())
}

func (s *Server) moderationDetail(c echo.Context) error {
	d, defaults, err := s.moderationDetailData(c)
	if err != nil {
		return err
	}
	v := s.view(c, "", d)
	v.Title = s.moderationTitle(c, d)
	v.Form = &Form{Values: defaults, Errors: map[string]string{}}
	return s.render(c, 200, "admin/moderation_detail", v)
}

// moderationAction runs one action of the detail page and returns to it, or
// re-renders it with the errors of the submitted form.
func (s *Server) moderationAction(c echo.Context, flash string, act func(d *moderationDetailPage) error) error {
	d, defaults, err := s.moderationDetailData(c)
	if err != nil {
		return err
	}
	if err := act(d); err != nil {
		d2, _, derr := s.moderationDetailData(c)
		if derr != nil {
			return derr
		}
		return s.renderTitled(c, "admin/moderation_detail", s.moderationTitle(c, d2), d2, err, defaults)
	}
	return s.redirect(c, "/admin/moderation/"+d.View.PublicNumber(), flash)
}

func (s *Server) moderationDecide(c echo.Context) error {
	var in app.ModerationInput
	if err := bind(c, &in); err != nil {
		return err
	}
	return s.moderationAction(c, "moderation.decided", func(d *moderationDetailPage) error {
		_, err := s.draft.Moderate(c.Request().Context(), currentUser(c), d.View.ID, in)
		return err
	})
}

func (s *Server) moderationRedact(c echo.Context) error {
	return s.moderationAction(c, "moderation.redacted", func(d *moderationDetailPage) error {
		_, err := s.store.Redact(c.Request().Context(), currentUser(c), d.View.ID, c.FormValue("body"), c.FormValue("redaction_note"))
		return err
	})
}

func (s *Server) moderationDuplicate(c echo.Context) error {
	return s.moderationAction(c, "moderation.duplicate_saved", func(d *moderationDetailPage) error {
		ctx, u := c.Request().Context(), currentUser(c)
		raw := strings.TrimSpace(c.FormValue("primary"))
		if raw == "" || c.FormValue("remove") == "true" {
			return s.store.UnmarkDuplicate(ctx, u, d.View.ID)
		}
		n, ok := app.ParseContributionNumber(raw)
		if !ok {
			return app.FieldInvalid("primary", "contribution.primary_unknown")
		}
		_, err := s.store.MarkDuplicate(ctx, u, d.View.ID, n)
		return err
	})
}

func (s *Server) moderationNote(c echo.Context) error {
	return s.moderationAction(c, "moderation.note_saved", func(d *moderationDetailPage) error {
		return s.store.AddModerationNote(c.Request().Context(), currentUser(c), d.View.ID, c.FormValue("note"))
	})
}

func (s *Server) moderationAnswer(c echo.Context) error {
	return s.moderationAction(c, "moderation.answer_saved", func(d *moderationDetailPage) error {
		_, err := s.draft.Answer(c.Request().Context(), currentUser(c), d.View.ID, c.FormValue("answer"))
		return err
	})
}

type transcribePage struct {
	Groups   []chapterGroup
	Channels []string
	Last     string
}

func (s *Server) transcribeData(c echo.Context) (*transcribePage, error) {
	groups, err := s.chapterGroups(c)
	if err != nil {
		return nil, err
	}
	last := ""
	if n, ok := app.ParseContributionNumber(c.QueryParam("zuletzt")); ok {
		last = app.FormatContributionNumber(n)
	}
	return &transcribePage{Groups: groups, Channels: app.TranscribedChannels, Last: last}, nil
}

func (s *Server) transcribeForm(c echo.Context) error {
	d, err := s.transcribeData(c)
	if err != nil {
		return err
	}
	q := c.QueryParams()
	values := url.Values{"approve": {"true"}, "channel": {q.Get("kanal")}, "event_id": {q.Get("veranstaltung")},
		"chapter_id": {q.Get("kapitel")}, "author_label": {q.Get("bezeichnung")}}
	return s.formPage(c, "admin/moderation_transcribe", "moderation.transcribe_title", values, d)
}

func (s *Server) transcribe(c echo.Context) error {
	var in draft.TranscribeInput
	if err := bind(c, &in); err != nil {
		return err
	}
	created, err := s.draft.Transcribe(c.Request().Context(), currentUser(c), in)
	if err != nil {
		d, derr := s.transcribeData(c)
		if derr != nil {
			return derr
		}
		return s.formError(c, "admin/moderation_transcribe", "moderation.transcribe_title", err, d)
	}
	q := url.Values{"kanal": {in.Channel}, "zuletzt": {created.PublicNumber()}, "bezeichnung": {in.AuthorLabel}}
	if in.EventID > 0 {
		q.Set("veranstaltung", strconv.FormatInt(in.EventID, 10))
	}
	if in.ChapterID > 0 {
		q.Set("kapitel", strconv.FormatInt(in.ChapterID, 10))
	}
	return s.redirect(c, "/admin/moderation/erfassen?"+q.Encode(), "moderation.transcribed")
}
