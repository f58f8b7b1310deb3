package web

import (
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/events"
)

// The links in event mails work without logging in: each carries a signed,
// single-purpose token. GET shows what will happen, a button POSTs it.
func (s *Server) eventLinkRoutes() {
	s.e.GET("/anmeldung/stornieren", s.linkCancelForm)
	s.e.POST("/anmeldung/stornieren", s.linkCancel)
	s.e.GET("/anmeldung/angebot", s.linkOfferForm)
	s.e.POST("/anmeldung/angebot", s.linkOffer)
	mod := requireRole(app.RoleModerator)
	s.e.GET("/einlass/:token", s.checkinForm, mod)
	s.e.POST("/einlass/:token", s.checkin, mod)
	s.e.GET("/einladung/:token", s.invitationForm)
	s.e.POST("/einladung/:token", s.invitationSubmit)
	s.e.GET("/einladung-danke", s.simple("events/invitation_done", "events.invitation_done_title"))
}

// linkInvalid explains a link that no longer works.
func (s *Server) linkInvalid(c echo.Context, err error) error {
	e, ok := app.AsError(err)
	if !ok || (e.Code != app.CodeNotFound && e.Code != app.CodeGone) {
		return err
	}
	msg := ""
	if e.Code == app.CodeGone {
		msg = localizer(c).Msg(e.Msg)
	}
	return s.render(c, e.Code.HTTPStatus(), "events/link_invalid", s.view(c, "events.link_invalid_title", msg))
}

func (s *Server) resolveLink(c echo.Context, purpose string) (*app.Registration, *app.Event, error) {
	token := c.QueryParam("t")
	if c.Request().Method == http.MethodPost {
		token = c.FormValue("t")
	}
	if purpose == events.PurposeCheckin {
		token = c.Param("token")
	}
	if len(token) > 500 {
		return nil, nil, app.NotFound()
	}
	return s.events.ResolveLink(c.Request().Context(), purpose, token)
}

func (s *Server) linkCancelForm(c echo.Context) error {
	r, ev, err := s.resolveLink(c, events.PurposeCancel)
	if err != nil {
		return s.linkInvalid(c, err)
	}
	if !app.ActiveStatus(r.Status) {
		return s.linkInvalid(c, app.Errorf(app.CodeGone, "events.not_active"))
	}
	d := cancelConfirmPage{Event: eventItem{Event: ev, lang: localizer(c).Lang()}, Reg: r, Action: "/anmeldung/stornieren", Token: c.QueryParam("t")}
	return s.page(c, "events/cancel_confirm", "events.cancel_title", d)
}

func (s *Server) linkCancel(c echo.Context) error {
	r, ev, err := s.resolveLink(c, events.PurposeCancel)
	if err != nil {
		return s.linkInvalid(c, err)
	}
	if err := s.events.CancelByLink(c.Request().Context(), r); err != nil {
		return s.linkInvalid(c, err)
	}
	return s.redirect(c, eventPath(ev.ID), "events.cancelled_flash")
}

type offerPage struct {
	Event  eventItem
	Reg    *app.Registration
	Token  string
	Answer string
}

func (s *Server) linkOfferForm(c echo.Context) error {
	r, ev, err := s.resolveLink(c, events.PurposeOffer)
	if err != nil {
		return s.linkInvalid(c, err)
	}
	switch {
	case r.Status == app.RegConfirmed:
		return s.redirect(c, eventPath(ev.ID), "events.offer_accepted_flash")
	case r.Status != app.RegOffered:
		return s.linkInvalid(c, app.Errorf(app.CodeGone, "events.offer_not_open"))
	case !r.OfferExpiresAt.After(s.store.Now()):
		return s.linkInvalid(c, app.Errorf(app.CodeGone, "events.offer_expired"))
	}
	d := offerPage{Event: eventItem{Event: ev, lang: localizer(c).Lang()}, Reg: r, Token: c.QueryParam("t"), Answer: c.QueryParam("antwort")}
	return s.page(c, "events/offer", "events.offer_title", d)
}

func (s *Server) linkOffer(c echo.Context) error {
	r, ev, err := s.resolveLink(c, events.PurposeOffer)
	if err != nil {
		return s.linkInvalid(c, err)
	}
	accept := c.FormValue("antwort") == "annehmen"
	if err := s.events.RespondOffer(c.Request().Context(), r.ID, r.LinkNonce, accept, nil); err != nil {
		return s.linkInvalid(c, err)
	}
	return s.redirect(c, eventPath(ev.ID), offerFlash(accept))
}

type checkinPage struct {
	Event eventItem
	Reg   *app.Registration
	Name  string
	Org   string
}

func (s *Server) checkinData(c echo.Context) (*checkinPage, error) {
	r, ev, err := s.resolveLink(c, events.PurposeCheckin)
	if err != nil {
		return nil, err
	}
	ctx := c.Request().Context()
	d := &checkinPage{Event: eventItem{Event: ev, lang: localizer(c).Lang()}, Reg: r, Name: r.Name}
	if r.UserID != nil {
		if u, err := s.store.UserByID(ctx, *r.UserID); err == nil {
			d.Name = u.DisplayName
		}
	}
	if r.InvitationID != nil {
		if inv, err := s.store.InvitationByID(ctx, *r.InvitationID); err == nil {
			d.Org = inv.Organisation
		}
	}
	return d, nil
}

func (s *Server) checkinForm(c echo.Context) error {
	d, err := s.checkinData(c)
	if err != nil {
		return s.linkInvalid(c, err)
	}
	return s.page(c, "events/checkin", "events.checkin_title", d)
}

func (s *Server) checkin(c echo.Context) error {
	d, err := s.checkinData(c)
	if err != nil {
		return s.linkInvalid(c, err)
	}
	ok, err := s.events.CheckIn(c.Request().Context(), currentUser(c), d.Reg)
	if err != nil {
		if app.ErrorCode(err) == app.CodeConflict {
			return s.formError(c, "events/checkin", "events.checkin_title", err, d)
		}
		return err
	}
	flash := "events.checked_in_flash"
	if !ok {
		flash = "events.already_checked_in_flash"
	}
	return s.redirect(c, c.Request().URL.Path, flash)
}

type invitationPage struct {
	Event      eventItem
	Invitation *app.Invitation
	Seats      []int
	Needs      []string
}

func (s *Server) invitationData(c echo.Context) (*invitationPage, error) {
	inv, ev, err := s.events.OpenInvitation(c.Request().Context(), c.Param("token"))
	if err != nil {
		return nil, err
	}
	d := &invitationPage{Event: eventItem{Event: ev, lang: localizer(c).Lang()}, Invitation: inv, Needs: app.AccessNeeds}
	for i := 1; i <= inv.Seats; i++ {
		d.Seats = append(d.Seats, i)
	}
	return d, nil
}

func (s *Server) invitationForm(c echo.Context) error {
	d, err := s.invitationData(c)
	if err != nil {
		return s.linkInvalid(c, err)
	}
	return s.formPage(c, "events/invitation", "events.invitation_title", url.Values{}, d)
}

func (s *Server) invitationSubmit(c echo.Context) error {
	d, err := s.invitationData(c)
	if err != nil {
		return s.linkInvalid(c, err)
	}
	form, err := c.FormParams()
	if err != nil {
		return &app.Error{Code: app.CodeInvalid, Msg: app.M("error.bad_request"), Err: err}
	}
	var ds []app.DelegateInput
	for i := 1; i <= d.Invitation.Seats+1; i++ {
		in := app.DelegateInput{
			Name: form.Get(app.DelegateField(i, "name")), Email: form.Get(app.DelegateField(i, "email")),
			SubstituteName: form.Get(app.DelegateField(i, "sub_name")), SubstituteEmail: form.Get(app.DelegateField(i, "sub_email")),
			AccessNeeds: form[app.DelegateField(i, "needs")], AccessOther: form.Get(app.DelegateField(i, "other")),
		}
		if i > d.Invitation.Seats && in.Empty() {
			break
		}
		ds = append(ds, in)
	}
	if err := s.events.NameDelegates(c.Request().Context(), c.Param("token"), ds); err != nil {
		if app.ErrorCode(err) == app.CodeGone {
			return s.linkInvalid(c, err)
		}
		return s.formError(c, "events/invitation", "events.invitation_title", err, d)
	}
	return s.redirect(c, "/einladung-danke", "")
}
