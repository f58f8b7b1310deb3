package web_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestAbwaegungReminders: a round's deadline is Friday 20 November 2026.
// Three working days before is Monday the 16th (Buß- und Bettag, the 18th,
// is a holiday in Saxony), one working day before is Thursday the 19th.
// Each reminder reaches every staff member of the Fachamt exactly once,
// although two instances run the job at the same time, and lists what is
// still open; a Fachamt with nothing open gets none.
func TestAbwaegungReminders(t *testing.T) {
	clock := testenv.NewClock(time.Date(2026, 11, 12, 9, 0, 0, 0, app.Berlin))
	f := newAbwFix(t, testenv.WithClock(clock))
	b := testenv.StartApp(t, testenv.WithDatabase(f.a.DatabaseURL), testenv.WithMailServer(f.a.Mail), testenv.WithClock(clock))
	second := f.person(t, "asw2@example.org", "ASW Zweite", app.RoleFachamt, f.asw)
	f.rule(t, app.RuleChapter, "wohnen", "ASW", app.RuleLead)
	c1 := f.tagged(t, f.cit, "Mehr Sitzbänke am Markt.")
	c2 := f.tagged(t, f.other, "Mehr Fahrradbügel am Bahnhof.")
	ctx := context.Background()
	if _, _, err := f.a.Platform.Abwaegung.ApplyRules(ctx, f.agA, true, 10); err != nil {
		t.Fatal(err)
	}
	round, _, err := f.a.Store.StartRound(ctx, f.agA, app.RoundInput{Name: "Herbstrunde", Deadline: "2026-11-20"})
	if err != nil {
		t.Fatal(err)
	}
	run := func() {
		var wg sync.WaitGroup
		for _, a := range []*testenv.App{f.a, b} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := a.Platform.Abwaegung.SendReminders(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		// The mail lease runs on the test's clock: deliver before moving it.
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if n, err := f.a.Store.OutboxBacklog(ctx); err != nil || n == 0 || time.Now().After(deadline) {
				break
			}
		}
	}
	count := func(addr string) int {
		n := 0
		for _, m := range f.a.Mail.MailsTo(addr) {
			if strings.Contains(m.Subject, "Frist für ASW") {
				n++
			}
		}
		return n
	}
	settle := func() { time.Sleep(300 * time.Millisecond) }
	for _, day := range []string{"2026-11-12", "2026-11-13"} {
		clock.Set(at(day))
		run()
	}
	settle()
	if n := count("asw@example.org"); n != 0 {
		t.Fatalf("%d reminders before three working days", n)
	}
	clock.Set(at("2026-11-16"))
	run()
	run()
	mail := f.a.Mail.WaitFor("asw2@example.org", "Frist für ASW am 20.11.2026")
	for _, want := range []string{"drei Arbeitstage", c1.PublicNumber(), c2.PublicNumber(), "Offen (noch nicht zur Prüfung eingereicht): 2", "/abwaegung/amt/ASW?runde="} {
		if !strings.Contains(mail.Text, want) {
			t.Errorf("reminder lacks %q:\n%s", want, mail.Text)
		}
	}
	// Co-signers and other Fachämter hear nothing; the second reminder waits
	// for Thursday (Wednesday is a holiday).
	for _, day := range []string{"2026-11-17", "2026-11-18"} {
		clock.Set(at(day))
		run()
	}
	settle()
	if n1, n2, nv := count("asw@example.org"), count(second.EmailAddress()), count("vta@example.org"); n1 != 1 || n2 != 1 || nv != 0 {
		t.Fatalf("reminders after the first: %d %d, VTA %d", n1, n2, nv)
	}
	// One contribution is submitted meanwhile: the last reminder lists one.
	staff := f.a.SessionClient(t, f.staffASW)
	n := c1.PublicNumber()
	staff.Submit(staff.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/entwurf']", vals("result", app.AssessNoted, "reasoning", "Geprüft."))
	staff.Submit(staff.Get("/abwaegung/"+n), "form[action='/abwaegung/"+n+"/schritt']:has(input[value='submit'])", nil)
	clock.Set(at("2026-11-19"))
	run()
	clock.Set(at("2026-11-20"))
	run()
	settle()
	if n1, n2 := count("asw@example.org"), count(second.EmailAddress()); n1 != 2 || n2 != 2 {
		t.Fatalf("reminders after the second: %d %d", n1, n2)
	}
	last := f.a.Mail.MailsTo("asw@example.org")
	text := last[len(last)-1].Text
	if !strings.Contains(text, "nächsten Arbeitstag") || !strings.Contains(text, ": 1") || strings.Contains(text, c1.PublicNumber()+":") {
		t.Errorf("second reminder:\n%s", text)
	}
	if sent, _ := f.a.Store.CountRoundReminders(ctx, round.ID); sent != 2 {
		t.Errorf("%d reminders recorded", sent)
	}
}

// at is 08:00 of a day in Berlin.
func at(day string) time.Time {
	d, _ := time.ParseInLocation("2006-01-02", day, app.Berlin)
	return d.Add(8 * time.Hour)
}
