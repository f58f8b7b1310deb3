package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// The quotas of a selection event: categories with values and seats per
// value, presets, the household rule and the algorithm. Editable until the
// draw is requested.
func (s *Server) selectionQuotaRoutes() {
	g := s.adminGroup()
	g.GET("/veranstaltungen/:id/quoten", s.adminQuotas)
	g.POST("/veranstaltungen/:id/quoten", s.adminQuotasSave)
	g.POST("/veranstaltungen/:id/quoten/kategorien", s.adminQuotaCategoryAdd)
	g.POST("/veranstaltungen/:id/quoten/kategorien/:cat/loeschen", s.adminQuotaCategoryDelete)
	g.POST("/veranstaltungen/:id/quoten/einstellungen", s.adminQuotaSettings)
}

type quotaPage struct {
	Event      *app.Event
	Categories []*app.SelectionCategory
	Settings   *app.SelectionSettings
	Counts     map[int64]int
	Applicants int
	Seats      int
	Editable   bool
	// Frozen: the draw is announced or done; the applications have left
	// the "applied" state, so their counts are on the public draw page.
	Frozen      bool
	Changes     []app.Msg
	Sources     []string
	Algorithms  []string
	Gebiete     int
	HasCategory map[string]bool
}

// quotaEvent loads the selection event of a quota request; it is all a POST
// needs before it acts.
func (s *Server) quotaEvent(c echo.Context) (*app.Event, error) {
	ev, err := s.adminLoadEvent(c)
	if err != nil {
		return nil, err
	}
	if ev.Allocation != app.AllocSelection {
		return nil, app.NotFound()
	}
	return ev, nil
}

// quotaData is everything the quota page shows, with the feasibility check:
// for the GET and for re-rendering after a failed POST.
func (s *Server) quotaData(c echo.Context, ev *app.Event) (*quotaPage, error) {
	ctx := c.Request().Context()
	f, err := s.events.CheckQuotas(ctx, ev)
	if err != nil {
		return nil, err
	}
	p := &quotaPage{Event: ev, Categories: f.Pool.Categories, Settings: f.Pool.Settings, Counts: f.Pool.Counts,
		Applicants: len(f.Pool.Pool.People), Seats: f.Pool.Seats, Changes: f.Changes, Sources: app.SelectionSources,
		Algorithms: []string{"leximin", "legacy"}, HasCategory: map[string]bool{}}
	if p.Seats == 0 {
		p.Seats = ev.Capacity
	}
	for _, cat := range p.Categories {
		p.HasCategory[cat.Source] = true
	}
	job, err := s.store.SelectionJobOf(ctx, ev.ID)
	running := err == nil && (job.Status == app.JobPending || job.Status == app.JobRunning)
	p.Editable = ev.DrawStatus == "" && !running
	p.Frozen = ev.DrawStatus != ""
	return p, nil
}

// quotaValues are the current quotas and settings as form values; what was
// submitted overrides them, so a form with errors keeps what was typed.
func quotaValues(p *quotaPage, submitted url.Values) url.Values {
	v := url.Values{"algorithm": {p.Settings.Algorithm}}
	if p.Settings.Household != "" {
		v.Set("household", "true")
	}
	for _, c := range p.Categories {
		for _, val := range c.Values {
			v.Set(app.QuotaField("min", val.ID), strconv.Itoa(val.MinSeats))
			v.Set(app.QuotaField("max", val.ID), strconv.Itoa(val.MaxSeats))
		}
	}
	for k, vals := range submitted {
		v[k] = vals
	}
	return v
}

// quotaFailed re-renders the page after a failed POST; only then is the
// page data (with the feasibility check) loaded.
func (s *Server) quotaFailed(c echo.Context, ev *app.Event, err error) error {
	e, ok := app.AsError(err)
	if !ok || (e.Code != app.CodeInvalid && e.Code != app.CodeConflict) {
		return err
	}
	p, perr := s.quotaData(c, ev)
	if perr != nil {
		return perr
	}
	return s.renderQuotas(c, p, err)
}

func (s *Server) renderQuotas(c echo.Context, p *quotaPage, err error) error {
	status := http.StatusOK
	var submitted url.Values
	if err != nil {
		e, ok := app.AsError(err)
		if !ok {
			return err
		}
		switch e.Code {
		case app.CodeInvalid, app.CodeConflict:
		default:
			return err
		}
		status = e.Code.HTTPStatus()
		submitted, _ = c.FormParams()
	}
	v := s.view(c, "selection.quotas_page", p)
	v.Form = newForm(quotaValues(p, submitted), err, localizer(c))
	return s.render(c, status, "admin/selection_quotas", v)
}

func (s *Server) adminQuotas(c echo.Context) error {
	ev, err := s.quotaEvent(c)
	if err != nil {
		return err
	}
	p, err := s.quotaData(c, ev)
	if err != nil {
		return err
	}
	return s.renderQuotas(c, p, nil)
}

func (s *Server) quotaPath(id int64) string { return adminEventPath(id) + "/quoten" }

func (s *Server) adminQuotasSave(c echo.Context) error {
	ev, err := s.quotaEvent(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	cats, err := s.store.SelectionCategories(ctx, ev.ID)
	if err != nil {
		return err
	}
	// The seats the quotas are checked against, as on the page: the
	// smaller of capacity and applicants, the capacity without applicants.
	applicants, err := s.store.CountApplicants(ctx, ev.ID)
	if err != nil {
		return err
	}
	seats := min(ev.Capacity, applicants)
	if seats == 0 {
		seats = ev.Capacity
	}
	var values []*app.SelectionValue
	for _, cat := range cats {
		values = append(values, cat.Values...)
	}
	err = app.ParseQuotas(values, seats, c.FormValue)
	if err == nil {
		err = s.store.SaveQuotas(ctx, currentUser(c), ev.ID, cats)
	}
	if err != nil {
		return s.quotaFailed(c, ev, err)
	}
	return s.redirect(c, s.quotaPath(ev.ID), "selection.quotas_saved")
}

func (s *Server) adminQuotaCategoryAdd(c echo.Context) error {
	ev, err := s.quotaEvent(c)
	if err != nil {
		return err
	}
	var in app.SelectionCategoryInput
	if err := bind(c, &in); err != nil {
		return err
	}
	de := s.i18n.Localizer("de")
	err = s.events.AddCategory(c.Request().Context(), currentUser(c), ev, in, func(id string) string { return de.T(id) })
	if err != nil {
		return s.quotaFailed(c, ev, err)
	}
	return s.redirect(c, s.quotaPath(ev.ID), "selection.category_added")
}

func (s *Server) adminQuotaCategoryDelete(c echo.Context) error {
	ev, err := s.quotaEvent(c)
	if err != nil {
		return err
	}
	catID, err := pathID(c, "cat")
	if err != nil {
		return err
	}
	if err := s.store.DeleteSelectionCategory(c.Request().Context(), currentUser(c), ev.ID, catID); err != nil {
		return s.quotaFailed(c, ev, err)
	}
	return s.redirect(c, s.quotaPath(ev.ID), "selection.category_deleted")
}

func (s *Server) adminQuotaSettings(c echo.Context) error {
	ev, err := s.quotaEvent(c)
	if err != nil {
		return err
	}
	var in app.SelectionSettingsInput
	if err := bind(c, &in); err != nil {
		return err
	}
	err = in.Validate()
	if err == nil {
		st := &app.SelectionSettings{EventID: ev.ID, Algorithm: in.Algorithm}
		if in.Household {
			st.Household = app.HouseholdEmailSurname
		}
		err = s.store.SaveSelectionSettings(c.Request().Context(), currentUser(c), st)
	}
	if err != nil {
		return s.quotaFailed(c, ev, err)
	}
	return s.redirect(c, s.quotaPath(ev.ID), "selection.settings_saved")
}
