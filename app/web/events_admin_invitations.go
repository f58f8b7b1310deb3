package web

import (
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/events"
)

func (s *Server) eventAdminInvitationRoutes() {
	g := s.adminGroup()
	admin := requireRole(app.RoleAdmin)
	g.GET("/veranstaltungen/:id/einladungen", s.adminInvitations, admin)
	g.POST("/veranstaltungen/:id/einladungen", s.adminInvitationsImport, admin)
	g.POST("/veranstaltungen/:id/einladungen/:inv/erneut", s.adminInvitationResend, admin)
	g.POST("/veranstaltungen/:id/einladungen/:inv/zurueckziehen", s.adminInvitationRevoke, admin)
}

type invitationsPage struct {
	Event       eventItem
	Invitations []*app.Invitation
	Seats       int
	// Problems lists what is wrong with an uploaded file, by line.
	Problems []string
}

func (s *Server) invitationsData(c echo.Context) (*invitationsPage, error) {
	ev, err := s.adminLoadEvent(c)
	if err != nil {
		return nil, err
	}
	if ev.Allocation != app.AllocInvitation {
		return nil, app.NotFound()
	}
	ctx := c.Request().Context()
	d := &invitationsPage{Event: eventItem{Event: ev, lang: localizer(c).Lang()}}
	if d.Invitations, err = s.store.Invitations(ctx, ev.ID); err != nil {
		return nil, err
	}
	for _, inv := range d.Invitations {
		if inv.RevokedAt == nil {
			d.Seats += inv.Seats
		}
	}
	return d, nil
}

func (s *Server) adminInvitations(c echo.Context) error {
	d, err := s.invitationsData(c)
	if err != nil {
		return err
	}
	return s.page(c, "admin/events_invitations", "events.invitations_page", d)
}

func (s *Server) adminInvitationsImport(c echo.Context) error {
	d, err := s.invitationsData(c)
	if err != nil {
		return err
	}
	data, ferr := readUpload(c, "file", events.MaxImportBytes)
	if ferr != nil {
		return s.formError(c, "admin/events_invitations", "events.invitations_page", ferr, d)
	}
	_, err = s.events.ImportInvitations(c.Request().Context(), currentUser(c), d.Event.ID, data)
	var ie *app.ImportError
	if errors.As(err, &ie) {
		loc := localizer(c)
		for _, p := range ie.Rows {
			msg := loc.Msg(p.Msg)
			if p.Line > 0 {
				msg = loc.T("events.import_line", "Line", p.Line, "Message", msg)
			}
			d.Problems = append(d.Problems, msg)
		}
		v := s.view(c, "events.invitations_page", d)
		v.Form = newForm(nil, app.FieldInvalid("file", "events.import_failed", "Count", len(ie.Rows)), loc)
		return s.render(c, http.StatusUnprocessableEntity, "admin/events_invitations", v)
	}
	if err != nil {
		return s.formError(c, "admin/events_invitations", "events.invitations_page", err, d)
	}
	return s.redirect(c, adminEventPath(d.Event.ID)+"/einladungen", "events.invitations_imported")
}

// readUpload reads one uploaded file up to max bytes.
func readUpload(c echo.Context, field string, max int64) ([]byte, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		return nil, app.FieldInvalid(field, "events.file_required")
	}
	if fh.Size > max {
		return nil, app.FieldInvalid(field, "events.import_too_large")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, app.FieldInvalid(field, "events.file_required")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil || int64(len(data)) > max {
		return nil, app.FieldInvalid(field, "events.import_too_large")
	}
	return data, nil
}

func (s *Server) invitationAction(c echo.Context, fn func(eventID, invID int64) error, flash string) error {
	ev, err := s.adminLoadEvent(c)
	if err != nil {
		return err
	}
	invID, err := pathID(c, "inv")
	if err != nil {
		return err
	}
	if err := fn(ev.ID, invID); err != nil {
		if app.ErrorCode(err) != app.CodeConflict {
			return err
		}
		d, derr := s.invitationsData(c)
		if derr != nil {
			return derr
		}
		return s.formError(c, "admin/events_invitations", "events.invitations_page", err, d)
	}
	return s.redirect(c, adminEventPath(ev.ID)+"/einladungen", flash)
}

func (s *Server) adminInvitationResend(c echo.Context) error {
	return s.invitationAction(c, func(eventID, invID int64) error {
		return s.events.ResendInvitation(c.Request().Context(), eventID, invID)
	}, "events.invitation_resent")
}

func (s *Server) adminInvitationRevoke(c echo.Context) error {
	return s.invitationAction(c, func(eventID, invID int64) error {
		inv, err := s.store.InvitationByID(c.Request().Context(), invID)
		if err != nil || inv.EventID != eventID {
			return app.NotFound()
		}
		return s.store.RevokeInvitation(c.Request().Context(), invID)
	}, "events.invitation_revoked")
}
