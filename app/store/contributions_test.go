package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/draft"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

func int64p(v int64) *int64 { return &v }

type contractFix struct {
	s       *store.Store
	admin   *app.User
	citizen *app.User
	pre     *app.DraftChapter
	post    *app.DraftChapter
}

func newContractFix(t *testing.T) *contractFix {
	t.Helper()
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	f := &contractFix{s: s,
		admin:   testenv.CreateUser(t, s, "admin@example.org", "Admin", app.RoleAdmin),
		citizen: testenv.CreateUser(t, s, "citizen@example.org", "Bürgerin", app.RoleCitizen),
	}
	svc := &draft.Service{Store: s}
	for _, mode := range []string{app.ModerationPre, app.ModerationPost} {
		doc, err := s.SaveDocument(ctx, f.admin, 0, app.DocumentInput{Title: "Dokument " + mode, Slug: "doc-" + mode, Moderation: mode, Published: true})
		if err != nil {
			t.Fatal(err)
		}
		ch, _, err := svc.SaveChapter(ctx, f.admin, doc.ID, 0, app.ChapterInput{Title: "Kapitel " + mode, Slug: "kapitel-" + mode, Body: "Erster Absatz.\n\nZweiter Absatz."})
		if err != nil {
			t.Fatal(err)
		}
		if mode == app.ModerationPre {
			f.pre = ch
		} else {
			f.post = ch
		}
		now := s.Now()
		if err := s.AddPeriod(ctx, f.admin, &app.CommentPeriod{DocumentID: doc.ID, StartsAt: now.Add(-time.Hour), EndsAt: now.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	return f
}

func fieldOf(err error, field string) string {
	e, ok := app.AsError(err)
	if !ok {
		return ""
	}
	m, _ := e.FieldMsg(field)
	return m.ID
}

// TestCreateContributionLabCardContract is the contract future.labs relies
// on (docs/draft.md): a card without chapter enters moderation with the next
// public number and can be handed over once.
func TestCreateContributionLabCardContract(t *testing.T) {
	f := newContractFix(t)
	ctx := context.Background()
	card := &app.Contribution{Channel: app.ChannelFutureLab, LabID: int64p(3), BoardID: int64p(7), CardID: int64p(42),
		AuthorLabel: "future.lab Postfossile Energie", Body: "  Solardächer auf allen Schulen.  ", Tags: []string{"lq4", "umwelt-klima", "lq4"}}
	if err := f.s.CreateContribution(ctx, card); err != nil {
		t.Fatal(err)
	}
	if card.ID == 0 || card.Number != 1 || card.PublicNumber() != "A-0001" || card.Status != app.StatusPending || card.Body != "Solardächer auf allen Schulen." {
		t.Fatalf("created card: %+v", card)
	}
	got, err := f.s.ContributionByID(ctx, card.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CardID == nil || *got.CardID != 42 || *got.LabID != 3 || *got.BoardID != 7 || got.ChapterID != nil || len(got.Tags) != 2 {
		t.Fatalf("stored card: %+v", got)
	}
	again := &app.Contribution{Channel: app.ChannelFutureLab, CardID: int64p(42), AuthorLabel: "x", Body: "Nochmal."}
	if err := f.s.CreateContribution(ctx, again); app.ErrorCode(err) != app.CodeConflict {
		t.Fatalf("second handover of a card: %v", err)
	}
	// The refused handover gave its number back.
	next := &app.Contribution{Channel: app.ChannelFutureLab, CardID: int64p(43), AuthorLabel: "x", Body: "Nächste Karte."}
	if err := f.s.CreateContribution(ctx, next); err != nil || next.Number != 2 {
		t.Fatalf("next card: number %d, %v", next.Number, err)
	}
	// A card may name a chapter and a paragraph; it follows that document's moderation.
	onChapter := &app.Contribution{Channel: app.ChannelFutureLab, CardID: int64p(44), AuthorLabel: "x", Body: "Zu Absatz zwei.", ChapterID: &f.post.ID, Paragraph: "p-2"}
	if err := f.s.CreateContribution(ctx, onChapter); err != nil {
		t.Fatal(err)
	}
	if onChapter.Status != app.StatusPublished || onChapter.DocumentID == nil || onChapter.VersionID == nil || *onChapter.VersionID != *f.post.CurrentVersionID {
		t.Fatalf("card on a chapter: %+v", onChapter)
	}
}

func TestCreateContributionValidates(t *testing.T) {
	f := newContractFix(t)
	ctx := context.Background()
	cases := []struct {
		name  string
		c     app.Contribution
		field string
		msg   string
	}{
		{"no body", app.Contribution{Channel: app.ChannelWerkstatt, AuthorLabel: "x"}, "body", "form.required"},
		{"unknown channel", app.Contribution{Channel: "fax", AuthorLabel: "x", Body: "b"}, "channel", "form.choice_invalid"},
		{"online without author", app.Contribution{Channel: app.ChannelOnline, ChapterID: &f.post.ID, Body: "b"}, "author_label", "contribution.author_required"},
		{"transcribed without label", app.Contribution{Channel: app.ChannelFachforum, Body: "b"}, "author_label", "form.required"},
		{"unknown tag", app.Contribution{Channel: app.ChannelWerkstatt, AuthorLabel: "x", Body: "b", Tags: []string{"lq9"}}, "tags", "contribution.tag_unknown"},
		{"unknown Ortsteil", app.Contribution{Channel: app.ChannelWerkstatt, AuthorLabel: "x", Body: "b", OrtsteilCode: strp("99")}, "ortsteil", "form.ortsteil_unknown"},
		{"paragraph without chapter", app.Contribution{Channel: app.ChannelWerkstatt, AuthorLabel: "x", Body: "b", Paragraph: "p-1"}, "paragraph", "contribution.paragraph_unknown"},
		{"unknown paragraph", app.Contribution{Channel: app.ChannelWerkstatt, AuthorLabel: "x", Body: "b", ChapterID: &f.post.ID, Paragraph: "p-9"}, "paragraph", "contribution.paragraph_unknown"},
		{"unknown chapter", app.Contribution{Channel: app.ChannelWerkstatt, AuthorLabel: "x", Body: "b", ChapterID: int64p(999)}, "chapter", "contribution.chapter_unknown"},
		{"unknown parent", app.Contribution{Channel: app.ChannelWerkstatt, AuthorLabel: "x", Body: "b", ParentID: int64p(999)}, "parent_id", "contribution.parent_unknown"},
		{"too long", app.Contribution{Channel: app.ChannelWerkstatt, AuthorLabel: "x", Body: strings.Repeat("ä", 5001)}, "body", "form.too_long"},
		{"control character", app.Contribution{Channel: app.ChannelWerkstatt, AuthorLabel: "x", Body: "a\x00b"}, "body", "form.forbidden_characters"},
	}
	for _, tc := range cases {
		c := tc.c
		err := f.s.CreateContribution(ctx, &c)
		if got := fieldOf(err, tc.field); got != tc.msg {
			t.Errorf("%s: %s error %q (%v), want %q", tc.name, tc.field, got, err, tc.msg)
		}
	}
	var n int64
	f.s.Gorm().Model(&app.Contribution{}).Count(&n)
	if n != 0 {
		t.Fatalf("%d contributions stored from invalid input", n)
	}
}

func strp(s string) *string { return &s }

// TestRepliesAndModerationModes: replies inherit their parent's paragraph,
// stop at two levels, and the document decides pending or published.
func TestRepliesAndModerationModes(t *testing.T) {
	f := newContractFix(t)
	ctx := context.Background()
	online := func(ch *app.DraftChapter, parent *int64, body string) (*app.Contribution, error) {
		c := &app.Contribution{Channel: app.ChannelOnline, AuthorID: &f.citizen.ID, ChapterID: &ch.ID, ParentID: parent, Body: body, Paragraph: "p-1"}
		return c, f.s.CreateContribution(ctx, c)
	}
	pre, err := online(f.pre, nil, "Vorab moderiert.")
	if err != nil || pre.Status != app.StatusPending {
		t.Fatalf("pre-moderation: %v %+v", err, pre)
	}
	if _, err := online(f.pre, &pre.ID, "Antwort auf Wartendes."); fieldOf(err, "parent_id") != "contribution.parent_unknown" {
		t.Fatalf("reply to a pending contribution: %v", err)
	}
	root, err := online(f.post, nil, "Sofort sichtbar.")
	if err != nil || root.Status != app.StatusPublished {
		t.Fatalf("post-moderation: %v %+v", err, root)
	}
	r1, err := online(f.post, &root.ID, "Erste Ebene.")
	if err != nil || r1.Depth != 1 || r1.Paragraph != "p-1" {
		t.Fatalf("reply: %v %+v", err, r1)
	}
	r2, err := online(f.post, &r1.ID, "Zweite Ebene.")
	if err != nil || r2.Depth != 2 {
		t.Fatalf("second level: %v %+v", err, r2)
	}
	if _, err := online(f.post, &r2.ID, "Dritte Ebene."); fieldOf(err, "parent_id") != "contribution.reply_too_deep" {
		t.Fatalf("third level: %v", err)
	}
	if _, err := online(f.pre, &root.ID, "Antwort aus einem anderen Kapitel."); fieldOf(err, "parent_id") != "contribution.parent_unknown" {
		t.Fatalf("reply across chapters: %v", err)
	}
}

// TestSupportedAmong answers the viewer's supports of a whole thread at once.
func TestSupportedAmong(t *testing.T) {
	f := newContractFix(t)
	ctx := context.Background()
	var ids []int64
	for i := int64(1); i <= 3; i++ {
		c := &app.Contribution{Channel: app.ChannelFutureLab, CardID: int64p(100 + i), AuthorLabel: "x", Body: "Karte."}
		if err := f.s.CreateContribution(ctx, c); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
	}
	for _, id := range []int64{ids[0], ids[2]} {
		if err := f.s.AddSupport(ctx, id, f.citizen.ID); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.s.SupportedAmong(ctx, f.citizen.ID, ids)
	if err != nil || len(got) != 2 || !got[ids[0]] || got[ids[1]] || !got[ids[2]] {
		t.Fatalf("citizen supports: %v, %v", got, err)
	}
	if got, err := f.s.SupportedAmong(ctx, f.admin.ID, ids); err != nil || len(got) != 0 {
		t.Fatalf("admin supports: %v, %v", got, err)
	}
	if got, err := f.s.SupportedAmong(ctx, f.citizen.ID, nil); err != nil || len(got) != 0 {
		t.Fatalf("no ids: %v, %v", got, err)
	}
}

// TestMaxChapterCount: a document takes app.MaxChapterCount chapters, from
// the form and from the importer; existing chapters can still be saved.
func TestMaxChapterCount(t *testing.T) {
	f := newContractFix(t)
	ctx := context.Background()
	svc := &draft.Service{Store: f.s}
	doc := f.post.DocumentID
	for i := 1; i < app.MaxChapterCount; i++ { // the fixture made one
		if err := f.s.CreateChapter(ctx, &app.DraftChapter{DocumentID: doc, Slug: "k-" + strconv.Itoa(i), Title: "K", Position: i}); err != nil {
			t.Fatal(err)
		}
	}
	in := app.ChapterInput{Title: "Zu viel", Slug: "zu-viel", Body: "Absatz."}
	_, _, err := svc.SaveChapter(ctx, f.admin, doc, 0, in)
	if e, ok := app.AsError(err); !ok || e.Code != app.CodeConflict || e.Msg.ID != "draft.too_many_chapters" {
		t.Fatalf("chapter over the limit: %v", err)
	}
	if _, _, err := svc.SaveChapter(ctx, f.admin, doc, f.post.ID, app.ChapterInput{Title: "Kapitel neu", Slug: f.post.Slug, Body: "Neuer Absatz."}); err != nil {
		t.Fatalf("an existing chapter at the limit: %v", err)
	}
	docRow, _ := f.s.DocumentByID(ctx, doc)
	_, err = svc.Import(ctx, f.admin, draft.ImportOptions{DocumentSlug: docRow.Slug}, []draft.ImportFile{{Name: "neu.md", Content: "# Neu\n\nAbsatz."}})
	var ie *draft.ImportError
	if e, ok := app.AsError(err); !errors.As(err, &ie) || ie.Where != "neu.md" || !ok || e.Msg.ID != "draft.too_many_chapters" {
		t.Fatalf("import over the limit: %v", err)
	}
	if _, err := f.s.ChapterBySlug(ctx, "zu-viel"); app.ErrorCode(err) != app.CodeNotFound {
		t.Fatalf("the refused chapter exists: %v", err)
	}
}
