package store_test

import (
	"context"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestNotifyStore: follows are unique, another person's notification cannot
// be marked read, a digest is claimed once per recipient and period, and
// erasure removes follows, notifications, preferences and digests.
func TestNotifyStore(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	u := testenv.CreateUser(t, s, "folgt@example.org", "Folgende", app.RoleCitizen)
	o := testenv.CreateUser(t, s, "andere@example.org", "Andere", app.RoleCitizen)
	for i := 0; i < 2; i++ {
		if err := s.Follow(ctx, u.ID, app.FollowOrtsteil, 70); err != nil {
			t.Fatal(err)
		}
	}
	if ids, _ := s.Followers(ctx, app.FollowOrtsteil, 70); len(ids) != 1 || ids[0] != u.ID {
		t.Fatalf("followers %v", ids)
	}
	n := &app.Notification{UserID: u.ID, Kind: app.NotifyNewContribution, SubjectKind: app.FollowContribution, SubjectID: 1, Title: "A-0001", URL: "/beitraege/A-0001"}
	if err := s.AddNotification(ctx, n); err != nil {
		t.Fatal(err)
	}
	if err := s.MarkNotificationsRead(ctx, o.ID, n.ID); app.ErrorCode(err) != app.CodeNotFound {
		t.Fatalf("someone else marks read: %v", err)
	}
	if c, _ := s.UnreadNotifications(ctx, u.ID); c != 1 {
		t.Fatalf("unread %d", c)
	}
	if err := s.SetNotifyPrefs(ctx, u.ID, app.NotifyPrefsInput{app.NotifyReply: "bald"}); app.ErrorCode(err) != app.CodeInvalid {
		t.Fatalf("bad mode: %v", err)
	}
	if err := s.SetNotifyPrefs(ctx, u.ID, app.NotifyPrefsInput{app.NotifyReply: app.MailWeekly}); err != nil {
		t.Fatal(err)
	}
	id, ok, err := s.ClaimDigest(ctx, u.ID, "daily:2026-05-04")
	if err != nil || !ok {
		t.Fatalf("first claim: %v %v", ok, err)
	}
	if _, again, err := s.ClaimDigest(ctx, u.ID, "daily:2026-05-04"); err != nil || again {
		t.Fatalf("second claim of the same period: %v %v", again, err)
	}
	if err := s.FinishDigest(ctx, id, nil, []int64{n.ID}); err != nil {
		t.Fatal(err)
	}
	if err := s.EraseUser(ctx, u, u.ID); err != nil {
		t.Fatal(err)
	}
	for _, table := range []string{"follows", "notifications", "notify_prefs", "notify_digests"} {
		var c int64
		if err := s.Gorm().Table(table).Where("user_id = ?", u.ID).Count(&c).Error; err != nil {
			t.Fatal(err)
		}
		if c != 0 {
			t.Errorf("%s keeps %d rows of the erased account", table, c)
		}
	}
}
