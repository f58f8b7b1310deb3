package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestCredentialsFindLiveAccounts: a session or token of an erased account,
// an expired session and an unknown token find nobody; the last use of a
// token is written by the flush, not by the request.
func TestCredentialsFindLiveAccounts(t *testing.T) {
	ctx := context.Background()
	clock := testenv.NewClock(time.Time{})
	s := testenv.OpenStore(t, clock.Now)
	u := testenv.CreateUser(t, s, "karte@example.org", "Karte", app.RoleCitizen)
	if err := s.CreateAPIToken(ctx, &app.APIToken{UserID: u.ID, Name: "t", TokenHash: "tok"}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSession(ctx, &app.Session{TokenHash: "sess", UserID: u.ID, ExpiresAt: s.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	tok, got, err := s.APITokenUser(ctx, "tok")
	if err != nil || got.ID != u.ID || got.EmailAddress() != "karte@example.org" || got.Role != app.RoleCitizen {
		t.Fatalf("token: %+v %v", got, err)
	}
	if list, _ := s.UserAPITokens(ctx, u.ID); list[0].LastUsedAt != nil {
		t.Fatal("the request wrote the last use")
	}
	if err := s.FlushTokenUse(ctx); err != nil {
		t.Fatal(err)
	}
	if list, _ := s.UserAPITokens(ctx, u.ID); list[0].LastUsedAt == nil || list[0].ID != tok.ID {
		t.Fatal("the flush did not record the last use")
	}
	sess, got, err := s.SessionUser(ctx, "sess")
	if err != nil || got.ID != u.ID || sess.UserID != u.ID {
		t.Fatalf("session: %v", err)
	}
	if _, _, err := s.APITokenUser(ctx, "unbekannt"); app.ErrorCode(err) != app.CodeNotFound {
		t.Fatalf("unknown token: %v", err)
	}
	clock.Advance(2 * time.Hour)
	if _, _, err := s.SessionUser(ctx, "sess"); app.ErrorCode(err) != app.CodeNotFound {
		t.Fatalf("expired session: %v", err)
	}
	if err := s.CreateSession(ctx, &app.Session{TokenHash: "sess2", UserID: u.ID, ExpiresAt: s.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateAPIToken(ctx, &app.APIToken{UserID: u.ID, Name: "t2", TokenHash: "tok2"}); err != nil {
		t.Fatal(err)
	}
	if err := s.Gorm().Model(&app.User{}).Where("id = ?", u.ID).Update("erased_at", s.Now()).Error; err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionUser(ctx, "sess2"); app.ErrorCode(err) != app.CodeNotFound {
		t.Fatalf("session of an erased account: %v", err)
	}
	if _, _, err := s.APITokenUser(ctx, "tok2"); app.ErrorCode(err) != app.CodeNotFound {
		t.Fatalf("token of an erased account: %v", err)
	}
}
