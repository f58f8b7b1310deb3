package web_test

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// uploadCSV posts a file to the invitation import like a browser does.
func uploadCSV(t *testing.T, c *testenv.Client, path string, data []byte) *testenv.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", c.CSRF())
	fw, _ := w.CreateFormFile("file", "einladungen.csv")
	fw.Write(data)
	w.Close()
	return c.PostRaw(path, w.FormDataContentType(), body.Bytes())
}

// forumSetup makes the example Stadtgebiet Nord and its forum: 20 seats,
// 5 of them open to residents.
func forumSetup(t *testing.T, a *testenv.App) (*app.Stadtgebiet, *app.Event) {
	t.Helper()
	var g *app.Stadtgebiet
	all, _ := a.Store.Stadtgebiete(context.Background())
	for _, x := range all {
		if x.Name == "Nord" {
			g = x
		}
	}
	if g == nil {
		var err error
		if g, err = a.Store.SaveStadtgebiet(context.Background(), 0, app.StadtgebietInput{Name: "Nord", Example: true, Bezirke: []string{"1", "8", "9"}}); err != nil {
			t.Fatal(err)
		}
	}
	ev := createEvent(t, a, func(in *app.EventInput) {
		in.Title, in.Format, in.Allocation = "Stadtgebietsforum Nord", string(app.FormatForum), string(app.AllocInvitation)
		in.Capacity, in.OpenSeats, in.StadtgebietID = app.N(20), app.N(5), strconv.FormatInt(g.ID, 10)
	})
	return g, ev
}

// TestInvitationImportReportsEveryBadLine: a file with mistakes is refused
// as a whole, each problem named with its line; nothing is imported and no
// mail goes out. The corrected file (semicolons, Windows-1252 as Excel
// writes it) invites every organisation by mail.
func TestInvitationImportReportsEveryBadLine(t *testing.T) {
	a := testenv.StartApp(t)
	_, ev := forumSetup(t, a)
	admin := a.SessionClient(t, eventAdmin(t, a))
	path := eventAdminURL(ev) + "/einladungen"
	mustStatus(t, admin.Get(path), http.StatusOK)

	bad := "organisation,art,stadtbezirk,email,plaetze\n" +
		"Bürgerverein Gohlis e.V.,Bürgerverein/Heimatverein,Nord,vorstand@gohlis.example,2\n" + // line 2: fine
		"Stadtbezirksbeirat Nord,Beirat,9,beirat@leipzig.example,3\n" + // line 3: unknown kind
		"Initiative Connewitz,Initiative,Süd,info@connewitz.example,1\n" + // line 4: outside the Stadtgebiet
		"Ortschaftsrat Seehausen,Ortschaftsrat,Nord,kein-at-zeichen,1\n" + // line 5: bad address
		"Bürgerverein Gohlis e.V.,Initiative,Nord,zwei@gohlis.example,1\n" + // line 6: duplicate
		"Multiplikatorin Mockau,Multiplikator,1,mockau@example.org,null\n" + // line 7: seats
		",Initiative,8,leer@example.org,1\n" // line 8: no name
	res := uploadCSV(t, admin, path, []byte(bad))
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d %s", res.Status, res.Text())
	}
	want := []string{
		"Zeile 3: Die Art „Beirat“ ist unbekannt",
		"Zeile 4: Der Stadtbezirk Süd gehört nicht zum Stadtgebiet Nord",
		"Zeile 5: Die E-Mail-Adresse „kein-at-zeichen“ ist ungültig",
		"Zeile 6: „Bürgerverein Gohlis e.V.“ steht schon in Zeile 2",
		"Zeile 7: Die Zahl der Plätze „null“ muss zwischen 1 und 20 liegen",
		"Zeile 8: Der Name der Organisation fehlt",
	}
	problems := res.Doc.Find(".problems li")
	if problems.Length() != len(want) {
		t.Fatalf("%d problems reported, want %d: %s", problems.Length(), len(want), res.Text())
	}
	for i, w := range want {
		if got := problems.Eq(i).Text(); !strings.HasPrefix(got, w) {
			t.Errorf("problem %d: %q, want %q…", i+1, got, w)
		}
	}
	if !strings.Contains(res.FieldError("file"), "Es wurde nichts übernommen") {
		t.Fatalf("file error: %q", res.FieldError("file"))
	}
	if inv, _ := a.Store.Invitations(context.Background(), ev.ID); len(inv) != 0 {
		t.Fatalf("%d invitations imported from a bad file", len(inv))
	}
	// Too many seats for the event is a problem of the whole file.
	res = uploadCSV(t, admin, path, []byte("organisation,art,stadtbezirk,email,plaetze\nGroßverein,Initiative,9,gross@example.org,16\n"))
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Text(), "hat aber nur 20") {
		t.Fatalf("capacity: %d %s", res.Status, res.Text())
	}

	good := "Organisation;Art;Stadtbezirk;E-Mail;Plätze\r\n" +
		"Bürgerverein Gohlis e.V.;Bürgerverein/Heimatverein;Nord;vorstand@gohlis.example;2\r\n" +
		"Stadtbezirksbeirat Nordost;Stadtbezirksbeirat;1;beirat-nordost@leipzig.example;3\r\n"
	encoded, err := charmap.Windows1252.NewEncoder().String(good)
	if err != nil {
		t.Fatal(err)
	}
	res = uploadCSV(t, admin, path, []byte(encoded))
	if !strings.Contains(res.Text(), "Die Einladungen sind angelegt") || !strings.Contains(res.Text(), "Bürgerverein Gohlis e.V.") {
		t.Fatalf("good file: %d %s", res.Status, res.Text())
	}
	m := a.Mail.WaitFor("vorstand@gohlis.example", "Einladung: Stadtgebietsforum Nord")
	if !strings.Contains(m.Text, "2 Plätze") || !strings.Contains(m.Text, "/einladung/") {
		t.Fatalf("invitation mail: %s", m.Text)
	}
	a.Mail.WaitFor("beirat-nordost@leipzig.example", "Einladung")
	// The same organisation cannot be invited twice.
	res = uploadCSV(t, admin, path, []byte(good))
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Text(), "ist bereits eingeladen") {
		t.Fatalf("second import: %d %s", res.Status, res.Text())
	}
	// Moderators cannot import.
	mod := a.SessionClient(t, a.CreateUser(t, "mod@example.org", "Moderation", app.RoleModerator))
	if res := uploadCSV(t, mod, path, []byte(good)); res.Status != http.StatusForbidden {
		t.Fatalf("moderator import: %d", res.Status)
	}
}

// TestDelegatesAndOpenSeats: an organisation names delegates and substitutes
// through its single-use link, within its seats. A delegate who cancels is
// replaced by the substitute. Open seats are for residents of the
// Stadtgebiet only, and their forum is shown to them first.
func TestDelegatesAndOpenSeats(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	_, ev := forumSetup(t, a)
	admin := eventAdmin(t, a)
	if _, err := a.Platform.Events.ImportInvitations(ctx, admin, ev.ID,
		[]byte("organisation,art,stadtbezirk,email,plaetze\nBürgerverein Gohlis e.V.,Bürgerverein,9,vorstand@gohlis.example,2\n")); err != nil {
		t.Fatal(err)
	}
	link := a.Mail.WaitFor("vorstand@gohlis.example", "Einladung").Link(t, "/einladung/")
	org := a.Client(t)
	page := org.Get(mailPath(a, link))
	mustStatus(t, page, http.StatusOK)
	if page.Doc.Find("fieldset legend:contains('Platz')").Length() != 2 {
		t.Fatalf("naming form should have two seats: %s", page.Text())
	}
	// More people than seats are refused (a crafted request).
	res := org.PostForm(mailPath(a, link), url.Values{
		"d1_name": {"Petra Vorstand"}, "d1_email": {"petra@gohlis.example"},
		"d2_name": {"Karl Kassenwart"}, "d2_email": {"karl@gohlis.example"},
		"d3_name": {"Dritte Person"}, "d3_email": {"dritte@gohlis.example"},
	})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Text(), "2 Plätze") {
		t.Fatalf("three delegates for two seats: %d %s", res.Status, res.Text())
	}
	res = org.Submit(page, "main form", url.Values{
		"d1_name": {"Petra Vorstand"}, "d1_email": {"petra@gohlis.example"},
		"d1_sub_name": {"Sabine Stellvertreterin"}, "d1_sub_email": {"sabine@gohlis.example"}, "d1_needs": {"step_free"},
		"d2_name": {"Karl Kassenwart"}, "d2_email": {"karl@gohlis.example"},
	})
	if !strings.Contains(res.Text(), "Vielen Dank") {
		t.Fatalf("naming: %d %s", res.Status, res.Text())
	}
	petra := a.Mail.WaitFor("petra@gohlis.example", "Anmeldung bestätigt")
	if !strings.Contains(petra.Text, "Ihre Organisation hat Sie") || len(petra.Attachments) != 2 {
		t.Fatalf("delegate confirmation: %s", petra.Text)
	}
	a.Mail.WaitFor("karl@gohlis.example", "Anmeldung bestätigt")
	a.Mail.WaitFor("sabine@gohlis.example", "Sie sind Vertretung")
	summary := a.Mail.WaitFor("vorstand@gohlis.example", "Delegierte benannt")
	if !strings.Contains(summary.Text, "Petra Vorstand") || !strings.Contains(summary.Text, "Vertretung: Sabine Stellvertreterin") {
		t.Fatalf("summary: %s", summary.Text)
	}
	if e := reloadEvent(t, a, ev.ID); e.SeatsTaken != 2 || e.PublicTaken != 0 {
		t.Fatalf("seats after naming: %d taken, %d public", e.SeatsTaken, e.PublicTaken)
	}
	// The link works once.
	if again := org.Get(mailPath(a, link)); again.Status != http.StatusGone || !strings.Contains(again.Text(), "bereits Delegierte benannt") {
		t.Fatalf("second use of the link: %d %s", again.Status, again.Text())
	}

	// Petra cancels through her mail: Sabine takes over the seat.
	stranger := a.Client(t)
	page = stranger.Get(mailPath(a, petra.Link(t, "/anmeldung/stornieren")))
	stranger.Submit(page, "main form", nil)
	sabine := a.Mail.WaitFor("sabine@gohlis.example", "Anmeldung bestätigt")
	if !strings.Contains(sabine.Text, "Hallo Sabine Stellvertreterin") {
		t.Fatalf("substitute confirmation: %s", sabine.Text)
	}
	a.Mail.WaitFor("petra@gohlis.example", "Stornierung bestätigt")
	if e := reloadEvent(t, a, ev.ID); e.SeatsTaken != 2 {
		t.Fatalf("seats after the takeover: %d", e.SeatsTaken)
	}
	// Petra's QR code no longer works; Sabine's does.
	if res := a.SessionClient(t, admin).Get(mailPath(a, petra.Link(t, "/einlass/"))); res.Status != http.StatusNotFound {
		t.Fatalf("old QR link: %d", res.Status)
	}
	if res := a.SessionClient(t, admin).Get(mailPath(a, sabine.Link(t, "/einlass/"))); !strings.Contains(res.Text(), "Sabine Stellvertreterin") || !strings.Contains(res.Text(), "Bürgerverein Gohlis") {
		t.Fatalf("substitute's QR link: %s", res.Text())
	}

	// Open seats: a resident of Gohlis (Stadtbezirk Nord) may register, a
	// resident of Connewitz (Süd) may not.
	gohlis := a.CreateUser(t, "gohlis@example.org", "Gohliserin", app.RoleCitizen)
	a.Store.Gorm().Model(gohlis).Update("ortsteil_code", "91")
	connewitz := a.CreateUser(t, "connewitz@example.org", "Connewitzer", app.RoleCitizen)
	a.Store.Gorm().Model(connewitz).Update("ortsteil_code", "41")
	var got map[string]any
	path := "/api/v1/events/" + itoa(ev.ID) + "/registrations"
	if st := a.SessionClient(t, connewitz).JSON(http.MethodPost, path, nil, &got); st != http.StatusForbidden {
		t.Fatalf("non-resident: %d %v", st, got)
	}
	gc := a.SessionClient(t, gohlis)
	if st := gc.JSON(http.MethodPost, path, nil, &got); st != http.StatusCreated || got["status"] != "confirmed" {
		t.Fatalf("resident: %d %v", st, got)
	}
	list := gc.Get("/veranstaltungen")
	if yours := list.Doc.Find(".yours"); !strings.Contains(yours.Text(), "Ihr Stadtgebietsforum: Nord") || !strings.Contains(yours.Text(), "Stadtgebietsforum Nord") {
		t.Fatalf("own forum not shown first: %s", list.Text())
	}
	if !strings.Contains(list.Text(), "Beispiel") {
		t.Fatalf("example grouping not marked: %s", list.Text())
	}
}

// TestStadtgebieteAdmin: admins group Stadtbezirke; a Stadtbezirk can belong
// to one Stadtgebiet only.
func TestStadtgebieteAdmin(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	c := a.SessionClient(t, eventAdmin(t, a))
	page := c.Get("/admin/stadtgebiete/neu")
	mustStatus(t, page, http.StatusOK)
	res := c.Submit(page, "main form", url.Values{"name": {"Ost"}, "bezirke": {"2", "3"}})
	if !strings.Contains(res.Text(), "Das Stadtgebiet ist gespeichert") || !strings.Contains(res.Text(), "2 Ost") {
		t.Fatalf("create: %s", res.Text())
	}
	res = c.Submit(c.Get("/admin/stadtgebiete/neu"), "main form", url.Values{"name": {"Südost"}, "bezirke": {"3", "4"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("bezirke"), "schon zu einem anderen") {
		t.Fatalf("overlap: %d %q", res.Status, res.FieldError("bezirke"))
	}
	res = c.Submit(c.Get("/admin/stadtgebiete/neu"), "main form", url.Values{"name": {""}})
	if res.Status != http.StatusUnprocessableEntity || res.FieldError("name") == "" || res.FieldError("bezirke") == "" {
		t.Fatalf("empty form: %d", res.Status)
	}
	cit := a.SessionClient(t, a.CreateUser(t, "c@example.org", "Citizen", app.RoleCitizen))
	if res := cit.Get("/admin/stadtgebiete"); res.Status != http.StatusForbidden {
		t.Fatalf("citizen: %d", res.Status)
	}
}
