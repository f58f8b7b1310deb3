package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/labs"
	"github.com/mitwirken/mitwirken/app/seed"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestLabProposalApprovalInvitation walks a lab's life: a citizen
// proposes, a moderator approves from the queue, the host edits it, closes
// it to members and invites by mail and by link.
func TestLabProposalApprovalInvitation(t *testing.T) {
	a := testenv.StartApp(t)
	ctx := context.Background()
	citizen := a.CreateUser(t, "idee@example.org", "Ideengeberin", app.RoleCitizen)
	mod := a.CreateUser(t, "mod@example.org", "Moderatorin", app.RoleModerator)
	c := a.SessionClient(t, citizen)

	// Errors are shown next to the fields and nothing is stored.
	res := c.Submit(c.Get("/labs/neu"), "main form[action='/labs']", url.Values{"title": {"ab"}, "theme": {""}, "description": {strings.Repeat("x", 5001)}})
	if res.Status != http.StatusUnprocessableEntity || res.FieldError("title") == "" || res.FieldError("theme") == "" || !strings.Contains(res.FieldError("description"), "höchstens 5000") {
		t.Fatalf("invalid proposal: %d %q %q %q", res.Status, res.FieldError("title"), res.FieldError("theme"), res.FieldError("description"))
	}
	res = c.Submit(c.Get("/labs/neu"), "main form[action='/labs']", url.Values{
		"title": {"Leipzig als Bürgerstadt"}, "theme": {"Teilhabe"}, "description": {"Bürgerhaushalt & <Nachbarschaft>"}, "open": {"true"}})
	if !strings.Contains(res.Text(), "wartet auf die Freigabe") {
		t.Fatalf("proposal: %d %s", res.Status, res.Text())
	}
	a.Mail.WaitFor("mod@example.org", "Lab-Vorschlag")
	proposed, _ := a.Store.LabsByStatus(ctx, app.LabProposed)
	if len(proposed) != 1 {
		t.Fatalf("%d proposals", len(proposed))
	}
	lab := proposed[0]
	if res := a.Client(t).Get("/labs"); strings.Contains(res.Doc.Find(".lab-cards").Text(), "Bürgerstadt") {
		t.Fatal("an unapproved lab is listed publicly")
	}

	// The moderator must give a reason to reject; then approves.
	mc := a.SessionClient(t, mod)
	queue := mc.Get("/admin/labs")
	if !strings.Contains(queue.Text(), "Leipzig als Bürgerstadt") {
		t.Fatalf("queue: %s", queue.Text())
	}
	res = mc.Submit(queue, fmt.Sprintf("form[action='/admin/labs/%d/ablehnen']", lab.ID), nil)
	if res.Status != http.StatusUnprocessableEntity || res.FieldError(fmt.Sprintf("reason-%d", lab.ID)) == "" {
		t.Fatalf("reject without reason: %d", res.Status)
	}
	res = mc.Submit(mc.Get("/admin/labs"), fmt.Sprintf("form[action='/admin/labs/%d/freigeben']", lab.ID), nil)
	if !strings.Contains(res.Text(), "freigegeben") {
		t.Fatalf("approve: %s", res.Text())
	}
	a.Mail.WaitFor("idee@example.org", "freigegeben")
	if res := a.Client(t).Get("/labs"); !strings.Contains(res.Doc.Find(".lab-cards").Text(), "Leipzig als Bürgerstadt") {
		t.Fatal("the approved lab is not listed")
	}

	// The proposer hosts it: edit, then keep it to members.
	page := c.Get(fmt.Sprintf("/labs/%d", lab.ID))
	if !strings.Contains(page.Body, "Bürgerhaushalt &amp; &lt;Nachbarschaft&gt;") {
		t.Fatal("description not escaped")
	}
	res = c.Submit(c.Get(fmt.Sprintf("/labs/%d/bearbeiten", lab.ID)), "main form", url.Values{"open": nil, "title": {"Leipzig als Bürgerstadt 2040"}})
	if !strings.Contains(res.Text(), "2040") {
		t.Fatalf("edit: %s", res.Text())
	}
	stranger := a.CreateUser(t, "fremd@example.org", "Fremde Person", app.RoleCitizen)
	sc := a.SessionClient(t, stranger)
	if res := sc.Get(fmt.Sprintf("/labs/%d", lab.ID)); res.Status != http.StatusForbidden || !strings.Contains(res.Text(), "nur für seine Mitglieder") {
		t.Fatalf("closed lab for a stranger: %d %s", res.Status, res.Text())
	}

	// Invitation by mail: the link makes the stranger a member.
	members := c.Get(fmt.Sprintf("/labs/%d/mitglieder", lab.ID))
	res = c.Submit(members, fmt.Sprintf("form[action='/labs/%d/einladen']", lab.ID), url.Values{"emails": {"fremd@example.org, kein-adresse"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("emails"), "kein-adresse") {
		t.Fatalf("invalid address: %d %q", res.Status, res.FieldError("emails"))
	}
	res = c.Submit(members, fmt.Sprintf("form[action='/labs/%d/einladen']", lab.ID), url.Values{"emails": {"fremd@example.org"}})
	if !strings.Contains(res.Text(), "unterwegs") {
		t.Fatalf("invite: %s", res.Text())
	}
	mail := a.Mail.WaitFor("fremd@example.org", "Einladung")
	link := strings.TrimPrefix(mail.Link(t, "/labs/einladung"), a.URL)
	res = sc.Submit(sc.Get(link), "main form[action='/labs/einladung']", nil)
	if !strings.Contains(res.Text(), "Mitglied") || res.Status != 200 {
		t.Fatalf("accept: %d %s", res.Status, res.Text())
	}
	if m, err := a.Store.LabMember(ctx, lab.ID, stranger.ID); err != nil || m.Role != app.LabRoleMember {
		t.Fatalf("membership: %v", err)
	}

	// Renewing the link invalidates the one handed out before.
	c.Submit(c.Get(fmt.Sprintf("/labs/%d/mitglieder", lab.ID)), fmt.Sprintf("form[action='/labs/%d/einladungslink']", lab.ID), nil)
	if res := sc.Get(link); res.Status != http.StatusGone || !strings.Contains(res.Text(), "ungültig") {
		t.Fatalf("old link after renewal: %d", res.Status)
	}
	// The only host cannot leave; a member cannot manage.
	if res := c.PostForm(fmt.Sprintf("/labs/%d/verlassen", lab.ID), nil); !strings.Contains(res.Text(), "mindestens eine") {
		t.Fatalf("last host leaving: %s", res.Text())
	}
	if res := sc.Get(fmt.Sprintf("/labs/%d/mitglieder", lab.ID)); res.Status != http.StatusForbidden {
		t.Fatalf("member opens host page: %d", res.Status)
	}
	if res := sc.PostForm(fmt.Sprintf("/labs/%d/einladungslink", lab.ID), nil); res.Status != http.StatusForbidden {
		t.Fatalf("member renews link: %d", res.Status)
	}
	// Unverified accounts may not propose.
	if res := a.Client(t).NoRedirects().Get("/labs/neu"); res.Status != http.StatusSeeOther {
		t.Fatalf("logged out proposal form: %d", res.Status)
	}
	// CSRF is checked.
	if res := c.PostRaw("/labs", "application/x-www-form-urlencoded", []byte("title=Ohne+Token&theme=x&description=y")); res.Status != http.StatusForbidden {
		t.Fatalf("post without CSRF token: %d", res.Status)
	}
}

// TestBoardWithoutJavaScript: the board page is readable and people add
// cards, vote and move cards with plain forms; errors appear next to the
// field and change nothing.
func TestBoardWithoutJavaScript(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{votes: 2})
	hc, mc := a.SessionClient(t, f.Host), a.SessionClient(t, f.Member)

	// A logged-out reader sees the board of an open lab, without forms.
	anon := a.Client(t).Get(f.path())
	if anon.Status != 200 || anon.Doc.Find("#add-card-form").Length() != 0 || !strings.Contains(anon.Text(), "Melden Sie sich an") {
		t.Fatalf("logged-out board: %d", anon.Status)
	}
	page := mc.Get(f.path())
	res := mc.Submit(page, "#add-card-form", url.Values{"text": {"   "}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("text"), "füllen Sie dieses Feld aus") {
		t.Fatalf("empty card: %d %q", res.Status, res.FieldError("text"))
	}
	res = mc.Submit(page, "#add-card-form", url.Values{"text": {"<script>alert(1)</script> Radwege"}, "column_id": {fmt.Sprint(f.Cols[1].ID)}, "color": {"green"}})
	if res.Status != 200 || !strings.Contains(res.Text(), "Radwege") {
		t.Fatalf("add card: %d %s", res.Status, res.Text())
	}
	if strings.Contains(res.Body, "<script>alert(1)") || !strings.Contains(res.Body, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Fatal("card text is not escaped")
	}
	// Submitting the same form twice (same op_id) adds one card.
	page = mc.Get(f.path())
	mc.Submit(page, "#add-card-form", url.Values{"text": {"Doppelt gesendet"}})
	mc.Submit(page, "#add-card-form", url.Values{"text": {"Doppelt gesendet"}})
	if n := strings.Count(mc.Get(f.path()).Doc.Find(".card-text").Text(), "Doppelt gesendet"); n != 1 {
		t.Fatalf("double submit shows %d cards", n)
	}
	cards, _ := a.Store.BoardCards(context.Background(), f.Board.ID)
	var radwege app.Card
	for _, c := range cards {
		if strings.Contains(c.Body, "Radwege") {
			radwege = c
		}
	}
	if radwege.ColumnID != f.Cols[1].ID || radwege.Color != "green" {
		t.Fatalf("stored card: %+v", radwege)
	}

	// The card page edits and moves the card.
	cardPath := fmt.Sprintf("%s/karten/%d", f.path(), radwege.ID)
	cp := mc.Get(cardPath)
	stale := mc.Get(cardPath) // a second tab with the same version
	res = mc.Submit(cp, fmt.Sprintf("form[action='%s']", cardPath), url.Values{"text": {"Sichere Radwege"}})
	if !strings.Contains(res.Text(), "Sichere Radwege") {
		t.Fatalf("edit: %d %s", res.Status, res.Text())
	}
	// A stale version (the form was open while someone else saved) conflicts.
	res = mc.Submit(stale, fmt.Sprintf("form[action='%s']", cardPath), url.Values{"text": {"Alte Fassung"}})
	if res.Status != http.StatusConflict || !strings.Contains(res.Text(), "inzwischen") {
		t.Fatalf("stale edit: %d %s", res.Status, res.Text())
	}
	res = mc.Submit(mc.Get(cardPath), fmt.Sprintf("form[action='%s/verschieben']", cardPath), url.Values{"column_id": {fmt.Sprint(f.Cols[2].ID)}})
	if res.Status != 200 {
		t.Fatalf("move: %d", res.Status)
	}
	if c, _ := a.Store.CardByID(context.Background(), f.Board.ID, radwege.ID); c.ColumnID != f.Cols[2].ID {
		t.Fatal("card not moved")
	}
	// Others may not edit the member's card.
	other := a.CreateUser(t, "dritte@example.org", "Dritte Person", app.RoleCitizen)
	oc := a.SessionClient(t, other)
	if res := oc.PostForm(cardPath, url.Values{"text": {"übernommen"}, "version": {"2"}}); res.Status != http.StatusForbidden {
		t.Fatalf("someone else edits: %d", res.Status)
	}

	// Voting: only in the vote phase, limited per person.
	if res := mc.PostForm(cardPath+"/punkt", nil); res.Status != http.StatusConflict {
		t.Fatalf("vote in collect phase: %d", res.Status)
	}
	res = hc.Submit(hc.Get(f.path()), "form.host-form[action$='/einstellungen']", url.Values{"phase": {"vote"}})
	if !strings.Contains(res.Text(), "Punkten") {
		t.Fatalf("phase change: %s", res.Text())
	}
	for i := 0; i < 2; i++ {
		res = mc.Submit(mc.Get(f.path()), fmt.Sprintf("form[action='%s/punkt']", cardPath), nil)
		if res.Status != 200 {
			t.Fatalf("vote %d: %d %s", i, res.Status, res.Text())
		}
	}
	if !strings.Contains(res.Text(), "noch 0 von 2 Punkten") || !strings.Contains(res.Text(), "2 Punkte") {
		t.Fatalf("after voting: %s", res.Text())
	}
	res = mc.PostForm(cardPath+"/punkt", nil)
	if res.Status != http.StatusConflict || !strings.Contains(res.Text(), "alle 2 Punkte") {
		t.Fatalf("third dot: %d %s", res.Status, res.Text())
	}
	// Host settings with a bad value show an error next to the field.
	res = hc.Submit(hc.Get(f.path()), "form.host-form[action$='/einstellungen']", url.Values{"votes_per_person": {"999"}})
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.FieldError("votes_per_person"), "zwischen 1 und 50") {
		t.Fatalf("bad votes per person: %d %q", res.Status, res.FieldError("votes_per_person"))
	}
	// Hosts rename columns and delete empty ones.
	res = hc.Submit(hc.Get(f.path()), fmt.Sprintf("form[action='%s/spalten/%d']", f.path(), f.Cols[0].ID), url.Values{fmt.Sprintf("title-%d", f.Cols[0].ID): {"Ideen und Visionen"}})
	if res.Status != 200 || res.Doc.Find(fmt.Sprintf("#col-%d-title", f.Cols[0].ID)).Text() != "Ideen und Visionen" {
		t.Fatalf("rename column: %d", res.Status)
	}
	if res := hc.PostForm(fmt.Sprintf("%s/spalten/%d/loeschen", f.path(), f.Cols[0].ID), nil); res.Status != http.StatusConflict || !strings.Contains(res.Text(), "noch Karten") {
		t.Fatalf("delete a column with cards: %d", res.Status)
	}
	res = hc.Submit(hc.Get(f.path()), fmt.Sprintf("form[action='%s/spalten/%d/loeschen']", f.path(), f.Cols[1].ID), nil)
	if res.Status != 200 || res.Doc.Find(fmt.Sprintf("#col-%d-title", f.Cols[1].ID)).Length() != 0 {
		t.Fatalf("delete an empty column: %d", res.Status)
	}
	if res := mc.PostForm(fmt.Sprintf("%s/spalten/%d/loeschen", f.path(), f.Cols[2].ID), nil); res.Status != http.StatusForbidden {
		t.Fatalf("member deletes a column: %d", res.Status)
	}
	// Closed boards are read-only.
	hc.Submit(hc.Get(f.path()), "form.host-form[action$='/einstellungen']", url.Values{"phase": {"closed"}})
	if res := mc.PostForm(f.path()+"/karten", url.Values{"text": {"zu spät"}, "column_id": {fmt.Sprint(f.Cols[0].ID)}}); res.Status != http.StatusConflict {
		t.Fatalf("card on a closed board: %d", res.Status)
	}
	if p := mc.Get(f.path()); p.Doc.Find("#add-card-form").Length() != 0 {
		t.Fatal("closed board still offers the form")
	}
}

// TestBoardExportsAndHandover: CSV (BOM, semicolons) and Markdown without
// hidden or concealed cards; selected cards go to AG INSEK once.
func TestBoardExportsAndHandover(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{})
	f.addCard(t, f.Member, 0, "=SUMME(A1); Idee mit \"Zitat\"")
	f.addCard(t, f.Member, 1, "Ausgeblendete Karte")
	cards, _ := a.Store.BoardCards(context.Background(), f.Board.ID)
	f.apply(t, f.Host, true, labs.Op{Type: labs.OpCardHide, CardID: cards[1].ID, Hidden: boolp(true)})
	f.apply(t, f.Host, true, labs.Op{Type: labs.OpBoardUpdate, PrivateWriting: boolp(true)})
	f.addCard(t, f.Member, 2, "Verdeckte Karte")

	mc := a.SessionClient(t, f.Member)
	res := mc.Get(f.path() + "/export.csv")
	if !strings.HasPrefix(res.Body, "\uFEFFSpalte;Karte;Farbe;Von;Punkte\r\n") {
		t.Fatalf("csv header: %q", res.Body[:60])
	}
	if !strings.Contains(res.Body, "Ideen;\"'=SUMME(A1); Idee mit \"\"Zitat\"\"\";yellow;Mitglied Eins;0") {
		t.Fatalf("csv row: %q", res.Body)
	}
	if strings.Contains(res.Body, "Ausgeblendete") || strings.Contains(res.Body, "Verdeckte") {
		t.Fatal("csv exports hidden or concealed cards")
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "attachment") {
		t.Fatalf("csv disposition %q", cd)
	}
	md := mc.Get(f.path() + "/export.md").Body
	if !strings.Contains(md, "# Wärmewende") || !strings.Contains(md, "## Ideen") || !strings.Contains(md, "Mitglied Eins, 0 Punkte") || strings.Contains(md, "Verdeckte") {
		t.Fatalf("markdown: %s", md)
	}

	// Hand-over: hosts only; hidden cards cannot be handed over.
	path := f.path() + "/uebergabe"
	if res := mc.Get(path); res.Status != http.StatusForbidden {
		t.Fatalf("member opens hand-over: %d", res.Status)
	}
	hc := a.SessionClient(t, f.Host)
	page := hc.Get(path)
	if page.Doc.Find("input[name=cards]").Length() != 1 {
		t.Fatalf("hand-over offers %d cards", page.Doc.Find("input[name=cards]").Length())
	}
	res = hc.Submit(page, "main form", nil)
	if res.Status != http.StatusUnprocessableEntity || res.FieldError("cards") == "" {
		t.Fatalf("empty hand-over: %d", res.Status)
	}
	tooMany := make([]string, app.MaxCardsPerBoard+1)
	for i := range tooMany {
		tooMany[i] = fmt.Sprint(cards[0].ID)
	}
	res = hc.PostForm(path, url.Values{"cards": tooMany})
	if msg := res.FieldError("cards"); res.Status != http.StatusUnprocessableEntity || !strings.Contains(msg, "höchstens 1000 Karten") {
		t.Fatalf("too many cards: %d %q", res.Status, msg)
	}
	if res := hc.PostForm(path, url.Values{"cards": {fmt.Sprint(cards[1].ID)}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("hidden card handed over: %d", res.Status)
	}
	res = hc.Submit(page, "main form", url.Values{"cards": {fmt.Sprint(cards[0].ID)}})
	if !strings.Contains(res.Text(), "übergeben") {
		t.Fatalf("hand-over: %s", res.Text())
	}
	hs, _ := a.Store.LabHandovers(context.Background(), f.Lab.ID)
	if len(hs) != 1 || hs[0].Channel != "futurelab" || hs[0].BoardID != f.Board.ID || *hs[0].CardID != cards[0].ID ||
		hs[0].Body != cards[0].Body || hs[0].AuthorID == nil || *hs[0].AuthorID != f.Member.ID {
		t.Fatalf("hand-over record: %+v", hs)
	}
	if res := hc.PostForm(path, url.Values{"cards": {fmt.Sprint(cards[0].ID)}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("second hand-over: %d", res.Status)
	}
	// The card is now a contribution of channel future.lab in the pipeline,
	// waiting in the moderators' queue like a comment on the draft.
	if hs[0].ContributionID == nil {
		t.Fatal("the hand-over created no contribution")
	}
	contrib, err := a.Store.ContributionByID(context.Background(), *hs[0].ContributionID)
	if err != nil {
		t.Fatal(err)
	}
	if contrib.Channel != app.ChannelFutureLab || *contrib.LabID != f.Lab.ID || *contrib.BoardID != f.Board.ID ||
		*contrib.CardID != cards[0].ID || contrib.Body != cards[0].Body || *contrib.AuthorID != f.Member.ID || contrib.Status != app.StatusPending {
		t.Fatalf("contribution from the lab: %+v", contrib)
	}
	moderator := a.CreateUser(t, "mod-labs@example.org", "Moderation Labs", app.RoleModerator)
	queue := a.SessionClient(t, moderator).Get("/admin/moderation")
	if !strings.Contains(queue.Text(), contrib.PublicNumber()) {
		t.Fatalf("the handed-over card is not in the moderation queue: %s", queue.Text())
	}
}

// TestLabErasureAndMyData: "Meine Daten" lists labs, cards and dots; after
// erasure the cards stay without the name, memberships and presence go.
func TestLabErasureAndMyData(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	ctx := context.Background()
	f := newLabFixture(t, a, boardOpts{})
	f.addCard(t, f.Member, 0, "Meine Karte")
	f.setPhase(t, app.PhaseVote)
	cards, _ := a.Store.BoardCards(ctx, f.Board.ID)
	f.apply(t, f.Member, false, labs.Op{Type: labs.OpVoteAdd, CardID: cards[0].ID})
	mc := a.SessionClient(t, f.Member)
	w := connect(t, a, mc, f.path(), 3)
	_ = w

	var d struct {
		Labs struct {
			Memberships []struct{ Lab, Role string } `json:"memberships"`
			Cards       []struct{ Text string }      `json:"cards"`
			Votes       []struct{ Card string }      `json:"votes"`
		} `json:"future_labs"`
	}
	if err := json.Unmarshal([]byte(mc.Get("/profil/meine-daten").Body), &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Labs.Memberships) != 1 || d.Labs.Memberships[0].Role != "member" || len(d.Labs.Cards) != 1 || d.Labs.Cards[0].Text != "Meine Karte" || len(d.Labs.Votes) != 1 {
		t.Fatalf("my data: %+v", d.Labs)
	}
	// Presence is recorded while connected.
	waitFor(t, "presence on the board", func() bool {
		p, _ := a.Store.BoardPresence(ctx, f.Board.ID, a.Store.Now().Add(-time.Minute))
		return len(p) == 1
	})
	if err := a.Store.EraseUser(ctx, f.Member, f.Member.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Store.LabMember(ctx, f.Lab.ID, f.Member.ID); app.ErrorCode(err) != app.CodeNotFound {
		t.Fatalf("membership after erasure: %v", err)
	}
	var presence int64
	a.Store.Gorm().Table("board_presence").Where("user_id = ?", f.Member.ID).Count(&presence)
	if presence != 0 {
		t.Fatal("presence after erasure")
	}
	a.Platform.Labs.ForgetName(f.Member.ID)
	page := a.SessionClient(t, f.Host).Get(f.path())
	if !strings.Contains(page.Text(), "Meine Karte") || !strings.Contains(page.Text(), "von gelöschtes Konto") || strings.Contains(page.Text(), "Mitglied Eins") {
		t.Fatalf("board after erasure: %s", page.Text())
	}
	if csv := a.SessionClient(t, f.Host).Get(f.path() + "/export.csv").Body; strings.Contains(csv, "Mitglied Eins") {
		t.Fatal("export names an erased account")
	}
}

// TestLabNameAfterWebErasure: erasing the account on the profile page takes
// the name off the board at once on this instance (no stale cached name).
func TestLabNameAfterWebErasure(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{})
	f.addCard(t, f.Member, 0, "Meine Karte")
	hc := a.SessionClient(t, f.Host)
	if page := hc.Get(f.path()); !strings.Contains(page.Text(), "Mitglied Eins") {
		t.Fatalf("board before erasure: %s", page.Text())
	}
	mc := a.SessionClient(t, f.Member)
	res := mc.Submit(mc.Get("/profil/loeschen"), "main form", url.Values{"password": {testenv.DefaultPassword}, "confirm": {"true"}})
	if res.URL.Path != "/" {
		t.Fatalf("delete: %s %s", res.URL.Path, res.Text())
	}
	page := hc.Get(f.path())
	if !strings.Contains(page.Text(), "von gelöschtes Konto") || strings.Contains(page.Text(), "Mitglied Eins") {
		t.Fatalf("board after erasure: %s", page.Text())
	}
}

// TestHostHidesButDoesNotDeleteOthersCards: the rule of docs/labs.md.
func TestHostHidesButDoesNotDeleteOthersCards(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{})
	f.addCard(t, f.Member, 0, "Karte des Mitglieds")
	cards, _ := a.Store.BoardCards(context.Background(), f.Board.ID)
	_, err := a.Platform.Labs.Apply(context.Background(), f.Board.ID, labs.Viewer{UserID: f.Host.ID, Host: true, Write: true},
		labs.Op{OpID: "host-delete", Type: labs.OpCardDelete, CardID: cards[0].ID})
	if app.ErrorCode(err) != app.CodeForbidden {
		t.Fatalf("host deletes another person's card: %v", err)
	}
	f.apply(t, f.Host, true, labs.Op{Type: labs.OpCardHide, CardID: cards[0].ID, Hidden: boolp(true)})
	if left, _ := a.Store.BoardCards(context.Background(), f.Board.ID); len(left) != 1 || !left[0].Hidden {
		t.Fatalf("after hiding: %+v", left)
	}
}

// TestLabDemoContent: the demo step is idempotent and its board renders.
func TestLabDemoContent(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	for i := 0; i < 2; i++ {
		if err := seed.Demo(context.Background(), a.Store, seed.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	list, _ := a.Store.LabsByStatus(context.Background(), app.LabActive)
	if len(list) != 3 {
		t.Fatalf("%d demo labs", len(list))
	}
	res := a.Client(t).Get("/labs")
	if !strings.Contains(res.Text(), "Post-fossile Energiestrategie für Leipzig") || !strings.Contains(res.Text(), "Leipzig als Bürgerstadt") {
		t.Fatalf("labs page: %s", res.Text())
	}
	boards, _ := a.Store.LabBoards(context.Background(), list[len(list)-1].ID)
	if len(boards) != 1 {
		t.Fatalf("%d demo boards", len(boards))
	}
	page := a.Client(t).Get(fmt.Sprintf("/labs/%d/boards/%d", boards[0].LabID, boards[0].ID))
	if page.Doc.Find(".board-card").Length() != 5 || !strings.Contains(page.Text(), "Fernwärme") {
		t.Fatalf("demo board: %s", page.Text())
	}
}
