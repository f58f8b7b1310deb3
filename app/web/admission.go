package web

import (
	"time"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// admission lets at most n requests work at once and queues the others in
// arrival order. Without it, requests beyond the database pool wait for a
// connection, and database/sql hands a freed connection to a random waiter:
// under a rush some requests lose that lottery again and again and wait
// many times longer than the rest. Waiting in line here instead keeps the
// slowest answers close to the typical ones. Websockets (long-lived,
// holding no database connection while idle), infrastructure endpoints and
// the routes exempt reports (long streaming downloads that read in batches
// and give the connection back between them, see streamLimit) are not
// counted: a few of them would otherwise hold every slot for minutes.
func admission(n int, exempt func(echo.Context) bool) echo.MiddlewareFunc {
	slots := make(chan struct{}, n)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if exempt != nil && exempt(c) {
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

// streamLimit lets at most n downloads of a route group run at once on
// this instance. There is no queue (a download can take minutes): the next
// one is answered 503 with Retry-After and the German message msgID.
func streamLimit(n int, msgID string) echo.MiddlewareFunc {
	slots := make(chan struct{}, n)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			select {
			case slots <- struct{}{}:
			default:
				return &app.Error{Code: app.CodeUnavailable, Msg: app.M(msgID), RetryAfter: streamRetryAfter}
			}
			defer func() { <-slots }()
			return next(c)
		}
	}
}

// streamRetryAfter is what a refused download is told to wait.
const streamRetryAfter = 30 * time.Second

// streaming exempts route r from the admission queue (see admission).
func (s *Server) streaming(r *echo.Route) { s.streamRoutes[r.Path] = true }

func (s *Server) isStreaming(c echo.Context) bool { return s.streamRoutes[c.Path()] }
