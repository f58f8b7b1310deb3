package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/mitwirken/mitwirken/app"
)

// Deadline filters of the queue.
const (
	DeadlineOverdue = "overdue"
	DeadlineSoon    = "soon"
	DeadlineNone    = "none"
)

// Queue orders.
const (
	SortAge     = "age"
	SortNew     = "new"
	SortSupport = "support"
)

// AssessmentFilter narrows the Abwägung queues. Every published group
// primary is in the queue, with or without an assessment row (none yet is
// "open" and unassigned).
type AssessmentFilter struct {
	// Scope keeps assessments the Fachämter lead or co-sign (Fachamt
	// staff); nil is everything (AG INSEK).
	Scope []int64
	// FachamtID keeps one Fachamt's (lead or co-signer); Role narrows it to
	// "lead" or "cosign".
	FachamtID  int64
	Role       string
	Unassigned bool
	State      string
	ChapterID  int64
	Channel    string
	Tag        string
	Ortsteil   string
	RoundID    int64
	Deadline   string
	// Today and Soon are the days the deadline filter compares with
	// (YYYY-MM-DD, Berlin; Soon is today plus three working days).
	Today, Soon string
	Numbers     []int64
	Sort        string
	Page        int
	PerPage     int
}

// QueueRow is one line of a queue.
type QueueRow struct {
	ContributionID int64
	Number         int64
	Body           string
	Channel        string
	ChapterID      *int64
	ChapterTitle   string
	Paragraph      string
	OrtsteilCode   *string
	SupportCount   int
	CreatedAt      time.Time
	AssessmentID   int64
	State          string
	Version        int
	Result         string
	LeadFachamtID  *int64
	LeadShort      string
	LeadName       string
	RoundID        *int64
	RoundName      string
	Deadline       string
	HandbackReason string
	UpdatedAt      *time.Time
	Cosigners      []*Cosigner `gorm:"-"`
}

// PublicNumber is "A-0042".
func (r *QueueRow) PublicNumber() string { return app.FormatContributionNumber(r.Number) }

// Overdue reports whether the deadline passed while the Fachamt still works
// on it.
func (r *QueueRow) Overdue(today string) bool {
	return r.Deadline != "" && r.Deadline < today && (r.State == app.StateOpen || r.State == app.StateDrafted || r.State == app.StateCosigned)
}

const queueFrom = `contributions c
	LEFT JOIN assessments a ON a.contribution_id = c.id
	LEFT JOIN fachaemter lf ON lf.id = a.lead_fachamt_id
	LEFT JOIN draft_chapters ch ON ch.id = c.chapter_id
	LEFT JOIN assessment_rounds r ON r.id = a.round_id
	LEFT JOIN round_deadlines rd ON rd.round_id = a.round_id AND rd.fachamt_id = a.lead_fachamt_id`

const queueColumns = `c.id AS contribution_id, c.number, c.body, c.channel, c.chapter_id, ch.title AS chapter_title, c.paragraph,
	c.ortsteil_code, c.support_count, c.created_at, COALESCE(a.id, 0) AS assessment_id, ` + stateExpr + ` AS state,
	COALESCE(a.version, 0) AS version, COALESCE(a.result, '') AS result, a.lead_fachamt_id, lf.short AS lead_short, lf.name AS lead_name,
	a.round_id, r.name AS round_name, COALESCE(rd.deadline, r.deadline, '') AS deadline, COALESCE(a.handback_reason, '') AS handback_reason,
	a.updated_at`

// stateExpr is the state of a queue row: an Abwägung published before the
// workflow existed counts as published.
const stateExpr = "COALESCE(a.state, CASE WHEN c.assessment_published_at IS NOT NULL THEN 'published' ELSE 'open' END)"

const workStates = "('open', 'drafted', 'cosigned')"

func (s *Store) queueWhere(q *gorm.DB, f AssessmentFilter, withState bool) *gorm.DB {
	q = q.Where("c.status = ? AND c.duplicate_of IS NULL", app.StatusPublished)
	if f.Scope != nil {
		q = q.Where("(a.lead_fachamt_id IN ? OR a.id IN (SELECT assessment_id FROM assessment_cosigners WHERE fachamt_id IN ?))", orNone(f.Scope), orNone(f.Scope))
	}
	if f.FachamtID != 0 {
		switch f.Role {
		case app.RuleLead:
			q = q.Where("a.lead_fachamt_id = ?", f.FachamtID)
		case app.RuleCosign:
			q = q.Where("a.id IN (SELECT assessment_id FROM assessment_cosigners WHERE fachamt_id = ?)", f.FachamtID)
		default:
			q = q.Where("(a.lead_fachamt_id = ? OR a.id IN (SELECT assessment_id FROM assessment_cosigners WHERE fachamt_id = ?))", f.FachamtID, f.FachamtID)
		}
	}
	if f.Unassigned {
		q = q.Where("a.lead_fachamt_id IS NULL")
	}
	if withState && f.State != "" {
		q = q.Where(stateExpr+" = ?", f.State)
	}
	if f.ChapterID != 0 {
		q = q.Where("c.chapter_id = ?", f.ChapterID)
	}
	if f.Channel != "" {
		q = q.Where("c.channel = ?", f.Channel)
	}
	if f.Tag != "" {
		q = q.Where("EXISTS (SELECT 1 FROM contribution_tags t WHERE t.contribution_id = c.id AND t.code = ?)", f.Tag)
	}
	if f.Ortsteil != "" {
		q = q.Where("c.ortsteil_code = ?", f.Ortsteil)
	}
	if f.RoundID != 0 {
		q = q.Where("a.round_id = ?", f.RoundID)
	}
	switch f.Deadline {
	case DeadlineOverdue:
		q = q.Where("COALESCE(rd.deadline, r.deadline) < ? AND a.state IN "+workStates, f.Today)
	case DeadlineSoon:
		q = q.Where("COALESCE(rd.deadline, r.deadline) >= ? AND COALESCE(rd.deadline, r.deadline) <= ? AND a.state IN "+workStates, f.Today, f.Soon)
	case DeadlineNone:
		q = q.Where("a.round_id IS NULL")
	}
	if len(f.Numbers) > 0 {
		q = q.Where("c.number IN ?", f.Numbers)
	}
	return q
}

func orNone(ids []int64) []int64 {
	if len(ids) == 0 {
		return []int64{-1}
	}
	return ids
}

// AssessmentQueue returns a page of the queue, the total and the count per
// state of everything the filter selects regardless of its state.
func (s *Store) AssessmentQueue(ctx context.Context, f AssessmentFilter) ([]*QueueRow, int64, map[string]int64, error) {
	var total int64
	if err := s.queueWhere(s.q(ctx).Table(queueFrom), f, true).Count(&total).Error; err != nil {
		return nil, 0, nil, s.err(err)
	}
	var counts []struct {
		State string
		N     int64
	}
	if err := s.queueWhere(s.q(ctx).Table(queueFrom), f, false).Select(stateExpr + " AS state, COUNT(*) AS n").
		Group(stateExpr).Scan(&counts).Error; err != nil {
		return nil, 0, nil, s.err(err)
	}
	byState := map[string]int64{}
	for _, c := range counts {
		byState[c.State] = c.N
	}
	q := s.queueWhere(s.q(ctx).Table(queueFrom).Select(queueColumns), f, true)
	switch f.Sort {
	case SortNew:
		q = q.Order("c.created_at DESC, c.id DESC")
	case SortSupport:
		q = q.Order("c.support_count DESC, c.created_at, c.id")
	default:
		q = q.Order("c.created_at, c.id")
	}
	var rows []*QueueRow
	if err := paginate(q, f.Page, f.PerPage).Scan(&rows).Error; err != nil {
		return nil, 0, nil, s.err(err)
	}
	ids := make([]int64, 0, len(rows))
	for _, r := range rows {
		if r.AssessmentID != 0 {
			ids = append(ids, r.AssessmentID)
		}
	}
	cos, err := s.CosignersOf(ctx, ids)
	for _, r := range rows {
		r.Cosigners = cos[r.AssessmentID]
	}
	return rows, total, byState, err
}

// QueueRowByNumber loads one queue row (whatever its state) or not found.
func (s *Store) QueueRowByNumber(ctx context.Context, number int64) (*QueueRow, error) {
	rows, _, _, err := s.AssessmentQueue(ctx, AssessmentFilter{Numbers: []int64{number}, PerPage: 1})
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, app.NotFound()
	}
	return rows[0], nil
}

// StateCount is how many assessments of a group (a Fachamt, a chapter) are
// in each state, and how many are overdue.
type StateCount struct {
	Key     string
	Label   string
	ByState map[string]int64
	Overdue int64
	Total   int64
}

// CountsByFachamt counts the assessments each Fachamt leads ("" key:
// unassigned), by state, with the overdue ones.
func (s *Store) CountsByFachamt(ctx context.Context, today string) ([]*StateCount, error) {
	return s.stateCounts(ctx, "COALESCE(lf.short, '')", today)
}

// CountsByChapter counts the assessments per chapter id ("" key: without
// chapter), by state, with the overdue ones.
func (s *Store) CountsByChapter(ctx context.Context, today string) ([]*StateCount, error) {
	return s.stateCounts(ctx, "COALESCE(CAST(c.chapter_id AS TEXT), '')", today)
}

func (s *Store) stateCounts(ctx context.Context, key, today string) ([]*StateCount, error) {
	var rows []struct {
		Key     string
		State   string
		N       int64
		Overdue int64
	}
	err := s.queueWhere(s.q(ctx).Table(queueFrom), AssessmentFilter{}, false).
		Select(key+` AS key, `+stateExpr+` AS state, COUNT(*) AS n,
			SUM(CASE WHEN COALESCE(rd.deadline, r.deadline) < ? AND a.state IN `+workStates+` THEN 1 ELSE 0 END) AS overdue`, today).
		Group(key + ", " + stateExpr).Scan(&rows).Error
	if err != nil {
		return nil, s.err(err)
	}
	byKey := map[string]*StateCount{}
	var out []*StateCount
	for _, r := range rows {
		c := byKey[r.Key]
		if c == nil {
			c = &StateCount{Key: r.Key, ByState: map[string]int64{}}
			byKey[r.Key] = c
			out = append(out, c)
		}
		c.ByState[r.State] += r.N
		c.Overdue += r.Overdue
		c.Total += r.N
	}
	return out, nil
}

// StateCountsByFachamt counts the assessments a Fachamt leads or co-signs,
// by state (for the API's list of Fachämter), keyed by Fachamt id.
func (s *Store) StateCountsByFachamt(ctx context.Context) (map[int64]map[string]int64, error) {
	var rows []struct {
		FachamtID int64
		State     string
		N         int64
	}
	err := s.scanRaw(ctx, &rows, `SELECT x.fachamt_id, x.state, COUNT(*) AS n FROM (
			SELECT a.lead_fachamt_id AS fachamt_id, a.state FROM assessments a JOIN contributions c ON c.id = a.contribution_id
			WHERE a.lead_fachamt_id IS NOT NULL AND c.status = ? AND c.duplicate_of IS NULL
			UNION ALL
			SELECT x.fachamt_id, a.state FROM assessment_cosigners x JOIN assessments a ON a.id = x.assessment_id
			JOIN contributions c ON c.id = a.contribution_id WHERE c.status = ? AND c.duplicate_of IS NULL
		) x GROUP BY x.fachamt_id, x.state`, app.StatusPublished, app.StatusPublished)
	out := map[int64]map[string]int64{}
	for _, r := range rows {
		if out[r.FachamtID] == nil {
			out[r.FachamtID] = map[string]int64{}
		}
		out[r.FachamtID][r.State] += r.N
	}
	return out, s.err(err)
}
