package web

import (
	"html/template"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/events"
)

func (s *Server) eventMineRoutes() {
	s.e.GET("/meine-anmeldungen", s.myRegistrations, requireLogin)
	s.e.GET("/meine-anmeldungen/:id", s.myTicket, requireLogin)
}

type myRegistration struct {
	Event  eventItem
	Status *events.Status
}

type myRegistrationsPage struct {
	Upcoming []myRegistration
	Past     []myRegistration
}

func (s *Server) myRegistrations(c echo.Context) error {
	ctx := c.Request().Context()
	list, err := s.store.UserRegistrations(ctx, currentUser(c).ID)
	if err != nil {
		return err
	}
	now := s.store.Now()
	lang := localizer(c).Lang()
	var d myRegistrationsPage
	for _, x := range list {
		ended := x.Event.Past(now)
		item := myRegistration{Event: eventItem{Event: x.Event, lang: lang, Ended: ended}, Status: &events.Status{Registration: x.Registration, Position: x.Position}}
		if ended {
			d.Past = append(d.Past, item)
		} else {
			d.Upcoming = append(d.Upcoming, item)
		}
	}
	return s.page(c, "events/mine", "events.mine_title", d)
}

// ticketPage shows the QR code a moderator scans at the door, with the link
// as text for anybody who cannot use the image.
type ticketPage struct {
	Event eventItem
	Reg   *app.Registration
	QR    template.HTML
	URL   string
}

func (s *Server) myTicket(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	r, err := s.store.RegistrationByID(ctx, id)
	if err != nil {
		return err
	}
	if r.UserID == nil || *r.UserID != currentUser(c).ID || r.Status != app.RegConfirmed {
		return app.NotFound()
	}
	ev, err := s.store.EventByID(ctx, r.EventID)
	if err != nil {
		return err
	}
	link := s.events.CheckinURL(ev, r)
	qr, err := events.QRSVG(link, localizer(c).T("events.qr_alt"))
	if err != nil {
		return app.Internal(err)
	}
	d := ticketPage{Event: eventItem{Event: ev, lang: localizer(c).Lang()}, Reg: r, QR: qr, URL: link}
	return s.page(c, "events/ticket", "events.ticket_title", d)
}
