package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// notifyRoutes: following (POST forms), the notification list, the e-mail
// preferences in "Mein Konto" and the one-click unsubscribe of the mails.
func (s *Server) notifyRoutes() {
	s.e.POST("/folgen", s.follow, requireLogin)
	g := s.e.Group("/benachrichtigungen")
	g.GET("", s.notifications, requireLogin)
	g.POST("/gelesen", s.markAllRead, requireLogin)
	g.POST("/:id/gelesen", s.markRead, requireLogin)
	g.GET("/abmelden", s.unsubscribeForm)
	g.POST("/abmelden", s.unsubscribe)
	s.e.GET("/profil/benachrichtigungen", s.notifyPrefsForm, requireLogin)
	s.e.POST("/profil/benachrichtigungen", s.saveNotifyPrefs, requireLogin)
}

// isUnsubscribe marks the one-click unsubscribe POST, which mail programs
// send without cookies (RFC 8058): the signed token is its authorisation,
// so it needs no CSRF token.
func isUnsubscribe(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && c.Request().URL.Path == "/benachrichtigungen/abmelden"
}

// follow starts or ends following a target the person may see.
func (s *Server) follow(c echo.Context) error {
	var in app.FollowInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := in.Validate(); err != nil {
		return err
	}
	ctx := c.Request().Context()
	u := currentUser(c)
	back := localPath(in.Back, "/benachrichtigungen")
	if !in.Follow {
		if err := s.store.Unfollow(ctx, u.ID, in.Kind, in.ID); err != nil {
			return err
		}
		return s.redirect(c, back, "notify.unfollowed")
	}
	if err := s.canFollow(c, in.Kind, in.ID); err != nil {
		return err
	}
	if err := s.store.Follow(ctx, u.ID, in.Kind, in.ID); err != nil {
		return err
	}
	return s.redirect(c, back, "notify.followed")
}

// canFollow lets a person follow only what they can see: a chapter of a
// published document, a published contribution, a published event, an
// active lab they can read, an Ortsteil of the reference data, an event
// format.
func (s *Server) canFollow(c echo.Context, kind string, id int64) error {
	ctx := c.Request().Context()
	switch kind {
	case app.FollowChapter:
		ch, err := s.store.ChapterByID(ctx, id)
		if err != nil {
			return err
		}
		doc, err := s.store.DocumentByID(ctx, ch.DocumentID)
		if err != nil {
			return err
		}
		if !doc.Published {
			return app.NotFound()
		}
	case app.FollowContribution:
		co, err := s.store.ContributionByID(ctx, id)
		if err != nil {
			return err
		}
		if co.Status != app.StatusPublished {
			return app.NotFound()
		}
	case app.FollowEvent:
		ev, err := s.store.EventByID(ctx, id)
		if err != nil {
			return err
		}
		if ev.Status != app.EventPublished {
			return app.NotFound()
		}
	case app.FollowLab:
		l, err := s.store.LabByID(ctx, id)
		if err != nil {
			return err
		}
		acc, err := s.labs.Access(ctx, l, currentUser(c))
		if err != nil {
			return err
		}
		if !l.Active() || !acc.Read {
			return app.NotFound()
		}
	case app.FollowOrtsteil:
		if _, ok := s.ref.Ortsteil(fmt.Sprintf("%02d", id)); !ok {
			return app.NotFound()
		}
	case app.FollowFormat:
		if _, ok := app.FormatOfFollowID(id); !ok {
			return app.NotFound()
		}
	case app.FollowSurvey:
		// An announced survey can be followed before it opens: its
		// followers hear of the opening.
		sv, err := s.store.SurveyByID(ctx, id)
		if err != nil {
			return err
		}
		if !sv.Public() {
			return app.NotFound()
		}
	default:
		return app.NotFound()
	}
	return nil
}

// localPath accepts only a path on this site as a return address.
func localPath(p, def string) string {
	if p == "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n") {
		return def
	}
	return p
}

type notificationsPage struct {
	Items  []app.Notification
	Unread int64
	Pager  pagination
}

const notificationsPerPage = 50

func (s *Server) notifications(c echo.Context) error {
	ctx := c.Request().Context()
	u := currentUser(c)
	page := queryInt(c, "page", 1)
	items, total, err := s.store.Notifications(ctx, u.ID, page, notificationsPerPage)
	if err != nil {
		return err
	}
	unread, err := s.store.UnreadNotifications(ctx, u.ID)
	if err != nil {
		return err
	}
	return s.page(c, "notify/list", "notify.title", notificationsPage{Items: items, Unread: unread,
		Pager: pagination{Page: max(page, 1), PerPage: notificationsPerPage, Total: total, Path: "/benachrichtigungen"}})
}

func (s *Server) markRead(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.MarkNotificationsRead(c.Request().Context(), currentUser(c).ID, id); err != nil {
		return err
	}
	return s.redirect(c, "/benachrichtigungen", "notify.marked_read")
}

func (s *Server) markAllRead(c echo.Context) error {
	if err := s.store.MarkNotificationsRead(c.Request().Context(), currentUser(c).ID, 0); err != nil {
		return err
	}
	return s.redirect(c, "/benachrichtigungen", "notify.all_marked_read")
}

type notifyPrefsPage struct {
	Kinds   []string
	Modes   []string
	Follows []followedItem
}

func (s *Server) notifyPrefsForm(c echo.Context) error {
	prefs, err := s.store.NotifyPrefs(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	values := map[string][]string{}
	for k, m := range prefs {
		values["mode_"+k] = []string{m}
	}
	page, err := s.prefsPage(c)
	if err != nil {
		return err
	}
	return s.formPage(c, "notify/prefs", "notify.prefs_title", values, page)
}

func (s *Server) saveNotifyPrefs(c echo.Context) error {
	values, err := c.FormParams()
	if err != nil {
		return app.Errorf(app.CodeInvalid, "error.invalid")
	}
	in := app.NotifyPrefsInput{}
	for _, k := range app.NotifyKinds {
		in[k] = values.Get("mode_" + k)
	}
	if err := s.store.SetNotifyPrefs(c.Request().Context(), currentUser(c).ID, in); err != nil {
		page, perr := s.prefsPage(c)
		if perr != nil {
			return perr
		}
		return s.formError(c, "notify/prefs", "notify.prefs_title", err, page)
	}
	return s.redirect(c, "/profil/benachrichtigungen", "notify.prefs_saved")
}

type unsubscribePage struct {
	Token string
	Kinds []string
	Done  bool
}

// unsubscribeForm shows what the link unsubscribes from and a button; a GET
// changes nothing (link scanners of mail providers follow links).
func (s *Server) unsubscribeForm(c echo.Context) error {
	token := c.QueryParam("t")
	u, err := s.notify.ParseUnsubscribe(c.Request().Context(), token)
	if app.ErrorCode(err) == app.CodeNotFound {
		return s.render(c, http.StatusNotFound, "notify/unsubscribe_invalid", s.view(c, "notify.unsubscribe_invalid_title", nil))
	}
	if err != nil {
		return err
	}
	return s.page(c, "notify/unsubscribe", "notify.unsubscribe_title", unsubscribePage{Token: token, Kinds: u.Kinds})
}

// unsubscribe sets the link's kinds to "never": from the confirm page's
// form, or as RFC 8058 one-click POST from the mail program (token in the
// URL, body "List-Unsubscribe=One-Click").
func (s *Server) unsubscribe(c echo.Context) error {
	token := c.QueryParam("t")
	if token == "" {
		token = c.FormValue("t")
	}
	u, err := s.notify.Unsubscribe(c.Request().Context(), token)
	if app.ErrorCode(err) == app.CodeNotFound {
		return s.render(c, http.StatusNotFound, "notify/unsubscribe_invalid", s.view(c, "notify.unsubscribe_invalid_title", nil))
	}
	if err != nil {
		return err
	}
	return s.page(c, "notify/unsubscribe", "notify.unsubscribe_title", unsubscribePage{Kinds: u.Kinds, Done: true})
}
