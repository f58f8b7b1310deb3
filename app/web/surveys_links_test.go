package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestSurveyLinks: the settings refuse a chapter or event that does not
// exist (German error at the field, nothing stored); a survey that belongs
// to a chapter and an event links to them, and their pages to the survey
// while it is open.
func TestSurveyLinks(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	if err := seed.Demo(ctx, a.Store, seed.Options{}); err != nil {
		t.Fatal(err)
	}
	chapter, err := a.Store.ChapterBySlug(ctx, "wohnen")
	if err != nil {
		t.Fatal(err)
	}
	var ev app.Event
	if err := a.Store.Gorm().Where("status = ?", app.EventPublished).First(&ev).Error; err != nil {
		t.Fatal(err)
	}
	admin := a.CreateUser(t, "umfragen-admin@example.org", "Admin Umfragen", app.RoleAdmin)
	b := a.SessionClient(t, admin)
	before, _ := a.Store.Surveys(ctx)
	today := a.Clock.Now().In(app.Berlin).Format(time.DateOnly)
	sel := "main form[action='/umfragen/verwaltung']"
	settings := url.Values{"title": {"Umfrage zum Wohnen"}, "opens_at": {today}, "chapter_id": {"999999"}, "event_id": {"999999"}}
	res := b.Submit(b.Get("/umfragen/verwaltung"), sel, settings)
	if res.Status != http.StatusUnprocessableEntity || res.FieldError("chapter_id") != "Fehler: Dieses Kapitel gibt es nicht." ||
		res.FieldError("event_id") != "Fehler: Diese Veranstaltung gibt es nicht." {
		t.Fatalf("unknown links: %d %q %q", res.Status, res.FieldError("chapter_id"), res.FieldError("event_id"))
	}
	if after, _ := a.Store.Surveys(ctx); len(after) != len(before) {
		t.Fatal("a survey with unknown links was stored")
	}

	// Chapter and event are chosen from lists that name them.
	chOpt := res.Doc.Find(fmt.Sprintf("select#f-chapter_id option[value='%d']", chapter.ID))
	evOpt := res.Doc.Find(fmt.Sprintf("select#f-event_id option[value='%d']", ev.ID))
	if chOpt.Text() != chapter.Title || !strings.HasPrefix(evOpt.Text(), ev.Title+" (") {
		t.Fatalf("the selects do not offer the chapter and the event: %q %q", chOpt.Text(), evOpt.Text())
	}
	settings.Set("chapter_id", fmt.Sprint(chapter.ID))
	settings.Set("event_id", fmt.Sprint(ev.ID))
	res = b.Submit(res, sel, settings)
	if res.Status != http.StatusOK || !strings.Contains(res.Text(), "Fügen Sie jetzt Fragen hinzu") {
		t.Fatalf("create: %d %s", res.Status, res.Text())
	}
	after, _ := a.Store.Surveys(ctx)
	sv := after[0]
	// Changing the settings checks again; the form shows the links chosen.
	edit := fmt.Sprintf("/umfragen/verwaltung/%d", sv.ID)
	form := b.Get(edit)
	if _, ok := form.Doc.Find(fmt.Sprintf("select#f-chapter_id option[value='%d']", chapter.ID)).Attr("selected"); !ok {
		t.Error("the settings do not show the chosen chapter")
	}
	if _, ok := form.Doc.Find(fmt.Sprintf("select#f-event_id option[value='%d']", ev.ID)).Attr("selected"); !ok {
		t.Error("the settings do not show the chosen event")
	}
	res = b.Submit(form, "main form[action='"+edit+"']", url.Values{"chapter_id": {"999999"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("chapter_id"), "Dieses Kapitel gibt es nicht.") {
		t.Fatalf("update with an unknown chapter: %d %q", res.Status, res.FieldError("chapter_id"))
	}
	if again, _ := a.Store.SurveyByID(ctx, sv.ID); again.ChapterID == nil || *again.ChapterID != chapter.ID {
		t.Fatal("the refused chapter was stored")
	}

	page := b.Get(fmt.Sprintf("/umfragen/%d", sv.ID))
	for _, link := range []string{"/entwurf/" + chapter.Slug, fmt.Sprintf("/veranstaltungen/%d", ev.ID)} {
		if a := page.Doc.Find(".survey-link a[href='" + link + "']"); a.Length() != 1 || !strings.Contains(a.Parent().Text(), "Gehört zu:") {
			t.Errorf("survey page lacks %s: %s", link, page.Text())
		}
	}
	for _, p := range []string{"/entwurf/" + chapter.Slug, fmt.Sprintf("/veranstaltungen/%d", ev.ID)} {
		res := b.Get(p)
		if l := res.Doc.Find(fmt.Sprintf(".survey-link a[href='/umfragen/%d']", sv.ID)); l.Length() != 1 || l.Text() != "Umfrage zum Wohnen" {
			t.Errorf("%s does not link to the survey: %d", p, res.Status)
		}
	}
}
