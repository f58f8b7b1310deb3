package web

import (
	"net/url"
	"strconv"

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

// outboxMessagePage is one mail as an admin reads it.
type outboxMessagePage struct {
	*app.OutboxMessage
	// LinksHidden: the tokens of a mail not yet delivered are masked;
	// LinksShown: without SMTP the outbox is the delivery, so they show.
	LinksHidden, LinksShown bool
}

// adminOutboxMessage shows one mail. Reading a body is audited: it holds
// personal data and, until the mail is sent, the recipient's links, which
// an admin sees only where the outbox is the delivery (no SMTP).
func (s *Server) adminOutboxMessage(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	m, err := s.store.OutboxMessage(ctx, id)
	if err != nil {
		return err
	}
	// A mail queued with its template data and not yet delivered is
	// rendered for reading; the stored copy stays as it is.
	if err := s.mail.Render(m); err != nil {
		return err
	}
	p := outboxMessagePage{OutboxMessage: m}
	if len(m.Secrets) > 0 {
		p.LinksShown = m.Status == app.MailLogged
		p.LinksHidden = !p.LinksShown
	}
	err = s.store.AppendAudit(ctx, app.AuditEvent{Actor: currentUser(c), Action: app.AuditMailView, ObjectType: "mail",
		ObjectID: strconv.FormatInt(id, 10), Details: map[string]any{"status": m.Status, "links_shown": p.LinksShown}})
	if err != nil {
		return err
	}
	if p.LinksHidden {
		m.WithoutSecrets(localizer(c).T("infra.link_hidden"))
	}
	return s.page(c, "admin/outbox_message", "admin.outbox_message_page", p)
}
