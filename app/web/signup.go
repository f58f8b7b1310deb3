package web

import (
	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

func (s *Server) signupRoutes() {
	s.e.GET("/registrieren", s.signupForm)
	s.e.POST("/registrieren", s.signup)
	s.e.GET("/registrieren/danke", s.simple("account/signup_sent", "account.signup_sent_title"))
	s.e.GET("/konto/bestaetigen", s.verifyEmail)
	s.e.POST("/konto/bestaetigung-erneut", s.resendVerification, requireLogin)
}

func (s *Server) signupForm(c echo.Context) error {
	if currentUser(c) != nil {
		return s.redirect(c, "/profil", "")
	}
	return s.page(c, "account/signup", "account.signup_title", nil)
}

func (s *Server) signup(c echo.Context) error {
	var in app.SignupInput
	if err := bind(c, &in); err != nil {
		return err
	}
	in.Locale = localizer(c).Lang()
	in.IP = c.RealIP()
	if err := s.auth.Signup(c.Request().Context(), in); err != nil {
		return s.formError(c, "account/signup", "account.signup_title", err, nil)
	}
	return s.redirect(c, "/registrieren/danke", "")
}

func (s *Server) verifyEmail(c echo.Context) error {
	_, err := s.auth.VerifyEmail(c.Request().Context(), c.QueryParam("token"))
	switch app.ErrorCode(err) {
	case "":
		if currentUser(c) != nil {
			return s.redirect(c, "/profil", "account.verified")
		}
		return s.redirect(c, "/anmelden", "account.verified")
	case app.CodeNotFound, app.CodeGone:
		return s.render(c, app.ErrorCode(err).HTTPStatus(), "account/link_invalid", s.view(c, "account.link_invalid_title", nil))
	}
	return err
}

func (s *Server) resendVerification(c echo.Context) error {
	if err := s.auth.ResendVerification(c.Request().Context(), currentUser(c)); err != nil {
		return err
	}
	return s.redirect(c, "/profil", "account.verification_resent")
}
