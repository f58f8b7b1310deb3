package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// ReminderDue lists published events whose reminder time has come and whose
// reminder was not sent.
func (s *Store) ReminderDue(ctx context.Context) ([]*app.Event, error) {
	now := s.Now()
	var candidates []*app.Event
	err := s.q(ctx).Where("status = ? AND reminder_sent_at IS NULL AND reminder_hours > 0 AND starts_at > ? AND starts_at <= ?",
		app.EventPublished, now, now.Add(app.MaxHours*time.Hour)).Order("starts_at").Find(&candidates).Error
	if err != nil {
		return nil, s.err(err)
	}
	var out []*app.Event
	for _, e := range candidates {
		if !e.StartsAt.Add(-time.Duration(e.ReminderHours) * time.Hour).After(now) {
			out = append(out, e)
		}
	}
	return out, nil
}

// ClaimReminder marks an event's reminder as sent; only one caller wins.
func (s *Store) ClaimReminder(ctx context.Context, eventID int64) (bool, error) {
	res := s.q(ctx).Model(&app.Event{}).Where("id = ? AND reminder_sent_at IS NULL", eventID).Update("reminder_sent_at", s.Now())
	return res.RowsAffected == 1, s.err(res.Error)
}

// PurgeDue lists events whose retention period after the end has passed.
func (s *Store) PurgeDue(ctx context.Context) ([]*app.Event, error) {
	now := s.Now()
	var candidates []*app.Event
	err := s.q(ctx).Where("purged_at IS NULL AND ends_at <= ?", now.Add(-24*time.Hour)).Order("ends_at").Limit(200).Find(&candidates).Error
	if err != nil {
		return nil, s.err(err)
	}
	var out []*app.Event
	for _, e := range candidates {
		if !e.EndsAt.AddDate(0, 0, e.RetentionDays).After(now) {
			out = append(out, e)
		}
	}
	return out, nil
}

// FinalCounts are the aggregate figures kept after an event's personal data
// is deleted.
type FinalCounts struct {
	Registrations int            `json:"registrations"`
	ByStatus      map[string]int `json:"by_status"`
	Attended      int            `json:"attended"`
	NoShows       int            `json:"no_shows"`
	Delegates     int            `json:"delegates"`
	AccessNeeds   map[string]int `json:"access_needs"`
	Invitations   int            `json:"invitations"`
}

// ParseFinalCounts reads the stored figures (nil before the deletion).
func ParseFinalCounts(s string) *FinalCounts {
	if s == "" {
		return nil
	}
	var c FinalCounts
	if json.Unmarshal([]byte(s), &c) != nil {
		return nil
	}
	return &c
}

// PurgeEvent deletes the personal data of an event's registrations and
// invitations and keeps the aggregate counts. Running it twice is harmless.
func (s *Store) PurgeEvent(ctx context.Context, eventID int64) (bool, error) {
	var done bool
	err := s.Tx(ctx, func(tx *Store) error {
		if err := tx.LockEvent(ctx, eventID); err != nil {
			return err
		}
		now := tx.Now()
		res := tx.q(ctx).Model(&app.Event{}).Where("id = ? AND purged_at IS NULL", eventID).Update("purged_at", now)
		if res.Error != nil || res.RowsAffected == 0 {
			return tx.err(res.Error)
		}
		var regs []*app.Registration
		if err := tx.q(ctx).Where("event_id = ?", eventID).Find(&regs).Error; err != nil {
			return tx.err(err)
		}
		c := FinalCounts{Registrations: len(regs), ByStatus: map[string]int{}, AccessNeeds: map[string]int{}}
		for _, r := range regs {
			c.ByStatus[r.Status]++
			if r.Kind == app.KindDelegate {
				c.Delegates++
			}
			if r.CheckedInAt != nil {
				c.Attended++
			} else if r.Status == app.RegConfirmed {
				c.NoShows++
			}
			for _, n := range r.Needs() {
				c.AccessNeeds[n]++
			}
		}
		var invitations int64
		if err := tx.q(ctx).Model(&app.Invitation{}).Where("event_id = ?", eventID).Count(&invitations).Error; err != nil {
			return tx.err(err)
		}
		c.Invitations = int(invitations)
		b, err := json.Marshal(c)
		if err != nil {
			return app.Internal(err)
		}
		if err := tx.q(ctx).Model(&app.Event{}).Where("id = ?", eventID).Update("final_counts", string(b)).Error; err != nil {
			return tx.err(err)
		}
		if err := tx.q(ctx).Where("event_id = ?", eventID).Delete(&app.Registration{}).Error; err != nil {
			return tx.err(err)
		}
		if err := tx.q(ctx).Exec("DELETE FROM event_wait_counts WHERE event_id = ?", eventID).Error; err != nil {
			return tx.err(err)
		}
		if err := tx.q(ctx).Model(&app.Invitation{}).Where("event_id = ?", eventID).Updates(map[string]any{"email": ""}).Error; err != nil {
			return tx.err(err)
		}
		done = true
		return nil
	})
	return done, err
}
