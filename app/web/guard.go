package web

import (
	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// requireLogin lets only logged-in people through; others are sent to the
// login page (or get 401 on the API).
func requireLogin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) == nil {
			return app.Unauthorized()
		}
		return next(c)
	}
}

// requireVerified lets only accounts with a confirmed address take part.
func requireVerified(next echo.HandlerFunc) echo.HandlerFunc {
	return requireLogin(func(c echo.Context) error {
		if !currentUser(c).Verified() {
			return app.Errorf(app.CodeForbidden, "account.verify_first")
		}
		return next(c)
	})
}

// requireRole lets only holders of at least role r through.
func requireRole(r app.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return requireLogin(func(c echo.Context) error {
			if !currentUser(c).Is(r) {
				return app.Forbidden()
			}
			return next(c)
		})
	}
}
