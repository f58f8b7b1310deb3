package web_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/labs"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestBoardTwoClientsSeeEachOthersChangesInOrder: two people write at the
// same time; both receive every change, in sequence order, identically.
func TestBoardTwoClientsSeeEachOthersChangesInOrder(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{})
	ca, cb := a.SessionClient(t, f.Host), a.SessionClient(t, f.Member)
	wa := connect(t, a, ca, f.path(), 0)
	wb := connect(t, a, cb, f.path(), 0)

	const each = 15
	var wg sync.WaitGroup
	for i, w := range []*wsClient{wa, wb} {
		wg.Add(1)
		go func(i int, w *wsClient) {
			defer wg.Done()
			for n := 0; n < each; n++ {
				_ = w.conn.WriteJSON(map[string]any{"type": "card.create", "op_id": fmt.Sprintf("c%d-%d", i, n),
					"column_id": f.Cols[n%3].ID, "text": fmt.Sprintf("Karte %d von Person %d", n, i)})
			}
		}(i, w)
	}
	wg.Wait()
	got := map[*wsClient][]string{}
	for _, w := range []*wsClient{wa, wb} {
		var acks int
		last := int64(0)
		for last < 2*each || acks < each {
			fr := w.next(20 * time.Second)
			switch {
			case fr.Type == "ack":
				acks++
			case fr.Type == "error":
				t.Fatalf("operation refused: %s", fr.Raw)
			case fr.Seq != 0:
				if fr.Seq != last+1 {
					t.Fatalf("seq %d after %d", fr.Seq, last)
				}
				last = fr.Seq
				if fr.Type != "card" || fr.Card == nil {
					t.Fatalf("unexpected frame %s", fr.Raw)
				}
				got[w] = append(got[w], fmt.Sprintf("%d:%s", fr.Seq, fr.Card.Text))
			}
		}
	}
	if strings.Join(got[wa], "|") != strings.Join(got[wb], "|") {
		t.Fatalf("clients saw different sequences:\n%v\n%v", got[wa], got[wb])
	}
	for _, who := range []string{"Person 0", "Person 1"} {
		n := strings.Count(strings.Join(got[wa], "|"), who)
		if n != each {
			t.Fatalf("%d cards of %s arrived, want %d", n, who, each)
		}
	}
	// The page shows the same, and its sequence number continues the stream.
	page := ca.Get(f.path())
	if page.Doc.Find(".board-card").Length() != 2*each {
		t.Fatalf("page shows %d cards", page.Doc.Find(".board-card").Length())
	}
	if seq, _ := page.Doc.Find("#board").Attr("data-seq"); seq != fmt.Sprint(2*each) {
		t.Fatalf("page seq %s", seq)
	}
}

// TestBoardResumeGetsExactlyTheMissedChanges: a client that was away
// resumes with its last sequence number and receives exactly the changes
// it missed; one that missed too much is told to reload.
func TestBoardResumeGetsExactlyTheMissedChanges(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{})
	c := a.SessionClient(t, f.Member)
	w := connect(t, a, c, f.path(), 0)
	for i := 0; i < 5; i++ {
		f.addCard(t, f.Host, 0, fmt.Sprintf("vorher %d", i))
	}
	seen := w.sequenced(0, 5)
	w.conn.Close() // the connection drops
	for i := 0; i < 30; i++ {
		f.addCard(t, f.Host, 1, fmt.Sprintf("verpasst %d", i))
	}
	w2, _, err := dialBoard(t, a, c, f.path(), dialOpts{})
	if err != nil {
		t.Fatal(err)
	}
	w2.send(map[string]any{"type": "resume", "after": seen[len(seen)-1].Seq})
	hello := w2.until("hello")
	if hello.After != 5 || hello.Head != 35 {
		t.Fatalf("hello after=%d head=%d", hello.After, hello.Head)
	}
	missed := w2.sequenced(5, 35)
	for i, fr := range missed {
		if fr.Card == nil || fr.Card.Text != fmt.Sprintf("verpasst %d", i) {
			t.Fatalf("missed change %d: %s", i, fr.Raw)
		}
	}
	w2.until("ready")
	// Live changes continue right after, without a duplicate.
	f.addCard(t, f.Host, 2, "danach")
	if fr := w2.sequenced(35, 36); fr[0].Card.Text != "danach" {
		t.Fatalf("live frame %s", fr[0].Raw)
	}
	// A second client resuming from 0 gets everything from the log.
	w3 := connect(t, a, a.SessionClient(t, f.Host), f.path(), 36)
	_ = w3

	// Too far behind: more than 500 events missed.
	for i := 0; i < 500; i++ {
		f.apply(t, f.Host, true, labs.Op{Type: labs.OpCardMove, CardID: missed[0].Card.ID, ColumnID: f.Cols[i%3].ID})
	}
	w4, _, err := dialBoard(t, a, c, f.path(), dialOpts{})
	if err != nil {
		t.Fatal(err)
	}
	w4.send(map[string]any{"type": "resume", "after": 10})
	if fr := w4.until("reload"); fr.Reason != "too_far_behind" {
		t.Fatalf("reload reason %q", fr.Reason)
	}
	// A sequence number from the future is refused the same way.
	w5, _, _ := dialBoard(t, a, c, f.path(), dialOpts{})
	w5.send(map[string]any{"type": "resume", "after": 99999})
	w5.until("reload")
}

// TestBoardRetriedOperationAppliedOnce: the same op_id sent twice (also
// over a new connection) creates one card.
func TestBoardRetriedOperationAppliedOnce(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{})
	c := a.SessionClient(t, f.Member)
	w := connect(t, a, c, f.path(), 0)
	op := map[string]any{"type": "card.create", "op_id": "retry-1", "column_id": f.Cols[0].ID, "text": "Nur einmal"}
	w.send(op)
	first := w.opReply("retry-1")
	w.send(op)
	second := w.opReply("retry-1")
	if first.Type != "ack" || second.Type != "ack" || first.Seq != second.Seq || first.Duplicate || !second.Duplicate {
		t.Fatalf("acks: %s / %s", first.Raw, second.Raw)
	}
	w.conn.Close()
	w2 := connect(t, a, c, f.path(), first.Seq)
	w2.send(op)
	if third := w2.opReply("retry-1"); third.Seq != first.Seq || !third.Duplicate {
		t.Fatalf("retry after reconnect: %s", third.Raw)
	}
	if n, _ := a.Store.CountCards(context.Background(), f.Board.ID); n != 1 {
		t.Fatalf("%d cards stored", n)
	}
	b, _ := a.Store.BoardByID(context.Background(), f.Board.ID)
	if b.LastSeq != 1 {
		t.Fatalf("last seq %d: the retries took sequence numbers", b.LastSeq)
	}
	// The same op_id from another person is another operation.
	w3 := connect(t, a, a.SessionClient(t, f.Host), f.path(), 1)
	w3.send(op)
	if r := w3.opReply("retry-1"); r.Type != "ack" || r.Duplicate || r.Seq != 2 {
		t.Fatalf("other person's op: %s", r.Raw)
	}
}

// TestBoardConcurrentEditsResolveByVersion: two people save the same card
// at the same time; one wins, the other gets an error with the current card.
func TestBoardConcurrentEditsResolveByVersion(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{})
	f.addCard(t, f.Member, 0, "Ursprung")
	cards, _ := a.Store.BoardCards(context.Background(), f.Board.ID)
	card := cards[0]
	// The member (author) and the host (may edit any card) edit version 1.
	wm := connect(t, a, a.SessionClient(t, f.Member), f.path(), 1)
	wh := connect(t, a, a.SessionClient(t, f.Host), f.path(), 1)
	var wg sync.WaitGroup
	for i, w := range []*wsClient{wm, wh} {
		wg.Add(1)
		go func(i int, w *wsClient) {
			defer wg.Done()
			_ = w.conn.WriteJSON(map[string]any{"type": "card.update", "op_id": fmt.Sprintf("edit-%d", i), "card_id": card.ID,
				"version": card.Version, "text": fmt.Sprintf("Fassung %d", i)})
		}(i, w)
	}
	wg.Wait()
	rm, rh := wm.opReply("edit-0"), wh.opReply("edit-1")
	var winner, loser frame
	var winText string
	switch {
	case rm.Type == "ack" && rh.Type == "error":
		winner, loser, winText = rm, rh, "Fassung 0"
	case rh.Type == "ack" && rm.Type == "error":
		winner, loser, winText = rh, rm, "Fassung 1"
	default:
		t.Fatalf("want one ack and one conflict: %s / %s", rm.Raw, rh.Raw)
	}
	_ = winner
	if loser.Code != "conflict" || loser.Card == nil || loser.Card.Text != winText || loser.Card.Version != 2 {
		t.Fatalf("loser frame: %s", loser.Raw)
	}
	if !strings.Contains(loser.Message, "inzwischen") {
		t.Fatalf("conflict message: %q", loser.Message)
	}
	stored, _ := a.Store.CardByID(context.Background(), f.Board.ID, card.ID)
	if stored.Body != winText || stored.Version != 2 {
		t.Fatalf("stored %q v%d", stored.Body, stored.Version)
	}
}

// TestBoardSlowClientIsDroppedWithoutDelayingOthers: a client that stops
// reading is disconnected when its queue fills; a reading client gets every
// change in order meanwhile.
func TestBoardSlowClientIsDroppedWithoutDelayingOthers(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{})
	slowC := a.SessionClient(t, f.Member)
	slow, _, err := dialBoard(t, a, slowC, f.path(), dialOpts{readBuffer: 4096, noRead: true})
	if err != nil {
		t.Fatal(err)
	}
	slow.send(map[string]any{"type": "resume", "after": 0})
	fast := connect(t, a, a.SessionClient(t, f.Host), f.path(), 0)
	time.Sleep(200 * time.Millisecond) // the slow client is admitted
	long := strings.Repeat("Langer Kartentext für die Warteschlange. ", 12)[:490]
	const n = 400
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < n; i++ {
			f.addCard(t, f.Host, i%3, fmt.Sprintf("%03d %s", i, long))
		}
	}()
	frames := fast.sequenced(0, n)
	<-done
	for i, fr := range frames {
		if !strings.HasPrefix(fr.Card.Text, fmt.Sprintf("%03d ", i)) {
			t.Fatalf("frame %d out of order: %.20s", i, fr.Card.Text)
		}
	}
	if a.Platform.Hub.Stats().Dropped < 1 {
		t.Fatal("the slow client was not dropped")
	}
	// The slow client finds its connection closed once it reads again.
	go slow.read()
	select {
	case <-slow.closed:
	case <-time.After(20 * time.Second):
		t.Fatal("slow client still connected")
	}
	var got int
	for len(slow.frames) > 0 {
		if fr := <-slow.frames; fr.Seq > 0 {
			got++
		}
	}
	if got >= n {
		t.Fatalf("slow client received all %d frames; it should have been dropped", got)
	}
}

// TestBoardMemberOnlyLabRefusesOutsiders: pages, websocket and exports.
func TestBoardMemberOnlyLabRefusesOutsiders(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{closed: true})
	f.addCard(t, f.Member, 0, "Interne Notiz")
	outsider := a.CreateUser(t, "aussen@example.org", "Außenstehende", app.RoleCitizen)
	oc := a.SessionClient(t, outsider)
	for _, p := range []string{fmt.Sprintf("/labs/%d", f.Lab.ID), f.path(), f.path() + "/export.csv", f.path() + "/export.md"} {
		res := oc.Get(p)
		if res.Status != http.StatusForbidden || strings.Contains(res.Body, "Interne Notiz") {
			t.Fatalf("outsider GET %s: %d", p, res.Status)
		}
		if res := a.Client(t).NoRedirects().Get(p); res.Status != http.StatusSeeOther {
			t.Fatalf("logged-out GET %s: %d", p, res.Status)
		}
	}
	if res := oc.PostForm(f.path()+"/karten", map[string][]string{"text": {"eingeschmuggelt"}, "column_id": {fmt.Sprint(f.Cols[0].ID)}}); res.Status != http.StatusForbidden {
		t.Fatalf("outsider post: %d", res.Status)
	}
	if _, resp, err := dialBoard(t, a, oc, f.path(), dialOpts{}); err == nil || resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("outsider websocket not refused: %v", err)
	}
	if _, resp, err := dialBoard(t, a, nil, f.path(), dialOpts{}); err == nil || resp == nil || resp.StatusCode == http.StatusSwitchingProtocols {
		t.Fatalf("anonymous websocket not refused: %v", err)
	}
	// Members are in; when a host removes one, the live connection ends.
	mc := a.SessionClient(t, f.Member)
	w := connect(t, a, mc, f.path(), 1)
	hc := a.SessionClient(t, f.Host)
	res := hc.Submit(hc.Get(fmt.Sprintf("/labs/%d/mitglieder", f.Lab.ID)), fmt.Sprintf("form[action$='/mitglieder/%d/entfernen']", f.Member.ID), nil)
	if !strings.Contains(res.Text(), "nicht mehr Mitglied") {
		t.Fatalf("remove member: %d %s", res.Status, res.Text())
	}
	if fr := w.until("reload"); fr.Reason != "access" {
		t.Fatalf("reload reason %q", fr.Reason)
	}
	if res := mc.Get(f.path()); res.Status != http.StatusForbidden {
		t.Fatalf("removed member still reads: %d", res.Status)
	}
}

// TestBoardBadFramesChangeNothing: malformed, unknown, oversized, too fast
// and unauthorised frames get error frames; nothing is stored.
func TestBoardBadFramesChangeNothing(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{})
	c := a.SessionClient(t, f.Member)

	// A foreign Origin is refused at the handshake.
	if _, resp, err := dialBoard(t, a, c, f.path(), dialOpts{origin: "https://evil.example"}); err == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("foreign origin accepted: %v", err)
	}
	w, _, err := dialBoard(t, a, c, f.path(), dialOpts{})
	if err != nil {
		t.Fatal(err)
	}
	w.send(map[string]any{"type": "card.create", "op_id": "early", "column_id": f.Cols[0].ID, "text": "zu früh"})
	if fr := w.opReply("early"); fr.Type != "error" || fr.Code != "resume_first" {
		t.Fatalf("op before resume: %s", fr.Raw)
	}
	w.send(map[string]any{"type": "resume", "after": 0})
	w.until("ready")

	expectError := func(payload string, code string) frame {
		t.Helper()
		if err := w.conn.WriteMessage(websocket.TextMessage, []byte(payload)); err != nil {
			t.Fatal(err)
		}
		fr := w.until("error")
		if fr.Code != code || fr.Message == "" {
			t.Fatalf("%.60s: got %s", payload, fr.Raw)
		}
		return fr
	}
	expectError(`{"type":"card.create",`, "bad_frame")
	expectError(`{"type":"card.create","op_id":"x1","column_id":1,"text":"a","evil":true}`, "bad_frame")
	expectError(`{"type":"card.create","op_id":"x1"} {"type":"ping"}`, "bad_frame")
	expectError(`{"type":"drop.tables","op_id":"x2"}`, "invalid")
	fr := expectError(fmt.Sprintf(`{"type":"card.create","op_id":"x3","column_id":%d,"text":%q}`, f.Cols[0].ID, strings.Repeat("ä", 501)), "invalid")
	if !strings.Contains(fr.Fields["text"], "höchstens 500") {
		t.Fatalf("too long text: %s", fr.Raw)
	}
	expectError(fmt.Sprintf(`{"type":"card.create","op_id":"x4","column_id":%d,"text":"  "}`, f.Cols[0].ID), "invalid")
	expectError(fmt.Sprintf(`{"type":"card.create","op_id":"x5","column_id":%d,"text":"a\u202eb"}`, f.Cols[0].ID), "invalid")
	expectError(`{"type":"card.create","op_id":"x6","column_id":999999,"text":"wohin?"}`, "invalid")
	expectError(fmt.Sprintf(`{"type":"card.create","column_id":%d,"text":"ohne id"}`, f.Cols[0].ID), "invalid")
	expectError(`{"type":"board.update","op_id":"x7","phase":"closed"}`, "forbidden")
	expectError(`{"type":"vote.add","op_id":"x8","card_id":1}`, "conflict")
	expectError(`{"type":"card.create","op_id":"`+strings.Repeat("x", 5000)+`"}`, "too_large")
	if err := w.conn.WriteMessage(websocket.BinaryMessage, []byte{1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	w.until("error")

	b, _ := a.Store.BoardByID(context.Background(), f.Board.ID)
	if n, _ := a.Store.CountCards(context.Background(), f.Board.ID); n != 0 || b.LastSeq != 0 || b.Phase != app.PhaseCollect {
		t.Fatalf("bad frames changed the board: %d cards, seq %d, phase %s", n, b.LastSeq, b.Phase)
	}
	// Flooding: the rate limit answers with error frames (and persistent
	// flooding ends the connection).
	for i := 0; i < 200; i++ {
		_ = w.conn.WriteJSON(map[string]any{"type": "ping"})
	}
	limited := false
	seen := map[string]int{}
	for i := 0; i < 200 && !limited; i++ {
		select {
		case fr := <-w.frames:
			seen[fr.Type+"/"+fr.Code]++
			limited = fr.Type == "error" && fr.Code == "too_many_requests"
		case <-time.After(10 * time.Second):
			t.Fatalf("no frame within 10 s after %v", seen)
		}
	}
	if !limited {
		t.Fatal("200 frames at once were not rate limited")
	}
}

// TestBoardTwoInstances: clients on two app instances sharing one
// PostgreSQL receive every change, in order, whichever instance it was made
// through (LISTEN/NOTIFY wakes, the log carries). On SQLite there is one
// instance: the same clients run against its in-process hub.
func TestBoardTwoInstances(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	b := a
	if testenv.Postgres() {
		b = testenv.StartApp(t, testenv.WithoutSMTP(), testenv.WithDatabase(a.DatabaseURL))
		deadline := time.Now().Add(10 * time.Second)
		for !(a.Platform.Hub.Listening() && b.Platform.Hub.Listening()) {
			if time.Now().After(deadline) {
				t.Fatal("PostgreSQL listeners not connected")
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	f := newLabFixture(t, a, boardOpts{})
	clients := []*wsClient{
		connect(t, a, a.SessionClient(t, f.Host), f.path(), 0),
		connect(t, a, a.SessionClient(t, f.Member), f.path(), 0),
		connect(t, b, b.SessionClient(t, f.Host), f.path(), 0),
		connect(t, b, b.SessionClient(t, f.Member), f.path(), 0),
	}
	const per = 20
	var wg sync.WaitGroup
	for i, w := range clients {
		wg.Add(1)
		go func(i int, w *wsClient) {
			defer wg.Done()
			for n := 0; n < per; n++ {
				_ = w.conn.WriteJSON(map[string]any{"type": "card.create", "op_id": fmt.Sprintf("i%d-%d", i, n),
					"column_id": f.Cols[n%3].ID, "text": fmt.Sprintf("Instanz-Karte %d-%d", i, n)})
			}
		}(i, w)
	}
	wg.Wait()
	total := int64(len(clients) * per)
	var ref []string
	for k, w := range clients {
		var seqs []string
		for _, fr := range w.sequenced(0, total) {
			if fr.Card == nil {
				t.Fatalf("client %d: %s", k, fr.Raw)
			}
			seqs = append(seqs, fmt.Sprintf("%d=%s", fr.Seq, fr.Card.Text))
		}
		if ref == nil {
			ref = seqs
		} else if strings.Join(ref, ",") != strings.Join(seqs, ",") {
			t.Fatalf("client %d saw another order", k)
		}
	}
	// Presence lists both people, whichever instance they are on.
	deadline := time.Now().Add(15 * time.Second)
	for p := clients[0].presence; p == nil || p.Count != 2; p = clients[0].presence {
		clients[0].next(time.Until(deadline))
	}
}

// TestBoardVisibilityPerViewer: anonymous boards never name authors, cards
// written privately reach only their author until revealed, hidden vote
// counts reach only the voter.
func TestBoardVisibilityPerViewer(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	f := newLabFixture(t, a, boardOpts{anonymous: true, private: true, hideVotes: true})
	wh := connect(t, a, a.SessionClient(t, f.Host), f.path(), 0)
	wm := connect(t, a, a.SessionClient(t, f.Member), f.path(), 0)
	f.addCard(t, f.Member, 0, "Geheime Idee")
	own, other := wm.sequenced(0, 1)[0], wh.sequenced(0, 1)[0]
	if own.Type != "card" || own.Card.Text != "Geheime Idee" || !own.Card.Mine || own.Card.Author != nil {
		t.Fatalf("author's frame: %s", own.Raw)
	}
	if other.Type != "card_removed" || strings.Contains(other.Raw, "Geheime") {
		t.Fatalf("host received a concealed card: %s", other.Raw)
	}
	if res := a.SessionClient(t, f.Host).Get(f.path()); strings.Contains(res.Body, "Geheime Idee") {
		t.Fatal("the host's page shows a concealed card")
	}
	f.apply(t, f.Host, true, labs.Op{Type: labs.OpRevealCards})
	rev := wh.sequenced(1, 2)[0]
	if rev.Type != "board" || len(rev.Cards) != 1 || rev.Cards[0].Text != "Geheime Idee" || rev.Cards[0].Author != nil {
		t.Fatalf("reveal frame: %s", rev.Raw)
	}
	wm.sequenced(1, 2)
	if strings.Contains(rev.Raw, f.Member.DisplayName) || strings.Contains(rev.Raw, "author_id") {
		t.Fatalf("anonymous board leaks the author: %s", rev.Raw)
	}
	f.setPhase(t, app.PhaseVote)
	wh.sequenced(2, 3)
	wm.sequenced(2, 3)
	f.apply(t, f.Member, false, labs.Op{Type: labs.OpVoteAdd, CardID: rev.Cards[0].ID})
	mv, hv := wm.sequenced(3, 4)[0], wh.sequenced(3, 4)[0]
	if mv.Type != "votes" || mv.Mine == nil || *mv.Mine != 1 || mv.Remaining == nil || *mv.Remaining != 4 || mv.Total != nil {
		t.Fatalf("voter's frame: %s", mv.Raw)
	}
	if hv.Type != "noop" {
		t.Fatalf("hidden votes reached another person: %s", hv.Raw)
	}
	f.apply(t, f.Host, true, labs.Op{Type: labs.OpBoardUpdate, VotesRevealed: boolp(true)})
	if fr := wh.sequenced(4, 5)[0]; fr.Totals[fmt.Sprint(rev.Cards[0].ID)] != 1 {
		t.Fatalf("revealed totals: %s", fr.Raw)
	}
	// Exports of an anonymous board carry no names.
	csv := a.SessionClient(t, f.Host).Get(f.path() + "/export.csv").Body
	if strings.Contains(csv, f.Member.DisplayName) || !strings.Contains(csv, "Geheime Idee") {
		t.Fatalf("csv: %q", csv)
	}
}

func boolp(b bool) *bool { return &b }

// TestBoardDotLimitHoldsUnderConcurrency: one person puts dots from many
// connections on two instances at once; the limit holds exactly.
func TestBoardDotLimitHoldsUnderConcurrency(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	b := a
	if testenv.Postgres() {
		b = testenv.StartApp(t, testenv.WithoutSMTP(), testenv.WithDatabase(a.DatabaseURL))
	}
	f := newLabFixture(t, a, boardOpts{votes: 3})
	f.addCard(t, f.Host, 0, "Eins")
	f.addCard(t, f.Host, 1, "Zwei")
	f.setPhase(t, app.PhaseVote)
	cards, _ := a.Store.BoardCards(context.Background(), f.Board.ID)
	var wg sync.WaitGroup
	var mu sync.Mutex
	acks, conflicts := 0, 0
	for i := 0; i < 12; i++ {
		inst := a
		if i%2 == 1 {
			inst = b
		}
		wg.Add(1)
		go func(i int, inst *testenv.App) {
			defer wg.Done()
			_, err := inst.Platform.Labs.Apply(context.Background(), f.Board.ID, labs.Viewer{UserID: f.Member.ID, Write: true},
				labs.Op{Type: labs.OpVoteAdd, OpID: fmt.Sprintf("dot-%d", i), CardID: cards[i%2].ID})
			mu.Lock()
			defer mu.Unlock()
			switch app.ErrorCode(err) {
			case "":
				acks++
			case app.CodeConflict:
				conflicts++
			default:
				t.Errorf("vote %d: %v", i, err)
			}
		}(i, inst)
	}
	wg.Wait()
	used, _ := a.Store.UserVotesOnBoard(context.Background(), f.Board.ID, f.Member.ID)
	if acks != 3 || conflicts != 9 || used != 3 {
		t.Fatalf("acks %d, conflicts %d, dots stored %d; want 3, 9, 3", acks, conflicts, used)
	}
	// Every change took its own sequence number: 2 cards, phase, 3 dots.
	var n int64
	a.Store.Gorm().Table("board_events").Where("board_id = ?", f.Board.ID).Count(&n)
	if bd, _ := a.Store.BoardByID(context.Background(), f.Board.ID); n != 6 || bd.LastSeq != 6 {
		t.Fatalf("%d events, last seq %d", n, bd.LastSeq)
	}
}

// TestBoardListenerReconnects: when the PostgreSQL LISTEN connection of an
// instance is killed, it reconnects and its clients still receive every
// change, in order. On SQLite (no listener) the same clients run against
// the in-process hub.
func TestBoardListenerReconnects(t *testing.T) {
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	b := a
	if testenv.Postgres() {
		b = testenv.StartApp(t, testenv.WithoutSMTP(), testenv.WithDatabase(a.DatabaseURL))
		waitFor(t, "both listeners", func() bool { return a.Platform.Hub.Listening() && b.Platform.Hub.Listening() })
	}
	f := newLabFixture(t, a, boardOpts{})
	w := connect(t, b, b.SessionClient(t, f.Member), f.path(), 0)
	for i := 0; i < 5; i++ {
		f.addCard(t, f.Host, 0, fmt.Sprintf("vor dem Abbruch %d", i))
	}
	w.sequenced(0, 5)
	if testenv.Postgres() {
		// Kill every LISTEN connection of this database.
		var killed int
		err := a.Store.Gorm().Raw(`SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND query LIKE 'LISTEN%') k`).Scan(&killed).Error
		if err != nil || killed != 2 {
			t.Fatalf("killed %d listeners: %v", killed, err)
		}
	}
	for i := 0; i < 5; i++ {
		f.addCard(t, f.Host, 1, fmt.Sprintf("nach dem Abbruch %d", i))
	}
	for i, fr := range w.sequenced(5, 10) {
		if fr.Card.Text != fmt.Sprintf("nach dem Abbruch %d", i) {
			t.Fatalf("frame %d: %s", i, fr.Raw)
		}
	}
	if testenv.Postgres() {
		waitFor(t, "the listener to reconnect", func() bool { return b.Platform.Hub.Listening() })
	}
}
