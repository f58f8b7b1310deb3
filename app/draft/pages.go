package draft

import (
	"context"
	"sort"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// PeriodState tells whether a document is open for comments and which
// period is running, comes next or ended last.
type PeriodState struct {
	Open    bool
	Current *app.CommentPeriod
	Next    *app.CommentPeriod
	Last    *app.CommentPeriod
}

// PeriodStateOf evaluates a document's periods at now.
func PeriodStateOf(periods []app.CommentPeriod, now time.Time) PeriodState {
	var st PeriodState
	for i := range periods {
		p := &periods[i]
		switch {
		case p.Open(now):
			if st.Current == nil || p.EndsAt.After(st.Current.EndsAt) {
				st.Current = p
			}
			st.Open = true
		case p.StartsAt.After(now):
			if st.Next == nil || p.StartsAt.Before(st.Next.StartsAt) {
				st.Next = p
			}
		default:
			if st.Last == nil || p.EndsAt.After(st.Last.EndsAt) {
				st.Last = p
			}
		}
	}
	return st
}

// ChapterSummary is a chapter in a document's table of contents.
type ChapterSummary struct {
	app.DraftChapter
	Count int
}

// DocumentOverview is a document with its chapters and its period state.
type DocumentOverview struct {
	Document app.DraftDocument
	Chapters []ChapterSummary
	Periods  []app.CommentPeriod
	Period   PeriodState
	Total    int
}

// Documents lists the documents (only published ones unless all) with
// chapters, published comment counts and periods, in four queries.
func (s *Service) Documents(ctx context.Context, all bool) ([]DocumentOverview, error) {
	docs, err := s.Store.Documents(ctx, !all)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(docs))
	for i, d := range docs {
		ids[i] = d.ID
	}
	chapters, err := s.Store.ChaptersOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	counts, err := s.Store.PublishedCounts(ctx, ids)
	if err != nil {
		return nil, err
	}
	periods, err := s.Store.PeriodsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	now := s.Store.Now()
	out := make([]DocumentOverview, len(docs))
	for i, d := range docs {
		o := DocumentOverview{Document: d}
		for _, ch := range chapters {
			if ch.DocumentID == d.ID {
				o.Chapters = append(o.Chapters, ChapterSummary{DraftChapter: ch, Count: counts[ch.ID]})
				o.Total += counts[ch.ID]
			}
		}
		for _, p := range periods {
			if p.DocumentID == d.ID {
				o.Periods = append(o.Periods, p)
			}
		}
		o.Period = PeriodStateOf(o.Periods, now)
		out[i] = o
	}
	return out, nil
}

// BlockView is a block of the current text with its number of comments.
type BlockView struct {
	app.DraftBlock
	Count int
}

// Number is the anchor's number ("12" of "p-12"), shown as "¶ 12".
func (b *BlockView) Number() string { return AnchorNumber(b.Anchor) }

// AnchorNumber is the number part of an anchor.
func AnchorNumber(anchor string) string {
	if len(anchor) > 2 {
		return anchor[2:]
	}
	return anchor
}

// Segment is a piece of the chapter text: one block, or a list of items.
type Segment struct {
	Block   *BlockView
	Items   []*BlockView
	Ordered bool
	Start   int
}

// Comment is a contribution on a chapter page with its replies.
type Comment struct {
	*store.ContributionView
	// Outdated: the paragraph it refers to is not in the current version.
	Outdated bool
	// Changed: the paragraph is still there but its text changed since.
	Changed bool
	// OldText is the paragraph as the author saw it (Outdated or Changed).
	OldText   string
	Supported bool
	Replies   []*Comment
}

// Number is the anchor's number of the paragraph the comment refers to.
func (c *Comment) ParagraphNumber() string { return AnchorNumber(c.Paragraph) }

// Sort orders of comments.
const (
	SortParagraph = "absatz"
	SortNewest    = "neueste"
	SortSupport   = "zustimmung"
)

// SortOrders lists the sort orders in display order.
var SortOrders = []string{SortParagraph, SortNewest, SortSupport}

// ChapterPage is everything the chapter page shows.
type ChapterPage struct {
	Document  *app.DraftDocument
	Chapter   *app.DraftChapter
	Version   *app.DraftVersion
	Versions  []app.DraftVersion
	Chapters  []app.DraftChapter
	Blocks    []*BlockView
	Segments  []Segment
	Period    PeriodState
	Total     int
	Threads   []*Comment
	Shown     int
	Sort      string
	Paragraph string
	Block     *BlockView
	// Page is the page of threads shown (1-based), Pages how many there are
	// and ThreadCount how many threads the chosen view has; All shows every
	// thread on one page.
	Page        int
	Pages       int
	ThreadCount int
	All         bool
	all         []*Comment
	// Points are the public points of the chapter's contributions (issue 14).
	Points []store.ContributionPoint
}

// ThreadsPerPage is how many threads (with their replies) a page shows.
const ThreadsPerPage = 50

// PageOf is the page that shows the thread holding contribution id, or 1.
func (p *ChapterPage) PageOf(id int64) int {
	for i, t := range p.all {
		if t.ID == id || containsReply(t, id) {
			return i/ThreadsPerPage + 1
		}
	}
	return 1
}

func containsReply(c *Comment, id int64) bool {
	for _, r := range c.Replies {
		if r.ID == id || containsReply(r, id) {
			return true
		}
	}
	return false
}

// Prev and Next are the neighbouring chapters for navigation.
func (p *ChapterPage) Prev() *app.DraftChapter { return p.neighbour(-1) }

// Next is the following chapter, or nil.
func (p *ChapterPage) Next() *app.DraftChapter { return p.neighbour(1) }

func (p *ChapterPage) neighbour(d int) *app.DraftChapter {
	for i := range p.Chapters {
		if p.Chapters[i].ID == p.Chapter.ID {
			if j := i + d; j >= 0 && j < len(p.Chapters) {
				return &p.Chapters[j]
			}
			return nil
		}
	}
	return nil
}

// ChapterPageOptions select what the chapter page shows.
type ChapterPageOptions struct {
	Viewer *app.User
	// Preview lets admins see chapters of unpublished documents.
	Preview   bool
	Sort      string
	Paragraph string
	// Page selects the page of threads (default 1); All shows all threads.
	Page int
	All  bool
}

// LoadChapter loads a chapter with its document for a viewer; chapters of
// unpublished documents exist only for previewing admins.
func (s *Service) LoadChapter(ctx context.Context, slug string, preview bool) (*app.DraftChapter, *app.DraftDocument, error) {
	ch, err := s.Store.ChapterBySlug(ctx, slug)
	if err != nil {
		return nil, nil, err
	}
	doc, err := s.Store.DocumentByID(ctx, ch.DocumentID)
	if err != nil {
		return nil, nil, err
	}
	if !doc.Published && !preview {
		return nil, nil, app.NotFound()
	}
	return ch, doc, nil
}

// ChapterPage loads a chapter page. The number of queries does not depend
// on the number of comments (the test counts them).
func (s *Service) ChapterPage(ctx context.Context, slug string, opts ChapterPageOptions) (*ChapterPage, error) {
	ch, doc, err := s.LoadChapter(ctx, slug, opts.Preview)
	if err != nil {
		return nil, err
	}
	p := &ChapterPage{Document: doc, Chapter: ch, Sort: opts.Sort}
	if p.Sort != SortNewest && p.Sort != SortSupport {
		p.Sort = SortParagraph
	}
	if p.Versions, err = s.Store.Versions(ctx, ch.ID); err != nil {
		return nil, err
	}
	if len(p.Versions) > 0 {
		p.Version = &p.Versions[len(p.Versions)-1]
	}
	if p.Chapters, err = s.Store.Chapters(ctx, doc.ID); err != nil {
		return nil, err
	}
	periods, err := s.Store.Periods(ctx, doc.ID)
	if err != nil {
		return nil, err
	}
	p.Period = PeriodStateOf(periods, s.Store.Now())
	var current []app.DraftBlock
	if ch.CurrentVersionID != nil {
		if current, err = s.Store.VersionBlocks(ctx, *ch.CurrentVersionID); err != nil {
			return nil, err
		}
	}
	var viewerID int64
	if opts.Viewer != nil {
		viewerID = opts.Viewer.ID
	}
	// The outline of every contribution builds, sorts, counts and pages the
	// discussion; texts, names and tags are loaded for the shown page only.
	rows, err := s.Store.ChapterOutline(ctx, ch.ID, viewerID)
	if err != nil {
		return nil, err
	}
	p.Points = store.PublicPoints(rows)
	comments, err := s.commentsOf(ctx, ch, current, rows, nil)
	if err != nil {
		return nil, err
	}
	byAnchor := map[string]*BlockView{}
	for i := range current {
		b := &BlockView{DraftBlock: current[i]}
		p.Blocks = append(p.Blocks, b)
		byAnchor[b.Anchor] = b
	}
	for _, c := range comments {
		if c.Status != app.StatusPublished {
			continue
		}
		p.Total++
		if b := byAnchor[c.Paragraph]; b != nil && !c.Outdated {
			b.Count++
		}
	}
	p.Segments = Segments(p.Blocks)
	if b := byAnchor[opts.Paragraph]; b != nil {
		p.Paragraph, p.Block = opts.Paragraph, b
	}
	p.Threads = Threads(comments, p.Sort, byAnchor)
	if p.Paragraph != "" {
		kept := p.Threads[:0]
		for _, t := range p.Threads {
			if t.Paragraph == p.Paragraph && !t.Outdated {
				kept = append(kept, t)
			}
		}
		p.Threads = kept
	}
	p.all, p.ThreadCount, p.All = p.Threads, len(p.Threads), opts.All
	p.Pages = (len(p.Threads) + ThreadsPerPage - 1) / ThreadsPerPage
	if p.Pages < 1 {
		p.Pages = 1
	}
	p.Page = min(max(opts.Page, 1), p.Pages)
	if !p.All {
		from := (p.Page - 1) * ThreadsPerPage
		p.Threads = p.Threads[from:min(from+ThreadsPerPage, len(p.Threads))]
	}
	var shown []*Comment
	for _, t := range p.Threads {
		shown = appendThread(shown, t)
	}
	p.Shown = len(shown)
	views := make([]*store.ContributionView, len(shown))
	for i, c := range shown {
		views[i] = c.ContributionView
	}
	supported, err := s.Store.FillContributions(ctx, views, viewerID)
	if err != nil {
		return nil, err
	}
	for _, c := range shown {
		c.Supported = supported[c.ID]
	}
	return p, nil
}

// appendThread appends a contribution and all its replies.
func appendThread(out []*Comment, c *Comment) []*Comment {
	out = append(out, c)
	for _, r := range c.Replies {
		out = appendThread(out, r)
	}
	return out
}

// commentsOf marks the comments whose paragraph changed or disappeared and
// quotes the text they referred to (one query for all older versions).
func (s *Service) commentsOf(ctx context.Context, ch *app.DraftChapter, current []app.DraftBlock, rows []*store.ContributionView, supported map[int64]bool) ([]*Comment, error) {
	cur := map[string]*app.DraftBlock{}
	for i := range current {
		cur[current[i].Anchor] = &current[i]
	}
	oldVersions := map[int64]bool{}
	for _, r := range rows {
		if r.Paragraph != "" && r.VersionID != nil && (ch.CurrentVersionID == nil || *r.VersionID != *ch.CurrentVersionID) {
			oldVersions[*r.VersionID] = true
		}
	}
	old := map[int64]map[string]string{}
	if len(oldVersions) > 0 {
		ids := make([]int64, 0, len(oldVersions))
		for id := range oldVersions {
			ids = append(ids, id)
		}
		blocks, err := s.Store.BlocksOfVersions(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, b := range blocks {
			if old[b.VersionID] == nil {
				old[b.VersionID] = map[string]string{}
			}
			old[b.VersionID][b.Anchor] = b.Text
		}
	}
	out := make([]*Comment, len(rows))
	for i, r := range rows {
		c := &Comment{ContributionView: r, Supported: supported[r.ID]}
		if r.Paragraph != "" && r.VersionID != nil && old[*r.VersionID] != nil {
			text := old[*r.VersionID][r.Paragraph]
			switch b := cur[r.Paragraph]; {
			case b == nil:
				c.Outdated, c.OldText = true, text
			case b.Text != text:
				c.Changed, c.OldText = true, text
			}
		} else if r.Paragraph != "" && cur[r.Paragraph] == nil {
			c.Outdated = true
		}
		out[i] = c
	}
	return out, nil
}

// Segments groups blocks into the chapter text: consecutive list items of
// the same list become one list.
func Segments(blocks []*BlockView) []Segment {
	var out []Segment
	for _, b := range blocks {
		if b.Kind == app.BlockListItem {
			if n := len(out); n > 0 && len(out[n-1].Items) > 0 && out[n-1].Items[0].ListGroup == b.ListGroup {
				out[n-1].Items = append(out[n-1].Items, b)
				continue
			}
			out = append(out, Segment{Items: []*BlockView{b}, Ordered: b.ListOrdered, Start: b.ListStart})
			continue
		}
		out = append(out, Segment{Block: b})
	}
	return out
}

// Threads builds the discussion: top-level contributions in the chosen
// order, each with its replies (oldest first). Withdrawn contributions
// without replies are left out; hidden ones stay as placeholders.
func Threads(comments []*Comment, order string, blocks map[string]*BlockView) []*Comment {
	byID := make(map[int64]*Comment, len(comments))
	for _, c := range comments {
		byID[c.ID] = c
	}
	var top []*Comment
	for _, c := range comments {
		if c.ParentID != nil {
			if p := byID[*c.ParentID]; p != nil {
				p.Replies = append(p.Replies, c)
				continue
			}
		}
		top = append(top, c)
	}
	var prune func(list []*Comment) []*Comment
	prune = func(list []*Comment) []*Comment {
		kept := list[:0]
		for _, c := range list {
			c.Replies = prune(c.Replies)
			if c.Status == app.StatusWithdrawn && len(c.Replies) == 0 {
				continue
			}
			kept = append(kept, c)
		}
		return kept
	}
	top = prune(top)
	pos := func(c *Comment) int {
		if c.Paragraph == "" {
			return -1
		}
		if b := blocks[c.Paragraph]; b != nil && !c.Outdated {
			return b.Position
		}
		return 1 << 30
	}
	sort.SliceStable(top, func(i, j int) bool {
		a, b := top[i], top[j]
		switch order {
		case SortNewest:
			return a.CreatedAt.After(b.CreatedAt)
		case SortSupport:
			if a.SupportCount != b.SupportCount {
				return a.SupportCount > b.SupportCount
			}
			return a.CreatedAt.After(b.CreatedAt)
		}
		if pa, pb := pos(a), pos(b); pa != pb {
			return pa < pb
		}
		return a.CreatedAt.Before(b.CreatedAt)
	})
	return top
}

// ContributionPage is the page of one contribution: the text, the paragraph
// it refers to, its replies, its duplicate group and what became of it.
type ContributionPage struct {
	Comment   *Comment
	Document  *app.DraftDocument
	Chapter   *app.DraftChapter
	Period    PeriodState
	Group     []*store.ContributionView
	Reported  bool
	Paragraph *app.DraftBlock
	// AssessmentBlock is the paragraph of a later version named in the assessment.
	AssessmentBlock *app.DraftBlock
}

// Contribution loads the page of a contribution by public number. Pending
// and rejected contributions exist only for their author and moderators.
func (s *Service) Contribution(ctx context.Context, number int64, viewer *app.User) (*ContributionPage, error) {
	v, err := s.Store.ContributionViewByNumber(ctx, number)
	if err != nil {
		return nil, err
	}
	if (v.Status == app.StatusPending || v.Status == app.StatusRejected) && !v.IsAuthor(viewer) && !viewer.Is(app.RoleModerator) {
		return nil, app.NotFound()
	}
	p := &ContributionPage{}
	var viewerID int64
	if viewer != nil {
		viewerID = viewer.ID
		if p.Reported, err = s.Store.HasReported(ctx, v.ID, viewer.ID); err != nil {
			return nil, err
		}
	}
	var current []app.DraftBlock
	if v.ChapterID != nil {
		if p.Chapter, err = s.Store.ChapterByID(ctx, *v.ChapterID); err != nil {
			return nil, err
		}
		if p.Document, err = s.Store.DocumentByID(ctx, p.Chapter.DocumentID); err != nil {
			return nil, err
		}
		if !p.Document.Published && !viewer.Is(app.RoleModerator) {
			return nil, app.NotFound()
		}
		periods, err := s.Store.Periods(ctx, p.Document.ID)
		if err != nil {
			return nil, err
		}
		p.Period = PeriodStateOf(periods, s.Store.Now())
		if p.Chapter.CurrentVersionID != nil {
			if current, err = s.Store.VersionBlocks(ctx, *p.Chapter.CurrentVersionID); err != nil {
				return nil, err
			}
		}
	} else {
		p.Period.Open = true
	}
	replies, err := s.Store.Thread(ctx, v.ID, viewerID)
	if err != nil {
		return nil, err
	}
	rows := append([]*store.ContributionView{v}, replies...)
	supported := map[int64]bool{}
	if viewer != nil {
		ids := make([]int64, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
		}
		if supported, err = s.Store.SupportedAmong(ctx, viewer.ID, ids); err != nil {
			return nil, err
		}
	}
	ch := p.Chapter
	if ch == nil {
		ch = &app.DraftChapter{}
	}
	comments, err := s.commentsOf(ctx, ch, current, rows, supported)
	if err != nil {
		return nil, err
	}
	threads := Threads(comments, SortParagraph, nil)
	p.Comment = comments[0]
	for _, t := range threads {
		if t.ID == v.ID {
			p.Comment = t
		}
	}
	for i := range current {
		b := &current[i]
		if b.Anchor == v.Paragraph && !p.Comment.Outdated {
			p.Paragraph = b
		}
		if v.AssessmentAnchor != "" && b.Anchor == v.AssessmentAnchor && v.AssessmentVersionID != nil && *v.AssessmentVersionID == b.VersionID {
			p.AssessmentBlock = b
		}
	}
	primary := v.ID
	if v.DuplicateOf != nil {
		primary = *v.DuplicateOf
	}
	group, err := s.Store.DuplicateGroup(ctx, primary)
	if err != nil {
		return nil, err
	}
	if len(group) > 1 {
		p.Group = group
	}
	return p, nil
}

// RedlinePage compares two versions of a chapter.
type RedlinePage struct {
	Document *app.DraftDocument
	Chapter  *app.DraftChapter
	Versions []app.DraftVersion
	From, To *app.DraftVersion
	Blocks   []RedlineBlock
	Added    int
	Removed  int
	Changed  int
	// Proposals are the changes published assessments propose to the
	// current version ("vorgeschlagene Änderung").
	Proposals []Proposal
}

// Proposal is a proposed new wording of a paragraph, compared word by word
// with the paragraph of the current version.
type Proposal struct {
	Number string
	Anchor string
	Parts  []RedlinePart
}

// Redline loads the comparison of versions from and to (numbers; 0 picks
// the two latest).
func (s *Service) Redline(ctx context.Context, slug string, from, to int, preview bool) (*RedlinePage, error) {
	ch, doc, err := s.LoadChapter(ctx, slug, preview)
	if err != nil {
		return nil, err
	}
	p := &RedlinePage{Document: doc, Chapter: ch}
	if p.Versions, err = s.Store.Versions(ctx, ch.ID); err != nil {
		return nil, err
	}
	if p.Proposals, err = s.proposals(ctx, ch); err != nil {
		return nil, err
	}
	n := len(p.Versions)
	if n < 2 {
		return p, nil
	}
	if to < 1 || to > n {
		to = n
	}
	if from < 1 || from > n || from == to {
		from = to - 1
		if from < 1 {
			from = 2
		}
	}
	p.From, p.To = &p.Versions[from-1], &p.Versions[to-1]
	older, err := s.Store.VersionBlocks(ctx, p.From.ID)
	if err != nil {
		return nil, err
	}
	newer, err := s.Store.VersionBlocks(ctx, p.To.ID)
	if err != nil {
		return nil, err
	}
	p.Blocks = Redline(older, newer)
	for _, b := range p.Blocks {
		switch b.Change {
		case ChangeAdded:
			p.Added++
		case ChangeRemoved:
			p.Removed++
		case ChangeChanged:
			p.Changed++
		}
	}
	return p, nil
}

func (s *Service) proposals(ctx context.Context, ch *app.DraftChapter) ([]Proposal, error) {
	changes, err := s.Store.ProposedChanges(ctx, ch.ID)
	if err != nil || len(changes) == 0 || ch.CurrentVersionID == nil {
		return nil, err
	}
	blocks, err := s.Store.VersionBlocks(ctx, *ch.CurrentVersionID)
	if err != nil {
		return nil, err
	}
	text := map[string]string{}
	for _, b := range blocks {
		text[b.Anchor] = b.Text
	}
	out := make([]Proposal, 0, len(changes))
	for _, c := range changes {
		out = append(out, Proposal{Number: app.FormatContributionNumber(c.Number), Anchor: c.ChangeAnchor, Parts: WordDiff(text[c.ChangeAnchor], c.ChangeText)})
	}
	return out, nil
}

// ResultsPage is "Was wurde aus den Anregungen?" of a chapter.
type ResultsPage struct {
	Document *app.DraftDocument
	Chapter  *app.DraftChapter
	Items    []*store.ContributionView
	Counts   map[string]int
	Status   string
}

// Results loads the published assessments of a chapter, optionally of one
// status only.
func (s *Service) Results(ctx context.Context, slug, status string, preview bool) (*ResultsPage, error) {
	ch, doc, err := s.LoadChapter(ctx, slug, preview)
	if err != nil {
		return nil, err
	}
	items, err := s.Store.PublishedAssessments(ctx, ch.ID)
	if err != nil {
		return nil, err
	}
	p := &ResultsPage{Document: doc, Chapter: ch, Counts: map[string]int{}}
	if app.ValidAssessmentStatus(status) {
		p.Status = status
	}
	for _, it := range items {
		p.Counts[it.AssessmentStatus]++
		if p.Status == "" || it.AssessmentStatus == p.Status {
			p.Items = append(p.Items, it)
		}
	}
	return p, nil
}
