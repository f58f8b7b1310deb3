package store

import "context"

// PageNotifyChannel is the PostgreSQL channel on which the triggers of
// migration 1200 announce that content of a page scope changed (payload:
// "draft", "events", "labs" or "all").
const PageNotifyChannel = "mitwirken_pages"

// PageVersion is the SQLite counter of a page scope that the triggers of
// migration 1200 move on with every change. PostgreSQL has no such row (its
// instances learn of changes through PageNotifyChannel), so there it is 0.
func (s *Store) PageVersion(ctx context.Context, scope string) (int64, error) {
	if s.dialect != SQLite {
		return 0, nil
	}
	var v int64
	return v, s.err(s.scanRaw(ctx, &v, "SELECT version FROM page_versions WHERE scope = ?", scope))
}
