package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// surveyFix is a survey built through the builder's forms.
type surveyFix struct {
	a       *testenv.App
	builder *testenv.Client
	survey  *app.Survey
	// q maps a short name to the question of the current version.
	q map[string]app.SurveyQuestion
}

// everyKind is one question of every kind, as the builder form sends it.
var everyKind = []struct {
	name string
	form url.Values
}{
	{"wohnen", url.Values{"kind": {"single"}, "text": {"Wie wohnen Sie?"}, "options": {"Miete\nEigentum\nGenossenschaft"}, "required": {"true"}, "other": {"true"}}},
	{"themen", url.Values{"kind": {"multi"}, "text": {"Welche Themen sind Ihnen wichtig?"}, "options": {"Verkehr\nGrün\nWohnen\nBildung"}, "min_choices": {"1"}, "max_choices": {"2"}, "required": {"true"}}},
	{"zufrieden", url.Values{"kind": {"scale"}, "text": {"Wie zufrieden sind Sie mit Ihrem Viertel?"}, "scale_low": {"gar nicht"}, "scale_high": {"sehr"}, "required": {"true"}}},
	{"rang", url.Values{"kind": {"ranking"}, "text": {"Ordnen Sie die Ziele"}, "options": {"Klima\nSoziales\nWirtschaft"}}},
	{"matrix", url.Values{"kind": {"matrix"}, "text": {"Wie bewerten Sie"}, "options": {"Radwege\nBusse"}, "scale_low": {"schlecht"}, "scale_high": {"gut"}}},
	{"kurz", url.Values{"kind": {"text_short"}, "text": {"Ihr Lieblingsort?"}, "max_length": {"50"}}},
	{"lang", url.Values{"kind": {"text_long"}, "text": {"Was wünschen Sie sich?"}}},
	{"alter", url.Values{"kind": {"number"}, "text": {"Wie alt sind Sie?"}, "num_min": {"0"}, "num_max": {"120"}}},
	{"seit", url.Values{"kind": {"date"}, "text": {"Seit wann wohnen Sie in Leipzig?"}}},
	{"ortsteil", url.Values{"kind": {"ortsteil"}, "text": {"In welchem Ortsteil wohnen Sie?"}}},
	{"punkt", url.Values{"kind": {"point"}, "text": {"Wo fehlt ein Baum?"}}},
}

// buildSurvey creates a survey with every kind of question through the
// builder's forms, opened today, and a conditional question.
func buildSurvey(t *testing.T, a *testenv.App, anonymous bool) *surveyFix {
	t.Helper()
	ctx := context.Background()
	coord := a.CreateUser(t, "ag.insek@example.org", "AG INSEK", app.RoleCitizen)
	admin := a.CreateUser(t, "admin@example.org", "Admin", app.RoleAdmin)
	if err := a.Store.SetGrant(ctx, admin, coord.ID, app.RoleAgInsek, true); err != nil {
		t.Fatal(err)
	}
	f := &surveyFix{a: a, builder: a.SessionClient(t, coord), q: map[string]app.SurveyQuestion{}}
	today := a.Clock.Now().In(app.Berlin).Format(time.DateOnly)
	settings := url.Values{"title": {"Leben in Leipzig <2030>"}, "intro": {"Ihre Meinung zählt."}, "thank_you": {"Danke & bis bald!"},
		"opens_at": {today}}
	if anonymous {
		settings.Set("anonymous", "true")
	}
	res := f.builder.Submit(f.builder.Get("/umfragen/verwaltung"), "main form[action='/umfragen/verwaltung']", settings)
	if res.Status != http.StatusOK || !strings.Contains(res.Text(), "Fügen Sie jetzt Fragen hinzu") {
		t.Fatalf("create survey: %d %s", res.Status, res.Text())
	}
	list, err := a.Store.Surveys(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("surveys: %v %d", err, len(list))
	}
	f.survey = &list[0]
	path := fmt.Sprintf("/umfragen/verwaltung/%d", f.survey.ID)
	res = f.builder.Submit(f.builder.Get(path), "form[action$='/abschnitte']", url.Values{"section_title": {"Über Sie"}})
	if !strings.Contains(res.Text(), "Über Sie") {
		t.Fatalf("section: %s", res.Text())
	}
	for _, k := range everyKind {
		form := url.Values{}
		for key, v := range k.form {
			form[key] = v
		}
		res = f.builder.Submit(f.builder.Get(path), "form[action$='/fragen']", form)
		if res.Status != http.StatusOK || !strings.Contains(res.Text(), "Die Frage ist hinzugefügt") {
			t.Fatalf("add %s: %d %s", k.name, res.Status, res.Text())
		}
	}
	f.reload(t)
	// Only asked of people who rent: a condition on the first question.
	res = f.builder.Submit(f.builder.Get(path), "form[action$='/fragen']", url.Values{"kind": {"text_short"},
		"text": {"Was zahlen Sie an Miete?"}, "condition": {fmt.Sprintf("%d:1", f.q["wohnen"].ID)}, "required": {"true"}})
	if !strings.Contains(res.Text(), "Die Frage ist hinzugefügt") {
		t.Fatalf("conditional: %s", res.Text())
	}
	f.reload(t)
	return f
}

func (f *surveyFix) reload(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	sv, err := f.a.Store.SurveyByID(ctx, f.survey.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.survey = sv
	qs, err := f.a.Store.SurveyQuestions(ctx, sv.ID, sv.Version)
	if err != nil {
		t.Fatal(err)
	}
	for i, q := range qs {
		if i < len(everyKind) {
			f.q[everyKind[i].name] = q
		} else {
			f.q["miete"] = q
		}
	}
}

func (f *surveyFix) path() string { return fmt.Sprintf("/umfragen/%d", f.survey.ID) }

// answers fills the whole form for one person.
func (f *surveyFix) answers(wohnen, themen []string, scale string, extra url.Values) url.Values {
	v := url.Values{}
	field := func(name string) string { q := f.q[name]; return q.Field() }
	v[field("wohnen")] = wohnen
	v[field("themen")] = themen
	v.Set(field("zufrieden"), scale)
	for k, vals := range extra {
		v[k] = vals
	}
	return v
}

// TestSurveyEndToEnd builds a survey with every kind of question through
// the builder, answers it as three people without JavaScript and checks
// what was stored, the list and the preview.
func TestSurveyEndToEnd(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	f := buildSurvey(t, a, false)
	if len(f.q) != len(everyKind)+1 {
		t.Fatalf("%d questions", len(f.q))
	}

	// The preview shows every question as respondents see it, escaped.
	prev := f.builder.Get(fmt.Sprintf("/umfragen/verwaltung/%d/vorschau", f.survey.ID))
	if prev.Status != http.StatusOK || !strings.Contains(prev.Body, "Leben in Leipzig &lt;2030&gt;") {
		t.Fatalf("preview: %d", prev.Status)
	}
	for _, q := range f.q {
		if prev.Doc.Find("#f-"+q.Field()).Length() != 1 {
			t.Errorf("preview lacks the input of %q", q.Text)
		}
	}
	if prev.Doc.Find("form.survey-form button[type=submit]").Length() != 0 {
		t.Error("the preview can be submitted")
	}

	// Listed publicly; a citizen may not open the builder.
	if list := a.Client(t).Get("/umfragen"); !strings.Contains(list.Text(), "Leben in Leipzig <2030>") {
		t.Fatalf("list: %s", list.Text())
	}
	citizen := a.CreateUser(t, "eins@example.org", "Person Eins", app.RoleCitizen)
	c1 := a.SessionClient(t, citizen)
	if res := c1.Get("/umfragen/verwaltung"); res.Status != http.StatusForbidden {
		t.Fatalf("builder for a citizen: %d", res.Status)
	}
	if res := a.Client(t).Get(f.path()); !strings.Contains(res.Text(), "Bitte melden Sie sich an") {
		t.Fatalf("logged out: %s", res.Text())
	}

	q := func(name string) string { x := f.q[name]; return x.Field() }
	zwei := a.CreateUser(t, "zwei@example.org", "Person Zwei", app.RoleCitizen)
	people := []struct {
		client *testenv.Client
		form   url.Values
	}{
		{c1, f.answers([]string{"1"}, []string{"1", "2"}, "4", url.Values{
			q("rang") + "_1": {"2"}, q("rang") + "_2": {"1"}, q("rang") + "_3": {"3"},
			q("matrix") + "_1": {"5"}, q("matrix") + "_2": {"2"},
			q("kurz"): {"Clara-Zetkin-Park"}, q("lang"): {"Mehr Bäume <bitte>"}, q("alter"): {"34"}, q("seit"): {"2019-04-01"},
			q("ortsteil"): {"00"}, q("punkt"): {"51.3397, 12.3731"}, q("miete"): {"800 Euro"}})},
		{a.SessionClient(t, zwei),
			f.answers([]string{"other"}, []string{"3"}, "2", url.Values{q("wohnen") + "_other": {"Wohngemeinschaft"}, q("miete"): {"wird ignoriert"}})},
		{a.SessionClient(t, a.CreateUser(t, "drei@example.org", "Person Drei", app.RoleCitizen)),
			f.answers([]string{"2"}, []string{"2"}, "5", nil)},
	}
	for i, p := range people {
		res := p.client.Submit(p.client.Get(f.path()), "form.survey-form", p.form)
		if res.Status != http.StatusOK || !strings.Contains(res.Text(), "Vielen Dank") || !strings.Contains(res.Body, "Danke &amp; bis bald!") {
			t.Fatalf("person %d: %d %s", i+1, res.Status, res.Text())
		}
	}
	if n, _ := a.Store.CountSurveyResponses(ctx, f.survey.ID); n != 3 {
		t.Fatalf("%d responses", n)
	}
	r, err := a.Store.SurveyResponseOfUser(ctx, f.survey.ID, citizen.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := a.Store.SurveyAnswersOf(ctx, r.ID)
	want := map[string]string{"wohnen": "1", "themen": "1,2", "zufrieden": "4", "rang": "2,1,3", "matrix": "1=5,2=2",
		"kurz": "Clara-Zetkin-Park", "alter": "34", "seit": "2019-04-01", "ortsteil": "00", "punkt": "51.339700,12.373100", "miete": "800 Euro"}
	for name, w := range want {
		if g := got[f.q[name].ID].Value; g != w {
			t.Errorf("%s: stored %q, want %q", name, g, w)
		}
	}
	// The condition was not met for person two: the rent answer is dropped.
	r2, _ := a.Store.SurveyResponseOfUser(ctx, f.survey.ID, zwei.ID)
	got2, _ := a.Store.SurveyAnswersOf(ctx, r2.ID)
	if _, ok := got2[f.q["miete"].ID]; ok || got2[f.q["wohnen"].ID].Other != "Wohngemeinschaft" {
		t.Errorf("person two: %+v", got2)
	}

	// An account answers once and may change its answers: the form shows
	// them, and submitting again replaces them.
	page := c1.Get(f.path())
	if !strings.Contains(page.Text(), "Sie haben bereits geantwortet") || page.Doc.Find("#f-"+q("kurz")).AttrOr("value", "") != "Clara-Zetkin-Park" {
		t.Fatalf("answered form: %s", page.Text())
	}
	res := c1.Submit(page, "form.survey-form", url.Values{q("kurz"): {"Auensee"}})
	if res.Status != http.StatusOK {
		t.Fatalf("change: %d %s", res.Status, res.Text())
	}
	if n, _ := a.Store.CountSurveyResponses(ctx, f.survey.ID); n != 3 {
		t.Fatalf("a changed response was counted twice: %d", n)
	}
	got, _ = a.Store.SurveyAnswersOf(ctx, r.ID)
	if got[f.q["kurz"].ID].Value != "Auensee" || got[f.q["lang"].ID].Value != "Mehr Bäume <bitte>" {
		t.Fatalf("changed answers: %+v", got)
	}

	// Results: per question a chart whose drawing and table agree.
	rpath := fmt.Sprintf("/umfragen/verwaltung/%d/ergebnisse", f.survey.ID)
	if res := c1.Get(rpath); res.Status != http.StatusForbidden {
		t.Fatalf("results for a citizen: %d", res.Status)
	}
	results := f.builder.Get(rpath)
	if !strings.Contains(results.Text(), "Abgeschlossene Antworten: 3") {
		t.Fatalf("results: %d %s", results.Status, results.Text())
	}
	for _, c := range []struct {
		name string
		want []string
	}{
		{"wohnen", []string{"1 (33 %)", "1 (33 %)", "0 (0 %)", "1 (33 %)"}},
		// Shares are of the people who answered: a multiple choice adds up to more than 100 %.
		{"themen", []string{"1 (33 %)", "2 (67 %)", "1 (33 %)", "0 (0 %)"}},
		{"zufrieden", []string{"0 (0 %)", "1 (33 %)", "0 (0 %)", "1 (33 %)", "1 (33 %)"}},
		{"rang", []string{"2", "3", "1"}},
		{"matrix", []string{"5,0", "2,0"}},
		{"ortsteil", []string{"1 (100 %)"}},
	} {
		svg, table := chartFigures(t, results, fmt.Sprintf("chart-q%d", f.q[c.name].ID))
		if strings.Join(svg, "|") != strings.Join(c.want, "|") || strings.Join(table, "|") != strings.Join(c.want, "|") {
			t.Errorf("%s: drawing %v, table %v, want %v", c.name, svg, table, c.want)
		}
	}
	if !strings.Contains(results.Text(), "Wohngemeinschaft") || !strings.Contains(results.Body, "Mehr Bäume &lt;bitte&gt;") {
		t.Error("texts missing or unescaped on the results page")
	}
	// Cross-tab: only the people who rent (person one).
	filtered := f.builder.Submit(results, "form.filter-form", url.Values{"filter": {fmt.Sprintf("%d:1", f.q["wohnen"].ID)}})
	if svg, _ := chartFigures(t, filtered, fmt.Sprintf("chart-q%d", f.q["themen"].ID)); strings.Join(svg, "|") != "1 (100 %)|1 (100 %)|0 (0 %)|0 (0 %)" {
		t.Errorf("filtered: %v", svg)
	}
	// Moderation: hiding needs a reason, then the text is marked hidden.
	langR := fmt.Sprintf("reason-%d-%d", r.ID, f.q["lang"].ID)
	hideSel := fmt.Sprintf("form[action$='/antworten/%d/%d/ausblenden']", r.ID, f.q["lang"].ID)
	res = f.builder.Submit(results, hideSel, url.Values{"reason": {""}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError(langR), "Bitte füllen Sie dieses Feld aus") {
		t.Fatalf("hide without reason: %d %q", res.Status, res.FieldError(langR))
	}
	res = f.builder.Submit(results, hideSel, url.Values{"reason": {"Personenbezug"}})
	if !strings.Contains(res.Text(), "ausgeblendet Grund: Personenbezug") {
		t.Fatalf("hidden: %s", res.Text())
	}

	// Exports: one column per option, the codebook, German Excel CSV.
	base := fmt.Sprintf("/umfragen/verwaltung/%d/export/", f.survey.ID)
	if res := c1.Get(base + "antworten.csv"); res.Status != http.StatusForbidden {
		t.Fatalf("export for a citizen: %d", res.Status)
	}
	csvRes := f.builder.Get(base + "antworten.csv")
	if !strings.HasPrefix(csvRes.Body, "\ufeff") || !strings.Contains(csvRes.Body, "\r\n") {
		t.Fatalf("CSV is not for German Excel: %q", csvRes.Body[:min(80, len(csvRes.Body))])
	}
	rd := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvRes.Body, "\ufeff")))
	rd.Comma = ';'
	table, err := rd.ReadAll()
	if err != nil || len(table) != 4 {
		t.Fatalf("CSV: %v, %d rows", err, len(table))
	}
	col := map[string]int{}
	for i, h := range table[0] {
		col[h] = i
	}
	code := func(name string) string { return fmt.Sprintf("F%d", f.q[name].ID) }
	wantCols := []string{"antwort", "version", "zeitpunkt", code("wohnen") + "_1", code("wohnen") + "_3", code("wohnen") + "_sonstiges",
		code("themen") + "_4", code("zufrieden"), code("rang") + "_3", code("matrix") + "_2", code("kurz"), code("lang"), code("alter"),
		code("seit"), code("ortsteil"), code("punkt"), code("miete")}
	for _, w := range wantCols {
		if _, ok := col[w]; !ok {
			t.Errorf("CSV lacks column %s: %v", w, table[0])
		}
	}
	var row1 []string
	resp := r
	for _, r := range table[1:] {
		if r[col["antwort"]] == fmt.Sprint(resp.ID) {
			row1 = r
		}
	}
	if row1 == nil || row1[col[code("wohnen")+"_1"]] != "1" || row1[col[code("wohnen")+"_2"]] != "0" || row1[col[code("rang")+"_1"]] != "2" ||
		row1[col[code("matrix")+"_1"]] != "5" || row1[col[code("lang")]] != "" || row1[col[code("alter")]] != "34" {
		t.Errorf("person one's row (hidden text left out): %v", row1)
	}
	book := f.builder.Get(base + "codebuch.csv")
	if !strings.Contains(book.Body, code("wohnen")+"_1;Wie wohnen Sie?;Einfachauswahl;1–;1 = „Miete“ gewählt") {
		t.Errorf("codebook: %s", book.Body)
	}
	var js struct {
		Codebook  []map[string]string
		Responses []map[string]string
	}
	if err := json.Unmarshal([]byte(f.builder.Get(base+"antworten.json").Body), &js); err != nil || len(js.Responses) != 3 || len(js.Codebook) != len(table[0]) {
		t.Fatalf("JSON: %v, %d responses, %d codebook entries", err, len(js.Responses), len(js.Codebook))
	}
	xl := f.builder.Get(base + "antworten.xlsx")
	wb, err := excelize.OpenReader(strings.NewReader(xl.Body))
	if err != nil {
		t.Logf("xlsx %d %q", len(xl.Body), xl.Body[:min(300, len(xl.Body))])
	}
	if err != nil {
		t.Fatal(err)
	}
	rows, err := wb.GetRows("Antworten")
	if err != nil || len(rows) != 4 || strings.Join(rows[0], ";") != strings.Join(table[0], ";") {
		t.Fatalf("XLSX: %v, %d rows", err, len(rows))
	}
	if cb, _ := wb.GetRows("Codebuch"); len(cb) != len(table[0])+1 {
		t.Errorf("XLSX codebook: %d rows", len(cb))
	}
}

// chartFigures reads a chart's bars from the drawing (wide layout) and its
// data table, so a test can check that both say the same.
func chartFigures(t *testing.T, res *testenv.Response, id string) (svg, table []string) {
	t.Helper()
	fig := res.Doc.Find("#" + id)
	if fig.Length() != 1 {
		t.Fatalf("no chart %s", id)
	}
	fig.Find("svg.chart-svg").First().Find("text.chart-value").Each(func(_ int, s *goquery.Selection) { svg = append(svg, s.Text()) })
	fig.Find("table tbody td").Each(func(_ int, s *goquery.Selection) { table = append(table, s.Text()) })
	return svg, table
}

// TestSurveyValidation: bad answers and bad builder input are refused with
// a German message next to the field, and nothing is stored.
func TestSurveyValidation(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	f := buildSurvey(t, a, false)
	c := a.SessionClient(t, a.CreateUser(t, "eins@example.org", "Person Eins", app.RoleCitizen))
	q := func(name string) string { x := f.q[name]; return x.Field() }
	cases := []struct {
		name, field, want string
		form              url.Values
	}{
		{"required missing", "wohnen", "Bitte beantworten Sie diese Frage", f.answers(nil, []string{"1"}, "3", nil)},
		{"unknown option", "wohnen", "eine der angebotenen Antworten", f.answers([]string{"9"}, []string{"1"}, "3", nil)},
		{"too many choices", "themen", "höchstens 2 Antworten", f.answers([]string{"2"}, []string{"1", "2", "3"}, "3", nil)},
		{"scale out of range", "zufrieden", "eine der angebotenen Antworten", f.answers([]string{"2"}, []string{"1"}, "6", nil)},
		{"other without text", "wohnen", "Bitte füllen Sie dieses Feld aus", f.answers([]string{"other"}, []string{"1"}, "3", nil)},
		{"rank twice", "rang", "jeden Rang nur einmal", f.answers([]string{"2"}, []string{"1"}, "3", url.Values{q("rang") + "_1": {"1"}, q("rang") + "_2": {"1"}, q("rang") + "_3": {"2"}})},
		{"rank incomplete", "rang", "jeder Möglichkeit einen Rang", f.answers([]string{"2"}, []string{"1"}, "3", url.Values{q("rang") + "_1": {"1"}})},
		{"short text too long", "kurz", "höchstens 50 Zeichen", f.answers([]string{"2"}, []string{"1"}, "3", url.Values{q("kurz"): {strings.Repeat("x", 51)}})},
		{"number out of range", "alter", "von 0 bis 120", f.answers([]string{"2"}, []string{"1"}, "3", url.Values{q("alter"): {"130"}})},
		{"number not a number", "alter", "ganze Zahl", f.answers([]string{"2"}, []string{"1"}, "3", url.Values{q("alter"): {"dreißig"}})},
		{"bad date", "seit", "Datum", f.answers([]string{"2"}, []string{"1"}, "3", url.Values{q("seit"): {"31.02.2020"}})},
		{"unknown Ortsteil", "ortsteil", "eine der angebotenen Antworten", f.answers([]string{"2"}, []string{"1"}, "3", url.Values{q("ortsteil"): {"99"}})},
		{"point outside", "punkt", "nicht in Leipzig", f.answers([]string{"2"}, []string{"1"}, "3", url.Values{q("punkt"): {"52.52, 13.40"}})},
		{"point unreadable", "punkt", "Breite und Länge", f.answers([]string{"2"}, []string{"1"}, "3", url.Values{q("punkt"): {"Markt"}})},
		{"condition met, required", "miete", "Bitte beantworten Sie diese Frage", f.answers([]string{"1"}, []string{"1"}, "3", nil)},
	}
	for _, tc := range cases {
		res := c.Submit(c.Get(f.path()), "form.survey-form", tc.form)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError(q(tc.field)), tc.want) {
			t.Errorf("%s: %d %q", tc.name, res.Status, res.FieldError(q(tc.field)))
		}
		if res.Doc.Find(fmt.Sprintf("#error-summary a[href='#f-%s']", q(tc.field))).Length() != 1 {
			t.Errorf("%s: the summary does not link to the question", tc.name)
		}
	}
	if n, _ := a.Store.CountSurveyResponses(ctx, f.survey.ID); n != 0 {
		t.Fatalf("bad answers stored %d responses", n)
	}

	// The builder refuses bad questions and settings next to the field.
	path := fmt.Sprintf("/umfragen/verwaltung/%d", f.survey.ID)
	for _, tc := range []struct {
		field, want string
		form        url.Values
	}{
		{"options", "mindestens zwei", url.Values{"kind": {"single"}, "text": {"Frage"}, "options": {"nur eine"}}},
		{"text", "Bitte füllen Sie dieses Feld aus", url.Values{"kind": {"scale"}, "text": {""}, "scale_low": {"a"}, "scale_high": {"b"}}},
		{"text", "höchstens 500", url.Values{"kind": {"text_long"}, "text": {strings.Repeat("x", 501)}}},
		{"max_choices", "nicht kleiner", url.Values{"kind": {"multi"}, "text": {"F"}, "options": {"a\nb\nc"}, "min_choices": {"3"}, "max_choices": {"2"}}},
		{"kind", "Art der Frage", url.Values{"kind": {"essay"}, "text": {"F"}}},
		{"condition", "früheren Auswahlfrage", url.Values{"kind": {"text_short"}, "text": {"F"}, "condition": {fmt.Sprintf("%d:1", f.q["kurz"].ID)}}},
	} {
		res := f.builder.Submit(f.builder.Get(path), "form[action$='/fragen']", tc.form)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError(tc.field), tc.want) {
			t.Errorf("builder %s: %d %q", tc.field, res.Status, res.FieldError(tc.field))
		}
	}
	res := f.builder.Submit(f.builder.Get(path), "form[action='"+path+"']", url.Values{"title": {""}, "closes_at": {"2000-01-01"}})
	if res.Status != http.StatusUnprocessableEntity || res.FieldError("title") == "" || res.FieldError("closes_at") == "" {
		t.Errorf("settings: %d %q %q", res.Status, res.FieldError("title"), res.FieldError("closes_at"))
	}
	qs, _ := a.Store.SurveyQuestions(ctx, f.survey.ID, f.survey.Version)
	sv, _ := a.Store.SurveyByID(ctx, f.survey.ID)
	if len(qs) != len(everyKind)+1 || sv.Title != f.survey.Title {
		t.Fatalf("refused input changed the survey: %d questions, title %q", len(qs), sv.Title)
	}
}

// TestSurveyAnonymousRepeat: an anonymous survey stores no account and
// takes one response per browser token; a new token from the same address
// is limited by the rate limit.
func TestSurveyAnonymousRepeat(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	f := buildSurvey(t, a, true)
	form := f.answers([]string{"2"}, []string{"1"}, "3", nil)

	// Logged in or not, the response is tied to no account.
	u := a.CreateUser(t, "anonym@example.org", "Anonym", app.RoleCitizen)
	c := a.SessionClient(t, u)
	page := c.Get(f.path())
	if !strings.Contains(page.Text(), "Diese Umfrage ist anonym") {
		t.Fatalf("anonymous note: %s", page.Text())
	}
	if res := c.Submit(page, "form.survey-form", form); !strings.Contains(res.Text(), "Vielen Dank") {
		t.Fatalf("first: %d %s", res.Status, res.Text())
	}
	if _, err := a.Store.SurveyResponseOfUser(ctx, f.survey.ID, u.ID); app.ErrorCode(err) != app.CodeNotFound {
		t.Fatalf("an anonymous response is linked to the account: %v", err)
	}
	// The same browser again: refused, nothing stored.
	res := c.Submit(c.Get(f.path()), "form.survey-form", form)
	if res.Status != http.StatusConflict || !strings.Contains(res.Text(), "bereits beantwortet") {
		t.Fatalf("repeat: %d %s", res.Status, res.Text())
	}
	// Without the cookie the form cannot be sent.
	fresh := a.Client(t)
	if res := fresh.PostForm(f.path(), form); res.Status != http.StatusConflict || !strings.Contains(res.Text(), "Cookies") {
		t.Fatalf("without token: %d %s", res.Status, res.Text())
	}
	// New browsers from the same address: limited per hour.
	for i := 2; i <= 6; i++ {
		b := a.Client(t)
		res := b.Submit(b.Get(f.path()), "form.survey-form", form)
		if i <= 5 && !strings.Contains(res.Text(), "Vielen Dank") {
			t.Fatalf("browser %d: %d %s", i, res.Status, res.Text())
		}
		if i == 6 && (res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "") {
			t.Fatalf("browser %d over the limit: %d", i, res.Status)
		}
	}
	if n, _ := a.Store.CountSurveyResponses(ctx, f.survey.ID); n != 5 {
		t.Fatalf("%d responses, want 5", n)
	}
}

// TestSurveyVersions: after the first response only wording changes in
// place; changing the options starts a new version and the earlier
// response keeps the version and question it answered.
func TestSurveyVersions(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	f := buildSurvey(t, a, false)
	u := a.CreateUser(t, "eins@example.org", "Person Eins", app.RoleCitizen)
	c := a.SessionClient(t, u)
	if res := c.Submit(c.Get(f.path()), "form.survey-form", f.answers([]string{"3"}, []string{"1"}, "3", nil)); !strings.Contains(res.Text(), "Vielen Dank") {
		t.Fatalf("answer: %s", res.Text())
	}
	old, miete1 := f.q["wohnen"], f.q["miete"]
	qpath := fmt.Sprintf("/umfragen/verwaltung/%d/fragen/%d", f.survey.ID, old.ID)

	// Wording only: same row, same version.
	res := f.builder.Submit(f.builder.Get(qpath), "main form", url.Values{"text": {"Wie wohnen Sie derzeit?"}})
	if !strings.Contains(res.Text(), "Gespeichert") {
		t.Fatalf("wording: %d %s", res.Status, res.Text())
	}
	f.reload(t)
	if f.survey.Version != 1 || f.q["wohnen"].ID != old.ID || f.q["wohnen"].Text != "Wie wohnen Sie derzeit?" {
		t.Fatalf("wording change: version %d, question %d %q", f.survey.Version, f.q["wohnen"].ID, f.q["wohnen"].Text)
	}

	// New options: version 2 with a new question row.
	res = f.builder.Submit(f.builder.Get(qpath), "main form", url.Values{"options": {"Miete\nEigentum\nGenossenschaft\nWohnheim"}})
	if !strings.Contains(res.Text(), "Gespeichert") || !strings.Contains(res.Text(), "Version 2") {
		t.Fatalf("options: %d %s", res.Status, res.Text())
	}
	f.reload(t)
	if f.survey.Version != 2 || f.q["wohnen"].ID == old.ID || len(f.q["wohnen"].Options) != 4 {
		t.Fatalf("structural change: version %d, question %d %v", f.survey.Version, f.q["wohnen"].ID, f.q["wohnen"].Options)
	}
	r, _ := a.Store.SurveyResponseOfUser(ctx, f.survey.ID, u.ID)
	answers, _ := a.Store.SurveyAnswersOf(ctx, r.ID)
	if r.Version != 1 || answers[old.ID].Value != "3" {
		t.Fatalf("the first response lost its version: v%d %+v", r.Version, answers)
	}
	v1, _ := a.Store.SurveyQuestions(ctx, f.survey.ID, 1)
	if len(v1) != len(everyKind)+1 || v1[0].ID != old.ID {
		t.Fatalf("version 1 no longer has its questions: %d", len(v1))
	}
	// A new respondent answers version 2 and may pick the new option.
	c2 := a.SessionClient(t, a.CreateUser(t, "zwei@example.org", "Person Zwei", app.RoleCitizen))
	if res := c2.Submit(c2.Get(f.path()), "form.survey-form", f.answers([]string{"4"}, []string{"1"}, "3", nil)); !strings.Contains(res.Text(), "Vielen Dank") {
		t.Fatalf("answer v2: %d %s", res.Status, res.Text())
	}
	r2, _ := a.Store.SurveyResponseOfUser(ctx, f.survey.ID, c2User(t, a, "zwei@example.org"))
	if r2.Version != 2 {
		t.Fatalf("second response version %d", r2.Version)
	}
	// The rent question, asked only of tenants, follows its condition into
	// version 2: a tenant answering version 2 is asked for the rent.
	miete := f.q["miete"]
	c3 := a.SessionClient(t, a.CreateUser(t, "drei@example.org", "Person Drei", app.RoleCitizen))
	bad := c3.Submit(c3.Get(f.path()), "form.survey-form", f.answers([]string{"1"}, []string{"1"}, "3", nil))
	if bad.Status != http.StatusUnprocessableEntity || !strings.Contains(bad.FieldError(miete.Field()), "Bitte beantworten Sie diese Frage.") {
		t.Fatalf("a tenant in version 2 was not asked for the rent: %d %q", bad.Status, bad.FieldError(miete.Field()))
	}
	res = c3.Submit(bad, "form.survey-form", f.answers([]string{"1"}, []string{"1"}, "3", url.Values{miete.Field(): {"800 Euro"}}))
	if !strings.Contains(res.Text(), "Vielen Dank") {
		t.Fatalf("answer v2 as a tenant: %d %s", res.Status, res.Text())
	}
	r3, _ := a.Store.SurveyResponseOfUser(ctx, f.survey.ID, c2User(t, a, "drei@example.org"))
	if answers3, _ := a.Store.SurveyAnswersOf(ctx, r3.ID); answers3[miete.ID].Value != "800 Euro" {
		t.Fatalf("the rent of version 2 was not stored: %+v", answers3)
	}
	// Version 1 keeps its rent question on the row its answers point at.
	if v1, _ := a.Store.SurveyQuestions(ctx, f.survey.ID, 1); v1[len(v1)-1].ID != miete1.ID || *v1[len(v1)-1].CondQuestionID != old.ID {
		t.Fatalf("version 1's condition moved: %+v", v1[len(v1)-1])
	}
	// A change that would leave the condition without its answer is refused
	// at the field, and changes nothing.
	qpath2 := fmt.Sprintf("/umfragen/verwaltung/%d/fragen/%d", f.survey.ID, f.q["wohnen"].ID)
	refused := f.builder.Submit(f.builder.Get(qpath2), "main form", url.Values{"kind": {"text_short"}})
	if refused.Status != http.StatusUnprocessableEntity || !strings.Contains(refused.FieldError("kind"), "Was zahlen Sie an Miete?") {
		t.Fatalf("a change breaking a condition: %d %q", refused.Status, refused.FieldError("kind"))
	}
	if sv, _ := a.Store.SurveyByID(ctx, f.survey.ID); sv.Version != 2 {
		t.Fatalf("the refused change made version %d", sv.Version)
	}
	// Deleting the account deletes its answers, as the privacy page says.
	if err := a.Store.EraseUser(ctx, nil, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.SurveyResponseOfUser(ctx, f.survey.ID, u.ID); app.ErrorCode(err) != app.CodeNotFound {
		t.Fatalf("an erased account's response remains: %v", err)
	}
	if n, _ := a.Store.CountSurveyResponses(ctx, f.survey.ID); n != 2 {
		t.Fatalf("%d responses after erasure, want 2 (Zwei and Drei)", n)
	}
}

func c2User(t *testing.T, a *testenv.App, email string) int64 {
	t.Helper()
	u, err := a.Store.UserByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// TestSurveyNeedsConfirmedAddress: an account-bound survey counts one
// response per person only if accounts are people, so an account whose
// address is not confirmed is told so instead of getting the form, and a
// forged submission stores nothing.
func TestSurveyNeedsConfirmedAddress(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	f := buildSurvey(t, a, false)
	u := a.CreateUser(t, "unbestaetigt@example.org", "Unbestätigt", app.RoleCitizen)
	if err := a.Store.Gorm().Model(u).Update("email_verified_at", nil).Error; err != nil {
		t.Fatal(err)
	}
	c := a.SessionClient(t, u)
	page := c.Get(f.path())
	if page.Doc.Find("form.survey-form").Length() != 0 || !strings.Contains(page.Text(), "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse") {
		t.Fatalf("an unconfirmed account gets the form or no explanation: %d %q", page.Status, page.Text())
	}
	res := c.PostForm(f.path(), f.answers([]string{"2"}, []string{"1"}, "3", nil))
	if res.Status != http.StatusForbidden || !strings.Contains(res.Text(), "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse") {
		t.Fatalf("forged answer of an unconfirmed account: %d %q", res.Status, res.Text())
	}
	if n, _ := a.Store.CountSurveyResponses(ctx, f.survey.ID); n != 0 {
		t.Fatalf("an unconfirmed account stored %d responses", n)
	}
}
