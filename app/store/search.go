package store

import (
	"context"
	"database/sql/driver"
	"fmt"
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
	SearchPage         = "page"
)

// SearchCountLimit is how far results are counted: a total above it means
// "more than SearchCountLimit", and only that many can be paged through.
const SearchCountLimit = 1000

// SearchKinds lists every kind in page order.
var SearchKinds = []string{SearchParagraph, SearchContribution, SearchEvent, SearchLab, SearchBoard, SearchPage}

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

type searchRow struct {
	ID    int64
	Title string
	Ref   string
	Ref2  string
	Text  string
	At    *time.Time
}

// Search finds the results of one kind, best first (ties by id), and how
// many there are in all (up to SearchCountLimit+1, meaning more). The ranking is the database's: ts_rank on
// PostgreSQL, bm25 on SQLite, titles weighing more than text on both.
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
	var order string
	if s.dialect == Postgres {
		where = append(where, "x.search_tsv @@ to_tsquery('german', ?)")
		args = append(args, q.TSQuery())
		order = "ts_rank(x.search_tsv, to_tsquery('german', ?)) DESC, x.id"
	} else {
		from = k.fts + " JOIN " + k.from + " ON x.id = " + k.fts + ".rowid" + k.joins
		where = append(where, k.fts+" MATCH ?")
		args = append(args, q.Match())
		order = "bm25(" + k.fts + ", 4.0, 1.0), x.id"
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
	// Counting stops after SearchCountLimit: "more than 1,000" is all a
	// reader needs, and counting every match of a common word would cost
	// more than finding the best ones.
	var total int64
	countArgs := append(append([]any{}, args...), SearchCountLimit+1)
	if err := s.q(ctx).Raw("SELECT count(*) FROM (SELECT 1 FROM "+from+" WHERE "+cond+" LIMIT ?) t", countArgs...).Scan(&total).Error; err != nil {
		return nil, 0, fmt.Errorf("search %s: %w", kind, err)
	}
	if total == 0 || offset >= int(total) {
		return nil, int(total), nil
	}
	pageArgs := append([]any{}, args...)
	if s.dialect == Postgres {
		pageArgs = append(pageArgs, q.TSQuery())
	}
	pageArgs = append(pageArgs, limit, offset)
	var rows []searchRow
	err := s.q(ctx).Raw("SELECT x.id AS id, "+k.cols+" FROM "+from+" WHERE "+cond+" ORDER BY "+order+" LIMIT ? OFFSET ?", pageArgs...).Scan(&rows).Error
	if err != nil {
		return nil, 0, fmt.Errorf("search %s: %w", kind, err)
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
		case SearchPage:
			hits[i].URL = "/" + r.Ref
		}
	}
	return hits, int(total), nil
}

// memberOpen is the condition that a lab (of a lab or board result) is
// open to everyone.
func memberOpen(kind string) string {
	if kind == SearchBoard {
		return "l.open = TRUE"
	}
	return "x.open = TRUE"
}
