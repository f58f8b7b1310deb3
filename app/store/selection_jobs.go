package store

import (
	"context"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// SelectionJobLease is how long a running draw computation may take before
// another instance assumes its instance died and takes the job over.
const SelectionJobLease = 10 * time.Minute

// RequestDraw closes applications, freezes the pool and queues the
// computation of the draw (leximin can take seconds, so it runs in the
// background). Only one request per event can be open.
func (s *Store) RequestDraw(ctx context.Context, actor *app.User, eventID int64, seedSource string) error {
	return s.Tx(ctx, func(tx *Store) error {
		ev, err := tx.lockEventBeforeDraw(ctx, eventID)
		if err != nil {
			return err
		}
		now := tx.Now()
		var open int64
		if err := tx.q(ctx).Model(&app.SelectionJob{}).Where("event_id = ? AND status IN ?", eventID, []string{app.JobPending, app.JobRunning}).Count(&open).Error; err != nil {
			return tx.err(err)
		}
		if open > 0 {
			return app.Errorf(app.CodeConflict, "selection.job_running")
		}
		if ev.RegistrationClosesAt.After(now) {
			if err := tx.err(tx.q(ctx).Model(&app.Event{}).Where("id = ?", eventID).
				Updates(map[string]any{"registration_closes_at": now, "updated_at": now}).Error); err != nil {
				return err
			}
		}
		if err := tx.q(ctx).Where("event_id = ?", eventID).Delete(&app.SelectionJob{}).Error; err != nil {
			return tx.err(err)
		}
		job := &app.SelectionJob{EventID: eventID, Status: app.JobPending, SeedSource: seedSource, RequestedAt: now}
		if actor != nil {
			id := actor.ID
			job.RequestedBy = &id
		}
		if err := tx.err(tx.q(ctx).Create(job).Error); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, app.AuditEvent{Actor: actor, Action: app.AuditSelectionRequest, ObjectType: "event", ObjectID: itoa(eventID)})
	})
}

// SelectionJobOf returns an event's draw computation (not found if none).
func (s *Store) SelectionJobOf(ctx context.Context, eventID int64) (*app.SelectionJob, error) {
	var j app.SelectionJob
	if err := s.q(ctx).Where("event_id = ?", eventID).First(&j).Error; err != nil {
		return nil, s.err(err)
	}
	return &j, nil
}

// ClaimSelectionJob takes one pending job (or one whose instance stopped
// renewing it) for the instance named by worker. The conditional update
// makes sure only one instance wins a job.
func (s *Store) ClaimSelectionJob(ctx context.Context, worker string) (*app.SelectionJob, error) {
	now := s.Now()
	stale := now.Add(-SelectionJobLease)
	var candidates []*app.SelectionJob
	err := s.q(ctx).Where("status = ? OR (status = ? AND claimed_at < ?)", app.JobPending, app.JobRunning, stale).
		Order("requested_at").Limit(5).Find(&candidates).Error
	if err != nil {
		return nil, s.err(err)
	}
	for _, j := range candidates {
		q := s.q(ctx).Model(&app.SelectionJob{}).Where("event_id = ? AND status = ? AND attempts = ?", j.EventID, j.Status, j.Attempts)
		res := q.Updates(map[string]any{"status": app.JobRunning, "claimed_at": now, "claimed_by": worker, "attempts": j.Attempts + 1})
		if res.Error != nil {
			return nil, s.err(res.Error)
		}
		if res.RowsAffected == 1 {
			j.Status, j.ClaimedAt, j.ClaimedBy, j.Attempts = app.JobRunning, &now, worker, j.Attempts+1
			return j, nil
		}
	}
	return nil, nil
}

// FinishSelectionJob records the end of a computation, if the job is still
// the one this worker claimed. errID is a message id for failures.
func (s *Store) FinishSelectionJob(ctx context.Context, j *app.SelectionJob, status, errID string) (bool, error) {
	now := s.Now()
	res := s.q(ctx).Model(&app.SelectionJob{}).Where("event_id = ? AND status = ? AND claimed_by = ? AND attempts = ?", j.EventID, app.JobRunning, j.ClaimedBy, j.Attempts).
		Updates(map[string]any{"status": status, "finished_at": now, "error": errID})
	return res.RowsAffected == 1, s.err(res.Error)
}
