package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestCommentValidationSavesNothing: every bad input gets a German message
// next to its field and nothing is stored.
func TestCommentValidationSavesNothing(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	c := f.a.SessionClient(t, f.cit)
	page := c.Get("/entwurf/wohnen")
	cases := []struct {
		name, field, want string
		values            map[string][]string
	}{
		{"empty", "body", "Bitte füllen Sie dieses Feld aus.", vals("body", "   ")},
		{"too long", "body", "Bitte geben Sie höchstens 5000 Zeichen ein.", vals("body", strings.Repeat("ä", 5001))},
		{"right-to-left override", "body", "Steuer- oder Richtungszeichen", vals("body", "Harmlos \u202Etxet rehcsilöf")},
		{"unknown paragraph", "paragraph", "Bitte wählen Sie einen Absatz aus der Liste.", vals("body", "Gültig.", "paragraph", "p-99")},
		{"bad anchor", "paragraph", "Bitte wählen Sie einen Absatz aus der Liste.", vals("body", "Gültig.", "paragraph", "<script>")},
		{"unknown tag", "tags", "Bitte wählen Sie Schlagworte aus der Liste.", map[string][]string{"body": {"Gültig."}, "tags": {"lq3", "erfunden"}}},
		{"unknown Ortsteil", "ortsteil", "Bitte wählen Sie einen Ortsteil aus der Liste.", vals("body", "Gültig.", "ortsteil", "99")},
	}
	for _, tc := range cases {
		res := c.Submit(page, "form#kommentar-formular", tc.values)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError(tc.field), tc.want) {
			t.Errorf("%s: %d, %s error %q", tc.name, res.Status, tc.field, res.FieldError(tc.field))
			continue
		}
		if res.Doc.Find("#error-summary a[href='#f-"+tc.field+"']").Length() != 1 {
			t.Errorf("%s: the summary does not link to the field", tc.name)
		}
	}
	res := c.Submit(page, "form#kommentar-formular", vals("body", strings.Repeat("ä", 5001)))
	if got := res.Doc.Find("#f-body").Text(); len([]rune(got)) != 5001 {
		t.Errorf("the submitted text is not kept for correction (%d characters)", len([]rune(got)))
	}
	if n := f.countContributions(t); n != 0 {
		t.Fatalf("%d contributions stored from invalid input", n)
	}
	var tags int64
	f.a.Store.Gorm().Table("contribution_tags").Count(&tags)
	if tags != 0 {
		t.Fatalf("%d tags stored from invalid input", tags)
	}
	var counter int64
	f.a.Store.Gorm().Raw("SELECT last_number FROM contribution_counter").Scan(&counter)
	if counter != 0 {
		t.Fatalf("refused comments used up numbers: counter at %d", counter)
	}
}

// TestCommentRateLimits: the same text twice within a minute is refused, and
// at most ten comments a minute; both with a message next to the text.
func TestCommentRateLimits(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	c := f.a.SessionClient(t, f.cit)
	page := c.Get("/entwurf/wohnen")
	c.Submit(page, "form#kommentar-formular", vals("body", "Bitte mehr Bäume pflanzen."))
	res := c.Submit(page, "form#kommentar-formular", vals("body", "  bitte mehr Bäume pflanzen!  "))
	if res.Status != http.StatusConflict || res.FieldError("body") != "Fehler: Diesen Text haben Sie gerade eben schon gesendet." {
		t.Fatalf("repeated text: %d %q", res.Status, res.FieldError("body"))
	}
	for i := 2; i <= 10; i++ {
		r := c.Submit(page, "form#kommentar-formular", vals("body", fmt.Sprintf("Beitrag Nummer %d.", i)))
		if !strings.Contains(r.Text(), "veröffentlicht") {
			t.Fatalf("comment %d refused: %d %s", i, r.Status, r.FieldError("body"))
		}
	}
	res = c.Submit(page, "form#kommentar-formular", vals("body", "Der elfte Beitrag in einer Minute."))
	if res.Status != http.StatusTooManyRequests || !strings.Contains(res.FieldError("body"), "in der letzten Minute schon 10 Beiträge") || res.Header.Get("Retry-After") == "" {
		t.Fatalf("eleventh comment: %d %q retry %q", res.Status, res.FieldError("body"), res.Header.Get("Retry-After"))
	}
	if n := f.countContributions(t); n != 10 {
		t.Fatalf("%d contributions stored", n)
	}
	f.a.Clock.Advance(61 * time.Second)
	res = c.Submit(page, "form#kommentar-formular", vals("body", "Bitte mehr Bäume pflanzen."))
	if !strings.Contains(res.Text(), "veröffentlicht") {
		t.Fatalf("after a minute: %d %s", res.Status, res.FieldError("body"))
	}
	// Another person is not limited by the first one's comments.
	if _, err := f.a.Platform.Draft.Comment(context.Background(), f.other, f.ch.ID, draftInput("Bitte mehr Bäume pflanzen.")); err != nil {
		t.Fatalf("another person: %v", err)
	}
}

// TestLimitsHoldAcrossInstances: two instances on one database; one person
// fires comments and supports at both at once. The database enforces ten
// comments a minute, one copy of a text and one support.
func TestLimitsHoldAcrossInstances(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	b := testenv.StartApp(t, testenv.WithDatabase(f.a.DatabaseURL), testenv.WithMailServer(f.a.Mail))
	clients := []*testenv.Client{f.a.SessionClient(t, f.cit), b.SessionClient(t, f.cit)}
	for _, c := range clients {
		c.CSRF()
	}
	path := "/api/v1/chapters/" + itoa(f.ch.ID) + "/comments"
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := 0; i < 24; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			status := clients[i%2].JSON(http.MethodPost, path, map[string]any{"body": fmt.Sprintf("Gleichzeitiger Beitrag %d.", i)}, nil)
			mu.Lock()
			statuses[status]++
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	if statuses[http.StatusCreated] != 10 || statuses[http.StatusTooManyRequests] != 14 {
		t.Fatalf("24 concurrent comments on two instances: %v", statuses)
	}
	if n := f.countContributions(t); n != 10 {
		t.Fatalf("%d contributions stored", n)
	}

	// The same text at once on both instances is stored once.
	other := []*testenv.Client{f.a.SessionClient(t, f.other), b.SessionClient(t, f.other)}
	statuses = map[int]int{}
	for i := 0; i < 6; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			status := other[i%2].JSON(http.MethodPost, path, map[string]any{"body": "Derselbe Text, mehrfach abgeschickt."}, nil)
			mu.Lock()
			statuses[status]++
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	if statuses[http.StatusCreated] != 1 || statuses[http.StatusConflict] != 5 {
		t.Fatalf("same text six times at once: %v", statuses)
	}

	// One support per person, whichever instance and however often.
	target := f.comment(t, f.other, "", "Ein Beitrag, dem zugestimmt wird.")
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			clients[i%2].PostForm("/beitraege/"+target.PublicNumber()+"/zustimmung", vals("on", "true"))
		}(i)
	}
	wg.Wait()
	rows, err := f.a.Store.CountSupports(context.Background(), target.ID)
	if err != nil {
		t.Fatal(err)
	}
	if rows != 1 || f.contribution(t, target.ID).SupportCount != 1 {
		t.Fatalf("12 concurrent supports: %d rows, count %d", rows, f.contribution(t, target.ID).SupportCount)
	}
	// Public numbers stay unique and without gaps.
	var numbers []int64
	f.a.Store.Gorm().Model(&app.Contribution{}).Order("number").Pluck("number", &numbers)
	for i, n := range numbers {
		if n != int64(i+1) {
			t.Fatalf("numbers %v have a gap or repeat", numbers)
		}
	}
}
