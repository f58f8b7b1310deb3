package web

import (
	"strconv"
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

// registrationTurns takes the turn of a registration for an event
// (events.Service.RegistrationTurn) before the request is admitted. A rush
// on one event lets only a few of its registrations work at once; the
// others wait for their turn, and waiting inside the admission line they
// held its slots, so page loads of everyone else queued behind people who
// were only waiting. A path whose id is no number, or a request without
// credentials, passes on to the handler, which turns it away: a flood of
// anonymous requests takes no turn from the people registering.
func (s *Server) registrationTurns(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !s.turnRoutes[c.Request().Method+" "+c.Path()] || !hasCredentials(c) {
			return next(c)
		}
		id, err := strconv.ParseInt(c.Param("id"), 10, 64)
		if err != nil {
			return next(c)
		}
		ctx, done, err := s.events.RegistrationTurn(c.Request().Context(), id)
		if err != nil {
			return err
		}
		defer done()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}

// hasCredentials: a bearer token on the API or a session cookie (whether
// either is valid, loadSession finds out).
func hasCredentials(c echo.Context) bool {
	if _, ok := bearerToken(c); ok && isAPI(c) {
		return true
	}
	ck, err := c.Cookie(cookieSession)
	return err == nil && ck.Value != ""
}

// takesTurn marks route r (with an :id of an event) as a registration that
// takes its turn before admission (see registrationTurns).
func (s *Server) takesTurn(r *echo.Route) { s.turnRoutes[r.Method+" "+r.Path] = true }

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
