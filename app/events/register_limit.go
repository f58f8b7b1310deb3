package events

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// DefaultRegistrationsAtOnce is how many registration transactions for one
// event an instance runs at once unless configured otherwise
// (MITWIRKEN_REGISTRATIONS_AT_ONCE).
//
// Registrations for the same event meet on its lock, its row and the pages
// of its indexes. In the registration rush of make bench (2,000 people, one
// 35-seat event, a pool of 20 connections) PostgreSQL spent 1.7–2.4 ms of
// CPU per registration with 20 at once and 1.3–1.8 ms with 4; the instance
// served 490–710 instead of 590–760 registrations per second, and the
// slowest answers (p99) at half that load came back in 20–90 instead of
// mostly 160–220 ms (docs/events.md, section 10).
const DefaultRegistrationsAtOnce = 4

// registrationStripes spreads events over independent limits, so that
// people registering for one event never wait for a rush on another (or
// for one held up by a draw).
const registrationStripes = 16

// SetRegistrationsAtOnce sets how many registrations for one event run at
// once on this instance; below 1 (a Config built in code leaves it 0) it is
// DefaultRegistrationsAtOnce. Call before serving.
func (s *Service) SetRegistrationsAtOnce(n int) {
	if n < 1 {
		n = DefaultRegistrationsAtOnce
	}
	s.registering = make([]chan struct{}, registrationStripes)
	for i := range s.registering {
		s.registering[i] = make(chan struct{}, n)
	}
}

// awaitRegistrationTurn waits until the event's registrations at once are
// below the limit, in arrival order, and returns the function that ends the
// turn. Someone who gives up while waiting (closed the page, the server
// shuts down) leaves the line without having changed anything.
func (s *Service) awaitRegistrationTurn(ctx context.Context, eventID int64) (func(), error) {
	if len(s.registering) == 0 {
		return func() {}, nil
	}
	slots := s.registering[uint64(eventID)%uint64(len(s.registering))]
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	case <-ctx.Done():
		return nil, app.Unavailable(ctx.Err())
	}
}
