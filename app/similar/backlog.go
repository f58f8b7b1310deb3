package similar

import "context"

// Indexer is what the backlog job needs of the store.
type Indexer interface {
	// IndexSimilarBacklog indexes up to limit contributions without a
	// current fingerprint and returns how many it indexed.
	IndexSimilarBacklog(ctx context.Context, limit int) (int, error)
}

// BacklogBatch is how many contributions one transaction of the backlog job
// indexes: small enough not to hold locks long, large enough to be quick.
const BacklogBatch = 500

// IndexBacklog indexes every contribution without a current fingerprint in
// batches, calling progress (if not nil) after each, and returns the
// number indexed. It stops early when ctx ends. Instances may run it at once.
func IndexBacklog(ctx context.Context, ix Indexer, progress func(done int)) (int, error) {
	total := 0
	for ctx.Err() == nil {
		n, err := ix.IndexSimilarBacklog(ctx, BacklogBatch)
		if err != nil {
			return total, err
		}
		if n == 0 {
			break
		}
		total += n
		if progress != nil {
			progress(total)
		}
	}
	return total, ctx.Err()
}
