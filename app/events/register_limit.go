package events

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"

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

// RegistrationTurn waits for a turn to register for the event, like
// Register does, and returns a context that carries it: Register with that
// context takes no second turn. The web layer takes the turn before a
// request is admitted (app/web, admission), so that people waiting for
// their turn in a rush do not hold the slots that page loads need. Call
// done when the request is over.
func (s *Service) RegistrationTurn(ctx context.Context, eventID int64) (_ context.Context, done func(), _ error) {
	done, err := s.awaitRegistrationTurn(ctx, eventID)
	if err != nil {
		return ctx, nil, err
	}
	return context.WithValue(ctx, heldTurn{}, eventID), done, nil
}

// heldTurn is the context key of the event whose turn the caller holds.
type heldTurn struct{}

// awaitRegistrationTurn waits until the event's registrations at once are
// below the limit, in arrival order, and returns the function that ends the
// turn. Someone who gives up while waiting (closed the page, the server
// shuts down) leaves the line without having changed anything.
func (s *Service) awaitRegistrationTurn(ctx context.Context, eventID int64) (func(), error) {
	if id, ok := ctx.Value(heldTurn{}).(int64); len(s.registering) == 0 || (ok && id == eventID) {
		return func() {}, nil
	}
	slots := s.registering[uint64(eventID)%uint64(len(s.registering))]
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	default:
	}
	s.waitingForTurn.Add(1)
	defer s.waitingForTurn.Add(-1)
	select {
	case slots <- struct{}{}:
		return func() { <-slots }, nil
	case <-ctx.Done():
		return nil, app.Unavailable(ctx.Err())
	}
}

// Collectors are the Prometheus series of registrations: how many wait for
// their turn on this instance (a rush in progress).
func (s *Service) Collectors() []prometheus.Collector {
	return []prometheus.Collector{prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "mitwirken_registrations_waiting", Help: "Registrations waiting for their turn (registrations at once per event).",
	}, func() float64 { return float64(s.waitingForTurn.Load()) })}
}
