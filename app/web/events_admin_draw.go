package web

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// The draw of a selection event is run by a moderator in two steps:
// announce (closes applications, freezes the pool, names the seed source)
// and draw (enters the seed as announced, with witnesses).
func (s *Server) eventAdminDrawRoutes() {
	g := s.adminGroup()
	g.GET("/veranstaltungen/:id/auslosung", s.adminDraw)
	g.POST("/veranstaltungen/:id/auslosung/ankuendigen", s.adminDrawAnnounce)
	g.POST("/veranstaltungen/:id/auslosung/ziehen", s.adminDrawRun)
}

type adminDrawPage struct {
	Event      eventItem
	Draw       *app.EventDraw
	Applicants int
	WindowOpen bool
	// Quotas of the draw (selection_draw.go): whether there are any, the
	// feasibility check's suggested changes, the background computation.
	Quotas     bool
	Categories int
	Algorithm  string
	Changes    []app.Msg
	Job        *app.SelectionJob
	JobOpen    bool
}

func (s *Server) adminDrawData(c echo.Context) (*adminDrawPage, error) {
	ev, err := s.adminLoadEvent(c)
	if err != nil {
		return nil, err
	}
	if ev.Allocation != app.AllocSelection {
		return nil, app.NotFound()
	}
	ctx := c.Request().Context()
	items, _, err := s.eventItems(ctx, []*app.Event{ev}, localizer(c).Lang())
	if err != nil {
		return nil, err
	}
	d := &adminDrawPage{Event: items[0], WindowOpen: ev.WindowState(s.store.Now()) != "closed"}
	if d.Applicants, err = s.store.CountApplicants(ctx, ev.ID); err != nil {
		return nil, err
	}
	if ev.DrawStatus != "" {
		if d.Draw, err = s.store.DrawOf(ctx, ev.ID); err != nil {
			return nil, err
		}
	}
	if job, err := s.store.SelectionJobOf(ctx, ev.ID); err == nil {
		d.Job, d.JobOpen = job, job.Status == app.JobPending || job.Status == app.JobRunning
	}
	if ev.DrawStatus == "" && (d.Job == nil || d.Job.Status == app.JobFailed) {
		f, err := s.events.CheckQuotas(ctx, ev)
		if err != nil {
			return nil, err
		}
		d.Quotas, d.Categories, d.Changes, d.Algorithm = f.Pool.Quotas(), len(f.Pool.Categories), f.Changes, f.Pool.Settings.Algorithm
	}
	return d, nil
}

func (s *Server) adminDraw(c echo.Context) error {
	d, err := s.adminDrawData(c)
	if err != nil {
		return err
	}
	return s.formPage(c, "admin/events_draw", "events.draw_admin_page", url.Values{}, d)
}

func (s *Server) adminDrawAnnounce(c echo.Context) error {
	d, err := s.adminDrawData(c)
	if err != nil {
		return err
	}
	var in app.DrawAnnounceInput
	if err := bind(c, &in); err != nil {
		return err
	}
	announced, err := s.events.RequestDraw(c.Request().Context(), currentUser(c), d.Event.ID, in)
	if err != nil {
		return s.announceError(c, d, err)
	}
	if !announced { // computed in the background (selection_draw.go)
		return s.redirect(c, adminEventPath(d.Event.ID)+"/auslosung/status", "selection.job_queued_flash")
	}
	return s.redirect(c, adminEventPath(d.Event.ID)+"/auslosung", "events.draw_announced_flash")
}

func (s *Server) adminDrawRun(c echo.Context) error {
	d, err := s.adminDrawData(c)
	if err != nil {
		return err
	}
	var in app.DrawInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if _, err := s.events.RunDraw(c.Request().Context(), currentUser(c), d.Event.ID, in); err != nil {
		return s.formError(c, "admin/events_draw", "events.draw_admin_page", err, d)
	}
	return s.redirect(c, adminEventPath(d.Event.ID)+"/auslosung", "events.draw_done_flash")
}
