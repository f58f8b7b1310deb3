package store

import "context"

// scanRaw runs a raw statement and scans its rows into dest, as gorm's
// Raw(…).Scan(dest) does. gorm's Scan, however, renders the statement with
// all its values into text for its logger on every call, logger discarded
// or not: in the registration rush that was a tenth of the application's
// CPU (issue 16), the mail's 3 KB of template data included.
func (s *Store) scanRaw(ctx context.Context, dest any, query string, args ...any) error {
	db := s.q(ctx)
	rows, err := db.Raw(query, args...).Rows()
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		if err := db.ScanRows(rows, dest); err != nil {
			return err
		}
	}
	return rows.Err()
}
