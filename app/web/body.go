package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/gorilla/websocket"
	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
)

// Time a sender gets for a request body: a base for any body plus enough
// for the declared size at a slow mobile link's pace. A sender slower than
// that is cut off.
const (
	bodyReadBase = 10 * time.Second
	bodyReadRate = 50 << 10 // bytes per second
)

// readBody reads the whole request body, up to limit bytes, before the
// request may take an admission slot: a sender that trickles its body then
// holds only its own connection, never a slot others wait for (the CSRF
// check and the handlers would otherwise read it inside the slot). The
// read has its own deadline. A body over the limit is answered 413 whether
// its size was declared or not (chunked).
func readBody(limitOf func(echo.Context) int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.Body == nil || r.Body == http.NoBody {
				return next(c)
			}
			limit := limitOf(c)
			if r.ContentLength > limit {
				return app.Errorf(app.CodeTooLarge, "error.too_large")
			}
			size := r.ContentLength
			if size < 0 {
				size = limit
			}
			rc := http.NewResponseController(c.Response().Writer)
			// Not every writer can set deadlines (tests); the server's
			// ReadTimeout still applies then.
			_ = rc.SetReadDeadline(time.Now().Add(bodyReadBase + time.Duration(size/bodyReadRate)*time.Second))
			body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
			if err == nil && int64(len(body)) <= limit {
				_ = rc.SetReadDeadline(time.Time{})
				r.Body.Close()
				r.Body = io.NopCloser(bytes.NewReader(body))
				r.ContentLength = int64(len(body))
				return next(c)
			}
			// Refused. With the deadline passed, closing the body reads no
			// further, and net/http closes the connection after the answer
			// instead of waiting for the rest of the body.
			_ = rc.SetReadDeadline(time.Now())
			r.Body.Close()
			switch {
			case err == nil:
				return app.Errorf(app.CodeTooLarge, "error.too_large")
			case errors.Is(err, os.ErrDeadlineExceeded):
				return &app.Error{Code: app.CodeInvalid, Msg: app.M("infra.body_too_slow"), Err: err}
			default:
				return &app.Error{Code: app.CodeInvalid, Msg: app.M("error.bad_request"), Err: err}
			}
		}
	}
}

// uploadFormOverhead is what a form around an uploaded file adds to the
// file: the multipart headers and the other fields.
const uploadFormOverhead = 64 << 10

// upload marks route r as taking a work sheet: its body may be as large as
// the largest sheet, so that a sheet over that size is refused by the
// handler with the limit named at the file field, not by a bare 413.
func (s *Server) upload(r *echo.Route) { s.uploadRoutes[r.Path] = true }

// bodyLimitOf is the largest body the request's route accepts.
func (s *Server) bodyLimitOf(c echo.Context) int64 {
	if s.uploadRoutes[c.Path()] {
		return max(s.bodyLimit, app.MaxUploadBytes+uploadFormOverhead)
	}
	return s.bodyLimit
}

// socket marks route r as a websocket endpoint: its handshakes do not wait
// in the admission queue (see admission).
func (s *Server) socket(r *echo.Route) { s.socketRoutes[r.Path] = true }

// admissionExempt tells which requests pass the admission queue: the
// infrastructure endpoints, long downloads and genuine websocket handshakes
// on a socket route. A mere Upgrade header does not count: anyone can send
// one.
func (s *Server) admissionExempt(c echo.Context) bool {
	return isInfra(c) || s.isStreaming(c) || (s.socketRoutes[c.Path()] && isWebsocketHandshake(c.Request()))
}

// isWebsocketHandshake checks what RFC 6455 requires of an opening
// handshake: GET, "Upgrade: websocket", "Connection: Upgrade", a key and
// version 13.
func isWebsocketHandshake(r *http.Request) bool {
	return r.Method == http.MethodGet && websocket.IsWebSocketUpgrade(r) &&
		r.Header.Get("Sec-WebSocket-Key") != "" && strings.TrimSpace(r.Header.Get("Sec-WebSocket-Version")) == "13"
}
