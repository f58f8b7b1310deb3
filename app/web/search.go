package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/search"
	"github.com/mitwirken/mitwirken/app/store"
)

// How many results the search shows: per kind on the overview, and per
// page of one kind (page and API).
const (
	searchPerKind = 5
	searchPerPage = 20
	maxSearchPage = 500
)

func (s *Server) searchRoutes() {
	s.e.GET("/suche", s.searchPage)
	s.apiGroup().GET("/search", s.apiSearch)
}

// searchInput is a search as the form and the API send it.
type searchInput struct {
	Q        string
	Kind     string
	Chapter  string
	Ortsteil string
	From, To string
	Page     int
}

// searchRequest is a checked search.
type searchRequest struct {
	In     searchInput
	Query  search.Query
	Filter store.SearchFilter
}

func readSearch(c echo.Context) searchInput {
	return searchInput{
		Q: c.QueryParam("q"), Kind: c.QueryParam("art"), Chapter: c.QueryParam("kapitel"), Ortsteil: c.QueryParam("ortsteil"),
		From: c.QueryParam("von"), To: c.QueryParam("bis"), Page: min(queryInt(c, "page", 1), maxSearchPage),
	}
}

// check validates a search; every problem is a message next to its field.
func (s *Server) checkSearch(ctx context.Context, in searchInput, viewer *app.User) (*searchRequest, error) {
	var v app.Validator
	r := &searchRequest{In: in}
	if utf8.RuneCountInString(in.Q) > search.MaxQueryLen {
		v.Add("q", "search.q_too_long", "Max", search.MaxQueryLen)
	}
	if in.Kind != "" && !validSearchKind(in.Kind) {
		v.Add("art", "search.kind_invalid")
	}
	if in.Chapter != "" {
		id, err := strconv.ParseInt(in.Chapter, 10, 64)
		if err != nil || id <= 0 || len(in.Chapter) > 19 {
			v.Add("kapitel", "search.chapter_invalid")
		} else {
			r.Filter.ChapterID = id
		}
	}
	if in.Ortsteil != "" {
		if _, ok := s.ref.Ortsteil(in.Ortsteil); !ok || len(in.Ortsteil) > 8 {
			v.Add("ortsteil", "form.ortsteil_unknown")
		} else {
			r.Filter.Ortsteil = in.Ortsteil
		}
	}
	day := func(field, value string, next bool) *time.Time {
		if value == "" {
			return nil
		}
		d, err := time.ParseInLocation("2006-01-02", value, app.Berlin)
		if err != nil || len(value) != 10 {
			v.Add(field, "search.date_invalid")
			return nil
		}
		if next {
			d = d.AddDate(0, 0, 1)
		}
		return &d
	}
	r.Filter.From, r.Filter.To = day("von", in.From, false), day("bis", in.To, true)
	if r.Filter.From != nil && r.Filter.To != nil && !r.Filter.From.Before(*r.Filter.To) {
		v.Add("bis", "search.period_order")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if viewer != nil {
		r.Filter.ViewerID = viewer.ID
	}
	r.Query = search.Parse(in.Q)
	return r, nil
}

func validSearchKind(k string) bool {
	for _, x := range store.SearchKinds {
		if x == k {
			return true
		}
	}
	return false
}

// searchGroup is the results of one kind.
type searchGroup struct {
	Kind  string
	Total int
	// Capped: more than Total (store.SearchCountLimit) results.
	Capped bool
	Hits   []searchResult
	// More links to all results of the kind (overview only).
	More string
}

type searchResult struct {
	store.SearchHit
	Snippet template.HTML
}

// searchPageData is the search page.
type searchPageData struct {
	In       searchInput
	Searched bool
	Groups   []searchGroup
	Total    int
	// Capped: some kind has more results than were counted.
	Capped   bool
	Chapters []app.DraftChapter
	Kinds    []string
	// Pagination of one kind (a kind chosen).
	Pagination pagination
}

// run searches every kind (overview: the best few of each) or one kind
// (a page of it).
func (s *Server) runSearch(ctx context.Context, r *searchRequest, perKind int) ([]searchGroup, int, error) {
	kinds := store.SearchKinds
	offset := 0
	if r.In.Kind != "" {
		kinds = []string{r.In.Kind}
		offset = (max(r.In.Page, 1) - 1) * perKind
	}
	var groups []searchGroup
	total := 0
	for _, k := range kinds {
		hits, n, err := s.store.Search(ctx, k, r.Query, r.Filter, offset, perKind)
		if err != nil {
			return nil, 0, err
		}
		total += min(n, store.SearchCountLimit)
		if n == 0 {
			continue
		}
		g := searchGroup{Kind: k, Total: min(n, store.SearchCountLimit), Capped: n > store.SearchCountLimit}
		for _, h := range hits {
			g.Hits = append(g.Hits, searchResult{SearchHit: h, Snippet: search.Snippet(h.Text, r.Query)})
		}
		if r.In.Kind == "" && n > len(hits) {
			q := r.In.values()
			q.Set("art", k)
			g.More = "/suche?" + q.Encode()
		}
		groups = append(groups, g)
	}
	return groups, total, nil
}

// values are the search's parameters (without the page) for links.
func (in searchInput) values() url.Values {
	q := url.Values{}
	for k, v := range map[string]string{"q": in.Q, "art": in.Kind, "kapitel": in.Chapter, "ortsteil": in.Ortsteil, "von": in.From, "bis": in.To} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return q
}

func (s *Server) searchPage(c echo.Context) error {
	ctx := c.Request().Context()
	in := readSearch(c)
	d := &searchPageData{In: in, Kinds: store.SearchKinds}
	docs, err := s.store.Documents(ctx, true)
	if err != nil {
		return err
	}
	for _, doc := range docs {
		chs, err := s.store.Chapters(ctx, doc.ID)
		if err != nil {
			return err
		}
		d.Chapters = append(d.Chapters, chs...)
	}
	r, err := s.checkSearch(ctx, in, currentUser(c))
	if err != nil {
		return s.renderTitled(c, "search/search", localizer(c).T("search.title"), d, err)
	}
	if !r.Query.Empty() {
		d.Searched = true
		per := searchPerKind
		if in.Kind != "" {
			per = searchPerPage
		}
		if d.Groups, d.Total, err = s.runSearch(ctx, r, per); err != nil {
			return err
		}
		for _, g := range d.Groups {
			d.Capped = d.Capped || g.Capped
		}
		if in.Kind != "" {
			d.Pagination = pagination{Page: max(in.Page, 1), PerPage: searchPerPage, Total: int64(d.Total), Base: in.values(), Path: "/suche"}
		}
	} else if in.Q != "" {
		d.Searched = true
	}
	return s.renderTitled(c, "search/search", localizer(c).T("search.title"), d, nil)
}

// SearchKindName names a kind of result (singular heading of its group).
func (v *View) SearchKindName(kind string) string { return v.T("search.kind." + kind) }

// apiSearchResult is one result of GET /api/v1/search.
type apiSearchResult struct {
	Kind  string `json:"kind"`
	Title string `json:"title"`
	URL   string `json:"url"`
	// Snippet is HTML: the text escaped, the matching words in <mark>.
	Snippet string     `json:"snippet"`
	At      *time.Time `json:"at,omitempty"`
}

type apiSearchResponse struct {
	Query string `json:"query"`
	Total int    `json:"total"`
	// TotalCapped: some kind has more than 1,000 results; Total counts
	// 1,000 of them.
	TotalCapped bool              `json:"total_capped"`
	Page        int               `json:"page"`
	Results     []apiSearchResult `json:"results"`
}

// apiSearch is GET /api/v1/search?q=…: the results of every kind, best of
// each kind first, kind by kind in page order (one kind with kind=…, then
// paged by page=, 20 a page).
func (s *Server) apiSearch(c echo.Context) error {
	ctx := c.Request().Context()
	in := readSearch(c)
	in.Kind = c.QueryParam("kind")
	for api, form := range map[string]*string{"chapter": &in.Chapter, "ortsteil": &in.Ortsteil, "from": &in.From, "to": &in.To} {
		if v := c.QueryParam(api); v != "" {
			*form = v
		}
	}
	r, err := s.checkSearch(ctx, in, currentUser(c))
	if err != nil {
		return err
	}
	out := apiSearchResponse{Query: in.Q, Page: max(in.Page, 1), Results: []apiSearchResult{}}
	if !r.Query.Empty() {
		groups, total, err := s.runSearch(ctx, r, searchPerPage)
		if err != nil {
			return err
		}
		out.Total = total
		for _, g := range groups {
			out.TotalCapped = out.TotalCapped || g.Capped
			for _, h := range g.Hits {
				out.Results = append(out.Results, apiSearchResult{Kind: h.Kind, Title: h.Title, URL: h.URL, Snippet: string(h.Snippet), At: h.At})
			}
		}
	}
	return c.JSON(http.StatusOK, out)
}

// DateValue is a date for a date field: as sent when it is one
// (YYYY-MM-DD), else empty (a date field holds nothing else).
func (in searchInput) DateValue(s string) string {
	if _, err := time.Parse("2006-01-02", s); err != nil || len(s) != 10 {
		return ""
	}
	return s
}
