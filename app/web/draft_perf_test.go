package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// bigChapter is a published chapter with many comments: 80% top level, 20%
// replies, two tags each, some supports, and a second version of the text
// so that older comments are compared with it.
type bigChapter struct {
	slug   string
	viewer *app.User
}

func seedBigChapter(tb testing.TB, a *testenv.App, slug string, comments int) bigChapter {
	tb.Helper()
	ctx := context.Background()
	admin := testenv.CreateUser(tb, a.Store, "perf-admin-"+slug+"@example.org", "Perf Admin "+slug, app.RoleAdmin)
	doc, err := a.Store.SaveDocument(ctx, admin, 0, app.DocumentInput{Title: "Entwurf " + slug, Slug: "doc-" + slug, Moderation: app.ModerationPost, Published: true})
	if err != nil {
		tb.Fatal(err)
	}
	var body strings.Builder
	for i := 1; i <= 30; i++ {
		fmt.Fprintf(&body, "Absatz %d des Kapitels mit etwas Text über Wohnen, Grün und Mobilität in Leipzig.\n\n", i)
	}
	ch, _, err := a.Platform.Draft.SaveChapter(ctx, admin, doc.ID, 0, app.ChapterInput{Title: "Kapitel " + slug, Slug: slug, Fachamt: "Stadtplanungsamt", Body: body.String()})
	if err != nil {
		tb.Fatal(err)
	}
	now := a.Store.Now()
	if err := a.Store.AddPeriod(ctx, admin, &app.CommentPeriod{DocumentID: doc.ID, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(24 * time.Hour)}); err != nil {
		tb.Fatal(err)
	}
	authors := make([]*app.User, (comments+9)/10)
	for i := range authors {
		authors[i] = testenv.CreateUser(tb, a.Store, fmt.Sprintf("perf-%s-%d@example.org", slug, i), fmt.Sprintf("Perf %s %d", slug, i), app.RoleCitizen)
	}
	tags := []string{"lq1", "lq3", "ss3", "wohnen", "verkehr", "umwelt-klima"}
	var tops []int64
	for i := 0; i < comments; i++ {
		c := &app.Contribution{Channel: app.ChannelOnline, ChapterID: &ch.ID, AuthorID: &authors[i/10].ID,
			Body: fmt.Sprintf("Beitrag %d: Ich wünsche mir mehr Bäume und sichere Radwege im Quartier.\nZweite Zeile mit https://example.org/%d.", i, i),
			Tags: []string{tags[i%6], tags[(i+1)%6]}}
		if i%5 == 4 && len(tops) > 0 {
			c.ParentID = &tops[i%len(tops)]
		} else {
			c.Paragraph = fmt.Sprintf("p-%d", 1+i%30)
		}
		if err := a.Store.CreateContribution(ctx, c); err != nil {
			tb.Fatalf("comment %d: %v", i, err)
		}
		if c.ParentID == nil {
			tops = append(tops, c.ID)
		}
	}
	for i, id := range tops {
		if i%4 == 0 {
			for k := 0; k < 3; k++ {
				if err := a.Store.AddSupport(ctx, id, authors[(i+k+1)%len(authors)].ID); err != nil && app.ErrorCode(err) != app.CodeConflict {
					tb.Fatal(err)
				}
			}
		}
	}
	// A second version: one paragraph changed, one removed.
	v2 := strings.Replace(body.String(), "Absatz 3 des Kapitels mit", "Absatz 3 des Kapitels, überarbeitet, mit", 1)
	v2 = strings.Replace(v2, "Absatz 7 des Kapitels mit etwas Text über Wohnen, Grün und Mobilität in Leipzig.\n\n", "", 1)
	if _, _, err := a.Platform.Draft.SaveChapter(ctx, admin, doc.ID, ch.ID, app.ChapterInput{Title: ch.Title, Slug: slug, Fachamt: ch.Fachamt, Body: v2}); err != nil {
		tb.Fatal(err)
	}
	return bigChapter{slug: slug, viewer: authors[0]}
}

// servePage renders a page through the platform's handler with a counting
// context and returns the response and the number of database statements.
func servePage(tb testing.TB, a *testenv.App, path string, viewer *app.User) (*httptest.ResponseRecorder, int64) {
	tb.Helper()
	token, err := a.Platform.Auth.StartSession(context.Background(), viewer, "bench")
	if err != nil {
		tb.Fatal(err)
	}
	ctx, n := store.CountQueries(context.Background())
	req := httptest.NewRequest(http.MethodGet, path, nil).WithContext(ctx)
	req.AddCookie(&http.Cookie{Name: "mw_session", Value: token})
	rec := httptest.NewRecorder()
	a.Platform.Web.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		tb.Fatalf("GET %s: %d", path, rec.Code)
	}
	return rec, n.Load()
}

// TestChapterPageQueriesAreBounded: a chapter page with 500 comments needs
// as many database statements as one with 5: comments, authors, counts,
// supports, tags and the quoted older versions are loaded in bulk.
func TestChapterPageQueriesAreBounded(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	big := seedBigChapter(t, a, "gross", 500)
	small := seedBigChapter(t, a, "klein", 5)

	ctx, n := store.CountQueries(context.Background())
	p, err := a.Platform.Draft.ChapterPage(ctx, big.slug, draft.ChapterPageOptions{Viewer: big.viewer, All: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 500 || len(p.Threads) != 400 || p.Shown != 500 || p.Pages != 8 {
		t.Fatalf("chapter with 500 comments, all on one page: total %d, threads %d, shown %d, pages %d", p.Total, len(p.Threads), p.Shown, p.Pages)
	}
	outdated := 0
	for _, th := range p.Threads {
		if th.Outdated {
			outdated++
			if !strings.HasPrefix(th.OldText, "Absatz 7 des Kapitels") {
				t.Fatalf("outdated comment quotes %q", th.OldText)
			}
		}
	}
	if outdated == 0 {
		t.Fatal("no comment refers to the removed paragraph")
	}
	bigQueries := n.Load()
	ctx, n = store.CountQueries(context.Background())
	if _, err := a.Platform.Draft.ChapterPage(ctx, small.slug, draft.ChapterPageOptions{Viewer: small.viewer}); err != nil {
		t.Fatal(err)
	}
	if bigQueries > 10 || bigQueries != n.Load() {
		t.Fatalf("chapter page loads with %d statements for 500 comments and %d for 5 (bound: 10, equal)", bigQueries, n.Load())
	}

	// The whole request, session included, through the real handler: the
	// default page (50 threads) and all threads on one page.
	for _, tc := range []struct {
		query    string
		comments int
	}{{"", 65}, {"?alle=1", 500}} {
		rec, requestQueries := servePage(t, a, "/entwurf/"+big.slug+tc.query, big.viewer)
		// 14: one constant statement for the open surveys on the chapter (issue 15).
		if requestQueries > 14 {
			t.Errorf("GET /entwurf/%s%s ran %d statements", big.slug, tc.query, requestQueries)
		}
		html := rec.Body.Len()
		doc, err := goquery.NewDocumentFromReader(rec.Body)
		if err != nil {
			t.Fatal(err)
		}
		if got := doc.Find("li.comment").Length(); got != tc.comments {
			t.Errorf("GET /entwurf/%s%s shows %d comments, want %d", big.slug, tc.query, got, tc.comments)
		}
		if got := doc.Find(".block-count").Length(); got != 23 {
			t.Errorf("counts beside %d paragraphs, want 23", got)
		}
		if got := doc.Find("nav.pagination a").Length(); got < 4 {
			t.Errorf("%d page links", got)
		}
		t.Logf("500 comments%s: %d statements in ChapterPage, %d for the whole request, %d KiB of HTML", tc.query, bigQueries, requestQueries, html/1024)
	}
	// The API lists every comment, not a page of them.
	var api struct {
		Comments []struct{ Number string } `json:"comments"`
	}
	a.SessionClient(t, big.viewer).JSON(http.MethodGet, "/api/v1/chapters/"+itoa(chapterID(t, a, big.slug))+"/comments", nil, &api)
	if len(api.Comments) != 500 {
		t.Errorf("the API lists %d of 500 comments", len(api.Comments))
	}
	// The last page holds the rest.
	rec, _ := servePage(t, a, "/entwurf/"+big.slug+"?seite=8", big.viewer)
	if doc, _ := goquery.NewDocumentFromReader(rec.Body); doc.Find("ol.comments:not(.replies) > li.comment").Length() != 50 {
		t.Error("the last page does not show the last 50 threads")
	}
}

// BenchmarkChapterPage500 measures the server time of GET /entwurf/SLUG for a
// chapter with 500 comments (logged in, so supports are looked up too),
// through the platform's handler without network: the default page (all
// comments loaded, 50 threads rendered) and ?alle=1 (all 500 rendered).
// Run by make bench (.ci/bench.d/40-draft.sh) on PostgreSQL.
func BenchmarkChapterPage500(b *testing.B) {
	a := testenv.StartApp(b, testenv.WithoutSMTP())
	big := seedBigChapter(b, a, "bench", 500)
	token, err := a.Platform.Auth.StartSession(context.Background(), big.viewer, "bench")
	if err != nil {
		b.Fatal(err)
	}
	h := a.Platform.Web.Handler()
	for _, v := range []struct{ name, query string }{{"page", ""}, {"all", "?alle=1"}} {
		b.Run(v.name, func(b *testing.B) {
			path := "/entwurf/" + big.slug + v.query
			_, queries := servePage(b, a, path, big.viewer)
			var bytes int
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.AddCookie(&http.Cookie{Name: "mw_session", Value: token})
				rec := httptest.NewRecorder()
				h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
				bytes = rec.Body.Len()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/page")
			b.ReportMetric(float64(queries), "queries/page")
			b.ReportMetric(float64(bytes)/1024, "KiB/page")
		})
	}
}

func chapterID(t *testing.T, a *testenv.App, slug string) int64 {
	t.Helper()
	ch, err := a.Store.ChapterBySlug(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	return ch.ID
}
