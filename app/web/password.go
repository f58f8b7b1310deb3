package web

import (
	"net/url"

	"github.com/labstack/echo/v4"
)

func (s *Server) passwordRoutes() {
	s.e.GET("/passwort/vergessen", s.simple("account/forgot", "account.forgot_title"))
	s.e.POST("/passwort/vergessen", s.forgotPassword)
	s.e.GET("/passwort/vergessen/gesendet", s.simple("account/forgot_sent", "account.forgot_sent_title"))
	s.e.GET("/passwort/neu", s.resetForm)
	s.e.POST("/passwort/neu", s.resetPassword)
}

type forgotInput struct {
	Email string `form:"email"`
}

func (s *Server) forgotPassword(c echo.Context) error {
	var in forgotInput
	if err := bind(c, &in); err != nil {
		return err
	}
	if err := s.auth.RequestPasswordResetFrom(c.Request().Context(), in.Email, c.RealIP()); err != nil {
		return s.formError(c, "account/forgot", "account.forgot_title", err, nil)
	}
	// The same answer whether or not the address has an account.
	return s.redirect(c, "/passwort/vergessen/gesendet", "")
}

type resetInput struct {
	Token    string `form:"token"`
	Password string `form:"password"`
}

func (s *Server) resetForm(c echo.Context) error {
	return s.formPage(c, "account/reset", "account.reset_title", url.Values{"token": {c.QueryParam("token")}}, nil)
}

func (s *Server) resetPassword(c echo.Context) error {
	var in resetInput
	if err := bind(c, &in); err != nil {
		return err
	}
	err := s.auth.ResetPassword(c.Request().Context(), in.Token, in.Password)
	if err != nil {
		if code := errCodeOf(err); code == "not_found" || code == "gone" {
			return s.render(c, statusOf(err), "account/link_invalid", s.view(c, "account.link_invalid_title", nil))
		}
		return s.formError(c, "account/reset", "account.reset_title", err, nil)
	}
	s.clearCookie(c, cookieSession)
	return s.redirect(c, "/anmelden", "account.password_reset_done")
}
