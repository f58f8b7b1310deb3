package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/abwaegung"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// similarFix: two paraphrases of one demand (the second assessed and
// published), a third paraphrase whose text tries script injection and
// whose assessment is a draft, and an unrelated contribution.
type similarFix struct {
	*draftFix
	first, assessed, draft, unrelated *app.Contribution
}

const similarReasoning = "Ein geschützter Radweg ist im Fachkonzept Nachhaltige Mobilität vorgesehen."

func newSimilarFix(t *testing.T) *similarFix {
	t.Helper()
	f := &similarFix{draftFix: newDraftFix(t, app.ModerationPost)}
	f.first = f.comment(t, f.cit, "", "Auf der Karl-Liebknecht-Straße fehlt ein durchgehender, geschützter Radweg. Zwischen parkenden Autos und Straßenbahn ist Radfahren gefährlich.")
	f.assessed = f.comment(t, f.other, "", "Bitte einen sicheren, baulich getrennten Radweg über die ganze Karl-Liebknecht-Strasse bauen – Radfahren ist dort gefährlich.")
	f.draft = f.comment(t, f.mod, "", "<script>alert(1)</script> Geschützter Radweg auf der Karl-Liebknecht-Straße, durchgehend!")
	f.unrelated = f.comment(t, f.other, "", "Kostenloses Mittagessen an allen Grundschulen einführen.")
	ctx := context.Background()
	if _, err := f.a.Platform.Draft.Assess(ctx, f.admin, f.assessed.ID, app.AssessmentInput{Status: app.AssessConsidered, Reasoning: similarReasoning, Publish: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Platform.Draft.Assess(ctx, f.admin, f.draft.ID, app.AssessmentInput{Status: app.AssessNoted, Reasoning: "Interner Entwurf der Abwägung."}); err != nil {
		t.Fatal(err)
	}
	return f
}

func similarItem(r *testenv.Response, number string) string {
	return r.Doc.Find("li.similar-item:has(a:contains('" + number + "'))").Text()
}

// TestSimilarOnTheModerationPage: a moderator sees the paraphrases with
// score, status and published assessment, not the unrelated one nor a
// draft assessment, and merges the contribution into a suggestion's group
// without JavaScript.
func TestSimilarOnTheModerationPage(t *testing.T) {
	f := newSimilarFix(t)
	mc := f.a.SessionClient(t, f.mod)
	path := "/admin/moderation/" + f.first.PublicNumber()
	page := mc.Get(path)
	section := page.Doc.Find("section[aria-labelledby=similar-title]")
	if strings.TrimSpace(section.Find("h2").Text()) != "Ähnliche Beiträge" {
		t.Fatalf("no section „Ähnliche Beiträge“: %s", page.Text())
	}
	items := section.Find("li.similar-item")
	if items.Length() != 2 || !strings.Contains(items.First().Text(), f.assessed.PublicNumber()) && !strings.Contains(items.First().Text(), f.draft.PublicNumber()) {
		t.Fatalf("suggestions: %q", items.Text())
	}
	if strings.Contains(section.Text(), f.unrelated.PublicNumber()) {
		t.Fatalf("the unrelated %s is suggested", f.unrelated.PublicNumber())
	}
	item := similarItem(page, f.assessed.PublicNumber())
	for _, want := range []string{"Ähnlichkeit:", "\u00a0%", "mögliche Doppelung", "Stand: veröffentlicht", "Abwägung: berücksichtigt", similarReasoning, "baulich getrennten Radweg"} {
		if !strings.Contains(item, want) {
			t.Errorf("the suggestion %s lacks %q: %q", f.assessed.PublicNumber(), want, item)
		}
	}
	if href, _ := section.Find("a:contains('" + f.assessed.PublicNumber() + "')").Attr("href"); href != "/admin/moderation/"+f.assessed.PublicNumber() {
		t.Errorf("the suggestion links to %q", href)
	}
	draftItem := similarItem(page, f.draft.PublicNumber())
	if strings.Contains(draftItem, "Interner Entwurf") {
		t.Errorf("a moderator sees a draft assessment: %q", draftItem)
	}
	if strings.Contains(page.Body, "<script>alert(1)") || !strings.Contains(draftItem, "<script>alert(1)</script>") {
		t.Errorf("the text must show escaped")
	}

	form := "li.similar-item form:has(input[name=primary][value='" + f.assessed.PublicNumber() + "'])"
	res := mc.Submit(page, form, nil)
	if res.Status != http.StatusOK || res.URL.Path != path {
		t.Fatalf("merge: %d %s", res.Status, res.URL)
	}
	if c := f.contribution(t, f.first.ID); c.DuplicateOf == nil || *c.DuplicateOf != f.assessed.ID {
		t.Fatalf("after the merge %s is a duplicate of %v", f.first.PublicNumber(), c.DuplicateOf)
	}
	if got := auditActions(t, f.a, "contribution", f.first.PublicNumber()); len(got) == 0 || got[len(got)-1] != app.AuditDuplicate {
		t.Errorf("audit: %v", got)
	}
	if res.Doc.Find(form).Length() != 0 {
		t.Errorf("the merged suggestion still offers the merge")
	}

	ac := f.a.SessionClient(t, f.admin)
	if item := similarItem(ac.Get(path), f.draft.PublicNumber()); !strings.Contains(item, "Interner Entwurf") || !strings.Contains(item, "Entwurf, nicht veröffentlicht") {
		t.Errorf("an admin sees the draft assessment marked as draft: %q", item)
	}
	if h := mc.Get(path + "?lang=en").Doc.Find("#similar-title").Text(); h != "Similar contributions" {
		t.Errorf("English heading %q", h)
	}
}

// TestSimilarMergeIsCheckedOnTheServer: the merge form posts to the
// moderation's duplicate action, which refuses citizens and a missing CSRF
// token and changes nothing then.
func TestSimilarMergeIsCheckedOnTheServer(t *testing.T) {
	f := newSimilarFix(t)
	path := "/admin/moderation/" + f.first.PublicNumber() + "/doppelung"
	if res := f.a.SessionClient(t, f.cit).PostForm(path, vals("primary", f.assessed.PublicNumber())); res.Status != http.StatusForbidden {
		t.Errorf("citizen: %d", res.Status)
	}
	mc := f.a.SessionClient(t, f.mod)
	mc.Get("/admin/moderation/" + f.first.PublicNumber())
	req, _ := http.NewRequest(http.MethodPost, f.a.URL+path, strings.NewReader("primary="+f.assessed.PublicNumber()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res := mc.Do(req); res.Status != http.StatusForbidden {
		t.Errorf("without CSRF token: %d", res.Status)
	}
	if c := f.contribution(t, f.first.ID); c.DuplicateOf != nil {
		t.Fatalf("a refused merge changed the contribution")
	}
}

// TestSimilarOnTheAssessmentPage: the assessor sees the suggestions and
// starts the form from the reasoning of an assessed one, then saves it. The
// admin-only assessment page became the Abwägung workflow's page (issue
// 13): the old address leads there, and a saved text is the workflow's
// draft, public only once AG INSEK publishes it.
func TestSimilarOnTheAssessmentPage(t *testing.T) {
	f := newSimilarFix(t)
	ac := f.a.SessionClient(t, f.admin)
	path := "/abwaegung/" + f.first.PublicNumber()
	page := ac.Get("/admin/abwaegung/" + f.first.PublicNumber())
	if page.URL.Path != path {
		t.Fatalf("the old address leads to %s", page.URL)
	}
	item := similarItem(page, f.assessed.PublicNumber())
	if !strings.Contains(item, similarReasoning) {
		t.Fatalf("the assessed suggestion lacks its reasoning: %q", item)
	}
	for _, want := range []string{"Ähnlichkeit:", "\u00a0%", "Abwägung: berücksichtigt"} {
		if !strings.Contains(item, want) {
			t.Errorf("the suggestion %s lacks %q: %q", f.assessed.PublicNumber(), want, item)
		}
	}
	if strings.Contains(page.Body, "<script>alert(1)") {
		t.Errorf("the text must show escaped")
	}
	if href, _ := page.Doc.Find("li.similar-item a:contains('" + f.assessed.PublicNumber() + "')").First().Attr("href"); href != "/abwaegung/"+f.assessed.PublicNumber() {
		t.Errorf("the suggestion links to %q", href)
	}
	reuse, ok := page.Doc.Find("a:contains('Ergebnis und Begründung von " + f.assessed.PublicNumber() + " übernehmen')").Attr("href")
	if !ok {
		t.Fatalf("no link to reuse the reasoning")
	}
	form := ac.Get(reuse)
	if got := strings.TrimSpace(form.Doc.Find("textarea[name=reasoning]").Text()); got != similarReasoning {
		t.Fatalf("reasoning in the form: %q", got)
	}
	if got, _ := form.Doc.Find("select[name=result] option[selected]").Attr("value"); got != app.AssessConsidered {
		t.Fatalf("result in the form: %q", got)
	}
	if !strings.Contains(form.Doc.Find(".notice-box").Text(), "von "+f.assessed.PublicNumber()+" sind eingesetzt") {
		t.Errorf("no notice about the reused assessment")
	}
	// The rules' background assignment may have opened the contribution's
	// assessment meanwhile (state open, nothing written); opening the form
	// must not have saved anything into it.
	if a, err := f.a.Store.AssessmentByContribution(context.Background(), f.first.ID); app.ErrorCode(err) != app.CodeNotFound &&
		(err != nil || a.State != app.StateOpen || a.Result != "" || a.Reasoning != "" || a.Version != 0) {
		t.Fatalf("opening the form saved an assessment: %+v %v", a, err)
	}
	ac.Submit(form, "main form[action='"+path+"/entwurf']", nil)
	a, err := f.a.Store.AssessmentByContribution(context.Background(), f.first.ID)
	if err != nil || a.Result != app.AssessConsidered || a.Reasoning != similarReasoning || a.State != app.StateDrafted {
		t.Fatalf("saved assessment %+v %v", a, err)
	}
	if c := f.contribution(t, f.first.ID); c.AssessmentStatus != "" || c.AssessmentPublishedAt != nil {
		t.Fatalf("a draft is public before publication: %q", c.AssessmentStatus)
	}
}

type apiSimilarOut struct {
	Number    string  `json:"number"`
	Threshold float64 `json:"threshold"`
	Similar   []struct {
		Score           float64       `json:"score"`
		LikelyDuplicate bool          `json:"likely_duplicate"`
		Contribution    apiCommentOut `json:"contribution"`
	} `json:"similar"`
}

// TestSimilarAPI: moderators and admins (session or token) get the
// suggestions; others are refused; bad parameters get a German message.
func TestSimilarAPI(t *testing.T) {
	f := newSimilarFix(t)
	path := "/api/v1/contributions/" + f.first.PublicNumber() + "/similar"
	token, err := f.a.Platform.Auth.CreateAPIToken(context.Background(), f.mod, f.mod, "Test")
	if err != nil {
		t.Fatal(err)
	}
	var out apiSimilarOut
	if s := f.a.Client(t).JSON(http.MethodGet, path, nil, &out, "Authorization", "Bearer "+token); s != http.StatusOK {
		t.Fatalf("moderator token: %d", s)
	}
	if out.Number != f.first.PublicNumber() || len(out.Similar) != 2 || out.Threshold <= 0 {
		t.Fatalf("answer %+v", out)
	}
	byNumber := map[string]int{}
	for i, s := range out.Similar {
		byNumber[s.Contribution.Number] = i
		if s.Score <= 0 || s.Score > 1 {
			t.Errorf("score %v", s.Score)
		}
	}
	a := out.Similar[byNumber[f.assessed.PublicNumber()]]
	if !a.LikelyDuplicate || a.Contribution.Assessment == nil || a.Contribution.Assessment.Reasoning != similarReasoning {
		t.Errorf("assessed suggestion %+v", a)
	}
	if d := out.Similar[byNumber[f.draft.PublicNumber()]]; d.Contribution.Assessment != nil {
		t.Errorf("a moderator gets a draft assessment: %+v", d.Contribution.Assessment)
	}
	var adminOut apiSimilarOut
	if s := f.a.SessionClient(t, f.admin).JSON(http.MethodGet, path+"?limit=1", nil, &adminOut); s != http.StatusOK || len(adminOut.Similar) != 1 {
		t.Fatalf("admin with limit 1: %d %+v", s, adminOut)
	}
	if s := f.a.SessionClient(t, f.cit).JSON(http.MethodGet, path, nil, nil); s != http.StatusForbidden {
		t.Errorf("citizen: %d", s)
	}
	if s := f.a.Client(t).JSON(http.MethodGet, path, nil, nil); s != http.StatusUnauthorized {
		t.Errorf("anonymous: %d", s)
	}
	var bad apiErrorOut
	mc := f.a.SessionClient(t, f.mod)
	if s := mc.JSON(http.MethodGet, path+"?limit=500", nil, &bad); s != http.StatusUnprocessableEntity || bad.Error.Fields["limit"] != "Bitte eine Anzahl von 1 bis 20 angeben." {
		t.Errorf("limit 500: %d %+v", s, bad)
	}
	if s := mc.JSON(http.MethodGet, "/api/v1/contributions/A-9999/similar", nil, nil); s != http.StatusNotFound {
		t.Errorf("unknown number: %d", s)
	}
	var spec struct {
		Paths map[string]any `json:"paths"`
	}
	f.a.Client(t).JSON(http.MethodGet, "/api/v1/openapi.json", nil, &spec)
	if spec.Paths["/contributions/{number}/similar"] == nil {
		t.Errorf("OpenAPI lacks /contributions/{number}/similar")
	}
}

// TestSimilarOnTheAssessmentPageKeepsFachaemterApart: Fachamt staff read
// the unpublished text of a similar contribution only where their Fachamt
// works on it, also through "?vorlage=", and cannot open another
// Fachamt's assessment; AG INSEK reads all and joins the contribution to
// a suggestion's duplicate group without JavaScript.
func TestSimilarOnTheAssessmentPageKeepsFachaemterApart(t *testing.T) {
	f := newAbwFix(t)
	ctx := context.Background()
	target := f.tagged(t, f.cit, "Auf der Karl-Liebknecht-Straße fehlt ein durchgehender, geschützter Radweg. Zwischen parkenden Autos und Straßenbahn ist Radfahren gefährlich.")
	theirs := f.tagged(t, f.other, "Bitte einen sicheren, baulich getrennten Radweg über die ganze Karl-Liebknecht-Strasse bauen – Radfahren ist dort gefährlich.")
	ours := f.tagged(t, f.mod, "Geschützter Radweg auf der Karl-Liebknecht-Straße, durchgehend! Radfahren zwischen Autos und Straßenbahn ist gefährlich.")
	coord, err := f.a.Platform.Abwaegung.AccessOf(ctx, f.agA)
	if err != nil {
		t.Fatal(err)
	}
	for c, short := range map[*app.Contribution]string{target: "ASW", ours: "ASW", theirs: "VTA"} {
		if _, err := f.a.Platform.Abwaegung.Assign(ctx, coord, c.ID, abwaegung.AssignInput{Lead: short}); err != nil {
			t.Fatalf("assign %s: %v", c.PublicNumber(), err)
		}
	}
	const theirText, ourText = "VTA prüft eine Protected Bike Lane.", "ASW verweist auf das Fachkonzept Mobilität."
	for _, d := range []struct {
		u    *app.User
		c    *app.Contribution
		text string
	}{{f.staffVTA, theirs, theirText}, {f.staffASW, ours, ourText}} {
		acc, err := f.a.Platform.Abwaegung.AccessOf(ctx, d.u)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.Platform.Abwaegung.SaveDraft(ctx, acc, d.c.ID, app.DraftInput{Version: f.assessment(t, d.c).Version, Result: app.AssessConsidered, Reasoning: d.text}, "web"); err != nil {
			t.Fatalf("draft of %s: %v", d.c.PublicNumber(), err)
		}
	}

	sc := f.a.SessionClient(t, f.staffASW)
	path := "/abwaegung/" + target.PublicNumber()
	page := sc.Get(path)
	if page.Status != http.StatusOK {
		t.Fatalf("staff page: %d", page.Status)
	}
	if item := similarItem(page, ours.PublicNumber()); !strings.Contains(item, ourText) || !strings.Contains(item, "Entwurf, nicht veröffentlicht") {
		t.Errorf("own Fachamt's draft not shown as draft: %q", item)
	}
	item := similarItem(page, theirs.PublicNumber())
	if item == "" {
		t.Fatalf("the other Fachamt's contribution is not suggested: %q", page.Doc.Find("#similar-title").Parent().Text())
	}
	if strings.Contains(page.Body, theirText) {
		t.Errorf("Fachamt staff read another Fachamt's unpublished text: %q", item)
	}
	if href, _ := page.Doc.Find("li.similar-item a:contains('" + theirs.PublicNumber() + "')").Attr("href"); href != "/beitraege/"+theirs.PublicNumber() {
		t.Errorf("another Fachamt's contribution links to %q", href)
	}
	if f.a.SessionClient(t, f.staffASW).NoRedirects().Get("/abwaegung/"+theirs.PublicNumber()).Status != http.StatusForbidden {
		t.Errorf("Fachamt staff open another Fachamt's assessment")
	}
	if got := sc.Get(path + "?vorlage=" + theirs.PublicNumber()); strings.Contains(got.Body, theirText) || got.Doc.Find(".notice-box:contains('sind eingesetzt')").Length() != 0 {
		t.Errorf("?vorlage= fills in another Fachamt's unpublished text")
	}
	if page.Doc.Find("form[action='"+path+"/doppelung']").Length() != 0 {
		t.Errorf("Fachamt staff are offered to group duplicates")
	}

	ac := f.a.SessionClient(t, f.agA)
	page = ac.Get(path)
	if item := similarItem(page, theirs.PublicNumber()); !strings.Contains(item, theirText) {
		t.Errorf("AG INSEK does not see the draft: %q", item)
	}
	form := "li.similar-item form:has(input[name=primary][value='" + ours.PublicNumber() + "'])"
	res := ac.Submit(page, form, nil)
	if res.Status != http.StatusOK || res.URL.Path != "/abwaegung/"+ours.PublicNumber() {
		t.Fatalf("merge: %d %s", res.Status, res.URL)
	}
	if c := f.contribution(t, target.ID); c.DuplicateOf == nil || *c.DuplicateOf != ours.ID {
		t.Fatalf("after the merge %s is a duplicate of %v", target.PublicNumber(), c.DuplicateOf)
	}
	if got := auditActions(t, f.a, "contribution", target.PublicNumber()); len(got) == 0 || got[len(got)-1] != app.AuditDuplicate {
		t.Errorf("audit: %v", got)
	}
	// A contribution with a text of its own does not change groups.
	page = ac.Get("/abwaegung/" + theirs.PublicNumber())
	if page.Doc.Find("form[action$='/doppelung']").Length() != 0 {
		t.Errorf("a contribution with a text is offered to join a group")
	}
	res = ac.PostForm("/abwaegung/"+theirs.PublicNumber()+"/doppelung", vals("primary", ours.PublicNumber()))
	if res.Status != http.StatusConflict && res.Status != http.StatusUnprocessableEntity {
		t.Errorf("merging a contribution with a text: %d", res.Status)
	}
	if c := f.contribution(t, theirs.ID); c.DuplicateOf != nil {
		t.Errorf("a refused merge changed %s", theirs.PublicNumber())
	}
}
