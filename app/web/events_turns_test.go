package web_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/platform"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestWaitingRegistrationsLeavePageLoadsAlone: in a rush only a few
// registrations for one event work at once and the others wait for their
// turn. They used to wait inside the admission line and hold its slots, so
// that everybody else's page loads queued behind people who were only
// waiting. Here the event's only turn is held while more registrations
// arrive than the instance admits at once; the events page must still load,
// a registration without credentials is turned away without waiting, and
// once the turn is free every registration is answered.
func TestWaitingRegistrationsLeavePageLoadsAlone(t *testing.T) {
	const admitted, waiting = 2, 5
	a := testenv.StartApp(t, testenv.WithoutSMTP(), testenv.WithConfig(func(c *platform.Config) {
		c.DBMaxConns = admitted // the admission line is as long as the pool
		c.RegistrationsAtOnce = 1
	}))
	ev := createEvent(t, a, func(in *app.EventInput) { in.Capacity = app.N(3) })
	people := createRushUsers(t, a.Store, waiting, "Turn")
	api := newAPIClient(waiting + 1)
	url := a.URL + "/api/v1/events/" + itoa(ev.ID) + "/registrations"

	_, release, err := a.Platform.Events.RegistrationTurn(context.Background(), ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	released := false
	defer func() {
		if !released {
			release()
		}
	}()
	statuses := make([]int, waiting)
	var wg sync.WaitGroup
	for i := range people {
		wg.Add(1)
		go func() {
			defer wg.Done()
			statuses[i], _, _ = api.do(http.MethodPost, url, people[i].Token, map[string]any{})
		}()
	}
	// As many wait as the instance admits at once: the line is full if they
	// stand in it.
	waitFor(t, "registrations waiting for their turn", func() bool { return registrationsWaiting(t, a) >= admitted })

	page := &http.Client{Timeout: 20 * time.Second}
	resp, err := page.Get(a.URL + "/veranstaltungen")
	if err != nil {
		t.Fatalf("the events page did not load while registrations waited for their turn: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("events page: %d", resp.StatusCode)
	}

	// A registration without credentials is turned away without waiting
	// for the turn.
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader("{}"))
	req.Header.Set("Content-Type", "application/json")
	anon, err := page.Do(req)
	if err != nil {
		t.Fatalf("a registration without credentials waited for the turn: %v", err)
	}
	anon.Body.Close()
	// (403: without a token the API takes it for a browser without its
	// CSRF token.)
	if anon.StatusCode != http.StatusUnauthorized && anon.StatusCode != http.StatusForbidden {
		t.Errorf("registration without credentials: %d, want 401 or 403", anon.StatusCode)
	}

	release()
	released = true
	wg.Wait()
	for i, st := range statuses {
		if st != http.StatusCreated {
			t.Errorf("registration %d after the turn was free: %d, want 201", i, st)
		}
	}
}

// registrationsWaiting reads mitwirken_registrations_waiting from /metrics
// (which is not admitted through the line).
func registrationsWaiting(t *testing.T, a *testenv.App) int {
	t.Helper()
	for _, line := range strings.Split(a.Client(t).Get("/metrics").Body, "\n") {
		if v, ok := strings.CutPrefix(line, "mitwirken_registrations_waiting "); ok {
			n, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("metric: %q", line)
			}
			return int(n)
		}
	}
	t.Fatal("/metrics has no mitwirken_registrations_waiting")
	return 0
}
