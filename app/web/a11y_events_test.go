package web_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

var a11ySeq atomic.Int64

// a11yPerson makes another participant for the scans.
func a11yPerson(t *testing.T, a *testenv.App) *app.User {
	n := a11ySeq.Add(1)
	return a.CreateUser(t, fmt.Sprintf("scan-person-%d@example.org", n), fmt.Sprintf("Scan Person %d", n), app.RoleCitizen)
}

func a11yRegister(t *testing.T, a *testenv.App, u *app.User, ev *app.Event, in app.RegistrationInput) *app.Registration {
	t.Helper()
	res, err := a.Platform.Events.Register(context.Background(), u, ev.ID, in)
	if err != nil {
		t.Fatal(err)
	}
	return res.Registration
}

// a11yOfferedEvent makes an event where the viewer holds an offer.
func a11yOfferedEvent(t *testing.T, a *testenv.App, viewer *app.User) *app.Event {
	ev := createEvent(t, a, func(in *app.EventInput) { in.Capacity = app.N(1) })
	first := a11yPerson(t, a)
	a11yRegister(t, a, first, ev, app.RegistrationInput{})
	a11yRegister(t, a, viewer, ev, app.RegistrationInput{})
	if err := a.Platform.Events.CancelOwn(context.Background(), first, ev.ID); err != nil {
		t.Fatal(err)
	}
	return ev
}

// a11yDrawnEvent makes a selection event that has been announced (and drawn
// when draw is set).
func a11yDrawnEvent(t *testing.T, a *testenv.App, draw bool) *app.Event {
	ctx := context.Background()
	ev := createEvent(t, a, func(in *app.EventInput) { in.Allocation = string(app.AllocSelection); in.Capacity = app.N(2) })
	for i := 0; i < 4; i++ {
		a11yRegister(t, a, a11yPerson(t, a), ev, app.RegistrationInput{})
	}
	admin := eventAdmin(t, a)
	if _, err := a.Platform.Events.AnnounceDraw(ctx, admin, ev.ID, app.DrawAnnounceInput{SeedSource: "Ziehung der Lottozahlen am Samstag"}); err != nil {
		t.Fatal(err)
	}
	if draw {
		if _, err := a.Platform.Events.RunDraw(ctx, admin, ev.ID, app.DrawInput{Seed: "1 2 3 4 5 6", Witnesses: "Erika Muster"}); err != nil {
			t.Fatal(err)
		}
	}
	return ev
}

func a11yInvitationEvent(t *testing.T, a *testenv.App) (*app.Event, string) {
	_, ev := forumSetup(t, a)
	if _, err := a.Platform.Events.ImportInvitations(context.Background(), eventAdmin(t, a), ev.ID,
		[]byte("organisation,art,stadtbezirk,email,plaetze\nHeimatverein Wiederitzsch,Heimatverein,9,hv@wiederitzsch.example,2\n")); err != nil {
		t.Fatal(err)
	}
	var m app.OutboxMessage
	if err := a.Store.Gorm().Where("to_addr = ? AND kind = ?", "hv@wiederitzsch.example", "event_invitation").Order("id DESC").First(&m).Error; err != nil {
		t.Fatal(err)
	}
	i := strings.Index(m.BodyText, "/einladung/")
	return ev, strings.Fields(m.BodyText[i:])[0]
}

func init() {
	ev := func(mods ...func(*app.EventInput)) func(*testing.T, *testenv.App, *app.User) string {
		return func(t *testing.T, a *testenv.App, _ *app.User) string { return eventURL(createEvent(t, a, mods...)) }
	}
	selection := func(in *app.EventInput) { in.Allocation = string(app.AllocSelection) }
	a11yPages = append(a11yPages,
		a11yPage{name: "events list", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			createEvent(t, a)
			a11yDrawnEvent(t, a, false)
			return "/veranstaltungen"
		}},
		a11yPage{name: "events list english", path: "/veranstaltungen?lang=en"},
		a11yPage{name: "events list own forum", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			forumSetup(t, a)
			a.Store.Gorm().Model(u).Update("ortsteil_code", "91")
			return "/veranstaltungen"
		}},
		a11yPage{name: "event logged out", prepare: ev()},
		a11yPage{name: "event registration form", as: app.RoleCitizen, prepare: ev()},
		a11yPage{name: "event selection form", as: app.RoleCitizen, prepare: ev(selection)},
		a11yPage{name: "event with offer", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			return eventURL(a11yOfferedEvent(t, a, u))
		}},
		a11yPage{name: "event cancelled", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			e := createEvent(t, a)
			if err := a.Platform.Events.CancelEvent(context.Background(), eventAdmin(t, a), e.ID, "Krankheit der Moderation"); err != nil {
				t.Fatal(err)
			}
			return eventURL(e)
		}},
		a11yPage{name: "my registrations", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			a11yOfferedEvent(t, a, u)
			a11yRegister(t, a, u, createEvent(t, a), app.RegistrationInput{AccessNeeds: []string{app.NeedChildcare}})
			return "/meine-anmeldungen"
		}},
		a11yPage{name: "ticket", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			r := a11yRegister(t, a, u, createEvent(t, a), app.RegistrationInput{})
			return "/meine-anmeldungen/" + itoa(r.ID)
		}},
		a11yPage{name: "cancel confirmation", as: app.RoleCitizen, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			e := createEvent(t, a)
			a11yRegister(t, a, u, e, app.RegistrationInput{})
			return eventURL(e) + "/abmelden"
		}},
		a11yPage{name: "offer link", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			p := a11yPerson(t, a)
			e := a11yOfferedEvent(t, a, p)
			r := registrationOf(t, a, e, p)
			return "/anmeldung/angebot?t=" + a.Platform.Events.Link("event-offer", e, r)
		}},
		a11yPage{name: "link invalid", path: "/anmeldung/stornieren?t=abgelaufen"},
		a11yPage{name: "check-in", as: app.RoleModerator, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			e := createEvent(t, a)
			r := a11yRegister(t, a, a11yPerson(t, a), e, app.RegistrationInput{AccessNeeds: []string{app.NeedStepFree}})
			return strings.TrimPrefix(a.Platform.Events.CheckinURL(e, r), a.URL)
		}},
		a11yPage{name: "draw public", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return eventURL(a11yDrawnEvent(t, a, true)) + "/auslosung"
		}},
		a11yPage{name: "invitation naming", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			_, link := a11yInvitationEvent(t, a)
			return strings.TrimPrefix(link, a.URL)
		}},
		a11yPage{name: "invitation naming errors", prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			_, link := a11yInvitationEvent(t, a)
			return strings.TrimPrefix(link, a.URL)
		}, submit: "main form button[type=submit]"},
		a11yPage{name: "invitation done", path: "/einladung-danke"},
		a11yPage{name: "admin events", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			createEvent(t, a)
			return "/admin/veranstaltungen"
		}},
		a11yPage{name: "admin event new", as: app.RoleAdmin, path: "/admin/veranstaltungen/neu"},
		a11yPage{name: "admin event new errors", as: app.RoleAdmin, path: "/admin/veranstaltungen/neu", submit: "main form button[type=submit]"},
		a11yPage{name: "admin event edit", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return eventAdminURL(createEvent(t, a)) + "/bearbeiten"
		}},
		a11yPage{name: "admin event overview", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, u *app.User) string {
			e := a11yOfferedEvent(t, a, a11yPerson(t, a))
			a11yRegister(t, a, a11yPerson(t, a), e, app.RegistrationInput{AccessNeeds: []string{app.NeedInductionLoop}, AccessOther: "Gebärdendolmetschen"})
			return eventAdminURL(e)
		}},
		a11yPage{name: "admin event overview moderator", as: app.RoleModerator, prepare: ev()},
		a11yPage{name: "admin event cancel", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return eventAdminURL(createEvent(t, a)) + "/absagen"
		}},
		a11yPage{name: "admin event cancel errors", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return eventAdminURL(createEvent(t, a)) + "/absagen"
		}, submit: "main form button[type=submit]"},
		a11yPage{name: "admin event message errors", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return eventAdminURL(createEvent(t, a)) + "/nachricht"
		}, submit: "main form button[type=submit]"},
		a11yPage{name: "admin entry list", as: app.RoleModerator, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			e := createEvent(t, a)
			a11yRegister(t, a, a11yPerson(t, a), e, app.RegistrationInput{AccessNeeds: []string{app.NeedChildcare}})
			return eventAdminURL(e) + "/einlassliste"
		}},
		a11yPage{name: "admin draw announce errors", as: app.RoleModerator, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			e := createEvent(t, a, selection)
			a11yRegister(t, a, a11yPerson(t, a), e, app.RegistrationInput{})
			return eventAdminURL(e) + "/auslosung"
		}, submit: "main form[action$='/ankuendigen'] button[type=submit]"},
		a11yPage{name: "admin draw run", as: app.RoleModerator, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return eventAdminURL(a11yDrawnEvent(t, a, false)) + "/auslosung"
		}},
		a11yPage{name: "admin draw done", as: app.RoleModerator, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			return eventAdminURL(a11yDrawnEvent(t, a, true)) + "/auslosung"
		}},
		a11yPage{name: "admin invitations", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			e, _ := a11yInvitationEvent(t, a)
			return eventAdminURL(e) + "/einladungen"
		}},
		a11yPage{name: "admin invitations errors", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			e, _ := a11yInvitationEvent(t, a)
			return eventAdminURL(e) + "/einladungen"
		}, submit: "main form[enctype] button[type=submit]"},
		a11yPage{name: "admin stadtgebiete", as: app.RoleAdmin, prepare: func(t *testing.T, a *testenv.App, _ *app.User) string {
			a.Store.SaveStadtgebiet(context.Background(), 0, app.StadtgebietInput{Name: fmt.Sprintf("West %d", a11ySeq.Add(1)), Example: true, Bezirke: []string{"6"}})
			return "/admin/stadtgebiete"
		}},
		a11yPage{name: "admin stadtgebiet errors", as: app.RoleAdmin, path: "/admin/stadtgebiete/neu", submit: "main form button[type=submit]"},
	)
}

// TestRegisterByKeyboard: a citizen registers with the keyboard alone in
// Chromium: Tab to an access need, Space to tick it, Tab to the button,
// Enter to send.
func TestRegisterByKeyboard(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ev := createEvent(t, a)
	u := a.CreateUser(t, "tastatur@example.org", "Nur Tastatur", app.RoleCitizen)
	tab := testenv.StartBrowser(t).Tab(t)
	testenv.LoginAs(t, tab, a, u)
	ctx, cancel := context.WithTimeout(tab, 90*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(a.URL+eventURL(ev)), chromedp.WaitVisible("#register-title")); err != nil {
		t.Fatal(err)
	}
	active := func() string {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.activeElement.id || "") + "|" + (document.activeElement.textContent || "").trim()`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	tabTo := func(match func(string) bool, what string) {
		for i := 0; i < 80; i++ {
			if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
				t.Fatal(err)
			}
			if match(active()) {
				return
			}
		}
		t.Fatalf("could not reach %s with Tab", what)
	}
	tabTo(func(s string) bool { return strings.HasPrefix(s, "f-access_needs|") }, "the first access need")
	if err := chromedp.Do(ctx, chromedp.KeyEvent(" ")); err != nil {
		t.Fatal(err)
	}
	tabTo(func(s string) bool { return strings.HasSuffix(s, "|Verbindlich anmelden") }, "the register button")
	if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible("#own-status-title")); err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(ctx, chromedp.Text("main"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "Sie sind angemeldet") {
		t.Fatalf("after Enter: %s", text)
	}
	r := registrationOf(t, a, ev, u)
	if r.Status != app.RegConfirmed || !r.HasNeed(app.NeedStepFree) {
		t.Fatalf("registration by keyboard: %s, needs %q", r.Status, r.AccessNeeds)
	}
}

// TestAccessibilitySelectionFormErrors scans the application form of a
// selection event after answers were given without consent (the error
// state needs input, which the generic scan cannot give).
func TestAccessibilitySelectionFormErrors(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ev := createEvent(t, a, func(in *app.EventInput) { in.Allocation = string(app.AllocSelection) })
	u := a.CreateUser(t, "bewerbung@example.org", "Bewerberin", app.RoleCitizen)
	tab := testenv.StartBrowser(t).Tab(t)
	testenv.LoginAs(t, tab, a, u)
	ctx, cancel := context.WithTimeout(tab, 90*time.Second)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Navigate(a.URL+eventURL(ev)), chromedp.SetValue("#f-answer_age", "30_44"),
		chromedp.Click("main form[action$='/anmelden'] button[type=submit]"), chromedp.WaitVisible("#error-summary"))
	if err != nil {
		t.Fatal(err)
	}
	testenv.ReportAxe(t, ctx, "selection form with errors")
}
