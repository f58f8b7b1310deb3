package web

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/abwaegung"
	"github.com/mitwirken/mitwirken/app/store"
)

// abwQueuePage is a queue of assessments with its filters and bulk form.
type abwQueuePage struct {
	Heading    string
	Fachamt    *app.Fachamt
	Access     *abwaegung.Access
	Rows       []*store.QueueRow
	Counts     map[string]int64
	Filter     store.AssessmentFilter
	Query      url.Values
	Fachaemter []*app.Fachamt
	Rounds     []*app.Round
	Groups     []chapterGroup
	Today      string
	Back       string
	Pagination pagination
}

// FachamtID is the id of the page's Fachamt (for Access.Member).
func (p *abwQueuePage) FachamtID() *int64 { return &p.Fachamt.ID }

// Total is the number of everything the filter selects regardless of state.
func (p *abwQueuePage) Total() int64 {
	var n int64
	for _, c := range p.Counts {
		n += c
	}
	return n
}

// queueFilter reads the queue's filters from the query string (German
// parameter names, like the moderation queue); unknown values are ignored.
func (s *Server) queueFilter(c echo.Context) (store.AssessmentFilter, url.Values, error) {
	q := c.QueryParams()
	now := s.store.Now()
	f := store.AssessmentFilter{Page: queryInt(c, "page", 1), PerPage: 50, Today: abwaegung.Today(now),
		Soon: abwaegung.WorkingDaysAfter(now.In(app.Berlin), 3).Format("2006-01-02")}
	base := url.Values{}
	keep := func(key, val string) {
		if val != "" {
			base.Set(key, val)
		}
	}
	if st := q.Get("stand"); app.ValidState(st) {
		f.State = st
		keep("stand", st)
	}
	if id, err := strconv.ParseInt(q.Get("kapitel"), 10, 64); err == nil && id > 0 {
		f.ChapterID = id
		keep("kapitel", q.Get("kapitel"))
	}
	if d := q.Get("frist"); d == store.DeadlineOverdue || d == store.DeadlineSoon || d == store.DeadlineNone {
		f.Deadline = d
		keep("frist", d)
	}
	if ch := q.Get("kanal"); app.ValidChannel(ch) {
		f.Channel = ch
		keep("kanal", ch)
	}
	if tag := strings.ToLower(strings.TrimSpace(q.Get("schlagwort"))); tag != "" && len(tag) <= app.MaxRuleValue {
		f.Tag = tag
		keep("schlagwort", tag)
	}
	if o := q.Get("ortsteil"); len(o) == 2 {
		f.Ortsteil = o
		keep("ortsteil", o)
	}
	if id, err := strconv.ParseInt(q.Get("runde"), 10, 64); err == nil && id > 0 {
		f.RoundID = id
		keep("runde", q.Get("runde"))
	}
	if r := q.Get("rolle"); r == app.RuleLead || r == app.RuleCosign {
		f.Role = r
		keep("rolle", r)
	}
	switch q.Get("sortierung") {
	case "neu":
		f.Sort = store.SortNew
	case "zustimmung":
		f.Sort = store.SortSupport
	}
	keep("sortierung", q.Get("sortierung"))
	if short := q.Get("amt"); short != "" && access(c).Coordinator {
		fa, err := s.store.FachamtByShort(c.Request().Context(), short)
		if err == nil {
			f.FachamtID = fa.ID
			keep("amt", fa.Short)
		}
	}
	f.Scope = access(c).Scope()
	return f, base, nil
}

func (s *Server) abwQueueData(c echo.Context, f store.AssessmentFilter, base url.Values, path string) (*abwQueuePage, error) {
	ctx := c.Request().Context()
	rows, total, counts, err := s.store.AssessmentQueue(ctx, f)
	if err != nil {
		return nil, err
	}
	d := &abwQueuePage{Access: access(c), Rows: rows, Counts: counts, Filter: f, Query: base, Today: f.Today,
		Back:       c.Request().URL.RequestURI(),
		Pagination: pagination{Page: max(f.Page, 1), PerPage: f.PerPage, Total: total, Base: base, Path: path}}
	if d.Fachaemter, err = s.store.Fachaemter(ctx, false); err != nil {
		return nil, err
	}
	if d.Rounds, err = s.store.Rounds(ctx); err != nil {
		return nil, err
	}
	if d.Groups, err = s.chapterGroups(c); err != nil {
		return nil, err
	}
	return d, nil
}

// abwQueue is the queue: everything for AG INSEK, the own Fachämter'
// assessments for their staff.
func (s *Server) abwQueue(c echo.Context) error {
	f, base, err := s.queueFilter(c)
	if err != nil {
		return err
	}
	d, err := s.abwQueueData(c, f, base, "/abwaegung")
	if err != nil {
		return err
	}
	title := "abwaegung.queue_title_mine"
	if d.Access.Coordinator {
		title = "abwaegung.queue_title_all"
	}
	d.Heading = localizer(c).T(title)
	return s.page(c, "abwaegung/queue", title, d)
}

// abwUnassigned lists what no rule and nobody assigned yet (AG INSEK).
func (s *Server) abwUnassigned(c echo.Context) error {
	f, base, err := s.queueFilter(c)
	if err != nil {
		return err
	}
	f.Unassigned = true
	d, err := s.abwQueueData(c, f, base, "/abwaegung/nicht-zugeordnet")
	if err != nil {
		return err
	}
	d.Heading = localizer(c).T("abwaegung.unassigned_title")
	return s.page(c, "abwaegung/queue", "abwaegung.unassigned_title", d)
}

// abwFachamtQueue is one Fachamt's queue (its staff, and AG INSEK).
func (s *Server) abwFachamtQueue(c echo.Context) error {
	fa, err := s.abw.Fachamt(c.Request().Context(), access(c), c.Param("short"))
	if err != nil {
		return err
	}
	f, base, err := s.queueFilter(c)
	if err != nil {
		return err
	}
	f.FachamtID, f.Scope = fa.ID, nil
	d, err := s.abwQueueData(c, f, base, "/abwaegung/amt/"+url.PathEscape(fa.Short))
	if err != nil {
		return err
	}
	d.Fachamt = fa
	d.Heading = localizer(c).T("abwaegung.fachamt_queue_title", "Name", fa.Label())
	v := s.view(c, "", d)
	v.Title = d.Heading
	return s.render(c, 200, "abwaegung/queue", v)
}

// abwBulkPage reports what a bulk action did.
type abwBulkPage struct {
	Result *abwaegung.BulkResult
	Back   string
}

// abwBulk applies one action to the ticked contributions.
func (s *Server) abwBulk(c echo.Context) error {
	var in abwaegung.BulkInput
	if err := bind(c, &in); err != nil {
		return err
	}
	back := safeNext(c.FormValue("back"))
	if !strings.HasPrefix(back, "/abwaegung") {
		back = "/abwaegung"
	}
	res, err := s.abw.Bulk(c.Request().Context(), access(c), in)
	if err != nil {
		e, ok := app.AsError(err)
		if !ok || (e.Code != app.CodeInvalid && e.Code != app.CodeConflict) {
			return err
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		v := s.view(c, "abwaegung.bulk_title", &abwBulkPage{Back: back})
		v.Form = newForm(nil, err, localizer(c))
		// This page has no form to link into: the messages stand alone,
		// next to the link back to the queue.
		var msgs []string
		for _, name := range v.Form.Order {
			msgs = append(msgs, v.Form.Errors[name])
		}
		if len(msgs) > 0 {
			v.Form.Message = strings.Join(msgs, " ")
			v.Form.Order = nil
		}
		return s.render(c, e.Code.HTTPStatus(), "abwaegung/bulk", v)
	}
	return s.page(c, "abwaegung/bulk", "abwaegung.bulk_title", &abwBulkPage{Result: res, Back: back})
}

// Selected reports whether a value is among the query's values for key.
func (p *abwQueuePage) Selected(key, val string) bool { return slices.Contains(p.Query[key], val) }
