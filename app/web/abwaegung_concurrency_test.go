package web_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestAbwaegungConcurrentEdits: people on two app instances save the same
// version of one assessment at once. Exactly one text is stored; everyone
// else gets the conflict page with the stored text beside their own (kept
// in the form), and nothing is overwritten.
func TestAbwaegungConcurrentEdits(t *testing.T) {
	f := newAbwFix(t)
	b := testenv.StartApp(t, testenv.WithDatabase(f.a.DatabaseURL), testenv.WithMailServer(f.a.Mail))
	f.rule(t, app.RuleChapter, "wohnen", "ASW", app.RuleLead)
	c := f.tagged(t, f.cit, "Mehr Trinkbrunnen in der Innenstadt.")
	if _, _, err := f.a.Platform.Abwaegung.ApplyRules(context.Background(), f.agA, true, 10); err != nil {
		t.Fatal(err)
	}
	n := c.PublicNumber()
	writers := []*app.User{f.staffASW, f.agA, f.agB, f.admin}
	type attempt struct {
		client *testenv.Client
		page   *testenv.Response
		text   string
	}
	var attempts []attempt
	for i := 0; i < 8; i++ {
		app := f.a
		if i%2 == 1 {
			app = b
		}
		cl := app.SessionClient(t, writers[i%len(writers)])
		attempts = append(attempts, attempt{client: cl, page: cl.Get("/abwaegung/" + n), text: fmt.Sprintf("Begründung Nummer %d von Person %d.", i, i%len(writers))})
	}
	results := make([]*testenv.Response, len(attempts))
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, at := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i] = at.client.Submit(at.page, "form[action='/abwaegung/"+n+"/entwurf']", vals("result", app.AssessNoted, "reasoning", at.text))
		}()
	}
	close(start)
	wg.Wait()
	a := f.assessment(t, c)
	winners := 0
	for i, res := range results {
		switch res.Status {
		case http.StatusOK:
			winners++
			if a.Reasoning != attempts[i].text {
				t.Errorf("winner %d saved %q but %q is stored", i, attempts[i].text, a.Reasoning)
			}
		case http.StatusConflict:
			// The loser sees both texts: the stored one in the conflict
			// box, their own still in the form.
			box := res.Doc.Find("#conflict").Text()
			mine := res.Doc.Find("#f-reasoning").Text()
			if !strings.Contains(box, a.Reasoning) || mine != attempts[i].text {
				t.Errorf("loser %d: conflict box %q, form %q", i, box, mine)
			}
			if v := res.Doc.Find("form[action='/abwaegung/"+n+"/entwurf'] input[name=version]").AttrOr("value", ""); v != strconv.Itoa(a.Version) {
				t.Errorf("loser %d: the form carries version %s, not the current %d", i, v, a.Version)
			}
		default:
			t.Errorf("attempt %d: %d %s", i, res.Status, res.Text())
		}
	}
	if winners != 1 || a.TextNumber != 1 {
		t.Fatalf("%d winners, %d texts stored", winners, a.TextNumber)
	}
	var versions int64
	f.a.Store.Gorm().Model(&app.AssessmentVersion{}).Where("assessment_id = ?", a.ID).Count(&versions)
	if versions != 1 {
		t.Fatalf("%d versions stored", versions)
	}
}

// TestAbwaegungConcurrentTransitionsKeepFourEyes: on two instances, a
// person of AG INSEK rewrites a text in review while the same person
// publishes it (bulk, without a version) and a colleague publishes it
// too. Whatever the order, a published assessment was never published by
// one of its writers.
func TestAbwaegungConcurrentTransitionsKeepFourEyes(t *testing.T) {
	f := newAbwFix(t)
	b := testenv.StartApp(t, testenv.WithDatabase(f.a.DatabaseURL), testenv.WithMailServer(f.a.Mail))
	f.rule(t, app.RuleChapter, "wohnen", "ASW", app.RuleLead)
	ctx := context.Background()
	const rounds = 8
	var list []*app.Contribution
	for i := 0; i < rounds; i++ {
		list = append(list, f.tagged(t, f.cit, fmt.Sprintf("Anregung Nummer %d zur Nachverdichtung.", i)))
	}
	if _, _, err := f.a.Platform.Abwaegung.ApplyRules(ctx, f.agA, true, 100); err != nil {
		t.Fatal(err)
	}
	staff := f.a.SessionClient(t, f.staffASW)
	for _, c := range list {
		n := c.PublicNumber()
		staff.Submit(staff.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/entwurf']", vals("result", app.AssessNoted, "reasoning", "Fassung des Fachamts."))
		if res := staff.Submit(staff.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/schritt']:has(input[value='submit'])", nil); res.Status != http.StatusOK {
			t.Fatalf("submit %s: %d", n, res.Status)
		}
	}
	editorA := f.a.SessionClient(t, f.agA)
	publisherA := b.SessionClient(t, f.agA)
	publisherB := b.SessionClient(t, f.agB)
	for i, c := range list {
		n := c.PublicNumber()
		page := editorA.Get("/abwaegung/" + n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		run := func(fn func()) {
			wg.Add(1)
			go func() { defer wg.Done(); <-start; fn() }()
		}
		run(func() {
			editorA.Submit(page, "form[action='/abwaegung/"+n+"/entwurf']", vals("reasoning", "Fassung der AG INSEK "+strconv.Itoa(i)+"."))
		})
		run(func() {
			publisherA.PostForm("/abwaegung/sammelaktion", vals("ids", itoa(c.ID), "bulk_action", "publish"))
		})
		if i%2 == 0 {
			run(func() {
				publisherB.PostForm("/abwaegung/sammelaktion", vals("ids", itoa(c.ID), "bulk_action", "publish"))
			})
		}
		close(start)
		wg.Wait()
		a := f.assessment(t, c)
		authors, err := f.a.Store.TextAuthors(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if a.State == app.StatePublished && (a.PublishedBy == nil || slices.Contains(authors, *a.PublishedBy)) {
			t.Fatalf("%s was published by one of its writers (%v, writers %v)", n, a.PublishedBy, authors)
		}
		if got := f.contribution(t, c.ID); (got.AssessmentPublishedAt != nil) != (a.State == app.StatePublished) {
			t.Fatalf("%s: workflow state %s, public assessment %v", n, a.State, got.AssessmentPublishedAt)
		}
	}
}
