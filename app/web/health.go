package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

func (s *Server) healthRoutes() {
	s.e.GET("/healthz", s.healthz)
	s.e.GET("/readyz", s.readyz)
	if s.metrics != nil {
		s.e.GET("/metrics", echo.WrapHandler(s.metrics.Handler()))
	}
}

// healthz answers as long as the process serves requests.
func (s *Server) healthz(c echo.Context) error { return c.String(http.StatusOK, "ok\n") }

// readyz answers 503 while the database is unreachable or full (its last
// write failed for lack of space), so a load balancer stops sending traffic
// and monitoring names the cause until it is back.
func (s *Server) readyz(c echo.Context) error {
	if err := s.store.Ping(c.Request().Context()); err != nil {
		return c.String(http.StatusServiceUnavailable, "database unavailable\n")
	}
	if s.store.Full() {
		return c.String(http.StatusServiceUnavailable, "database full: no space left for writes\n")
	}
	return c.String(http.StatusOK, "ok\n")
}
