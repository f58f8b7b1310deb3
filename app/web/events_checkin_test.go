package web_test

import (
	"bytes"
	"context"
	"image/png"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// decodeQR reads the QR code image as attached to the mail. gozxing's
// camera-style detector (finder patterns, perspective sampling) misreads
// about 7 % of these clean, correct codes with a Reed-Solomon error, while
// zbarimg read each misread code that was checked; so the reader is told
// that the image is a pure barcode and samples the module grid directly.
func decodeQR(t *testing.T, data []byte) string {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("QR code is not a PNG: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	pure := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, pure)
	if err != nil {
		t.Fatalf("QR code cannot be read: %v", err)
	}
	return res.GetText()
}

// TestQRCheckIn: the QR code in the confirmation encodes the check-in link
// (also shown as text); a moderator's phone opens it and one tap marks the
// attendance, once. Citizens cannot check anybody in. After the event the
// organisers see the no-show count.
func TestQRCheckIn(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	ev := createEvent(t, a)
	anna := a.CreateUser(t, "anna@example.org", "Anna", app.RoleCitizen)
	ben := a.CreateUser(t, "ben@example.org", "Ben", app.RoleCitizen)
	for _, u := range []*app.User{anna, ben} {
		if _, err := a.Platform.Events.Register(ctx, u, ev.ID, app.RegistrationInput{AccessNeeds: []string{app.NeedInductionLoop}}); err != nil {
			t.Fatal(err)
		}
	}
	m := a.Mail.WaitFor("anna@example.org", "Anmeldung bestätigt")
	var qr []byte
	for _, att := range m.Attachments {
		if att.ContentType == "image/png" {
			qr = att.Data
		}
	}
	link := decodeQR(t, qr)
	if !strings.HasPrefix(link, a.URL+"/einlass/") || !strings.Contains(m.Text, link) {
		t.Fatalf("QR code holds %q; the mail shows:\n%s", link, m.Text)
	}
	// The ticket page shows the same code as an image with a text
	// alternative, and the link as text.
	ticket := a.SessionClient(t, anna).Get("/meine-anmeldungen/" + itoa(registrationOf(t, a, ev, anna).ID))
	mustStatus(t, ticket, http.StatusOK)
	if ticket.Doc.Find("svg[role=img] title").Text() == "" || !strings.Contains(ticket.Text(), link) {
		t.Fatalf("ticket page: %s", ticket.Body)
	}
	if other := a.SessionClient(t, ben).Get("/meine-anmeldungen/" + itoa(registrationOf(t, a, ev, anna).ID)); other.Status != http.StatusNotFound {
		t.Fatalf("somebody else's ticket: %d", other.Status)
	}

	// A citizen who scans it is refused.
	if res := a.SessionClient(t, ben).Get(mailPath(a, link)); res.Status != http.StatusForbidden {
		t.Fatalf("citizen opened the check-in link: %d", res.Status)
	}
	mod := a.SessionClient(t, a.CreateUser(t, "mod@example.org", "Moderation Tür", app.RoleModerator))
	page := mod.Get(mailPath(a, link))
	mustStatus(t, page, http.StatusOK)
	if !strings.Contains(page.Text(), "Anna") || !strings.Contains(page.Text(), "Induktionsschleife") {
		t.Fatalf("check-in page: %s", page.Text())
	}
	res := mod.Submit(page, "main form", nil)
	if !strings.Contains(res.Text(), "Eingecheckt") {
		t.Fatalf("after check-in: %d %s", res.Status, res.Text())
	}
	if r := registrationOf(t, a, ev, anna); r.CheckedInAt == nil {
		t.Fatal("attendance not stored")
	}
	// Scanning again changes nothing and says so.
	again := mod.PostForm(mailPath(a, link), nil)
	if !strings.Contains(again.Text(), "bereits eingecheckt") {
		t.Fatalf("second scan: %s", again.Text())
	}
	if n, _ := a.Store.CountEventLog(ctx, ev.ID, app.LogCheckin); n != 1 {
		t.Fatalf("check-ins logged: %d", n)
	}
	entries, _, _ := a.Store.ListAudit(ctx, store.AuditFilter{Action: app.AuditEventCheckin})
	if len(entries) != 1 || strings.Contains(entries[0].Details, "anna") || strings.Contains(entries[0].Details, "Anna") {
		t.Fatalf("audit entries: %+v", entries)
	}

	// The printable list shows both, one of them checked in.
	list := mod.Get(eventAdminURL(ev) + "/einlassliste")
	if !strings.Contains(list.Text(), "Anna") || !strings.Contains(list.Text(), "Ben") || !strings.Contains(list.Text(), "☑ eingecheckt") ||
		list.Doc.Find("[aria-label='noch nicht eingecheckt']").Length() != 1 {
		t.Fatalf("entry list: %s", list.Text())
	}
	// After the event: one no-show.
	a.Clock.Advance(8 * 24 * time.Hour)
	overview := mod.Get(eventAdminURL(ev))
	stat := overview.Doc.Find(".stat:contains('nicht erschienen') .stat-value").Text()
	if stat != "1" {
		t.Fatalf("no-shows: %q in %s", stat, overview.Text())
	}
}
