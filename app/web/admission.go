package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// admission lets at most n requests work at once and queues the others in
// arrival order. Without it, requests beyond the database pool wait for a
// connection, and database/sql hands a freed connection to a random waiter:
// under a rush some requests lose that lottery again and again and wait
// many times longer than the rest. Waiting in line here instead keeps the
// slowest answers close to the typical ones. Websockets (long-lived,
// holding no database connection while idle) and infrastructure endpoints
// are not counted.
func admission(n int) echo.MiddlewareFunc {
	slots := make(chan struct{}, n)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if isInfra(c) || isUpgrade(c.Request()) {
				return next(c)
			}
			select {
			case slots <- struct{}{}:
			case <-c.Request().Context().Done():
				return c.Request().Context().Err()
			}
			defer func() { <-slots }()
			return next(c)
		}
	}
}

func isUpgrade(r *http.Request) bool { return r.Header.Get("Upgrade") != "" }
