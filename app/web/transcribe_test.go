package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestTranscribeChannelMustBeChosen: a moderator who transcribes input in
// Chromium and does not choose the channel is asked to choose it; the form
// never files the input under a channel nobody picked (the first entry,
// "Werkstattgespräch", was taken silently before).
func TestTranscribeChannelMustBeChosen(t *testing.T) {
	f := newDraftFix(t, app.ModerationPre)
	tab := testenv.StartBrowser(t).Tab(t)
	testenv.LoginAs(t, tab, f.a, f.mod)
	ctx, cancel := context.WithTimeout(tab, 90*time.Second)
	defer cancel()
	err := chromedp.Do(ctx, chromedp.Navigate(f.a.URL+"/admin/moderation/erfassen"),
		chromedp.SendKeys("#f-author_label", "Teilnehmende des Stadtgebietsforums"),
		chromedp.SendKeys("#f-body", "Mehr Bänke am Elsterbecken."))
	if err != nil {
		t.Fatal(err)
	}
	if chosen := testenv.Eval[string](t, ctx, `document.getElementById('f-channel').value`); chosen != "" {
		t.Fatalf("the channel is preselected as %q before anyone chose", chosen)
	}
	if err := chromedp.Do(ctx, chromedp.Click("main form button[type=submit]"), chromedp.WaitVisible("#error-summary")); err != nil {
		t.Fatalf("sending without a channel: %v", err)
	}
	msg := testenv.Eval[string](t, ctx, `(document.getElementById('f-channel-error') || {}).textContent || ''`)
	if !strings.Contains(msg, "Bitte wählen Sie einen Eintrag aus.") {
		t.Fatalf("no message at the channel: %q", msg)
	}
	if n := f.countContributions(t); n != 0 {
		t.Fatalf("%d contributions stored without a channel", n)
	}
	// The typed text is kept; choosing the channel then files it.
	if got := testenv.Eval[string](t, ctx, `document.getElementById('f-body').value`); got != "Mehr Bänke am Elsterbecken." {
		t.Fatalf("text after the error: %q", got)
	}
	err = chromedp.Do(ctx, chromedp.SetValue("#f-channel", app.ChannelStadtgebietsforum),
		chromedp.Click("main form button[type=submit]"), chromedp.WaitVisible(".flash"))
	if err != nil {
		t.Fatal(err)
	}
	if c := f.contribution(t, 1); c.Channel != app.ChannelStadtgebietsforum {
		t.Fatalf("stored channel %q", c.Channel)
	}
}
