package web_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestMembersOnlyLabListedWithoutDeadLink: the labs page lists a
// members-only lab to everybody, but links it only for those who may open
// it; the others read what they can do instead of meeting a 403 (issue 12
// item 12).
func TestMembersOnlyLabListedWithoutDeadLink(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{closed: true})
	link := fmt.Sprintf("main a[href='/labs/%d']", f.Lab.ID)
	outsider := a.CreateUser(t, "aussen@example.org", "Aussenstehende", app.RoleCitizen)
	for name, c := range map[string]*testenv.Client{"anonymous": a.Client(t), "outsider": a.SessionClient(t, outsider)} {
		page := c.Get("/labs")
		if !strings.Contains(page.Text(), f.Lab.Title) {
			t.Errorf("%s: the members-only lab is not listed", name)
		}
		if page.Doc.Find(link).Length() != 0 {
			t.Errorf("%s: the labs page links a lab the viewer cannot open", name)
		}
		if !strings.Contains(page.Text(), "Nur für Mitglieder. Wer mitmachen möchte") {
			t.Errorf("%s: the listing does not say how to take part", name)
		}
	}
	member := a.SessionClient(t, f.Member).Get("/labs")
	if member.Doc.Find(link).Length() == 0 {
		t.Error("a member has no link to the lab")
	}
}
