package notify

import (
	"context"
	"fmt"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
)

// berlin is the time zone whose days and weeks the digests follow.
var berlin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// Period is one closed digest period: the notifications made before End
// that wait for a digest of Mode.
type Period struct {
	Mode string
	Key  string
	End  time.Time
}

// ClosedPeriods are the latest closed daily and weekly periods at now: the
// day before today and the ISO week before this one, in Berlin time.
func ClosedPeriods(now time.Time) []Period {
	t := now.In(berlin)
	today := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, berlin)
	yesterday := today.AddDate(0, 0, -1)
	monday := today.AddDate(0, 0, -((int(today.Weekday()) + 6) % 7))
	year, week := monday.AddDate(0, 0, -7).ISOWeek()
	return []Period{
		{Mode: app.MailDaily, Key: "daily:" + yesterday.Format("2006-01-02"), End: today},
		{Mode: app.MailWeekly, Key: fmt.Sprintf("weekly:%04d-W%02d", year, week), End: monday},
	}
}

// RunJobs builds the digests of the closed periods; errors are logged.
func (s *Service) RunJobs(ctx context.Context) {
	n, err := s.RunDigests(ctx, s.Store.Now())
	if err != nil {
		s.Log.Warn("notification digests failed", "err", err)
	} else if n > 0 {
		s.Log.Info("notification digests queued", "count", n)
	}
}

// RunDigests builds every digest due at now and returns how many it queued.
// Several instances may run it at once: each recipient's digest of a period
// is claimed by one of them (a unique row, see store.ClaimDigest) in the
// transaction that writes its one outbox entry, so it is built once and a
// failed delivery is retried from that entry, never built again.
func (s *Service) RunDigests(ctx context.Context, now time.Time) (int, error) {
	if s.Mail == nil {
		return 0, nil
	}
	queued := 0
	for _, p := range ClosedPeriods(now) {
		users, err := s.Store.DigestRecipients(ctx, p.End)
		if err != nil {
			return queued, err
		}
		for _, uid := range users {
			ok, err := s.BuildDigest(ctx, uid, p)
			if err != nil {
				return queued, err
			}
			if ok {
				queued++
			}
		}
	}
	if queued > 0 {
		s.Wake()
	}
	return queued, nil
}

// DigestItem is one line of a digest mail.
type DigestItem struct {
	Kind, Title, Link string
	At                time.Time
}

// BuildDigest queues one recipient's digest for a period, if it has items
// and nobody built it yet. It reports whether it queued one.
func (s *Service) BuildDigest(ctx context.Context, userID int64, p Period) (bool, error) {
	queued := false
	err := s.Store.Tx(ctx, func(tx *store.Store) error {
		prefs, err := tx.NotifyPrefs(ctx, userID)
		if err != nil {
			return err
		}
		var kinds []string
		for _, k := range app.NotifyKinds {
			if prefs[k] == p.Mode {
				kinds = append(kinds, k)
			}
		}
		items, err := tx.DigestItems(ctx, userID, kinds, p.End, MaxDigestItems)
		if err != nil || len(items) == 0 {
			return err
		}
		id, ok, err := tx.ClaimDigest(ctx, userID, p.Key)
		if err != nil || !ok {
			return err
		}
		u, err := tx.UserByID(ctx, userID)
		if err != nil {
			return err
		}
		ids := make([]int64, len(items))
		for i, n := range items {
			ids[i] = n.ID
		}
		if u.Erased() || u.EmailAddress() == "" {
			return tx.FinishDigest(ctx, id, nil, ids)
		}
		lines := make([]DigestItem, len(items))
		for i, n := range items {
			lines[i] = DigestItem{Kind: n.Kind, Title: n.Title, Link: n.URL, At: n.CreatedAt}
		}
		m, err := s.compose("notify_digest", u, "digest:"+p.Mode, map[string]any{
			"Mode": p.Mode, "Items": lines, "Count": len(lines),
		})
		if err != nil {
			return err
		}
		if err := tx.EnqueueMail(ctx, m); err != nil {
			return err
		}
		queued = true
		return tx.FinishDigest(ctx, id, &m.ID, ids)
	})
	return queued, err
}
