package web

import (
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app/auth"
)

func (s *Server) loginRoutes() {
	s.e.GET("/anmelden", s.loginForm)
	s.e.POST("/anmelden", s.login)
	s.e.POST("/abmelden", s.logout)
	s.e.POST("/abmelden/ueberall", s.logoutEverywhere, requireLogin)
}

type loginInput struct {
	Email    string `form:"email"`
	Password string `form:"password"`
	Next     string `form:"next"`
}

func (s *Server) loginForm(c echo.Context) error {
	if currentUser(c) != nil {
		return s.redirect(c, safeNext(c.QueryParam("next")), "")
	}
	return s.formPage(c, "account/login", "account.login_title", url.Values{"next": {c.QueryParam("next")}}, nil)
}

func (s *Server) login(c echo.Context) error {
	var in loginInput
	if err := bind(c, &in); err != nil {
		return err
	}
	_, token, err := s.auth.Login(c.Request().Context(), in.Email, in.Password, c.RealIP(), c.Request().UserAgent())
	if err != nil {
		return s.formError(c, "account/login", "account.login_title", err, nil)
	}
	s.startSession(c, token)
	return s.redirect(c, safeNext(in.Next), "account.logged_in")
}

// startSession sets the session cookie and a fresh CSRF cookie, so a token
// planted before login is worthless afterwards.
func (s *Server) startSession(c echo.Context, token string) {
	s.setCookie(c, cookieSession, token, auth.SessionTTL)
	s.clearCookie(c, cookieCSRF)
}

func (s *Server) logout(c echo.Context) error {
	if ck, err := c.Cookie(cookieSession); err == nil && ck.Value != "" {
		if err := s.auth.Logout(c.Request().Context(), ck.Value); err != nil {
			return err
		}
	}
	s.clearCookie(c, cookieSession)
	return s.redirect(c, "/", "account.logged_out")
}

func (s *Server) logoutEverywhere(c echo.Context) error {
	if err := s.store.DeleteUserSessions(c.Request().Context(), currentUser(c).ID, 0); err != nil {
		return err
	}
	s.clearCookie(c, cookieSession)
	return s.redirect(c, "/anmelden", "account.logged_out_everywhere")
}
