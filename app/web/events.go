package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/events"
	"github.com/mitwirken/mitwirken/app/pagecache"
	"github.com/mitwirken/mitwirken/app/store"
)

// eventRoutes registers every page and API endpoint of the events feature.
func (s *Server) eventRoutes() {
	s.e.GET("/veranstaltungen", s.eventList)
	s.cachedGET("/veranstaltungen/:id", s.eventShow, pagecache.Events)
	s.e.GET("/veranstaltungen/:id/kalender.ics", s.eventICS)
	s.e.GET("/events.ics", s.eventFeed)
	s.takesTurn(s.e.POST("/veranstaltungen/:id/anmelden", s.eventRegister, requireVerified))
	s.e.GET("/veranstaltungen/:id/abmelden", s.eventCancelConfirm, requireLogin)
	s.e.POST("/veranstaltungen/:id/abmelden", s.eventCancelOwn, requireLogin)
	s.e.POST("/veranstaltungen/:id/angebot", s.eventRespondOwn, requireLogin)
	s.eventMineRoutes()
	s.eventLinkRoutes()
	s.eventDrawRoutes()
	s.eventAdminRoutes()
	s.eventAdminDrawRoutes()
	s.eventAdminInvitationRoutes()
	s.stadtgebietRoutes()
	s.eventAPIRoutes()
}

// eventItem is an event as lists and pages show it.
type eventItem struct {
	*app.Event
	Counts store.EventCounts
	Gebiet *app.Stadtgebiet
	// Ended is set where a page tells past from upcoming events.
	Ended bool
	lang  string
}

// When is the date and time range in Berlin time.
func (e eventItem) When() string { return events.FormatWhen(e.Event, e.lang) }

// Final is the aggregate record kept after the personal data was deleted.
func (e eventItem) Final() *store.FinalCounts { return store.ParseFinalCounts(e.FinalCounts) }

func (s *Server) eventItems(ctx context.Context, list []*app.Event, lang string) ([]eventItem, []*app.Stadtgebiet, error) {
	ids := make([]int64, len(list))
	for i, e := range list {
		ids[i] = e.ID
	}
	counts, err := s.store.CountRegistrations(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	gebiete, err := s.store.Stadtgebiete(ctx)
	if err != nil {
		return nil, nil, err
	}
	out := make([]eventItem, len(list))
	for i, e := range list {
		out[i] = eventItem{Event: e, Counts: counts[e.ID], lang: lang, Gebiet: gebietByID(gebiete, e.StadtgebietID)}
	}
	return out, gebiete, nil
}

func gebietByID(all []*app.Stadtgebiet, id *int64) *app.Stadtgebiet {
	if id == nil {
		return nil
	}
	for _, g := range all {
		if g.ID == *id {
			return g
		}
	}
	return nil
}

type eventListPage struct {
	Items      []eventItem
	Yours      []eventItem
	YourGebiet *app.Stadtgebiet
	Gebiete    []*app.Stadtgebiet
	Filter     store.EventFilter
	Formats    []app.EventFormat
	Past       bool
	Pagination pagination
}

func (s *Server) eventList(c echo.Context) error {
	if c.QueryParam("ansicht") == "karte" {
		return s.eventMap(c)
	}
	ctx := c.Request().Context()
	lang := localizer(c).Lang()
	f := store.EventFilter{Format: c.QueryParam("format"), Theme: c.QueryParam("thema"), Past: c.QueryParam("zeitraum") == "vergangen",
		Page: queryInt(c, "page", 1), PerPage: 20}
	if !app.EventFormat(f.Format).Valid() {
		f.Format = ""
	}
	if id, err := strconv.ParseInt(c.QueryParam("gebiet"), 10, 64); err == nil && id > 0 {
		f.StadtgebietID = id
	}
	if len(f.Theme) > 40 {
		f.Theme = ""
	}
	list, total, err := s.store.ListEvents(ctx, f)
	if err != nil {
		return err
	}
	items, gebiete, err := s.eventItems(ctx, list, lang)
	if err != nil {
		return err
	}
	d := eventListPage{Items: items, Gebiete: gebiete, Filter: f, Formats: app.EventFormats, Past: f.Past}
	if u := currentUser(c); u != nil && !f.Past {
		// The forum of the person's own Stadtgebiet comes first.
		if g := store.StadtgebietOf(gebiete, u.Ortsteil()); g != nil {
			d.YourGebiet = g
			yours, _, err := s.store.ListEvents(ctx, store.EventFilter{Format: string(app.FormatForum), StadtgebietID: g.ID, PerPage: 5})
			if err != nil {
				return err
			}
			if d.Yours, _, err = s.eventItems(ctx, yours, lang); err != nil {
				return err
			}
		}
	}
	base := url.Values{}
	for k, v := range map[string]string{"format": f.Format, "thema": f.Theme, "gebiet": c.QueryParam("gebiet"), "zeitraum": c.QueryParam("zeitraum")} {
		if v != "" {
			base.Set(k, v)
		}
	}
	d.Pagination = pagination{Page: f.Page, PerPage: f.PerPage, Total: total, Base: base, Path: "/veranstaltungen"}
	return s.page(c, "events/list", "events.list_title", d)
}

// eventPage is the event page: details, seats, the person's own status and
// the registration form.
type eventPage struct {
	Event eventItem
	// Surveys are the open surveys on the event (issue 15).
	Surveys []app.Survey
	// GebietMap draws the event's Stadtgebiet (issue 14).
	GebietMap template.HTML
	// VenueMap draws the venue on the map of its Stadtbezirk, in VenueOrtsteil.
	VenueMap      template.HTML
	VenueOrtsteil string
	Status        *events.Status
	Window        string
	Open          bool
	Ineligible    string
	Draw          *app.EventDraw
	Themes        []app.Theme
	Needs         []string
	AgeBands      []string
	Genders       []string
	FirstTimes    []string
	CanRegister   bool
	// FreeCategories are the organisers' own quota categories (selection).
	FreeCategories []*app.SelectionCategory
}

// loadEvent reads a published event (admins and moderators see drafts too).
func (s *Server) loadEvent(c echo.Context) (*app.Event, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	ev, err := s.store.EventByID(c.Request().Context(), id)
	if err != nil {
		return nil, err
	}
	if !ev.Published() && !currentUser(c).Is(app.RoleModerator) {
		return nil, app.NotFound()
	}
	return ev, nil
}

func (s *Server) eventPageData(c echo.Context, ev *app.Event) (*eventPage, error) {
	ctx := c.Request().Context()
	items, gebiete, err := s.eventItems(ctx, []*app.Event{ev}, localizer(c).Lang())
	if err != nil {
		return nil, err
	}
	u := currentUser(c)
	now := s.store.Now()
	d := &eventPage{Event: items[0], Window: ev.WindowState(now), Open: ev.RegistrationOpen(now), Needs: app.AccessNeeds,
		AgeBands: app.AgeBands, Genders: app.Genders, FirstTimes: app.FirstTimeValues}
	if d.FreeCategories, err = s.events.FreeCategories(ctx, ev); err != nil {
		return nil, err
	}
	for _, t := range s.ref.Themes {
		if ev.HasTheme(t.Code) {
			d.Themes = append(d.Themes, t)
		}
	}
	if d.Status, err = s.events.StatusOf(ctx, u, ev.ID); err != nil {
		return nil, err
	}
	if ev.Allocation == app.AllocSelection && ev.DrawStatus != "" {
		if d.Draw, err = s.store.DrawOf(ctx, ev.ID); err != nil && app.ErrorCode(err) != app.CodeNotFound {
			return nil, err
		}
	}
	if ev.Allocation == app.AllocInvitation {
		own := store.StadtgebietOf(gebiete, u.Ortsteil())
		switch {
		case ev.PublicSeats == 0:
			d.Ineligible = "events.invitation_only"
		case ev.StadtgebietID != nil && (own == nil || own.ID != *ev.StadtgebietID):
			d.Ineligible = "events.residents_only"
		}
	}
	// Shown within the page cache's TTL, as on the chapter page.
	if d.Surveys, err = s.store.OpenSurveysOfEvent(ctx, ev.ID, now); err != nil {
		return nil, err
	}
	d.GebietMap = s.gebietMap(c, items[0].Gebiet)
	d.VenueMap, d.VenueOrtsteil = s.venueMap(c, ev)
	active := d.Status != nil && app.ActiveStatus(d.Status.Registration.Status)
	d.CanRegister = d.Open && u.Verified() && !active && d.Ineligible == ""
	return d, nil
}

func (s *Server) eventShow(c echo.Context) error {
	ev, err := s.loadEvent(c)
	if err != nil {
		return err
	}
	d, err := s.eventPageData(c, ev)
	if err != nil {
		return err
	}
	return s.eventRender(c, http.StatusOK, "events/show", ev.Title, d, url.Values{}, nil)
}

// eventRender renders a page whose title is data (an event's title), with a
// form of values and the error of an action, if any.
func (s *Server) eventRender(c echo.Context, status int, page, title string, data any, values url.Values, err error) error {
	v := s.view(c, "", data)
	v.Title = title
	v.Form = &Form{Values: values, Errors: map[string]string{}}
	if err != nil {
		v.Form = newForm(values, err, localizer(c))
	}
	return s.render(c, status, page, v)
}

// eventFormError re-renders the event page after a failed registration:
// field errors next to the fields, other refusals (window closed, already
// registered, invitation only) in the summary.
func (s *Server) eventFormError(c echo.Context, ev *app.Event, err error) error {
	e, ok := app.AsError(err)
	if !ok {
		return err
	}
	switch e.Code {
	case app.CodeInvalid, app.CodeConflict, app.CodeGone, app.CodeForbidden:
	default:
		return err
	}
	d, derr := s.eventPageData(c, ev)
	if derr != nil {
		return derr
	}
	values, _ := c.FormParams()
	return s.eventRender(c, e.Code.HTTPStatus(), "events/show", ev.Title, d, values, e)
}

func (s *Server) eventRegister(c echo.Context) error {
	ev, err := s.loadEvent(c)
	if err != nil {
		return err
	}
	var in app.RegistrationInput
	if err := bind(c, &in); err != nil {
		return err
	}
	in.Selection = selectionAnswers(c) // selection_answers.go
	res, err := s.events.Register(c.Request().Context(), currentUser(c), ev.ID, in)
	if err != nil {
		return s.eventFormError(c, ev, err)
	}
	return s.redirect(c, eventPath(ev.ID), registeredFlash(res.Registration.Status))
}

func registeredFlash(status string) string {
	switch status {
	case app.RegWaitlisted:
		return "events.registered_waitlisted"
	case app.RegApplied:
		return "events.registered_applied"
	}
	return "events.registered_confirmed"
}

func eventPath(id int64) string { return "/veranstaltungen/" + strconv.FormatInt(id, 10) }

// cancelConfirmPage asks before a registration is cancelled, from the event
// page or from the link in a mail.
type cancelConfirmPage struct {
	Event  eventItem
	Reg    *app.Registration
	Action string
	Token  string
}

func (s *Server) eventCancelConfirm(c echo.Context) error {
	ev, err := s.loadEvent(c)
	if err != nil {
		return err
	}
	st, err := s.events.StatusOf(c.Request().Context(), currentUser(c), ev.ID)
	if err != nil {
		return err
	}
	if st == nil || !app.ActiveStatus(st.Registration.Status) {
		return s.redirect(c, eventPath(ev.ID), "")
	}
	d := cancelConfirmPage{Event: eventItem{Event: ev, lang: localizer(c).Lang()}, Reg: st.Registration, Action: eventPath(ev.ID) + "/abmelden"}
	return s.page(c, "events/cancel_confirm", "events.cancel_title", d)
}

func (s *Server) eventCancelOwn(c echo.Context) error {
	ev, err := s.loadEvent(c)
	if err != nil {
		return err
	}
	if err := s.events.CancelOwn(c.Request().Context(), currentUser(c), ev.ID); err != nil {
		if app.ErrorCode(err) == app.CodeGone {
			return s.eventFormError(c, ev, err)
		}
		return err
	}
	return s.redirect(c, eventPath(ev.ID), "events.cancelled_flash")
}

type respondInput struct {
	Answer string `form:"antwort"`
	Token  string `form:"t"`
}

func (s *Server) eventRespondOwn(c echo.Context) error {
	ev, err := s.loadEvent(c)
	if err != nil {
		return err
	}
	var in respondInput
	if err := bind(c, &in); err != nil {
		return err
	}
	accept := in.Answer == "annehmen"
	if err := s.events.RespondOwnOffer(c.Request().Context(), currentUser(c), ev.ID, accept); err != nil {
		if app.ErrorCode(err) == app.CodeGone {
			return s.eventFormError(c, ev, err)
		}
		return err
	}
	return s.redirect(c, eventPath(ev.ID), offerFlash(accept))
}

func offerFlash(accept bool) string {
	if accept {
		return "events.offer_accepted_flash"
	}
	return "events.offer_declined_flash"
}

func (s *Server) eventICS(c echo.Context) error {
	ev, err := s.loadEvent(c)
	if err != nil {
		return err
	}
	return s.calendarBlob(c, "veranstaltung-"+strconv.FormatInt(ev.ID, 10)+".ics", s.events.EventCalendar(ev))
}

func (s *Server) eventFeed(c echo.Context) error {
	list, err := s.store.PublicEvents(c.Request().Context())
	if err != nil {
		return err
	}
	return s.calendarBlob(c, "", s.events.Calendar(s.site.Name, list))
}

func (s *Server) calendarBlob(c echo.Context, filename string, data []byte) error {
	h := c.Response().Header()
	if filename != "" {
		h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
	}
	h.Set("Cache-Control", "public, max-age=300")
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", data)
}
