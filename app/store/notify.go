package store

import (
	"context"
	"time"

	"github.com/mitwirken/mitwirken/app"
)

// MaxFollows bounds how many targets one person follows.
const MaxFollows = 1000

// Follow records that a person follows a target; following twice is one
// follow. It refuses more than MaxFollows.
func (s *Store) Follow(ctx context.Context, userID int64, kind string, id int64) error {
	var n int64
	if err := s.q(ctx).Model(&app.Follow{}).Where("user_id = ?", userID).Count(&n).Error; err != nil {
		return s.err(err)
	}
	if n >= MaxFollows {
		return app.Errorf(app.CodeConflict, "notify.too_many_follows", "Max", MaxFollows)
	}
	return s.err(s.q(ctx).Exec(`INSERT INTO follows (user_id, target_kind, target_id, created_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id, target_kind, target_id) DO NOTHING`, userID, kind, id, s.Now()).Error)
}

// Unfollow ends a follow; ending one that does not exist is no error.
func (s *Store) Unfollow(ctx context.Context, userID int64, kind string, id int64) error {
	return s.err(s.q(ctx).Where("user_id = ? AND target_kind = ? AND target_id = ?", userID, kind, id).Delete(&app.Follow{}).Error)
}

// FollowsOf lists what a person follows, newest first.
func (s *Store) FollowsOf(ctx context.Context, userID int64) ([]app.Follow, error) {
	var out []app.Follow
	err := s.q(ctx).Where("user_id = ?", userID).Order("id DESC").Limit(MaxFollows).Find(&out).Error
	return out, s.err(err)
}

// Followers lists the accounts following a target.
func (s *Store) Followers(ctx context.Context, kind string, id int64) ([]int64, error) {
	var out []int64
	err := s.q(ctx).Model(&app.Follow{}).Where("target_kind = ? AND target_id = ?", kind, id).Order("user_id").Pluck("user_id", &out).Error
	return out, s.err(err)
}

// AddNotification stores a notification.
func (s *Store) AddNotification(ctx context.Context, n *app.Notification) error {
	n.CreatedAt = s.Now()
	if n.MailState == "" {
		n.MailState = app.NotifyMailPending
	}
	return s.err(s.q(ctx).Create(n).Error)
}

// Notifications lists a person's notifications, newest first, and their total.
func (s *Store) Notifications(ctx context.Context, userID int64, page, perPage int) ([]app.Notification, int64, error) {
	q := s.q(ctx).Model(&app.Notification{}).Where("user_id = ?", userID)
	var total int64
	if err := q.Count(&total).Error; err != nil {
		return nil, 0, s.err(err)
	}
	var out []app.Notification
	err := paginate(q.Order("created_at DESC, id DESC"), page, perPage).Find(&out).Error
	return out, total, s.err(err)
}

// UnreadNotifications counts a person's unread notifications.
func (s *Store) UnreadNotifications(ctx context.Context, userID int64) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&app.Notification{}).Where("user_id = ? AND read_at IS NULL", userID).Count(&n).Error
	return n, s.err(err)
}

// MarkNotificationsRead marks one of a person's notifications (id > 0) or
// all of them (id 0) as read; another person's notification is not found.
func (s *Store) MarkNotificationsRead(ctx context.Context, userID, id int64) error {
	q := s.q(ctx).Model(&app.Notification{}).Where("user_id = ? AND read_at IS NULL", userID)
	if id > 0 {
		var n int64
		if err := s.q(ctx).Model(&app.Notification{}).Where("id = ? AND user_id = ?", id, userID).Count(&n).Error; err != nil {
			return s.err(err)
		}
		if n == 0 {
			return app.NotFound()
		}
		q = q.Where("id = ?", id)
	}
	return s.err(q.Update("read_at", s.Now()).Error)
}

// RetractNotifications deletes every notification about a subject (content
// that was hidden, rejected or withdrawn) that has not been mailed yet, and
// takes the subject out of the lists of those that were.
func (s *Store) RetractNotifications(ctx context.Context, subjectKind string, id int64) error {
	return s.err(s.q(ctx).Where("subject_kind = ? AND subject_id = ?", subjectKind, id).Delete(&app.Notification{}).Error)
}

// NotifyPrefs returns a person's e-mail mode for every kind, defaults filled in.
func (s *Store) NotifyPrefs(ctx context.Context, userID int64) (map[string]string, error) {
	var rows []app.NotifyPref
	if err := s.q(ctx).Where("user_id = ?", userID).Find(&rows).Error; err != nil {
		return nil, s.err(err)
	}
	out := make(map[string]string, len(app.NotifyKinds))
	for _, k := range app.NotifyKinds {
		out[k] = app.DefaultMailMode(k)
	}
	for _, r := range rows {
		if app.IsNotifyKind(r.Kind) && app.IsMailMode(r.Mode) {
			out[r.Kind] = r.Mode
		}
	}
	return out, nil
}

// SetNotifyPrefs stores modes for the given kinds.
func (s *Store) SetNotifyPrefs(ctx context.Context, userID int64, in app.NotifyPrefsInput) error {
	if err := in.Validate(); err != nil {
		return err
	}
	return s.Tx(ctx, func(tx *Store) error {
		for kind, mode := range in {
			err := tx.q(ctx).Exec(`INSERT INTO notify_prefs (user_id, kind, mode) VALUES (?, ?, ?)
				ON CONFLICT (user_id, kind) DO UPDATE SET mode = excluded.mode`, userID, kind, mode).Error
			if err != nil {
				return tx.err(err)
			}
		}
		return nil
	})
}

// DigestRecipients lists the accounts with notifications waiting for a digest.
func (s *Store) DigestRecipients(ctx context.Context, before time.Time) ([]int64, error) {
	var out []int64
	err := s.q(ctx).Model(&app.Notification{}).Where("mail_state = ? AND created_at < ?", app.NotifyMailPending, before).
		Distinct("user_id").Order("user_id").Pluck("user_id", &out).Error
	return out, s.err(err)
}

// ClaimDigest inserts the one row of a recipient's digest for a period and
// returns its id; ok is false when the row exists (another instance, or an
// earlier run, built that digest). On PostgreSQL a concurrent claim waits
// for the first one's transaction and then finds the row.
func (s *Store) ClaimDigest(ctx context.Context, userID int64, period string) (int64, bool, error) {
	var ids []int64
	err := s.scanRaw(ctx, &ids, `INSERT INTO notify_digests (user_id, period, items, created_at) VALUES (?, ?, 0, ?)
		ON CONFLICT (user_id, period) DO NOTHING RETURNING id`, userID, period, s.Now())
	if err != nil {
		return 0, false, s.err(err)
	}
	if len(ids) == 0 {
		return 0, false, nil
	}
	return ids[0], true, nil
}

// DigestItems lists a person's notifications of the given kinds
// that wait for a digest and were made before the time, oldest first.
func (s *Store) DigestItems(ctx context.Context, userID int64, kinds []string, before time.Time, limit int) ([]app.Notification, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	var out []app.Notification
	err := s.q(ctx).Where("user_id = ? AND mail_state = ? AND kind IN ? AND created_at < ?", userID, app.NotifyMailPending, kinds, before).
		Order("created_at, id").Limit(limit).Find(&out).Error
	return out, s.err(err)
}

// FinishDigest records the outbox entry of a digest and marks its items done.
func (s *Store) FinishDigest(ctx context.Context, digestID int64, outboxID *int64, itemIDs []int64) error {
	if err := s.q(ctx).Table("notify_digests").Where("id = ?", digestID).
		Updates(map[string]any{"outbox_id": outboxID, "items": len(itemIDs)}).Error; err != nil {
		return s.err(err)
	}
	if len(itemIDs) == 0 {
		return nil
	}
	return s.err(s.q(ctx).Model(&app.Notification{}).Where("id IN ?", itemIDs).
		Updates(map[string]any{"mail_state": app.NotifyMailDone, "digest_id": digestID}).Error)
}

// DigestCount counts the digests built for a period (tests, metrics).
func (s *Store) DigestCount(ctx context.Context, period string) (int64, error) {
	var n int64
	err := s.q(ctx).Table("notify_digests").Where("period = ?", period).Count(&n).Error
	return n, s.err(err)
}
