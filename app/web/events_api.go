package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// The events API (docs/openapi/20-events.json). Other tools depend on these
// shapes: add fields, never rename or remove them.
func (s *Server) eventAPIRoutes() {
	g := s.apiGroup()
	g.GET("/events", s.apiEvents)
	g.POST("/events", s.apiCreateEvent, requireRole(app.RoleAdmin))
	g.GET("/events/:id", s.apiEvent)
	s.takesTurn(g.POST("/events/:id/registrations", s.apiRegister, requireVerified))
	g.GET("/events/:id/registrations/me", s.apiMyRegistration, requireLogin)
	g.DELETE("/events/:id/registrations/me", s.apiCancelRegistration, requireLogin)
	g.POST("/events/:id/registrations/me/accept", s.apiRespondOffer(true), requireLogin)
	g.POST("/events/:id/registrations/me/decline", s.apiRespondOffer(false), requireLogin)
}

type apiEvent struct {
	ID                   int64     `json:"id"`
	Title                string    `json:"title"`
	Format               string    `json:"format"`
	Description          string    `json:"description"`
	Themes               []string  `json:"themes"`
	Venue                string    `json:"venue"`
	Address              string    `json:"address"`
	VenueAccess          string    `json:"venue_access"`
	StepFree             bool      `json:"step_free"`
	StadtgebietID        *int64    `json:"stadtgebiet_id"`
	VenueLat             *float64  `json:"venue_lat"`
	VenueLon             *float64  `json:"venue_lon"`
	StartsAt             time.Time `json:"starts_at"`
	EndsAt               time.Time `json:"ends_at"`
	RegistrationOpensAt  time.Time `json:"registration_opens_at"`
	RegistrationClosesAt time.Time `json:"registration_closes_at"`
	RegistrationOpen     bool      `json:"registration_open"`
	Capacity             int       `json:"capacity"`
	Allocation           string    `json:"allocation"`
	OpenSeats            *int      `json:"open_seats,omitempty"`
	Confirmed            int       `json:"confirmed"`
	Offered              int       `json:"offered"`
	Waitlisted           int       `json:"waitlisted"`
	Applied              int       `json:"applied"`
	SeatsLeft            int       `json:"seats_left"`
	Status               string    `json:"status"`
	URL                  string    `json:"url"`
}

func (s *Server) toAPIEvent(ev *app.Event, c store.EventCounts) apiEvent {
	themes := ev.ThemeCodes()
	if themes == nil {
		themes = []string{}
	}
	a := apiEvent{
		ID: ev.ID, Title: ev.Title, Format: string(ev.Format), Description: ev.Description, Themes: themes,
		Venue: ev.Venue, Address: ev.Address, VenueAccess: ev.VenueAccess, StepFree: ev.StepFree, StadtgebietID: ev.StadtgebietID,
		VenueLat: ev.VenueLat, VenueLon: ev.VenueLon,
		StartsAt: ev.StartsAt.In(app.Berlin), EndsAt: ev.EndsAt.In(app.Berlin),
		RegistrationOpensAt: ev.RegistrationOpensAt.In(app.Berlin), RegistrationClosesAt: ev.RegistrationClosesAt.In(app.Berlin),
		RegistrationOpen: ev.RegistrationOpen(s.store.Now()), Capacity: ev.Capacity, Allocation: string(ev.Allocation),
		Confirmed: c.Confirmed, Offered: c.Offered, Waitlisted: c.Waitlisted, Applied: c.Applied, SeatsLeft: ev.SeatsLeft(),
		Status: ev.Status, URL: s.cfg.BaseURL + eventPath(ev.ID),
	}
	if ev.Allocation == app.AllocInvitation {
		open := ev.PublicSeats
		a.OpenSeats = &open
	}
	return a
}

type apiEventList struct {
	Events []apiEvent `json:"events"`
	Total  int64      `json:"total"`
	Page   int        `json:"page"`
}

func (s *Server) apiEvents(c echo.Context) error {
	ctx := c.Request().Context()
	f := store.EventFilter{Format: c.QueryParam("format"), Theme: c.QueryParam("theme"), Past: c.QueryParam("past") == "true",
		Page: queryInt(c, "page", 1), PerPage: queryInt(c, "per_page", 50)}
	list, total, err := s.store.ListEvents(ctx, f)
	if err != nil {
		return err
	}
	ids := make([]int64, len(list))
	for i, e := range list {
		ids[i] = e.ID
	}
	counts, err := s.store.CountRegistrations(ctx, ids)
	if err != nil {
		return err
	}
	out := apiEventList{Events: []apiEvent{}, Total: total, Page: f.Page}
	for _, e := range list {
		out.Events = append(out.Events, s.toAPIEvent(e, counts[e.ID]))
	}
	return c.JSON(http.StatusOK, out)
}

func (s *Server) apiEventJSON(c echo.Context, status int, ev *app.Event) error {
	counts, err := s.store.CountRegistrations(c.Request().Context(), []int64{ev.ID})
	if err != nil {
		return err
	}
	return c.JSON(status, s.toAPIEvent(ev, counts[ev.ID]))
}

func (s *Server) apiEvent(c echo.Context) error {
	ev, err := s.loadEvent(c)
	if err != nil {
		return err
	}
	return s.apiEventJSON(c, http.StatusOK, ev)
}

func (s *Server) apiCreateEvent(c echo.Context) error {
	var in app.EventInput
	if err := bind(c, &in); err != nil {
		return err
	}
	ev, err := s.events.Create(c.Request().Context(), currentUser(c), in)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Location", "/api/v1/events/"+strconv.FormatInt(ev.ID, 10))
	return s.apiEventJSON(c, http.StatusCreated, ev)
}

// apiRegistration is a person's registration as the API shows it.
type apiRegistration struct {
	Status           string     `json:"status"`
	WaitlistPosition *int       `json:"waitlist_position"`
	ApplicantID      string     `json:"applicant_id,omitempty"`
	OfferExpiresAt   *time.Time `json:"offer_expires_at,omitempty"`
	CheckedIn        bool       `json:"checked_in"`
}

func toAPIRegistration(r *app.Registration, pos int) apiRegistration {
	a := apiRegistration{Status: r.Status, ApplicantID: r.Pseudonym, CheckedIn: r.CheckedInAt != nil}
	if r.Status == app.RegWaitlisted {
		a.WaitlistPosition = &pos
	}
	if r.Status == app.RegOffered && r.OfferExpiresAt != nil {
		t := r.OfferExpiresAt.In(app.Berlin)
		a.OfferExpiresAt = &t
	}
	return a
}

func (s *Server) apiRegister(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in app.RegistrationInput
	if err := bind(c, &in); err != nil {
		return err
	}
	res, err := s.events.Register(c.Request().Context(), currentUser(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusCreated, toAPIRegistration(res.Registration, res.Position))
}

func (s *Server) apiMyRegistration(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	st, err := s.events.StatusOf(c.Request().Context(), currentUser(c), id)
	if err != nil {
		return err
	}
	if st == nil {
		return app.NotFound()
	}
	return c.JSON(http.StatusOK, toAPIRegistration(st.Registration, st.Position))
}

func (s *Server) apiCancelRegistration(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	err = s.events.CancelOwn(c.Request().Context(), currentUser(c), id)
	if e, ok := app.AsError(err); ok && e.Code == app.CodeGone && e.Msg.ID == "events.not_active" {
		return app.NotFound()
	}
	if err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

func (s *Server) apiRespondOffer(accept bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		if err := s.events.RespondOwnOffer(ctx, currentUser(c), id, accept); err != nil {
			return err
		}
		return s.apiMyRegistration(c)
	}
}
