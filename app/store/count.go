package store

import (
	"context"
	"sync/atomic"

	"gorm.io/gorm"
)

type queryCounterKey struct{}

// CountQueries returns a context that counts every statement the store runs
// with it. Tests use it to prove that a page needs a bounded number of queries.
func CountQueries(ctx context.Context) (context.Context, *atomic.Int64) {
	n := new(atomic.Int64)
	return context.WithValue(ctx, queryCounterKey{}, n), n
}

func registerQueryCounter(db *gorm.DB) {
	count := func(tx *gorm.DB) {
		if tx.Statement == nil || tx.Statement.Context == nil {
			return
		}
		if n, ok := tx.Statement.Context.Value(queryCounterKey{}).(*atomic.Int64); ok {
			n.Add(1)
		}
	}
	cb := db.Callback()
	_ = cb.Query().After("gorm:query").Register("mitwirken:count_query", count)
	_ = cb.Create().After("gorm:create").Register("mitwirken:count_create", count)
	_ = cb.Update().After("gorm:update").Register("mitwirken:count_update", count)
	_ = cb.Delete().After("gorm:delete").Register("mitwirken:count_delete", count)
	_ = cb.Row().After("gorm:row").Register("mitwirken:count_row", count)
	_ = cb.Raw().After("gorm:raw").Register("mitwirken:count_raw", count)
}
