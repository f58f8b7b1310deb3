package store

import (
	"cmp"
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"time"

	sqlite "github.com/glebarez/go-sqlite"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/search"
)

// search_terms(text) is search.IndexText for the SQLite triggers of
// migrations/1000_search.sql: the stems of a text, computed in Go so that
// SQLite stems like PostgreSQL's "german" configuration.
func init() {
	err := sqlite.RegisterDeterministicScalarFunction("search_terms", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		switch v := args[0].(type) {
		case string:
			return search.IndexText(v), nil
		case []byte:
			return search.IndexText(string(v)), nil
		default:
			return "", nil
		}
	})
	if err != nil {
		panic(err)
	}
}

// The kinds of search results, in the order the search page shows them.
const (
	SearchParagraph    = "paragraph"
	SearchContribution = "contribution"
	SearchEvent        = "event"
	SearchLab          = "lab"
	SearchBoard        = "board"
	SearchSurvey       = "survey"
	SearchPage         = "page"
)

// SearchCountLimit is how far results are counted: a total above it means
// "more than SearchCountLimit", and only that many can be paged through.
const SearchCountLimit = 1000

// SearchKinds lists every kind in page order.
var SearchKinds = []string{SearchParagraph, SearchContribution, SearchEvent, SearchLab, SearchBoard, SearchSurvey, SearchPage}

// SearchFilter narrows a search. A filter a kind has no field for leaves
// that kind out: a chapter keeps paragraphs and contributions, an Ortsteil
// keeps contributions, a period keeps contributions (written in it) and
// events (taking place in it).
type SearchFilter struct {
	ChapterID int64
	Ortsteil  string
	From, To  *time.Time
	// ViewerID is the person searching (0: nobody logged in): members-only
	// labs and their boards are found by their members only.
	ViewerID int64
}

// SearchHit is one result.
type SearchHit struct {
	Kind  string
	ID    int64
	Title string
	URL   string
	// Text is the searchable text the snippet is cut from.
	Text string
	// At is when a contribution was written or an event takes place.
	At *time.Time
}

// searchKind is how one kind is searched: the table with its search column
// (alias x) and what of it may be shown.
type searchKind struct {
	fts      string // SQLite FTS5 table (rowid = x.id)
	from     string // the searched table, aliased x
	joins    string // the tables joined to it
	cols     string // kind-specific columns: title, ref, ref2, text, at
	visible  string // WHERE part: what may be found
	chapter  string // column for the chapter filter, "" = kind excluded
	ortsteil string
	at       string // column for the period filter
	member   string // lab id column for the members-only check
}

var searchKinds = map[string]searchKind{
	SearchParagraph: {
		fts:  "search_paragraphs",
		from: "draft_blocks x",
		joins: ` JOIN draft_chapters ch ON ch.id = x.chapter_id AND ch.current_version_id = x.version_id
			JOIN draft_documents d ON d.id = ch.document_id`,
		cols:    "ch.title AS title, ch.slug AS ref, x.anchor AS ref2, x.text AS text, NULL AS at",
		visible: "d.published = TRUE",
		chapter: "ch.id",
	},
	SearchContribution: {
		fts:      "search_contributions",
		from:     "contributions x",
		joins:    " LEFT JOIN draft_chapters ch ON ch.id = x.chapter_id",
		cols:     "COALESCE(ch.title, '') AS title, CAST(x.number AS TEXT) AS ref, '' AS ref2, x.body || CASE WHEN x.answer_body <> '' THEN ' — ' || x.answer_body ELSE '' END AS text, x.created_at AS at",
		visible:  "x.status = 'published'",
		chapter:  "x.chapter_id",
		ortsteil: "x.ortsteil_code",
		at:       "x.created_at",
	},
	SearchEvent: {
		fts:     "search_events",
		from:    "events x",
		cols:    "x.title AS title, '' AS ref, '' AS ref2, x.description AS text, x.starts_at AS at",
		visible: "x.status IN ('published', 'cancelled')",
		at:      "x.starts_at",
	},
	SearchLab: {
		fts:     "search_labs",
		from:    "labs x",
		cols:    "x.title AS title, '' AS ref, '' AS ref2, x.description AS text, NULL AS at",
		visible: "x.status = 'active'",
		member:  "x.id",
	},
	SearchBoard: {
		fts:     "search_boards",
		from:    "boards x",
		joins:   " JOIN labs l ON l.id = x.lab_id",
		cols:    "x.title AS title, CAST(x.lab_id AS TEXT) AS ref, l.title AS ref2, l.title AS text, NULL AS at",
		visible: "l.status = 'active'",
		member:  "l.id",
	},
	SearchSurvey: {
		fts:     "search_surveys",
		from:    "surveys x",
		cols:    "x.title AS title, '' AS ref, '' AS ref2, x.intro AS text, NULL AS at",
		visible: "x.opens_at IS NOT NULL",
	},
	SearchPage: {
		fts:     "search_pages",
		from:    "content_blocks x",
		cols:    "x.title_de AS title, x.slug AS ref, '' AS ref2, x.body_de AS text, NULL AS at",
		visible: "x.section = 'page'",
	},
}

// SearchIncludes reports whether a kind can have results under a filter.
func SearchIncludes(kind string, f SearchFilter) bool {
	k, ok := searchKinds[kind]
	return ok && (f.ChapterID == 0 || k.chapter != "") && (f.Ortsteil == "" || k.ortsteil != "") &&
		(f.From == nil && f.To == nil || k.at != "")
}

// searchCandidate is a match with its rank (higher is better).
type searchCandidate struct {
	ID    int64
	Score float64
}

type searchRow struct {
	ID    int64
	Title string
	Ref   string
	Ref2  string
	Text  string
	At    *time.Time
}

// Search finds the results of one kind, best first (ties by id), and how
// many there are in all (up to SearchCountLimit+1, meaning more). The
// ranking is the database's: ts_rank on PostgreSQL, bm25 on SQLite, titles
// weighing more than text on both.
//
// Only the newest SearchCountLimit+1 matches are ranked: the same rows are
// counted, so one walk of the index in id order (newest first, which both
// indexes can stop early in) gives the count and the candidates, and a
// common word costs a thousand rank computations instead of one per match
// in the whole table. Below the limit this is exactly the best of all
// matches; above it, the best of the newest thousand, and only those can be
// paged through anyway. Text and titles are read for the shown page only.
func (s *Store) Search(ctx context.Context, kind string, q search.Query, f SearchFilter, offset, limit int) ([]SearchHit, int, error) {
	k, ok := searchKinds[kind]
	if !ok {
		return nil, 0, app.FieldInvalid("kind", "search.kind_invalid")
	}
	if q.Empty() || !SearchIncludes(kind, f) {
		return nil, 0, nil
	}
	var where []string
	var args []any
	from := k.from + k.joins
	if s.dialect == Postgres {
		where = append(where, "x.search_tsv @@ to_tsquery('german', ?)")
		args = append(args, q.TSQuery())
	} else {
		from = k.fts + " JOIN " + k.from + " ON x.id = " + k.fts + ".rowid" + k.joins
		where = append(where, k.fts+" MATCH ?")
		args = append(args, q.Match())
	}
	where = append(where, k.visible)
	if k.member != "" {
		if f.ViewerID == 0 {
			where = append(where, memberOpen(kind))
		} else {
			where = append(where, "("+memberOpen(kind)+" OR EXISTS (SELECT 1 FROM lab_members m WHERE m.lab_id = "+k.member+" AND m.user_id = ?))")
			args = append(args, f.ViewerID)
		}
	}
	if f.ChapterID != 0 {
		where = append(where, k.chapter+" = ?")
		args = append(args, f.ChapterID)
	}
	if f.Ortsteil != "" {
		where = append(where, k.ortsteil+" = ?")
		args = append(args, f.Ortsteil)
	}
	if f.From != nil {
		where = append(where, k.at+" >= ?")
		args = append(args, *f.From)
	}
	if f.To != nil {
		where = append(where, k.at+" < ?")
		args = append(args, *f.To)
	}
	cond := strings.Join(where, " AND ")
	// The shown rows are read again under the same rules but the text
	// match, so a row hidden meanwhile stays out.
	rules, ruleArgs := strings.Join(where[1:], " AND "), args[1:]
	candArgs := append([]any{}, args...)
	var cands []searchCandidate
	var sql string
	if s.dialect == Postgres {
		// The rank is computed outside the limited subquery, so for the
		// candidates only, whichever plan finds them.
		sql = "SELECT t.id AS id, ts_rank(t.search_tsv, to_tsquery('german', ?)) AS score FROM (SELECT x.id, x.search_tsv FROM " +
			from + " WHERE " + cond + " ORDER BY x.id DESC LIMIT ?) t"
		candArgs = append([]any{q.TSQuery()}, candArgs...)
	} else {
		// bm25 is smaller for better matches; negated it sorts like ts_rank.
		// FTS5 walks its doclists newest first and computes bm25 only for
		// the rows the limit lets through.
		sql = "SELECT x.id AS id, -bm25(" + k.fts + ", 4.0, 1.0) AS score FROM " + from + " WHERE " + cond +
			" ORDER BY " + k.fts + ".rowid DESC LIMIT ?"
	}
	candArgs = append(candArgs, SearchCountLimit+1)
	if err := s.scanRaw(ctx, &cands, sql, candArgs...); err != nil {
		return nil, 0, fmt.Errorf("search %s: %w", kind, err)
	}
	total := len(cands)
	if offset >= total {
		return nil, total, nil
	}
	slices.SortFunc(cands, func(a, b searchCandidate) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	page := cands[offset:min(total, offset+limit)]
	ids := make([]int64, len(page))
	for i, c := range page {
		ids[i] = c.ID
	}
	var found []searchRow
	rowArgs := append(append([]any{}, ruleArgs...), ids)
	if err := s.scanRaw(ctx, &found, "SELECT x.id AS id, "+k.cols+" FROM "+k.from+k.joins+" WHERE "+rules+" AND x.id IN ?", rowArgs...); err != nil {
		return nil, 0, fmt.Errorf("search %s: %w", kind, err)
	}
	byID := make(map[int64]searchRow, len(found))
	for _, r := range found {
		byID[r.ID] = r
	}
	rows := make([]searchRow, 0, len(ids))
	for _, id := range ids {
		if r, ok := byID[id]; ok {
			rows = append(rows, r)
		}
	}
	hits := make([]SearchHit, len(rows))
	for i, r := range rows {
		hits[i] = SearchHit{Kind: kind, ID: r.ID, Title: r.Title, Text: r.Text, At: r.At}
		switch kind {
		case SearchParagraph:
			hits[i].URL = "/entwurf/" + r.Ref + "#" + r.Ref2
		case SearchContribution:
			var n int64
			fmt.Sscan(r.Ref, &n)
			number := app.FormatContributionNumber(n)
			hits[i].URL = "/beitraege/" + number
			if r.Title != "" {
				hits[i].Title = number + " · " + r.Title
			} else {
				hits[i].Title = number
			}
		case SearchEvent:
			hits[i].URL = fmt.Sprintf("/veranstaltungen/%d", r.ID)
		case SearchLab:
			hits[i].URL = fmt.Sprintf("/labs/%d", r.ID)
		case SearchBoard:
			hits[i].URL = fmt.Sprintf("/labs/%s/boards/%d", r.Ref, r.ID)
			hits[i].Title = r.Title + " · " + r.Ref2
		case SearchSurvey:
			hits[i].URL = fmt.Sprintf("/umfragen/%d", r.ID)
		case SearchPage:
			hits[i].URL = "/" + r.Ref
		}
	}
	return hits, total, nil
}

// memberOpen is the condition that a lab (of a lab or board result) is
// open to everyone.
func memberOpen(kind string) string {
	if kind == SearchBoard {
		return "l.open = TRUE"
	}
	return "x.open = TRUE"
}
