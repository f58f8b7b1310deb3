package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// eventInput is a valid first-come event starting in a week (Berlin time).
func eventInput(now time.Time, mods ...func(*app.EventInput)) app.EventInput {
	d := now.In(app.Berlin).AddDate(0, 0, 7)
	start := time.Date(d.Year(), d.Month(), d.Day(), 18, 0, 0, 0, app.Berlin)
	in := app.EventInput{
		Title: "Werkstattgespräch Wohnen im Leipziger Osten", Format: string(app.FormatWorkshop),
		Description: "Wie wollen wir im Osten wohnen?", Themes: []string{"wohnen", "soziales"},
		Venue: "Stadtbüro Leipzig", Address: "Katharinenstraße 1, 04109 Leipzig", VenueAccess: "Aufzug vorhanden", StepFree: true,
		StartsAt: app.LocalInput(start), EndsAt: app.LocalInput(start.Add(150 * time.Minute)),
		Capacity: app.N(35), Allocation: string(app.AllocFirstCome),
	}
	for _, m := range mods {
		m(&in)
	}
	return in
}

// createEvent stores an event through the service, as an admin would.
func createEvent(t testing.TB, a *testenv.App, mods ...func(*app.EventInput)) *app.Event {
	t.Helper()
	admin := eventAdmin(t, a)
	ev, err := a.Platform.Events.Create(context.Background(), admin, eventInput(a.Store.Now(), mods...))
	if err != nil {
		t.Fatalf("create event: %v", err)
	}
	return ev
}

func eventAdmin(t testing.TB, a *testenv.App) *app.User {
	t.Helper()
	if u, err := a.Store.UserByEmail(context.Background(), "ag-insek@example.org"); err == nil {
		return u
	}
	return a.CreateUser(t, "ag-insek@example.org", "AG INSEK Team", app.RoleAdmin)
}

func eventAdminURL(ev *app.Event) string { return "/admin" + eventURL(ev) }

func eventURL(ev *app.Event) string { return "/veranstaltungen/" + strconv.FormatInt(ev.ID, 10) }

// mailPath turns an absolute link from a mail into a path for the client.
func mailPath(a *testenv.App, link string) string { return strings.TrimPrefix(link, a.URL) }

func mustStatus(t testing.TB, res *testenv.Response, want int) {
	t.Helper()
	if res.Status != want {
		t.Fatalf("%s: status %d, want %d: %s", res.URL, res.Status, want, res.Text())
	}
}

func reloadEvent(t testing.TB, a *testenv.App, id int64) *app.Event {
	t.Helper()
	ev, err := a.Store.EventByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func registrationOf(t testing.TB, a *testenv.App, ev *app.Event, u *app.User) *app.Registration {
	t.Helper()
	r, err := a.Store.RegistrationOf(context.Background(), ev.ID, u.ID)
	if err != nil {
		t.Fatalf("registration of %s: %v", u.DisplayName, err)
	}
	return r
}

func registerWeb(t testing.TB, c *testenv.Client, ev *app.Event, values url.Values) *testenv.Response {
	t.Helper()
	page := c.Get(eventURL(ev))
	mustStatus(t, page, http.StatusOK)
	return c.Submit(page, "form[action='"+eventURL(ev)+"/anmelden']", values)
}

func formValues(m map[string]string) url.Values {
	v := url.Values{}
	for k, x := range m {
		v.Set(k, x)
	}
	return v
}

// registerPeople makes an account per name ("anna" → anna@example.org,
// "Anna") and registers each, in order, for the events.
func registerPeople(t testing.TB, a *testenv.App, in app.RegistrationInput, names []string, events ...*app.Event) []*app.User {
	t.Helper()
	var people []*app.User
	for _, n := range names {
		u := a.CreateUser(t, n+"@example.org", strings.ToUpper(n[:1])+n[1:], app.RoleCitizen)
		people = append(people, u)
		for _, ev := range events {
			if _, err := a.Platform.Events.Register(context.Background(), u, ev.ID, in); err != nil {
				t.Fatalf("register %s: %v", n, err)
			}
		}
	}
	return people
}

// checkWaitingCounter compares the event's waiting counter with the
// registrations that wait.
func checkWaitingCounter(t testing.TB, a *testenv.App, eventID int64) {
	t.Helper()
	var got struct{ Counted, Waiting int }
	a.Store.Gorm().Raw(`SELECT (SELECT COALESCE(SUM(n), 0) FROM event_wait_counts WHERE event_id = ?) AS counted,
		(SELECT COUNT(*) FROM event_registrations WHERE event_id = ? AND status = 'waitlisted') AS waiting`, eventID, eventID).Scan(&got)
	if got.Counted != got.Waiting {
		t.Fatalf("waiting counter %d, but %d registrations wait", got.Counted, got.Waiting)
	}
}
