package web

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/events"
	"github.com/mitwirken/mitwirken/app/store"
)

func (s *Server) eventAdminRoutes() {
	g := s.adminGroup()
	admin := requireRole(app.RoleAdmin)
	g.GET("/veranstaltungen", s.adminEvents)
	g.GET("/veranstaltungen/neu", s.adminEventNew, admin)
	g.POST("/veranstaltungen", s.adminEventCreate, admin)
	g.GET("/veranstaltungen/:id", s.adminEvent)
	g.GET("/veranstaltungen/:id/bearbeiten", s.adminEventEdit, admin)
	g.POST("/veranstaltungen/:id/bearbeiten", s.adminEventUpdate, admin)
	g.GET("/veranstaltungen/:id/absagen", s.adminEventCancelForm, admin)
	g.POST("/veranstaltungen/:id/absagen", s.adminEventCancel, admin)
	g.GET("/veranstaltungen/:id/nachricht", s.adminEventMessageForm, admin)
	g.POST("/veranstaltungen/:id/nachricht", s.adminEventMessage, admin)
	g.GET("/veranstaltungen/:id/export.csv", s.adminEventExport(events.ExportCSV), admin)
	g.GET("/veranstaltungen/:id/export.xlsx", s.adminEventExport(events.ExportXLSX), admin)
	g.GET("/veranstaltungen/:id/einlassliste", s.adminEventCheckinList)
}

type adminEventsPage struct {
	Items      []eventItem
	Pagination pagination
}

func (s *Server) adminEvents(c echo.Context) error {
	ctx := c.Request().Context()
	f := store.EventFilter{All: true, Page: queryInt(c, "page", 1), PerPage: 50}
	list, total, err := s.store.ListEvents(ctx, f)
	if err != nil {
		return err
	}
	items, _, err := s.eventItems(ctx, list, localizer(c).Lang())
	if err != nil {
		return err
	}
	return s.page(c, "admin/events_list", "events.admin_title", adminEventsPage{Items: items,
		Pagination: pagination{Page: f.Page, PerPage: f.PerPage, Total: total, Path: "/admin/veranstaltungen"}})
}

// eventFormPage is the admin's event form.
type eventFormPage struct {
	Event       *app.Event
	Formats     []Option
	Allocations []Option
	Statuses    []Option
	Gebiete     []Option
	Themes      []app.Theme
	Action      string
}

func (s *Server) eventFormData(c echo.Context, ev *app.Event) (*eventFormPage, error) {
	loc := localizer(c)
	gebiete, err := s.store.Stadtgebiete(c.Request().Context())
	if err != nil {
		return nil, err
	}
	d := &eventFormPage{Event: ev, Themes: s.ref.Themes, Action: "/admin/veranstaltungen"}
	if ev != nil {
		d.Action = "/admin/veranstaltungen/" + strconv.FormatInt(ev.ID, 10) + "/bearbeiten"
	}
	for _, f := range app.EventFormats {
		d.Formats = append(d.Formats, Option{Value: string(f), Label: loc.T(app.FormatLabelID(f))})
	}
	for _, a := range app.Allocations {
		d.Allocations = append(d.Allocations, Option{Value: string(a), Label: loc.T("events.allocation." + string(a))})
	}
	for _, st := range []string{app.EventPublished, app.EventDraft} {
		d.Statuses = append(d.Statuses, Option{Value: st, Label: loc.T("events.event_status." + st)})
	}
	for _, g := range gebiete {
		label := g.Name
		if g.Example {
			label += " (" + loc.T("events.example") + ")"
		}
		d.Gebiete = append(d.Gebiete, Option{Value: strconv.FormatInt(g.ID, 10), Label: label})
	}
	return d, nil
}

func (s *Server) adminEventNew(c echo.Context) error {
	d, err := s.eventFormData(c, nil)
	if err != nil {
		return err
	}
	return s.formPage(c, "admin/events_form", "events.new_title", url.Values{
		"allocation": {string(app.AllocFirstCome)}, "status": {app.EventPublished}, "offer_hours": {"48"},
		"confirm_hours": {"72"}, "reminder_hours": {"24"}, "retention_days": {"90"}, "open_seats": {"0"},
	}, d)
}

func (s *Server) adminEventCreate(c echo.Context) error {
	var in app.EventInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ev, err := s.events.Create(c.Request().Context(), currentUser(c), in)
	if err != nil {
		d, derr := s.eventFormData(c, nil)
		if derr != nil {
			return derr
		}
		return s.formError(c, "admin/events_form", "events.new_title", err, d)
	}
	return s.redirect(c, adminEventPath(ev.ID), "events.created")
}

func adminEventPath(id int64) string { return "/admin/veranstaltungen/" + strconv.FormatInt(id, 10) }

func (s *Server) adminLoadEvent(c echo.Context) (*app.Event, error) {
	id, err := pathID(c, "id")
	if err != nil {
		return nil, err
	}
	return s.store.EventByID(c.Request().Context(), id)
}

// eventValues fills the form with an event's current values.
func eventValues(ev *app.Event) url.Values {
	v := url.Values{
		"title": {ev.Title}, "format": {string(ev.Format)}, "description": {ev.Description}, "themes": ev.ThemeCodes(),
		"venue": {ev.Venue}, "address": {ev.Address}, "venue_access": {ev.VenueAccess},
		"starts_at": {app.LocalInput(ev.StartsAt)}, "ends_at": {app.LocalInput(ev.EndsAt)},
		"registration_opens_at": {app.LocalInput(ev.RegistrationOpensAt)}, "registration_closes_at": {app.LocalInput(ev.RegistrationClosesAt)},
		"capacity": {strconv.Itoa(ev.Capacity)}, "allocation": {string(ev.Allocation)}, "offer_hours": {strconv.Itoa(ev.OfferHours)},
		"confirm_hours": {strconv.Itoa(ev.ConfirmHours)}, "reminder_hours": {strconv.Itoa(ev.ReminderHours)},
		"retention_days": {strconv.Itoa(ev.RetentionDays)}, "status": {ev.Status}, "open_seats": {"0"},
	}
	if ev.VenueLat != nil && ev.VenueLon != nil {
		v.Set("venue_lat", strconv.FormatFloat(*ev.VenueLat, 'f', app.PointDecimals, 64))
		v.Set("venue_lon", strconv.FormatFloat(*ev.VenueLon, 'f', app.PointDecimals, 64))
	}
	if ev.Allocation == app.AllocInvitation {
		v.Set("open_seats", strconv.Itoa(ev.PublicSeats))
	}
	if ev.StepFree {
		v.Set("step_free", "true")
	}
	if ev.AutoPromote {
		v.Set("auto_promote", "true")
	}
	if ev.StadtgebietID != nil {
		v.Set("stadtgebiet_id", strconv.FormatInt(*ev.StadtgebietID, 10))
	}
	return v
}

func (s *Server) adminEventEdit(c echo.Context) error {
	ev, err := s.adminLoadEvent(c)
	if err != nil {
		return err
	}
	d, err := s.eventFormData(c, ev)
	if err != nil {
		return err
	}
	return s.formPage(c, "admin/events_form", "events.edit_page", eventValues(ev), d)
}

func (s *Server) adminEventUpdate(c echo.Context) error {
	ev, err := s.adminLoadEvent(c)
	if err != nil {
		return err
	}
	var in app.EventInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if _, err := s.events.Update(c.Request().Context(), currentUser(c), ev.ID, in); err != nil {
		d, derr := s.eventFormData(c, ev)
		if derr != nil {
			return derr
		}
		return s.formError(c, "admin/events_form", "events.edit_page", err, d)
	}
	return s.redirect(c, adminEventPath(ev.ID), "events.saved")
}

// adminEventPage is the organisers' view of one event.
type adminEventPage struct {
	Event     eventItem
	Regs      []adminRegistration
	Filter    store.RegistrationFilter
	Statuses  []string
	Needs     []string
	Log       []app.EventLogEntry
	NeedCount map[string]int
	Draw      *app.EventDraw
	Started   bool
}

type adminRegistration struct {
	*app.Registration
	Name     string
	Org      string
	Position int
}

func (s *Server) adminRegistrations(c echo.Context, ev *app.Event, f store.RegistrationFilter) ([]adminRegistration, error) {
	ctx := c.Request().Context()
	regs, users, err := s.store.ListRegistrations(ctx, ev.ID, f)
	if err != nil {
		return nil, err
	}
	pos, err := s.store.WaitPositions(ctx, regs)
	if err != nil {
		return nil, err
	}
	invitations, err := s.store.Invitations(ctx, ev.ID)
	if err != nil {
		return nil, err
	}
	orgs := map[int64]string{}
	for _, inv := range invitations {
		orgs[inv.ID] = inv.Organisation
	}
	loc := localizer(c)
	out := make([]adminRegistration, 0, len(regs))
	for _, r := range regs {
		a := adminRegistration{Registration: r, Name: r.Name, Position: pos[r.ID]}
		if r.UserID != nil && users[*r.UserID] != nil {
			a.Name = users[*r.UserID].DisplayName
		}
		if a.Name == "" {
			a.Name = loc.T("account.erased_name")
		}
		if r.InvitationID != nil {
			a.Org = orgs[*r.InvitationID]
		}
		out = append(out, a)
	}
	return out, nil
}

// maxRegistrationQuery is the longest text search in the registration list
// (characters).
const maxRegistrationQuery = 100

func (s *Server) adminEvent(c echo.Context) error {
	ev, err := s.adminLoadEvent(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	items, _, err := s.eventItems(ctx, []*app.Event{ev}, localizer(c).Lang())
	if err != nil {
		return err
	}
	f := store.RegistrationFilter{Status: c.QueryParam("status"), Need: c.QueryParam("bedarf"), Kind: c.QueryParam("art"), Query: c.QueryParam("q")}
	if !slices.Contains(app.RegistrationStatuses, f.Status) {
		f.Status = ""
	}
	if !slices.Contains(app.AccessNeeds, f.Need) {
		f.Need = ""
	}
	if f.Kind != app.KindPublic && f.Kind != app.KindDelegate {
		f.Kind = ""
	}
	// A search that is too long (or not text) is not run: the list shows
	// unfiltered by text and the message stands next to the field.
	var check app.Validator
	check.Line("q", f.Query, false, maxRegistrationQuery)
	badQuery := check.Err()
	d := adminEventPage{Event: items[0], Filter: f, Statuses: app.RegistrationStatuses, Needs: app.AccessNeeds,
		NeedCount: map[string]int{}, Started: !ev.StartsAt.After(s.store.Now())}
	if badQuery != nil {
		f.Query = ""
	}
	if d.Regs, err = s.adminRegistrations(c, ev, f); err != nil {
		return err
	}
	all, err := s.adminRegistrations(c, ev, store.RegistrationFilter{})
	if err != nil {
		return err
	}
	for _, r := range all {
		if app.HoldsSeat(r.Status) {
			for _, n := range r.Needs() {
				d.NeedCount[n]++
			}
		}
	}
	if d.Log, err = s.store.EventLog(ctx, ev.ID, 100); err != nil {
		return err
	}
	if ev.DrawStatus != "" {
		if d.Draw, err = s.store.DrawOf(ctx, ev.ID); err != nil {
			return err
		}
	}
	v := s.view(c, "", d)
	v.Title = ev.Title
	if badQuery != nil {
		v.Form = newForm(c.QueryParams(), badQuery, localizer(c))
		return s.render(c, http.StatusUnprocessableEntity, "admin/events_show", v)
	}
	return s.render(c, http.StatusOK, "admin/events_show", v)
}

type eventActionPage struct {
	Event eventItem
	Count int
}

func (s *Server) eventActionData(c echo.Context) (*eventActionPage, error) {
	ev, err := s.adminLoadEvent(c)
	if err != nil {
		return nil, err
	}
	items, _, err := s.eventItems(c.Request().Context(), []*app.Event{ev}, localizer(c).Lang())
	if err != nil {
		return nil, err
	}
	return &eventActionPage{Event: items[0], Count: items[0].Counts.Active()}, nil
}

func (s *Server) adminEventCancelForm(c echo.Context) error {
	d, err := s.eventActionData(c)
	if err != nil {
		return err
	}
	return s.page(c, "admin/events_cancel", "events.cancel_event_page", d)
}

func (s *Server) adminEventCancel(c echo.Context) error {
	d, err := s.eventActionData(c)
	if err != nil {
		return err
	}
	if err := s.events.CancelEvent(c.Request().Context(), currentUser(c), d.Event.ID, c.FormValue("reason")); err != nil {
		return s.formError(c, "admin/events_cancel", "events.cancel_event_page", err, d)
	}
	return s.redirect(c, adminEventPath(d.Event.ID), "events.event_cancelled_flash")
}

func (s *Server) adminEventMessageForm(c echo.Context) error {
	d, err := s.eventActionData(c)
	if err != nil {
		return err
	}
	return s.formPage(c, "admin/events_message", "events.message_page", url.Values{"recipients": {app.RecipientsParticipants}}, d)
}

func (s *Server) adminEventMessage(c echo.Context) error {
	d, err := s.eventActionData(c)
	if err != nil {
		return err
	}
	var in app.MessageInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if _, err := s.events.Message(c.Request().Context(), currentUser(c), d.Event.ID, in); err != nil {
		return s.formError(c, "admin/events_message", "events.message_page", err, d)
	}
	return s.redirect(c, adminEventPath(d.Event.ID), "events.message_sent")
}

func (s *Server) adminEventExport(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		ev, err := s.adminLoadEvent(c)
		if err != nil {
			return err
		}
		name, ctype, data, err := s.events.Export(c.Request().Context(), currentUser(c), ev.ID, format, localizer(c).T)
		if err != nil {
			return err
		}
		h := c.Response().Header()
		h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
		h.Set("Cache-Control", "no-store")
		return c.Blob(http.StatusOK, ctype, data)
	}
}

// checkinListPage is the printable list for the door.
type checkinListPage struct {
	Event eventItem
	Regs  []adminRegistration
}

func (s *Server) adminEventCheckinList(c echo.Context) error {
	ev, err := s.adminLoadEvent(c)
	if err != nil {
		return err
	}
	regs, err := s.adminRegistrations(c, ev, store.RegistrationFilter{Status: app.RegConfirmed})
	if err != nil {
		return err
	}
	sort.SliceStable(regs, func(i, j int) bool { return strings.ToLower(regs[i].Name) < strings.ToLower(regs[j].Name) })
	v := s.view(c, "", checkinListPage{Event: eventItem{Event: ev, lang: localizer(c).Lang()}, Regs: regs})
	v.Title = localizer(c).T("events.checkin_list_title", "Title", ev.Title)
	return s.render(c, http.StatusOK, "admin/events_checkin_list", v)
}
