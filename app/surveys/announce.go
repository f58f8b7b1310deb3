package surveys

import (
	"context"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/notify"
	"github.com/mitwirken/mitwirken/app/store"
)

// JobInterval is how often every instance looks for surveys that opened
// (seconds). Openings are a date, not an action, so a job announces them.
const JobInterval = 60

// RunJobs runs the background jobs once; errors are logged.
func (s *Service) RunJobs(ctx context.Context) {
	n, err := s.AnnounceOpened(ctx)
	if err != nil {
		s.Log.Warn("surveys job failed", "job", "announce opened", "err", err)
	} else if n > 0 {
		s.Log.Info("surveys job done", "job", "announce opened", "count", n)
	}
}

// AnnounceOpened tells the followers of each survey that has opened, and
// of its chapter and event, exactly once: the survey is claimed (a
// conditional update) in the transaction that publishes the notification,
// so of several instances one announces it and a failed run retries.
func (s *Service) AnnounceOpened(ctx context.Context) (int, error) {
	if s.Notify == nil {
		return 0, nil
	}
	now := s.Store.Now()
	due, err := s.Store.SurveysToAnnounce(ctx, now, 50)
	if err != nil {
		return 0, err
	}
	announced, wake := 0, false
	for i := range due {
		sv := &due[i]
		var linked []app.Follow
		if sv.ChapterID != nil {
			linked = append(linked, notify.Target(app.FollowChapter, *sv.ChapterID))
		}
		if sv.EventID != nil {
			linked = append(linked, notify.Target(app.FollowEvent, *sv.EventID))
		}
		err := s.Store.Tx(ctx, func(tx *store.Store) error {
			claimed, err := tx.ClaimSurveyAnnouncement(ctx, sv.ID, now)
			if err != nil || !claimed {
				return err
			}
			announced++
			mailed, err := s.Notify.SurveyOpened(ctx, tx, sv.ID, sv.Title, nil, linked...)
			wake = wake || mailed
			return err
		})
		if err != nil {
			return announced, err
		}
	}
	if wake {
		s.Notify.Wake()
	}
	return announced, nil
}
