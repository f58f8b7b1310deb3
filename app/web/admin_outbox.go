package web

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

func (s *Server) adminOutboxRoutes() {
	g := s.adminGroup()
	admin := requireRole(app.RoleAdmin)
	g.GET("/outbox", s.adminOutbox, admin)
	g.GET("/outbox/:id", s.adminOutboxMessage, admin)
}

type adminOutboxPage struct {
	Messages   []app.OutboxMessage
	Status     string
	Pagination pagination
}

func (s *Server) adminOutbox(c echo.Context) error {
	f := store.OutboxFilter{Status: c.QueryParam("status"), Page: queryInt(c, "page", 1)}
	switch f.Status {
	case app.MailPending, app.MailSent, app.MailFailed, app.MailLogged:
	default:
		f.Status = ""
	}
	msgs, total, err := s.store.ListOutbox(c.Request().Context(), f)
	if err != nil {
		return err
	}
	base := url.Values{}
	if f.Status != "" {
		base.Set("status", f.Status)
	}
	return s.page(c, "admin/outbox", "admin.outbox_title", adminOutboxPage{Messages: msgs, Status: f.Status,
		Pagination: pagination{Page: f.Page, PerPage: 50, Total: total, Base: base, Path: "/admin/outbox"}})
}

func (s *Server) adminOutboxMessage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	m, err := s.store.OutboxMessage(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return s.page(c, "admin/outbox_message", "admin.outbox_message_title", m)
}
