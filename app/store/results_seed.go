package store

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
)

// InsertContributionsBulk stores synthetic contributions for demos and
// benchmarks (`mitwirken seed --demo --contributions N`) in batches,
// skipping the checks of CreateContribution: the caller builds valid rows.
// Numbers are reserved in one step and assigned in order; tags are codes of
// Handlungsschwerpunkte and themes.
func (s *Store) InsertContributionsBulk(ctx context.Context, rows []*app.Contribution) error {
	if len(rows) == 0 {
		return nil
	}
	return s.Tx(ctx, func(tx *Store) error {
		if err := tx.q(ctx).Exec("UPDATE contribution_counter SET last_number = last_number + ? WHERE id = 1", len(rows)).Error; err != nil {
			return tx.err(err)
		}
		var last int64
		if err := tx.scanRaw(ctx, &last, "SELECT last_number FROM contribution_counter WHERE id = 1"); err != nil {
			return tx.err(err)
		}
		first := last - int64(len(rows)) + 1
		var codes []string
		for i, c := range rows {
			c.ID, c.Number = 0, first+int64(i)
			if c.BodyHash == "" {
				c.BodyHash = app.BodyHashOf(c.Body)
			}
			codes = append(codes, c.Tags...)
		}
		if err := tx.q(ctx).CreateInBatches(rows, 400).Error; err != nil {
			return tx.err(err)
		}
		bodies := make(map[int64]string, len(rows))
		for _, c := range rows {
			bodies[c.ID] = c.Body
		}
		if err := tx.indexSimilarMany(ctx, bodies); err != nil {
			return err
		}
		kinds, err := tx.tagKinds(ctx, unique(codes))
		if err != nil {
			return err
		}
		var tags []contributionTag
		for _, c := range rows {
			for _, t := range unique(c.Tags) {
				if kinds[t] != "" {
					tags = append(tags, contributionTag{ContributionID: c.ID, Kind: kinds[t], Code: t})
				}
			}
		}
		if len(tags) > 0 {
			return tx.err(tx.q(ctx).CreateInBatches(tags, 1000).Error)
		}
		return nil
	})
}

// Analyze refreshes the planner statistics after a bulk insert (ANALYZE on
// both databases).
func (s *Store) Analyze(ctx context.Context) error {
	return s.err(s.q(ctx).Exec("ANALYZE").Error)
}
