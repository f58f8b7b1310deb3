package seed

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// Contributions adds n synthetic contributions spread over the chapters of
// the demo draft, the channels, tags, Ortsteile, moderation and assessment
// states, in batches (fast enough for 100,000 rows). Unlike the other
// steps it adds rows each time it runs.
func Contributions(ctx context.Context, s *store.Store, n int, out io.Writer) error {
	if out == nil {
		out = io.Discard
	}
	chapters, err := s.ExportChapters(ctx)
	if err != nil {
		return err
	}
	if len(chapters) == 0 {
		return fmt.Errorf("kein Entwurf vorhanden: erst `seed --demo` ausführen")
	}
	anchors := map[int64][]string{}
	for _, ch := range chapters {
		if ch.CurrentVersionID != nil {
			blocks, err := s.VersionBlocks(ctx, *ch.CurrentVersionID)
			if err != nil {
				return err
			}
			for _, b := range blocks {
				anchors[ch.ID] = append(anchors[ch.ID], b.Anchor)
			}
		}
	}
	ref, err := s.LoadRefData(ctx)
	if err != nil {
		return err
	}
	var authors []int64
	for _, a := range demoAccountList {
		if u, err := s.UserByEmail(ctx, a.email); err == nil && a.role == app.RoleCitizen {
			authors = append(authors, u.ID)
		}
	}
	if len(authors) == 0 {
		return fmt.Errorf("keine Demo-Konten: erst `seed --demo` ausführen")
	}
	r := rand.New(rand.NewPCG(uint64(n), 2030))
	now := s.Now()
	const batch = 2000
	for done := 0; done < n; {
		size := min(batch, n-done)
		rows := make([]*app.Contribution, size)
		for i := range rows {
			rows[i] = synthetic(r, chapters, anchors, ref, authors, now)
		}
		if err := s.InsertContributionsBulk(ctx, rows); err != nil {
			return err
		}
		done += size
		fmt.Fprintf(out, "\rSynthetische Anregungen: %d von %d", done, n)
	}
	fmt.Fprintln(out)
	return s.Analyze(ctx)
}

func synthetic(r *rand.Rand, chapters []app.DraftChapter, anchors map[int64][]string, ref *store.RefData, authors []int64, now time.Time) *app.Contribution {
	ch := chapters[r.IntN(len(chapters))]
	created := now.Add(-time.Duration(r.IntN(60*24*60)) * time.Minute)
	c := &app.Contribution{
		Channel: app.Channels[r.IntN(len(app.Channels))], DocumentID: &ch.DocumentID, ChapterID: &ch.ID, VersionID: ch.CurrentVersionID,
		CreatedAt: created, UpdatedAt: created, Status: app.StatusPublished,
	}
	ortsteil := ref.Ortsteile[r.IntN(len(ref.Ortsteile))]
	c.Body = syntheticText(r, ortsteil.Name)
	if a := anchors[ch.ID]; len(a) > 0 && r.IntN(3) > 0 {
		c.Paragraph = a[r.IntN(len(a))]
	}
	if c.Channel == app.ChannelOnline {
		id := authors[r.IntN(len(authors))]
		c.AuthorID = &id
	} else {
		c.AuthorLabel = "Teilnehmende (" + c.Channel + ")"
	}
	if r.IntN(10) < 7 {
		code := ortsteil.Code
		c.OrtsteilCode = &code
	}
	c.Tags = []string{ref.Handlungsschwerpunkte[r.IntN(len(ref.Handlungsschwerpunkte))].Code}
	if r.IntN(2) == 0 {
		c.Tags = append(c.Tags, ref.Themes[r.IntN(len(ref.Themes))].Code)
	}
	switch x := r.IntN(20); {
	case x == 0:
		c.Status = app.StatusPending
	case x == 1:
		c.Status, c.ReasonCode = app.StatusRejected, app.ReasonOffTopic
	case x == 2:
		c.Status, c.ReasonCode = app.StatusHidden, app.ReasonDuplicate
	}
	if c.Status == app.StatusPublished && r.IntN(10) < 6 {
		c.AssessmentStatus = app.AssessmentStatuses[r.IntN(len(app.AssessmentStatuses))]
		c.AssessmentReasoning = "Die Anregung wurde geprüft. Begründung der AG INSEK; Abwägung Nr. " + fmt.Sprint(r.IntN(1000))
		c.AssessmentFachamt = ch.Fachamt
		at := created.Add(24 * time.Hour)
		c.AssessedAt = &at
		if r.IntN(2) == 0 {
			c.AssessmentPublishedAt = &at
		}
	}
	return c
}
