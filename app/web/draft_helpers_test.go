package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// fixChapterBody has six anchored blocks: p-1 heading, p-2 and p-3
// paragraphs, p-4 and p-5 list items, p-6 a paragraph.
const fixChapterBody = `# Wohnen in Leipzig

Erster Absatz über bezahlbares Wohnen in allen Ortsteilen Leipzigs.

Zweiter Absatz über Freiräume und Grün in den wachsenden Quartieren.

- Punkt eins zur Mobilität im Quartier
- Punkt zwei zum Klimaschutz im Bestand

Dritter Absatz, der in jeder Fassung gleich bleibt.`

// draftFix is a draft document with one chapter and an open comment period,
// plus the people who act on it.
type draftFix struct {
	a                      *testenv.App
	admin, mod, cit, other *app.User
	doc                    *app.DraftDocument
	ch                     *app.DraftChapter
}

func newDraftFix(t *testing.T, moderation string, opts ...testenv.Option) *draftFix {
	t.Helper()
	a := testenv.StartApp(t, opts...)
	f := &draftFix{a: a,
		admin: a.CreateUser(t, "ag-insek@example.org", "AG Leitung", app.RoleAdmin),
		mod:   a.CreateUser(t, "moderation@example.org", "Moderatorin", app.RoleModerator),
		cit:   a.CreateUser(t, "buergerin@example.org", "Lindenauerin", app.RoleCitizen),
		other: a.CreateUser(t, "nachbar@example.org", "Nachbar", app.RoleCitizen),
	}
	f.setup(t, moderation)
	return f
}

func (f *draftFix) setup(t *testing.T, moderation string) {
	t.Helper()
	ctx := context.Background()
	doc, err := f.a.Store.SaveDocument(ctx, f.admin, 0, app.DocumentInput{Title: "INSEK Leipzig 2030 – Entwurf", Slug: "insek", Moderation: moderation, Published: true})
	if err != nil {
		t.Fatal(err)
	}
	f.doc = doc
	ch, _, err := f.a.Platform.Draft.SaveChapter(ctx, f.admin, doc.ID, 0, app.ChapterInput{Title: "Fachkonzept Wohnen", Slug: "wohnen", Fachamt: "Amt für Wohnungsbau und Stadterneuerung", Position: 1, Body: fixChapterBody})
	if err != nil {
		t.Fatal(err)
	}
	f.ch = ch
	now := f.a.Store.Now()
	if err := f.a.Store.AddPeriod(ctx, f.admin, &app.CommentPeriod{DocumentID: doc.ID, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(30 * 24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
}

// comment writes a comment through the service (setup for tests that are
// about something else).
func (f *draftFix) comment(t *testing.T, u *app.User, paragraph, body string) *app.Contribution {
	t.Helper()
	c, err := f.a.Platform.Draft.Comment(context.Background(), u, f.ch.ID, draft.CommentInput{Body: body, Paragraph: paragraph})
	if err != nil {
		t.Fatalf("comment: %v", err)
	}
	return c
}

func (f *draftFix) approve(t *testing.T, c *app.Contribution) {
	t.Helper()
	if _, err := f.a.Platform.Draft.Moderate(context.Background(), f.mod, c.ID, app.ModerationInput{Action: app.ActionApprove}); err != nil {
		t.Fatalf("approve: %v", err)
	}
}

func (f *draftFix) contribution(t *testing.T, id int64) *app.Contribution {
	t.Helper()
	c, err := f.a.Store.ContributionByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// countContributions counts all stored contributions.
func (f *draftFix) countContributions(t *testing.T) int64 {
	t.Helper()
	var n int64
	if err := f.a.Store.Gorm().Model(&app.Contribution{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	return n
}

// auditActions lists the audit actions on an object.
func auditActions(t *testing.T, a *testenv.App, objectType, objectID string) []string {
	t.Helper()
	var actions []string
	err := a.Store.Gorm().Model(&app.AuditEntry{}).Where("object_type = ? AND object_id = ?", objectType, objectID).Order("id").Pluck("action", &actions).Error
	if err != nil {
		t.Fatal(err)
	}
	return actions
}

// commentText is the text of the comment with this number as shown on a page.
func commentText(r *testenv.Response, number int64) string {
	if r.Doc == nil {
		return ""
	}
	return strings.Join(strings.Fields(r.Doc.Find(fmt.Sprintf("#beitrag-%d > article", number)).Text()), " ")
}

func vals(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// lastHistoryRow is the cells of the newest entry of a moderation history.
func lastHistoryRow(r *testenv.Response) []string {
	var cells []string
	r.Doc.Find("[aria-labelledby='log-title'] tbody tr").Last().Find("td").Each(func(_ int, s *goquery.Selection) {
		cells = append(cells, strings.Join(strings.Fields(s.Text()), " "))
	})
	return cells
}

func draftInput(body string) draft.CommentInput { return draft.CommentInput{Body: body} }

func parseQuery(s string) (url.Values, error) { return url.ParseQuery(s) }
