package web_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestNotifyAnonymousBoardNamesNobody: when a lab hands over the cards of
// an anonymous board, its followers hear that results were handed over –
// in the list and by mail at once (real SMTP) – but neither the list nor
// the mail names the card's author or quotes the card.
func TestNotifyAnonymousBoardNamesNobody(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	f := newLabFixture(t, a, boardOpts{anonymous: true, memberName: "Anonyma Schreiberin"})
	fan := a.CreateUser(t, "lab-fan@example.org", "Lab Fan", app.RoleCitizen)
	if err := a.Store.Follow(ctx, fan.ID, app.FollowLab, f.Lab.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.Store.SetNotifyPrefs(ctx, fan.ID, app.NotifyPrefsInput{app.NotifyLabResult: app.MailImmediately}); err != nil {
		t.Fatal(err)
	}
	f.addCard(t, f.Member, 0, "Solardächer auf allen Schulen im Leipziger Westen")
	cards, err := a.Store.BoardCards(ctx, f.Board.ID)
	if err != nil || len(cards) != 1 {
		t.Fatalf("cards: %v %d", err, len(cards))
	}
	hc := a.SessionClient(t, f.Host)
	res := hc.Submit(hc.Get(f.path()+"/uebergabe"), "main form", url.Values{"cards": {fmt.Sprint(cards[0].ID)}})
	if !strings.Contains(res.Text(), "übergeben") {
		t.Fatalf("hand-over: %s", res.Text())
	}

	m := a.Mail.WaitFor("lab-fan@example.org", "Neuigkeiten")
	list := a.SessionClient(t, fan).Get("/benachrichtigungen").Text()
	if !strings.Contains(list, "Ergebnisse übergeben vom Lab Post-fossile Energiestrategie") || !strings.Contains(m.Text, "Post-fossile Energiestrategie") {
		t.Fatalf("the hand-over is not announced:\n%s\n%s", list, m.Text)
	}
	for _, leak := range []string{"Anonyma", "Schreiberin", "Solardächer"} {
		if strings.Contains(m.Text, leak) || strings.Contains(m.Subject, leak) || strings.Contains(list, leak) {
			t.Fatalf("the notification reveals %q of an anonymous board:\n%s\n%s", leak, m.Text, list)
		}
	}
}
