package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

type apiCommentOut struct {
	ID           int64    `json:"id"`
	Number       string   `json:"number"`
	Status       string   `json:"status"`
	Paragraph    *string  `json:"paragraph"`
	ParentID     *int64   `json:"parent_id"`
	Body         string   `json:"body"`
	Author       string   `json:"author"`
	Tags         []string `json:"tags"`
	Reason       string   `json:"reason"`
	SupportCount int      `json:"support_count"`
	Assessment   *struct {
		Status, Reasoning string
	} `json:"assessment"`
}

type apiErrorOut struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

// TestDraftAPI walks the JSON API that other tools depend on: documents,
// a chapter with its paragraphs, comments (cookie and bearer token),
// moderation and assessment.
func TestDraftAPI(t *testing.T) {
	f := newDraftFix(t, app.ModerationPre)
	anon := f.a.Client(t)

	var docs struct {
		Documents []struct {
			ID       int64  `json:"id"`
			Title    string `json:"title"`
			Open     bool   `json:"open"`
			Chapters []struct {
				ID      int64  `json:"id"`
				Slug    string `json:"slug"`
				Fachamt string `json:"fachamt"`
			} `json:"chapters"`
		} `json:"documents"`
	}
	if s := anon.JSON(http.MethodGet, "/api/v1/documents", nil, &docs); s != http.StatusOK || len(docs.Documents) != 1 {
		t.Fatalf("documents: %d %+v", s, docs)
	}
	d := docs.Documents[0]
	if d.Title != "INSEK Leipzig 2030 – Entwurf" || !d.Open || len(d.Chapters) != 1 || d.Chapters[0].Slug != "wohnen" || d.Chapters[0].Fachamt == "" {
		t.Fatalf("document: %+v", d)
	}
	chapterPath := "/api/v1/chapters/" + itoa(d.Chapters[0].ID)
	var ch struct {
		Title      string `json:"title"`
		Paragraphs []struct {
			Anchor string `json:"anchor"`
			Text   string `json:"text"`
			Kind   string `json:"kind"`
		} `json:"paragraphs"`
	}
	if s := anon.JSON(http.MethodGet, chapterPath, nil, &ch); s != http.StatusOK || len(ch.Paragraphs) != 6 {
		t.Fatalf("chapter: %d %+v", s, ch)
	}
	if p := ch.Paragraphs[2]; p.Anchor != "p-3" || p.Kind != "paragraph" || !strings.HasPrefix(p.Text, "Zweiter Absatz") {
		t.Fatalf("third paragraph: %+v", p)
	}
	if s := anon.JSON(http.MethodGet, "/api/v1/chapters/999", nil, nil); s != http.StatusNotFound {
		t.Errorf("unknown chapter: %d", s)
	}

	// Comment with the session cookie (and the CSRF header).
	cc := f.a.SessionClient(t, f.cit)
	var created apiCommentOut
	s := cc.JSON(http.MethodPost, chapterPath+"/comments", map[string]any{"body": "Per API: mehr Grün!", "paragraph": "p-3", "parent_id": nil, "tags": []string{"lq1", "wohnen"}}, &created)
	if s != http.StatusCreated || created.Status != "pending" || created.Number != "A-0001" || created.Paragraph == nil || *created.Paragraph != "p-3" || len(created.Tags) != 2 {
		t.Fatalf("create: %d %+v", s, created)
	}
	var bad apiErrorOut
	if s := cc.JSON(http.MethodPost, chapterPath+"/comments", map[string]any{"body": "", "paragraph": "p-42"}, &bad); s != http.StatusUnprocessableEntity ||
		bad.Error.Fields["body"] != "Bitte füllen Sie dieses Feld aus." || bad.Error.Fields["paragraph"] == "" {
		t.Fatalf("invalid comment: %d %+v", s, bad)
	}
	if s := anon.JSON(http.MethodPost, chapterPath+"/comments", map[string]any{"body": "Anonym"}, nil); s != http.StatusUnauthorized {
		t.Errorf("anonymous comment: %d", s)
	}

	// Moderation through the API.
	mc := f.a.SessionClient(t, f.mod)
	var moderated apiCommentOut
	if s := mc.JSON(http.MethodPost, "/api/v1/comments/"+itoa(created.ID)+"/moderation", map[string]any{"action": "reject"}, &bad); s != http.StatusUnprocessableEntity || bad.Error.Fields["reason"] == "" {
		t.Fatalf("reject without reason: %d %+v", s, bad)
	}
	if s := mc.JSON(http.MethodPost, "/api/v1/comments/"+itoa(created.ID)+"/moderation", map[string]any{"action": "approve"}, &moderated); s != http.StatusOK || moderated.Status != "published" {
		t.Fatalf("approve: %d %+v", s, moderated)
	}

	// A reply by bearer token (no CSRF header needed).
	token, err := f.a.Platform.Auth.CreateAPIToken(context.Background(), f.other, f.other, "Test")
	if err != nil {
		t.Fatal(err)
	}
	bearer := f.a.Client(t)
	var reply apiCommentOut
	s = bearer.JSON(http.MethodPost, chapterPath+"/comments", map[string]any{"body": "Antwort per Token.", "parent_id": created.ID}, &reply, "Authorization", "Bearer "+token, "X-CSRF-Token", "")
	if s != http.StatusCreated || reply.ParentID == nil || *reply.ParentID != created.ID || reply.Status != "pending" {
		t.Fatalf("reply by token: %d %+v", s, reply)
	}
	if s := mc.JSON(http.MethodPost, "/api/v1/comments/"+reply.Number+"/moderation", map[string]any{"action": "hide", "reason": "nicht_zum_thema"}, &moderated); s != http.StatusOK || moderated.Status != "hidden" || moderated.Reason != "nicht_zum_thema" {
		t.Fatalf("hide by number: %d %+v", s, moderated)
	}
	f.a.Mail.WaitFor("nachbar@example.org", "Entscheidung der Moderation")

	var list struct {
		Comments []apiCommentOut `json:"comments"`
		Total    int             `json:"total"`
	}
	anon.JSON(http.MethodGet, chapterPath+"/comments", nil, &list)
	if list.Total != 1 || len(list.Comments) != 2 || list.Comments[0].Body != "Per API: mehr Grün!" || list.Comments[0].Author != "Lindenauerin" {
		t.Fatalf("comment list: %+v", list)
	}
	if hidden := list.Comments[1]; hidden.Status != "hidden" || hidden.Body != "" {
		t.Fatalf("hidden reply shows its text to readers: %+v", hidden)
	}

	// Assessment through the API (AG INSEK): a draft, then publication by a
	// second person (four eyes).
	ac := f.a.SessionClient(t, f.admin)
	var assessed apiCommentOut
	if s := ac.JSON(http.MethodPut, "/api/v1/comments/"+itoa(created.ID)+"/assessment", map[string]any{"status": "vielleicht", "reasoning": ""}, &bad); s != http.StatusUnprocessableEntity || bad.Error.Fields["status"] == "" || bad.Error.Fields["reasoning"] == "" {
		t.Fatalf("invalid assessment: %d %+v", s, bad)
	}
	s = ac.JSON(http.MethodPut, "/api/v1/comments/"+itoa(created.ID)+"/assessment", map[string]any{"status": "beruecksichtigt", "reasoning": "Aufgenommen in Absatz 3."}, &assessed)
	if s != http.StatusOK || assessed.Assessment != nil {
		t.Fatalf("draft assessment: %d %+v", s, assessed)
	}
	if s := ac.JSON(http.MethodPut, "/api/v1/comments/"+itoa(created.ID)+"/assessment", map[string]any{"status": "beruecksichtigt", "reasoning": "Aufgenommen in Absatz 3.", "publish": true}, &bad); s != http.StatusConflict || !strings.Contains(bad.Error.Message, "Vier-Augen-Prinzip") {
		t.Fatalf("publishing one's own text: %d %+v", s, bad)
	}
	reviewer := f.a.SessionClient(t, f.a.CreateUser(t, "zweite@example.org", "Zweite Prüferin", app.RoleAdmin))
	if s := reviewer.JSON(http.MethodPost, "/api/v1/assessments/A-0001/transitions", map[string]any{"action": "publish"}, nil); s != http.StatusOK {
		t.Fatalf("publish by a second person: %d", s)
	}
	ac.JSON(http.MethodGet, "/api/v1/comments/A-0001", nil, &assessed)
	if assessed.Assessment == nil || assessed.Assessment.Status != "beruecksichtigt" {
		t.Fatalf("assess: %+v", assessed)
	}
	mail := f.a.Mail.WaitFor("buergerin@example.org", "Was aus Ihrem Beitrag")
	if !strings.Contains(mail.Text, "Aufgenommen in Absatz 3.") {
		t.Errorf("assessment mail:\n%s", mail.Text)
	}
	var one apiCommentOut
	anon.JSON(http.MethodGet, "/api/v1/comments/A-0001", nil, &one)
	if one.Assessment == nil || one.Assessment.Reasoning != "Aufgenommen in Absatz 3." {
		t.Fatalf("published assessment in the API: %+v", one)
	}

	// The OpenAPI document describes the draft paths.
	var spec struct {
		Paths map[string]any `json:"paths"`
	}
	anon.JSON(http.MethodGet, "/api/v1/openapi.json", nil, &spec)
	for _, p := range []string{"/documents", "/chapters/{id}", "/chapters/{id}/comments", "/comments/{id}", "/comments/{id}/moderation", "/comments/{id}/assessment"} {
		if spec.Paths[p] == nil {
			t.Errorf("OpenAPI lacks %s", p)
		}
	}
}

// TestDraftAuthorization: a citizen cannot moderate, assess, edit or delete
// another person's comment (forms and API), a moderator cannot assess or
// edit the draft, and every change needs CSRF.
func TestDraftAuthorization(t *testing.T) {
	f := newDraftFix(t, app.ModerationPost)
	c := f.comment(t, f.cit, "p-2", "Der Beitrag, um den es geht.")
	n := c.PublicNumber()
	oc := f.a.SessionClient(t, f.other)
	unchanged := func(step string) {
		t.Helper()
		got := f.contribution(t, c.ID)
		if got.Status != app.StatusPublished || got.Body != "Der Beitrag, um den es geht." || got.AssessmentStatus != "" || got.AnswerBody != "" || got.DuplicateOf != nil || got.RedactedAt != nil {
			t.Fatalf("%s changed the contribution: %+v", step, got)
		}
	}
	forms := []struct{ path, body string }{
		{"/admin/moderation/" + n + "/entscheidung", "action=hide&reason=werbung"},
		{"/admin/moderation/" + n + "/schwaerzen", "body=Anders"},
		{"/admin/moderation/" + n + "/doppelung", "primary=A-0001"},
		{"/admin/moderation/" + n + "/notiz", "note=x"},
		{"/admin/moderation/" + n + "/antwort", "answer=x"},
		{"/admin/moderation/sammelaktion", "ids=" + itoa(c.ID) + "&action=hide&reason=werbung"},
		{"/admin/moderation/erfassen", "channel=werkstatt&author_label=x&body=x"},
		{"/admin/abwaegung/" + n, "status=beruecksichtigt&reasoning=x&publish=true"},
		{"/admin/entwurf/kapitel/" + itoa(f.ch.ID), "title=x&body=x"},
		{"/admin/entwurf", "title=Fremd&moderation=pre"},
		{"/admin/entwurf/" + itoa(f.doc.ID) + "/zeitraeume", "starts_at=2030-01-01T00:00&ends_at=2030-02-01T00:00"},
	}
	for _, fm := range forms {
		v, _ := parseQuery(fm.body)
		if r := oc.PostForm(fm.path, v); r.Status != http.StatusForbidden {
			t.Errorf("citizen POST %s: %d", fm.path, r.Status)
		}
	}
	for _, p := range []string{"/admin/moderation", "/admin/moderation/" + n, "/admin/abwaegung", "/admin/entwurf"} {
		if r := oc.Get(p); r.Status != http.StatusForbidden {
			t.Errorf("citizen GET %s: %d", p, r.Status)
		}
	}
	// Another person's comment: no edit, no withdrawal.
	for _, p := range []string{"/beitraege/" + n + "/bearbeiten", "/beitraege/" + n + "/zurueckziehen"} {
		if r := oc.Get(p); r.Status != http.StatusForbidden {
			t.Errorf("GET %s by someone else: %d", p, r.Status)
		}
	}
	if r := oc.PostForm("/beitraege/"+n+"/bearbeiten", vals("body", "Übernommen!")); r.Status != http.StatusForbidden {
		t.Errorf("editing someone else's comment: %d", r.Status)
	}
	if r := oc.PostForm("/beitraege/"+n+"/zurueckziehen", nil); r.Status != http.StatusForbidden {
		t.Errorf("withdrawing someone else's comment: %d", r.Status)
	}
	if page := oc.Get("/entwurf/wohnen"); page.Doc.Find("a[href='/beitraege/"+n+"/bearbeiten']").Length() != 0 {
		t.Error("the edit link is offered to someone else")
	}
	// The API likewise.
	if s := oc.JSON(http.MethodPost, "/api/v1/comments/"+itoa(c.ID)+"/moderation", map[string]any{"action": "hide", "reason": "werbung"}, nil); s != http.StatusForbidden {
		t.Errorf("citizen API moderation: %d", s)
	}
	if s := oc.JSON(http.MethodPut, "/api/v1/comments/"+itoa(c.ID)+"/assessment", map[string]any{"status": "beruecksichtigt", "reasoning": "x"}, nil); s != http.StatusForbidden {
		t.Errorf("citizen API assessment: %d", s)
	}
	mc := f.a.SessionClient(t, f.mod)
	if s := mc.JSON(http.MethodPut, "/api/v1/comments/"+itoa(c.ID)+"/assessment", map[string]any{"status": "beruecksichtigt", "reasoning": "x"}, nil); s != http.StatusForbidden {
		t.Errorf("moderator API assessment: %d", s)
	}
	for _, p := range []string{"/admin/abwaegung/" + n, "/admin/entwurf"} {
		if r := mc.Get(p); r.Status != http.StatusForbidden {
			t.Errorf("moderator GET %s: %d", p, r.Status)
		}
	}
	if r := mc.Get("/admin/moderation/" + n); r.Doc.Find("a[href='/admin/abwaegung/"+n+"']").Length() != 0 {
		t.Error("moderators are offered the assessment")
	}
	// Logged out and unverified.
	anon := f.a.Client(t)
	if r := anon.PostForm("/entwurf/wohnen/kommentare", vals("body", "Anonym")); r.Status != http.StatusUnauthorized {
		t.Errorf("anonymous comment form: %d", r.Status)
	}
	if r := anon.PostForm("/beitraege/"+n+"/zustimmung", vals("on", "true")); r.Status != http.StatusUnauthorized {
		t.Errorf("anonymous support: %d", r.Status)
	}
	unverified := f.a.CreateUser(t, "neu@example.org", "Noch Neu", app.RoleCitizen)
	if err := f.a.Store.Gorm().Model(unverified).Update("email_verified_at", nil).Error; err != nil {
		t.Fatal(err)
	}
	uc := f.a.SessionClient(t, unverified)
	if r := uc.PostForm("/entwurf/wohnen/kommentare", vals("body", "Unbestätigt")); r.Status != http.StatusForbidden || !strings.Contains(r.Text(), "bestätigen Sie zuerst") {
		t.Errorf("unverified comment: %d %s", r.Status, r.Text())
	}
	if !strings.Contains(uc.Get("/entwurf/wohnen").Text(), "Um zu kommentieren, bestätigen Sie bitte zuerst") {
		t.Error("the unverified person is not told why there is no form")
	}
	// CSRF: a form post without the token is refused.
	if r := oc.PostRaw("/beitraege/"+n+"/melden", "application/x-www-form-urlencoded", []byte("reason=werbung")); r.Status != http.StatusForbidden {
		t.Errorf("report without CSRF token: %d", r.Status)
	}
	if r := mc.PostRaw("/admin/moderation/"+n+"/entscheidung", "application/x-www-form-urlencoded", []byte("action=hide&reason=werbung")); r.Status != http.StatusForbidden {
		t.Errorf("moderation without CSRF token: %d", r.Status)
	}
	unchanged("the refused requests")
	if n := f.countContributions(t); n != 1 {
		t.Fatalf("%d contributions after refused requests", n)
	}
}

// TestUnpublishedDocumentIsHidden: a document admins are still preparing
// exists for nobody else.
func TestUnpublishedDocumentIsHidden(t *testing.T) {
	f := newDraftFix(t, app.ModerationPre)
	ctx := context.Background()
	if _, err := f.a.Store.SaveDocument(ctx, f.admin, f.doc.ID, app.DocumentInput{Title: f.doc.Title, Slug: f.doc.Slug, Moderation: app.ModerationPre, Published: false}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*testenv.Client{f.a.Client(t), f.a.SessionClient(t, f.cit)} {
		if r := c.Get("/entwurf/wohnen"); r.Status != http.StatusNotFound {
			t.Errorf("unpublished chapter: %d", r.Status)
		}
		if s := c.JSON(http.MethodGet, "/api/v1/chapters/"+itoa(f.ch.ID), nil, nil); s != http.StatusNotFound {
			t.Errorf("unpublished chapter in the API: %d", s)
		}
	}
	if r := f.a.SessionClient(t, f.cit).PostForm("/entwurf/wohnen/kommentare", vals("body", "Vorab")); r.Status != http.StatusNotFound {
		t.Errorf("comment on an unpublished chapter: %d", r.Status)
	}
	preview := f.a.SessionClient(t, f.admin).Get("/entwurf/wohnen")
	if preview.Status != http.StatusOK || !strings.Contains(preview.Text(), "Vorschau") {
		t.Errorf("admin preview: %d", preview.Status)
	}
}
