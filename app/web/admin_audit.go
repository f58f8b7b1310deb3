package web

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

func (s *Server) adminAuditRoutes() {
	s.adminGroup().GET("/protokoll", s.adminAudit, requireRole(app.RoleAdmin))
}

type adminAuditPage struct {
	Entries    []app.AuditEntry
	Names      map[int64]string
	Actions    []Option
	Check      auditCheck
	CheckedAt  time.Time
	Pagination pagination
}

// auditCheck is the result of verifying the whole chain, which views take
// from s.auditChecks (see snapshot) rather than recomputing.
type auditCheck struct {
	Checked int64
	Broken  *store.AuditBreak
}

// ActorName is "Name (12)" for an account, "(12)" after erasure.
func (d *adminAuditPage) ActorName(id *int64) string {
	if id == nil {
		return ""
	}
	n := strconv.FormatInt(*id, 10)
	if name := d.Names[*id]; name != "" {
		return name + " (" + n + ")"
	}
	return "(" + n + ")"
}

// auditQuery reads the filter from the query string; bad values are
// reported next to their field and the filter is not applied.
func auditQuery(q url.Values) (store.AuditFilter, url.Values, error) {
	f := store.AuditFilter{Action: strings.TrimSpace(q.Get("aktion")), PerPage: 50}
	base := url.Values{}
	var v app.Validator
	v.Line("aktion", f.Action, false, 80)
	if f.Action != "" {
		base.Set("aktion", f.Action)
	}
	if a := strings.TrimSpace(q.Get("akteur")); a != "" {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id <= 0 {
			v.Add("akteur", "results.actor_invalid")
		} else {
			f.ActorID = id
			base.Set("akteur", a)
		}
	}
	from, to := strings.TrimSpace(q.Get("von")), strings.TrimSpace(q.Get("bis"))
	f.From, f.To = v.DateRange("von", from, "bis", to)
	if f.From != nil {
		base.Set("von", from)
	}
	if f.To != nil {
		base.Set("bis", to)
	}
	f.Page = 1
	if n, err := strconv.Atoi(q.Get("page")); err == nil && n > 0 && n < 1_000_000 {
		f.Page = n
	}
	return f, base, v.Err()
}

func (s *Server) adminAudit(c echo.Context) error {
	ctx := c.Request().Context()
	f, base, ferr := auditQuery(c.QueryParams())
	if ferr != nil {
		f = store.AuditFilter{Page: 1, PerPage: 50}
		base = url.Values{}
	}
	d, err := s.auditPageData(ctx, f, base)
	if err != nil {
		return err
	}
	v := s.view(c, "results.audit_title", d)
	v.Form = newForm(c.QueryParams(), ferr, localizer(c))
	status := 200
	if ferr != nil {
		status = 422
	}
	return s.render(c, status, "admin/audit", v)
}

func (s *Server) auditPageData(ctx context.Context, f store.AuditFilter, base url.Values) (*adminAuditPage, error) {
	entries, total, err := s.store.ListAudit(ctx, f)
	if err != nil {
		return nil, err
	}
	d := &adminAuditPage{Entries: entries, Pagination: pagination{Page: f.Page, PerPage: f.PerPage, Total: total, Base: base, Path: "/admin/protokoll"}}
	var ids []int64
	for _, e := range entries {
		if e.ActorID != nil {
			ids = append(ids, *e.ActorID)
		}
	}
	if d.Names, err = s.store.UserNames(ctx, ids); err != nil {
		return nil, err
	}
	actions, err := s.store.AuditActions(ctx)
	if err != nil {
		return nil, err
	}
	for _, a := range actions {
		d.Actions = append(d.Actions, Option{a, a})
	}
	d.Check, d.CheckedAt, err = s.auditChecks.get(ctx)
	return d, err
}
