package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

func (s *Server) profileRoutes() {
	g := s.e.Group("/profil", requireLogin)
	g.GET("", s.profileForm)
	g.POST("", s.updateProfile)
	g.GET("/email", s.simple("profile/email", "profile.email_title"))
	g.POST("/email", s.changeEmail)
	g.GET("/passwort", s.simple("profile/password", "profile.password_title"))
	g.POST("/passwort", s.changePassword)
	g.GET("/sitzungen", s.sessionsPage)
	g.POST("/sitzungen/:id/beenden", s.endSession)
	g.GET("/zugaenge", s.accessPage)
	g.POST("/zugaenge/token", s.createToken)
	g.POST("/zugaenge/token/:id/loeschen", s.deleteToken)
	g.GET("/meine-daten", s.myData)
	g.GET("/loeschen", s.simple("profile/delete", "profile.delete_title"))
	g.POST("/loeschen", s.deleteAccount)
	s.e.GET("/konto/email-bestaetigen", s.confirmEmailChange)
}

func (s *Server) profileForm(c echo.Context) error {
	u := currentUser(c)
	return s.formPage(c, "profile/profile", "profile.title", url.Values{
		"display_name": {u.DisplayName}, "ortsteil": {u.Ortsteil()}, "locale": {u.Locale},
	}, nil)
}

func (s *Server) updateProfile(c echo.Context) error {
	var in app.ProfileInput
	if err := bind(c, &in); err != nil {
		return err
	}
	in.Clean()
	err := in.Validate()
	if err == nil {
		err = s.store.UpdateProfile(c.Request().Context(), currentUser(c).ID, in)
	}
	if err != nil {
		return s.formError(c, "profile/profile", "profile.title", err, nil)
	}
	s.forgetLabName(currentUser(c).ID)
	s.setCookie(c, cookieLang, in.Locale, 365*24*time.Hour)
	return s.redirect(c, "/profil", "profile.saved")
}

// forgetLabName drops a person's name from the boards' name cache after a
// rename or an erasure.
func (s *Server) forgetLabName(userID int64) {
	if s.labs != nil {
		s.labs.ForgetName(userID)
	}
}

type emailChangeInput struct {
	NewEmail string `form:"new_email"`
	Password string `form:"password"`
}

func (s *Server) changeEmail(c echo.Context) error {
	var in emailChangeInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.auth.RequestEmailChange(c.Request().Context(), currentUser(c), in.NewEmail, in.Password); err != nil {
		return s.formError(c, "profile/email", "profile.email_title", err, nil)
	}
	return s.redirect(c, "/profil", "profile.email_change_sent")
}

func (s *Server) confirmEmailChange(c echo.Context) error {
	_, err := s.auth.ConfirmEmailChange(c.Request().Context(), c.QueryParam("token"))
	switch app.ErrorCode(err) {
	case "":
		return s.redirect(c, "/profil", "profile.email_changed")
	case app.CodeNotFound, app.CodeGone, app.CodeInvalid:
		return s.render(c, statusOf(err), "account/link_invalid", s.view(c, "account.link_invalid_title", nil))
	}
	return err
}

type passwordChangeInput struct {
	Current string `form:"current_password"`
	New     string `form:"new_password"`
}

func (s *Server) changePassword(c echo.Context) error {
	var in passwordChangeInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.auth.ChangePassword(c.Request().Context(), currentUser(c), currentSession(c).ID, in.Current, in.New); err != nil {
		return s.formError(c, "profile/password", "profile.password_title", err, nil)
	}
	return s.redirect(c, "/profil", "profile.password_changed")
}

type sessionsPage struct {
	Sessions  []app.Session
	CurrentID int64
}

func (s *Server) sessionsPage(c echo.Context) error {
	list, err := s.store.UserSessions(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return s.page(c, "profile/sessions", "profile.sessions_title", sessionsPage{Sessions: list, CurrentID: currentSession(c).ID})
}

func (s *Server) endSession(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteUserSession(c.Request().Context(), currentUser(c).ID, id); err != nil {
		return err
	}
	if id == currentSession(c).ID {
		s.clearCookie(c, cookieSession)
		return s.redirect(c, "/anmelden", "account.logged_out")
	}
	return s.redirect(c, "/profil/sitzungen", "profile.session_ended")
}

type accessPage struct {
	Identities []app.Identity
	Tokens     []app.APIToken
	NewToken   string
	Providers  []ProviderButton
}

func (s *Server) accessData(c echo.Context) (accessPage, error) {
	ctx := c.Request().Context()
	u := currentUser(c)
	var d accessPage
	var err error
	if d.Identities, err = s.store.UserIdentities(ctx, u.ID); err != nil {
		return d, err
	}
	if d.Tokens, err = s.store.UserAPITokens(ctx, u.ID); err != nil {
		return d, err
	}
	linked := map[string]bool{}
	for _, id := range d.Identities {
		linked[id.Provider] = true
	}
	for _, p := range s.site.Providers {
		if !linked[p.Slug] {
			d.Providers = append(d.Providers, p)
		}
	}
	return d, nil
}

func (s *Server) accessPage(c echo.Context) error {
	d, err := s.accessData(c)
	if err != nil {
		return err
	}
	return s.page(c, "profile/access", "profile.access_title", d)
}

type tokenInput struct {
	Name string `form:"token_name"`
}

// createToken shows the new secret once, on the answer to the POST itself:
// it is not stored, so there is nothing to redirect to.
func (s *Server) createToken(c echo.Context) error {
	var in tokenInput
	if err := bind(c, &in); err != nil {
		return err
	}
	u := currentUser(c)
	plain, err := s.auth.CreateAPIToken(c.Request().Context(), u, u, in.Name)
	if err != nil {
		if e, ok := app.AsError(err); ok && e.Code == app.CodeInvalid {
			for i := range e.Fields {
				e.Fields[i].Field = "token_name"
			}
		}
		d, derr := s.accessData(c)
		if derr != nil {
			return derr
		}
		return s.formError(c, "profile/access", "profile.access_title", err, d)
	}
	d, err := s.accessData(c)
	if err != nil {
		return err
	}
	d.NewToken = plain
	return s.render(c, http.StatusCreated, "profile/access", s.view(c, "profile.access_title", d))
}

func (s *Server) deleteToken(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := s.store.DeleteAPIToken(c.Request().Context(), currentUser(c).ID, id); err != nil {
		return err
	}
	return s.redirect(c, "/profil/zugaenge", "profile.token_deleted")
}

// myData downloads everything stored about the person as JSON.
func (s *Server) myData(c echo.Context) error {
	d, err := s.store.PersonalData(c.Request().Context(), currentUser(c).ID)
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return app.Internal(err)
	}
	h := c.Response().Header()
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="mitwirken-meine-daten-%s.json"`, d.GeneratedAt.Format("2006-01-02")))
	h.Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "application/json; charset=utf-8", b)
}

type deleteInput struct {
	Password string `form:"password"`
	Confirm  bool   `form:"confirm"`
}

func (s *Server) deleteAccount(c echo.Context) error {
	var in deleteInput
	if err := bind(c, &in); err != nil {
		return err
	}
	u := currentUser(c)
	if err := s.auth.DeleteAccount(c.Request().Context(), u, in.Password, in.Confirm); err != nil {
		return s.formError(c, "profile/delete", "profile.delete_title", err, nil)
	}
	// This instance's boards stop showing the name at once; others within
	// the name cache's lifetime (docs/labs.md).
	s.forgetLabName(u.ID)
	s.clearCookie(c, cookieSession)
	return s.redirect(c, "/", "profile.deleted")
}
