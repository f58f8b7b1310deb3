package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"gorm.io/gorm/clause"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/similar"
)

// maxSimilarCandidates bounds the candidates reranked for one contribution:
// those sharing the most band keys (the best estimate of the similarity the
// index has) are kept, so that a text repeated hundreds of times (a
// campaign letter) costs no more than a unique one.
const maxSimilarCandidates = 200

// maxBandPostings bounds the rows read per band key. A key shared by very
// many texts comes from a word nearly every contribution uses; it says
// little, and reading all its rows would make one query read a large part
// of the table. With the bound one query reads at most
// similar.Bands × maxBandPostings index entries, however large the table.
const maxBandPostings = 250

type similarFingerprint struct {
	ContributionID int64 `gorm:"primaryKey;autoIncrement:false"`
	Version        int
	Terms          string
}

func (similarFingerprint) TableName() string { return "similar_fingerprints" }

type similarBand struct {
	BandKey        int64
	ContributionID int64
}

func (similarBand) TableName() string { return "similar_bands" }

// indexSimilar writes the fingerprint of a contribution's text; callers
// run it in the transaction that writes the text, so the index never
// disagrees with a committed text. An empty text (withdrawn) leaves a
// fingerprint without terms and band keys: it is indexed and never found.
func (s *Store) indexSimilar(ctx context.Context, id int64, body string) error {
	return s.indexSimilarMany(ctx, map[int64]string{id: body})
}

func (s *Store) indexSimilarMany(ctx context.Context, bodies map[int64]string) error {
	if len(bodies) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(bodies))
	prints := make([]similarFingerprint, 0, len(bodies))
	var bands []similarBand
	for id, body := range bodies {
		fp := similar.Analyze(body)
		ids = append(ids, id)
		prints = append(prints, similarFingerprint{ContributionID: id, Version: similar.Version, Terms: similar.JoinTerms(fp.Terms)})
		for _, k := range fp.Bands {
			bands = append(bands, similarBand{BandKey: k, ContributionID: id})
		}
	}
	if err := s.q(ctx).Where("contribution_id IN ?", ids).Delete(&similarBand{}).Error; err != nil {
		return s.err(err)
	}
	upsert := clause.OnConflict{Columns: []clause.Column{{Name: "contribution_id"}}, DoUpdates: clause.AssignmentColumns([]string{"version", "terms"})}
	if err := s.q(ctx).Clauses(upsert).CreateInBatches(prints, 500).Error; err != nil {
		return s.err(err)
	}
	if len(bands) == 0 {
		return nil
	}
	// In key order the inserts touch neighbouring index pages (a bulk
	// insert of thousands of texts would otherwise hit pages at random).
	slices.SortFunc(bands, func(a, b similarBand) int { return cmp.Compare(a.BandKey, b.BandKey) })
	// Two texts can share a key: a key is (band, smallest hash), not unique
	// to one text. The primary key is (key, contribution), and a concurrent
	// index job writing the same row is harmless.
	return s.err(s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).CreateInBatches(bands, 1000).Error)
}

// IndexSimilarBacklog computes the fingerprints of up to limit
// contributions that have none or one of an older similar.Version (rows
// from before the feature, or after a change of the method) and returns
// how many it wrote. Several instances may run it at once: each row is
// locked and checked again before it is written, and an edit of the text
// waits for (or is waited for by) it.
func (s *Store) IndexSimilarBacklog(ctx context.Context, limit int) (int, error) {
	var ids []int64
	err := s.q(ctx).Table("contributions c").Select("c.id").
		Joins("LEFT JOIN similar_fingerprints f ON f.contribution_id = c.id").
		Where("f.contribution_id IS NULL OR f.version <> ?", similar.Version).
		Order("c.id").Limit(limit).Pluck("c.id", &ids).Error
	if err != nil || len(ids) == 0 {
		return 0, s.err(err)
	}
	n := 0
	err = s.Tx(ctx, func(tx *Store) error {
		if err := tx.lockContributionsInOrder(ctx, ids); err != nil {
			return err
		}
		var rows []struct {
			ID   int64
			Body string
		}
		err := tx.q(ctx).Table("contributions c").Select("c.id, c.body").
			Joins("LEFT JOIN similar_fingerprints f ON f.contribution_id = c.id").
			Where("c.id IN ? AND (f.contribution_id IS NULL OR f.version <> ?)", ids, similar.Version).Scan(&rows).Error
		if err != nil {
			return tx.err(err)
		}
		bodies := make(map[int64]string, len(rows))
		for _, r := range rows {
			bodies[r.ID] = r.Body
		}
		n = len(bodies)
		return tx.indexSimilarMany(ctx, bodies)
	})
	return n, err
}

// lockContributionsInOrder locks the rows of the contributions for the
// transaction, in id order on PostgreSQL: an UPDATE … WHERE id IN locks
// them in whatever order its plan visits them (the table's physical order
// when it scans), so two jobs with overlapping sets could each hold a row
// the other waits for (a deadlock seen in TestSimilarBacklogAcrossInstances).
// SQLite locks the whole database for a write transaction anyway.
func (s *Store) lockContributionsInOrder(ctx context.Context, ids []int64) error {
	if s.dialect != Postgres {
		return s.err(s.q(ctx).Exec("UPDATE contributions SET updated_at = updated_at WHERE id IN ?", ids).Error)
	}
	var locked []int64
	return s.err(s.scanRaw(ctx, &locked, "SELECT id FROM contributions WHERE id IN ? ORDER BY id FOR UPDATE", ids))
}

// OutdateSimilarIndex marks every fingerprint as outdated, so that the
// background job (or `mitwirken similar reindex`) recomputes all of them.
func (s *Store) OutdateSimilarIndex(ctx context.Context) error {
	return s.err(s.q(ctx).Model(&similarFingerprint{}).Where("1 = 1").Update("version", 0).Error)
}

// SimilarBacklog counts the contributions whose fingerprint is missing or
// outdated.
func (s *Store) SimilarBacklog(ctx context.Context) (int64, error) {
	var n int64
	err := s.q(ctx).Table("contributions c").Joins("LEFT JOIN similar_fingerprints f ON f.contribution_id = c.id").
		Where("f.contribution_id IS NULL OR f.version <> ?", similar.Version).Count(&n).Error
	return n, s.err(err)
}

// SimilarContribution is one suggestion: another contribution and how
// similar its text is (0–1).
type SimilarContribution struct {
	*ContributionView
	Score float64
	// Likely is true from similar.Threshold on ("mögliche Doppelung").
	Likely bool
}

// Percent is the score in whole percent, as pages show it.
func (c SimilarContribution) Percent() int { return int(c.Score*100 + 0.5) }

// SimilarContributions returns the up to n contributions whose texts are
// most similar to the given one's, best first, withdrawn ones left out.
// Candidates come from one indexed query on the band keys; they are
// reranked by similar.Score. A contribution not indexed yet is analysed on
// the fly (nothing is written).
func (s *Store) SimilarContributions(ctx context.Context, id int64, n int) ([]SimilarContribution, error) {
	var body string
	if err := s.q(ctx).Model(&app.Contribution{}).Where("id = ?", id).Pluck("body", &body).Error; err != nil {
		return nil, s.err(err)
	}
	fp := similar.Analyze(body)
	if len(fp.Bands) == 0 {
		return nil, nil
	}
	ids, err := s.similarCandidates(ctx, id, fp.Bands)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	var prints []similarFingerprint
	err = s.q(ctx).Table("similar_fingerprints f").Select("f.contribution_id, f.terms").
		Joins("JOIN contributions c ON c.id = f.contribution_id").
		Where("f.contribution_id IN ? AND c.status <> ?", ids, app.StatusWithdrawn).Scan(&prints).Error
	if err != nil {
		return nil, s.err(err)
	}
	candidates := make(map[int64][]string, len(prints))
	for _, p := range prints {
		candidates[p.ContributionID] = similar.SplitTerms(p.Terms)
	}
	ranked := similar.Rank(fp.Terms, candidates, n)
	ids = ids[:0]
	for _, m := range ranked {
		ids = append(ids, m.ID)
	}
	views, err := s.ContributionViews(ctx, ids)
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]similar.Match, len(ranked))
	for _, m := range ranked {
		byID[m.ID] = m
	}
	out := make([]SimilarContribution, 0, len(views))
	for _, v := range views {
		m := byID[v.ID]
		out = append(out, SimilarContribution{ContributionView: v, Score: m.Score, Likely: m.Likely()})
	}
	return out, nil
}

// similarCandidates is the one indexed query: for each band key the newest
// maxBandPostings contributions sharing it (a backward range scan of the
// primary key), counted per contribution; the maxSimilarCandidates sharing
// the most keys are returned.
func (s *Store) similarCandidates(ctx context.Context, id int64, keys []int64) ([]int64, error) {
	var sql strings.Builder
	args := make([]any, 0, 2*len(keys)+1)
	sql.WriteString("SELECT contribution_id FROM (")
	for i, k := range keys {
		if i > 0 {
			sql.WriteString(" UNION ALL ")
		}
		fmt.Fprintf(&sql, "SELECT contribution_id FROM (SELECT contribution_id FROM similar_bands WHERE band_key = ? AND contribution_id <> ? ORDER BY contribution_id DESC LIMIT %d) b%d", maxBandPostings, i)
		args = append(args, k, id)
	}
	fmt.Fprintf(&sql, ") hits GROUP BY contribution_id ORDER BY COUNT(*) DESC, contribution_id DESC LIMIT %d", maxSimilarCandidates)
	var ids []int64
	err := s.scanRaw(ctx, &ids, sql.String(), args...)
	return ids, s.err(err)
}
