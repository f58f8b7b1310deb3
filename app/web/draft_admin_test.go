package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestAdminWritesTheDraftInTheBrowser: an admin creates a document, adds a
// comment period, writes a chapter and publishes; mistakes get German
// messages next to the fields.
func TestAdminWritesTheDraftInTheBrowser(t *testing.T) {
	a := testenv.StartApp(t)
	admin := a.CreateUser(t, "admin@example.org", "AG Leitung", app.RoleAdmin)
	ac := a.SessionClient(t, admin)

	page := ac.Get("/admin/entwurf")
	res := ac.Submit(page, "main form[action='/admin/entwurf']", vals("title", "", "slug", "Groß & Klein"))
	if res.Status != http.StatusUnprocessableEntity || res.FieldError("title") != "Fehler: Bitte füllen Sie dieses Feld aus." || !strings.Contains(res.FieldError("slug"), "nur Kleinbuchstaben") {
		t.Fatalf("invalid document: %d %q %q", res.Status, res.FieldError("title"), res.FieldError("slug"))
	}
	res = ac.Submit(page, "main form[action='/admin/entwurf']", vals("title", "INSEK Leipzig 2030 – Entwurf", "slug", "", "moderation", "post"))
	if !strings.Contains(res.Text(), "Der Entwurf ist gespeichert") {
		t.Fatalf("create document: %d %s", res.Status, res.Text())
	}
	doc, err := a.Store.DocumentBySlug(context.Background(), "insek-leipzig-2030-entwurf")
	if err != nil || doc.Published || doc.Moderation != app.ModerationPost {
		t.Fatalf("document from the form: %+v %v", doc, err)
	}
	docPath := "/admin/entwurf/" + itoa(doc.ID)

	res = ac.Submit(res, "main form[action='"+docPath+"/zeitraeume']", vals("starts_at", "2030-03-15T10:00", "ends_at", "2030-03-01T10:00"))
	if res.FieldError("ends_at") != "Fehler: Das Ende muss nach dem Beginn liegen." {
		t.Fatalf("period in the wrong order: %q", res.FieldError("ends_at"))
	}
	res = ac.Submit(res, "main form[action='"+docPath+"/zeitraeume']", vals("starts_at", "morgen", "ends_at", ""))
	if !strings.Contains(res.FieldError("starts_at"), "Datum und Uhrzeit") || res.FieldError("ends_at") != "Fehler: Bitte füllen Sie dieses Feld aus." {
		t.Fatalf("bad period: %q %q", res.FieldError("starts_at"), res.FieldError("ends_at"))
	}
	if v := res.Doc.Find("#f-title").AttrOr("value", ""); v != "INSEK Leipzig 2030 – Entwurf" {
		t.Errorf("the document form lost its values after a period error: %q", v)
	}
	res = ac.Submit(ac.Get(docPath), "main form[action='"+docPath+"/zeitraeume']", vals("starts_at", "2030-03-01T09:00", "ends_at", "2030-04-12T18:00", "label", "Öffentliche Auslegung"))
	if !strings.Contains(res.Text(), "01.03.2030, 09:00 Uhr – 12.04.2030, 18:00 Uhr (Öffentliche Auslegung)") {
		t.Fatalf("period not listed in Berlin time: %s", res.Text())
	}
	periods, _ := a.Store.Periods(context.Background(), doc.ID)
	if len(periods) != 1 || periods[0].StartsAt.Hour() != 8 {
		t.Fatalf("period stored: %+v (09:00 in Berlin is 08:00 UTC in March)", periods)
	}

	form := ac.Get(docPath + "/kapitel/neu")
	res = ac.Submit(form, "main form", vals("title", "Fachkonzept Wohnen", "body", ""))
	if res.FieldError("body") != "Fehler: Bitte füllen Sie dieses Feld aus." {
		t.Fatalf("chapter without text: %q", res.FieldError("body"))
	}
	res = ac.Submit(form, "main form", vals("title", "Fachkonzept Wohnen", "fachamt", "Amt für Wohnungsbau und Stadterneuerung", "position", "3", "body", "Erster Absatz.\n\nZweiter Absatz."))
	if !strings.Contains(res.Text(), "Das Kapitel ist gespeichert") {
		t.Fatalf("create chapter: %d %s", res.Status, res.Text())
	}
	res = ac.Submit(ac.Get(docPath+"/kapitel/neu"), "main form", vals("title", "Noch einmal Wohnen", "slug", "fachkonzept-wohnen", "body", "Text."))
	if res.FieldError("slug") != "Fehler: Diese Adresse ist schon vergeben." {
		t.Fatalf("taken address: %q", res.FieldError("slug"))
	}
	if r := a.Client(t).Get("/entwurf/fachkonzept-wohnen"); r.Status != http.StatusNotFound {
		t.Fatalf("chapter of an unpublished document is public: %d", r.Status)
	}
	doc2 := ac.Get(docPath)
	res = ac.Submit(doc2, "main form[action='"+docPath+"']", vals("published", "true"))
	if !strings.Contains(res.Text(), "Der Entwurf ist gespeichert") {
		t.Fatalf("publish: %s", res.Text())
	}
	pub := a.Client(t).Get("/entwurf/fachkonzept-wohnen")
	if pub.Status != http.StatusOK || !strings.Contains(pub.Text(), "Amt für Wohnungsbau und Stadterneuerung") || pub.Doc.Find("#p-2").Length() != 1 {
		t.Fatalf("published chapter: %d %s", pub.Status, pub.Text())
	}
	if got := auditActions(t, a, "draft_document", itoa(doc.ID)); len(got) != 3 {
		t.Errorf("document audit: %v", got)
	}
	del := ac.Get(docPath)
	res = ac.Submit(del, "form[action='"+docPath+"/zeitraeume/"+itoa(periods[0].ID)+"/loeschen']", nil)
	if !strings.Contains(res.Text(), "Die Kommentierungsphase ist gelöscht") {
		t.Fatalf("delete period: %s", res.Text())
	}
}
