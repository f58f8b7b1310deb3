package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// secondInstance starts another instance on the same PostgreSQL database
// and waits until both hear each other's notifications; on SQLite (one
// instance by design) it is the same app.
func secondInstance(t *testing.T, a *testenv.App) *testenv.App {
	t.Helper()
	if !testenv.Postgres() {
		return a
	}
	b := testenv.StartApp(t, testenv.WithoutSMTP(), testenv.WithDatabase(a.DatabaseURL))
	waitFor(t, "both PostgreSQL listeners", func() bool { return a.Platform.Hub.Listening() && b.Platform.Hub.Listening() })
	return b
}

// getWith fetches a page with extra request headers ("Name", "value", ...).
func getWith(t *testing.T, c *testenv.Client, a *testenv.App, path string, headers ...string) *testenv.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, a.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return c.Do(req)
}

// cachedHit fetches a page anonymously until it comes from the cache (the
// first read of a page renders and stores it).
func cachedHit(t *testing.T, a *testenv.App, path string) *testenv.Response {
	t.Helper()
	var res *testenv.Response
	waitFor(t, "a cached "+path, func() bool {
		res = a.Client(t).Get(path)
		return res.Header.Get("X-Page-Cache") == "hit"
	})
	return res
}

// waitForAnonymous polls what readers without a session see on a page of
// instance a until ok holds, and says how long that took.
func waitForAnonymous(t *testing.T, a *testenv.App, path, what string, ok func(*testenv.Response) bool) time.Duration {
	t.Helper()
	start := time.Now()
	waitFor(t, what, func() bool { return ok(a.Client(t).Get(path)) })
	return time.Since(start)
}

// TestPageCacheChapterAcrossInstances: readers without a session get the
// chapter page from the cache, with an ETag for 304s and without anything
// personal in it; a new comment on instance A and a comment hidden by the
// moderation reach readers of instance B; logged-in people always get their
// own page; each language is kept apart.
func TestPageCacheChapterAcrossInstances(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost, testenv.WithoutSMTP())
	a := f.a
	b := secondInstance(t, a)
	const path = "/entwurf/wohnen"
	f.comment(t, f.cit, "p-2", "Mehr Grün zwischen den Häusern, bitte.")

	first := b.Client(t).Get(path)
	if first.Status != http.StatusOK || !strings.Contains(first.Body, "Mehr Grün zwischen den Häusern") {
		t.Fatalf("chapter page: %d", first.Status)
	}
	hit := cachedHit(t, b, path)
	if hit.Body != first.Body {
		t.Error("the cached page differs from the rendered one")
	}
	etag := hit.Header.Get("ETag")
	if etag == "" || hit.Header.Get("Cache-Control") != "public, max-age=0, must-revalidate" || !strings.Contains(hit.Header.Get("Vary"), "Cookie") {
		t.Errorf("cache headers: ETag %q, Cache-Control %q, Vary %q", etag, hit.Header.Get("Cache-Control"), hit.Header.Get("Vary"))
	}
	if hit.Header.Get("Set-Cookie") != "" {
		t.Errorf("a cached page sets a cookie: %s", hit.Header.Get("Set-Cookie"))
	}
	if tok, _ := hit.Doc.Find(`meta[name="csrf-token"]`).Attr("content"); tok != "" {
		t.Errorf("a cached page carries a CSRF token: %q", tok)
	}
	if n := hit.Doc.Find(`input[name="_csrf"][value!=""]`).Length(); n > 0 {
		t.Errorf("a cached page has %d forms with a CSRF token", n)
	}
	if m := b.Client(t).Get("/metrics").Body; !strings.Contains(m, "mitwirken_page_cache_hits_total") || strings.Contains(m, "mitwirken_page_cache_hits_total 0\n") {
		t.Error("/metrics does not count the page cache's hits")
	}
	if res := getWith(t, b.Client(t), b, path, "If-None-Match", etag); res.Status != http.StatusNotModified || res.Body != "" {
		t.Errorf("If-None-Match with the current ETag: %d, %d bytes", res.Status, len(res.Body))
	}
	if res := getWith(t, b.Client(t), b, path, "If-None-Match", `"veraltet"`); res.Status != http.StatusOK || res.Body != first.Body {
		t.Errorf("If-None-Match with another ETag: %d", res.Status)
	}

	// Logged in: the person's own page (name, token), never the cached one.
	for i := 0; i < 2; i++ {
		mine := b.SessionClient(t, f.other)
		res := mine.Get(path)
		if res.Header.Get("X-Page-Cache") != "" || res.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("a logged-in page went through the cache: %q, %q", res.Header.Get("X-Page-Cache"), res.Header.Get("Cache-Control"))
		}
		if name := res.Doc.Find(".user-name").Text(); name != "Nachbar" {
			t.Errorf("logged-in page names %q", name)
		}
		tok, _ := res.Doc.Find(`meta[name="csrf-token"]`).Attr("content")
		if tok == "" || tok != mine.Cookie("mw_csrf") {
			t.Errorf("logged-in page carries token %q, cookie %q", tok, mine.Cookie("mw_csrf"))
		}
	}

	// A new comment on instance A, through the form.
	res := a.SessionClient(t, f.other).PostForm(path+"/kommentare", vals("body", "Ein neuer Beitrag über Spielplätze im Quartier.", "paragraph", "p-3"))
	if res.Status != http.StatusOK {
		t.Fatalf("comment on A: %d", res.Status)
	}
	took := waitForAnonymous(t, b, path, "the new comment on instance B", func(r *testenv.Response) bool {
		return strings.Contains(r.Body, "Spielplätze im Quartier")
	})
	t.Logf("the new comment reached anonymous readers of instance B after %v", took)
	if now := cachedHit(t, b, path); now.Header.Get("ETag") == etag {
		t.Error("the ETag did not change with the content")
	}

	// Hidden by the moderation on A: gone from cached pages on A and B.
	cachedHit(t, a, path)
	mc := a.SessionClient(t, f.mod)
	res = mc.Submit(mc.Get("/admin/moderation/A-0002"), "form[action='/admin/moderation/A-0002/entscheidung']", vals("action", "hide", "reason", "werbung"))
	if !strings.Contains(res.Text(), "gespeichert") {
		t.Fatalf("hide: %s", res.Text())
	}
	for _, inst := range []*testenv.App{a, b} {
		waitForAnonymous(t, inst, path, "the hidden comment gone", func(r *testenv.Response) bool {
			return !strings.Contains(r.Body, "Spielplätze") && strings.Contains(commentText(r, 2), "von der Moderation ausgeblendet")
		})
	}

	// Languages: by Accept-Language and by the remembered choice.
	en := getWith(t, b.Client(t), b, path, "Accept-Language", "en")
	de := getWith(t, b.Client(t), b, path, "Accept-Language", "de")
	en2 := getWith(t, b.Client(t), b, path, "Accept-Language", "en")
	for _, tc := range []struct {
		res  *testenv.Response
		lang string
	}{{en, "en"}, {de, "de"}, {en2, "en"}} {
		if got, _ := tc.res.Doc.Find("html").Attr("lang"); got != tc.lang {
			t.Errorf("Accept-Language %s: page in %q", tc.lang, got)
		}
	}
	if en2.Header.Get("X-Page-Cache") != "hit" || en2.Body != en.Body || en.Body == de.Body {
		t.Error("the English page is not kept apart from the German one")
	}
	chooser := b.Client(t)
	if res := chooser.Get(path + "?lang=en"); res.Header.Get("X-Page-Cache") != "" {
		t.Error("choosing the language (which sets a cookie) went through the cache")
	}
	if got, _ := chooser.Get(path).Doc.Find("html").Attr("lang"); got != "en" {
		t.Errorf("after choosing English the page is in %q", got)
	}
}

// TestPageCacheEventAndLabPages: event and lab pages are cached for readers
// without a session and show a change made on another instance.
func TestPageCacheEventAndLabPages(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	b := secondInstance(t, a)
	ctx := context.Background()

	ev := createEvent(t, a)
	cachedHit(t, b, eventURL(ev))
	in := eventInput(a.Store.Now(), func(in *app.EventInput) { in.Title = "Werkstattgespräch Grünflächen im Leipziger Osten" })
	if _, err := a.Platform.Events.Update(ctx, eventAdmin(t, a), ev.ID, in); err != nil {
		t.Fatal(err)
	}
	waitForAnonymous(t, b, eventURL(ev), "the new event title on instance B", func(r *testenv.Response) bool {
		return strings.Contains(r.Body, "Grünflächen im Leipziger Osten")
	})

	f := newLabFixture(t, a, boardOpts{})
	labPath := "/labs/" + itoa(f.Lab.ID)
	cachedHit(t, b, labPath)
	if err := a.Store.UpdateLab(ctx, f.Lab.ID, app.LabInput{Title: f.Lab.Title, Theme: f.Lab.Theme, Description: "Wärme, Strom, Mobilität und Wasser.", Open: true}); err != nil {
		t.Fatal(err)
	}
	waitForAnonymous(t, b, labPath, "the new lab description on instance B", func(r *testenv.Response) bool {
		return strings.Contains(r.Body, "Mobilität und Wasser")
	})
	// A members-only lab is not shown to readers without a session at all.
	closed := newLabFixture(t, a, boardOpts{closed: true, hostName: "Zweite Gastgeberin", memberName: "Zweites Mitglied"})
	if res := b.Client(t).NoRedirects().Get("/labs/" + itoa(closed.Lab.ID)); res.Status == http.StatusOK || res.Header.Get("X-Page-Cache") != "" {
		t.Errorf("members-only lab for readers without a session: %d, cache %q", res.Status, res.Header.Get("X-Page-Cache"))
	}
}
