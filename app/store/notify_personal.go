package store

import (
	"context"
	"time"
)

// PersonalNotify is what a person follows, the notifications they got and
// their e-mail choices: their part of "Meine Daten" (docs/notifications.md).
type PersonalNotify struct {
	Follows       []PersonalFollow       `json:"follows"`
	Notifications []PersonalNotification `json:"notifications"`
	// MailModes are the e-mail choice per notification kind, defaults included.
	MailModes map[string]string `json:"mail_modes"`
}

// PersonalFollow is one followed target.
type PersonalFollow struct {
	Kind      string    `json:"kind"`
	ID        int64     `json:"id"`
	CreatedAt time.Time `json:"created_at"`
}

// PersonalNotification is one entry of the notification list.
type PersonalNotification struct {
	Kind      string     `json:"kind"`
	Title     string     `json:"title"`
	URL       string     `json:"url"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at"`
}

func (s *Store) personalNotify(ctx context.Context, userID int64) (*PersonalNotify, error) {
	d := &PersonalNotify{Follows: []PersonalFollow{}, Notifications: []PersonalNotification{}}
	follows, err := s.FollowsOf(ctx, userID)
	if err != nil {
		return nil, err
	}
	for _, f := range follows {
		d.Follows = append(d.Follows, PersonalFollow{f.TargetKind, f.TargetID, f.CreatedAt})
	}
	var list []struct {
		Kind, Title, URL string
		CreatedAt        time.Time
		ReadAt           *time.Time
	}
	if err := s.q(ctx).Table("notifications").Select("kind, title, url, created_at, read_at").
		Where("user_id = ?", userID).Order("id").Scan(&list).Error; err != nil {
		return nil, s.err(err)
	}
	for _, n := range list {
		d.Notifications = append(d.Notifications, PersonalNotification{n.Kind, n.Title, n.URL, n.CreatedAt, n.ReadAt})
	}
	if d.MailModes, err = s.NotifyPrefs(ctx, userID); err != nil {
		return nil, err
	}
	return d, nil
}
