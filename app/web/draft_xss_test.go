package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// hostileComments are texts people might send to inject markup or script.
var hostileComments = []string{
	`<script>window.__xss=1</script>`,
	`"><img src=x onerror="window.__xss=1">`,
	`javascript:window.__xss=1`,
	`https://example.org/"onmouseover="window.__xss=1"x=`,
	`<a href="javascript:window.__xss=1">klick</a>`,
	`</textarea><script>window.__xss=1</script>`,
	`<svg onload=window.__xss=1><b><i>nicht geschlossen`,
	`<iframe src="javascript:window.__xss=1"></iframe>`,
	`{{.CSRF}} &lt;b&gt; &#x3C;script&#x3E;`,
	"www.example.org/<script>window.__xss=1</script>",
}

// hostileMarkdown is a chapter text with the same intent.
const hostileMarkdown = `# Überschrift <script>window.__xss=1</script>

Absatz mit <img src=x onerror="window.__xss=1"> Bild.

[Link](javascript:window.__xss=1) und [Daten](data:text/html,<script>window.__xss=1</script>) und <a href="javascript:window.__xss=1">roh</a>.

<div onmouseover="window.__xss=1">Überfahren</div>

![Bild](javascript:window.__xss=1)

<iframe src="javascript:window.__xss=1"></iframe><svg><script>window.__xss=1</script></svg>

- <b>Ungeschlossen <i>kursiv
- Punkt mit <style>body{display:none}</style> Stil

| <script>window.__xss=1</script> | b |
|---|---|
| <img src=x onerror=window.__xss=1> | 2 |`

// domCheck reports script elements, event handler attributes and script
// URLs in main, and whether the trap fired.
const domCheck = `(() => {
  const bad = [];
  if (window.__xss) bad.push('script executed');
  const m = document.querySelector('main');
  m.querySelectorAll('script, iframe, object, embed, style').forEach(e => bad.push('element ' + e.tagName));
  m.querySelectorAll('*').forEach(e => {
    for (const a of e.attributes) {
      if (/^on/i.test(a.name)) bad.push('attribute ' + a.name + ' on ' + e.tagName);
      if (['href', 'src', 'action', 'formaction', 'xlink:href'].includes(a.name) && /^\s*(javascript|data|vbscript):/i.test(a.value)) bad.push('URL ' + a.value);
    }
  });
  return JSON.stringify(bad);
})()`

func bypassCSP(t *testing.T, tab context.Context) {
	t.Helper()
	err := chromedp.Do(tab, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.SetBypassCSP, page.SetBypassCSPParams{Enabled: true})
		return err
	}))
	if err != nil {
		t.Fatalf("bypass CSP: %v", err)
	}
}

func checkDOM(t *testing.T, tab context.Context, url string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab, 60*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		t.Fatalf("load %s: %v", url, err)
	}
	time.Sleep(300 * time.Millisecond) // let failing images fire their handlers
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](domCheck))
	if err != nil {
		t.Fatalf("check %s: %v", url, err)
	}
	var bad []string
	if err := json.Unmarshal([]byte(raw), &bad); err != nil {
		t.Fatal(err)
	}
	if len(bad) > 0 {
		t.Errorf("%s: %v", url, bad)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// TestHostileInputDoesNotExecute renders hostile comments, names, answers,
// assessments and chapter Markdown in Chromium with the page's CSP switched
// off (so that the test, not the CSP, proves that nothing gets through) and
// checks that nothing executes and no script-bearing markup is in the page.
func TestHostileInputDoesNotExecute(t *testing.T) {
	b := testenv.StartBrowser(t)

	// Control: the trap catches a page that does run script.
	control := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html lang="de"><head><title>x</title></head><body><main><img src="/nope" onerror="window.__xss=1"></main></body></html>`))
	}))
	defer control.Close()
	ctl := b.Tab(t)
	bypassCSP(t, ctl)
	if err := chromedp.Do(ctl, chromedp.Navigate(control.URL)); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if fired, err := chromedp.Run(ctl, chromedp.Evaluate[bool](`window.__xss === 1`)); err != nil || !fired {
		t.Fatalf("the control page did not trip the trap (%v): the check would prove nothing", err)
	}

	f := newDraftFix(t, app.ModerationPost)
	ctx := context.Background()
	svc := f.a.Platform.Draft
	ac := f.a.SessionClient(t, f.admin)

	// Chapter Markdown: a bidirectional override is refused, the rest is saved.
	edit := ac.Get("/admin/entwurf/kapitel/" + itoa(f.ch.ID))
	res := ac.Submit(edit, "main form", vals("body", "Text mit \u202Eumgedrehter Schrift"))
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("body"), "Richtungszeichen") {
		t.Fatalf("chapter text with RTL override: %d %q", res.Status, res.FieldError("body"))
	}
	res = ac.Submit(edit, "main form", vals("body", hostileMarkdown))
	if !strings.Contains(res.Text(), "neue Fassung") {
		t.Fatalf("save hostile Markdown: %d %s", res.Status, res.Text())
	}

	// Comments: an RTL override is refused with a German message.
	cc := f.a.SessionClient(t, f.cit)
	r := cc.Submit(cc.Get("/entwurf/wohnen"), "form#kommentar-formular", vals("body", "Ganz harmlos \u202Egnuthca"))
	if r.Status != http.StatusUnprocessableEntity || !strings.Contains(r.FieldError("body"), "Richtungszeichen") {
		t.Fatalf("comment with RTL override: %d %q", r.Status, r.FieldError("body"))
	}
	evil := f.a.CreateUser(t, "evil@example.org", `<img src=x onerror=window.__xss=1>`, app.RoleCitizen)
	var first *app.Contribution
	for i, body := range hostileComments {
		u := []*app.User{f.cit, evil, f.other}[i%3]
		c, err := svc.Comment(ctx, u, f.ch.ID, draft.CommentInput{Body: body})
		if err != nil {
			t.Fatalf("comment %q: %v", body, err)
		}
		if first == nil {
			first = c
		}
	}
	if _, err := svc.Reply(ctx, f.other, first.ID, draft.CommentInput{Body: `<script>window.__xss=1</script> Antwort`}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Answer(ctx, f.mod, first.ID, `<img src=x onerror="window.__xss=1"> Antwort der Stadt`); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Assess(ctx, f.admin, first.ID, app.AssessmentInput{Status: app.AssessNoted, Reasoning: `<a href="javascript:window.__xss=1">Begründung</a>`, Fachamt: `<b onmouseover=window.__xss=1>Amt</b>`, Publish: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Store.Redact(ctx, f.mod, first.ID, `<script>window.__xss=1</script> […]`, `<svg onload=window.__xss=1>`); err != nil {
		t.Fatal(err)
	}
	if err := svc.Report(ctx, f.other, first.ID+1, app.ReportInput{Reason: app.ReasonOther, Text: `<img src=x onerror=window.__xss=1>`}); err != nil {
		t.Fatal(err)
	}
	if err := f.a.Store.AddModerationNote(ctx, f.mod, first.ID, `<script>window.__xss=1</script>`); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Transcribe(ctx, f.mod, draft.TranscribeInput{Channel: app.ChannelFachforum, ChapterID: f.ch.ID, AuthorLabel: `<script>window.__xss=1</script>`, Body: `"><svg onload=window.__xss=1>`, Approve: true}); err != nil {
		t.Fatal(err)
	}

	reader := b.Tab(t)
	bypassCSP(t, reader)
	text := checkDOM(t, reader, f.a.URL+"/entwurf/wohnen")
	for _, want := range []string{`<script>window.__xss=1</script> […]`, `</textarea><script>window.__xss=1</script>`, `<img src=x onerror=window.__xss=1>`, `{{.CSRF}} &lt;b&gt;`} {
		if !strings.Contains(text, want) {
			t.Errorf("the chapter page does not show %q as text", want)
		}
	}
	for _, p := range []string{"/entwurf", "/beitraege/" + first.PublicNumber(), "/entwurf/wohnen/ergebnisse", "/entwurf/wohnen/fassungen", "/entwurf/wohnen/kommentieren?absatz=p-2"} {
		checkDOM(t, reader, f.a.URL+p)
	}
	admin := b.Tab(t)
	testenv.LoginAs(t, admin, f.a, f.admin)
	bypassCSP(t, admin)
	for _, p := range []string{"/admin/moderation?status=all", "/admin/moderation/" + first.PublicNumber(), "/admin/moderation/A-0002", "/admin/abwaegung?stand=", "/admin/abwaegung/" + first.PublicNumber(), "/admin/entwurf/kapitel/" + itoa(f.ch.ID)} {
		checkDOM(t, admin, f.a.URL+p)
	}
	author := b.Tab(t)
	testenv.LoginAs(t, author, f.a, evil)
	bypassCSP(t, author)
	checkDOM(t, author, f.a.URL+"/profil/beitraege")

	// Links in comments are links, with rel="nofollow ugc noopener".
	var rels []string
	if err := chromedp.Do(reader, chromedp.Navigate(f.a.URL+"/entwurf/wohnen")); err != nil {
		t.Fatal(err)
	}
	raw, err := chromedp.Run(reader, chromedp.Evaluate[string](`JSON.stringify([...document.querySelectorAll('.comment-body a')].map(a => a.getAttribute('href') + ' ' + a.rel))`))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(raw), &rels); err != nil {
		t.Fatal(err)
	}
	if len(rels) != 2 {
		t.Fatalf("links in comments: %v", rels)
	}
	for _, l := range rels {
		if !strings.HasSuffix(l, " nofollow ugc noopener") || !strings.HasPrefix(l, "https://") || strings.ContainsAny(strings.Fields(l)[0], `"<>`) {
			t.Errorf("link %q", l)
		}
	}
}
