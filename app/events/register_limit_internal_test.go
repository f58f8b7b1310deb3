package events

import (
	"context"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// Registrations for one event take turns; a full event holds up nobody
// registering for another, and whoever gives up while waiting leaves the
// line with an error and without a turn.
func TestRegistrationTurns(t *testing.T) {
	s := &Service{}
	s.SetRegistrationsAtOnce(2)
	const rush, other = 17, 18 // different stripes
	ctx := context.Background()
	first, err := s.awaitRegistrationTurn(ctx, rush)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.awaitRegistrationTurn(ctx, rush)
	if err != nil {
		t.Fatal(err)
	}

	waited := make(chan error, 1)
	go func() {
		done, err := s.awaitRegistrationTurn(ctx, rush)
		if err == nil {
			done()
		}
		waited <- err
	}()
	select {
	case err := <-waited:
		t.Fatalf("a third registration ran while two were at work (err %v)", err)
	case <-time.After(50 * time.Millisecond):
	}

	done, err := s.awaitRegistrationTurn(ctx, other)
	if err != nil {
		t.Fatalf("another event waited for the rush: %v", err)
	}
	done()

	gaveUp, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	if _, err := s.awaitRegistrationTurn(gaveUp, rush); app.ErrorCode(err) != app.CodeUnavailable {
		t.Fatalf("giving up while waiting: %v, want unavailable", err)
	}

	first()
	select {
	case err := <-waited:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the waiting registration did not get the freed turn")
	}
	second()
	// Both turns are free again: the one who gave up kept none.
	quick, cancelQuick := context.WithTimeout(ctx, time.Second)
	defer cancelQuick()
	for i := 0; i < 2; i++ {
		if _, err := s.awaitRegistrationTurn(quick, rush); err != nil {
			t.Fatalf("turn %d after all were given back: %v", i+1, err)
		}
	}
}

// A turn taken before the request was admitted (RegistrationTurn) is the
// turn of the registration in that request: it does not wait for a second
// one, which with every turn taken would wait for itself.
func TestRegistrationTurnHeldByTheRequest(t *testing.T) {
	s := &Service{}
	s.SetRegistrationsAtOnce(1)
	const event, sameStripe = 17, 17 + registrationStripes
	ctx, done, err := s.RegistrationTurn(context.Background(), event)
	if err != nil {
		t.Fatal(err)
	}
	quick, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	inner, err := s.awaitRegistrationTurn(quick, event)
	if err != nil {
		t.Fatalf("the registration waited for the turn its own request holds: %v", err)
	}
	inner()
	if _, err := s.awaitRegistrationTurn(quick, sameStripe); app.ErrorCode(err) != app.CodeUnavailable {
		t.Fatalf("a turn for event %d served another event's registration too (err %v)", event, err)
	}
	done()
	// The turn is free again, and only once.
	fresh, cancelFresh := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancelFresh()
	if _, _, err := s.RegistrationTurn(fresh, event); err != nil {
		t.Fatalf("the turn was not given back: %v", err)
	}
	if _, err := s.awaitRegistrationTurn(fresh, sameStripe); app.ErrorCode(err) != app.CodeUnavailable {
		t.Fatalf("one turn was given back twice (err %v)", err)
	}
}
