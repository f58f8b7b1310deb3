package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
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

// TestTokenUseFlushIsOneStatement: the last uses of many tokens are written
// by one statement, each token gets its own time, and a flush never moves a
// newer stored time back.
func TestTokenUseFlushIsOneStatement(t *testing.T) {
	ctx := context.Background()
	clock := testenv.NewClock(time.Time{})
	s := testenv.OpenStore(t, clock.Now)
	u := testenv.CreateUser(t, s, "flush@example.org", "Flush", app.RoleCitizen)
	const n = 40
	hashes := make([]string, n)
	for i := range hashes {
		hashes[i] = fmt.Sprintf("flush-%d", i)
		if err := s.CreateAPIToken(ctx, &app.APIToken{UserID: u.ID, Name: hashes[i], TokenHash: hashes[i]}); err != nil {
			t.Fatal(err)
		}
	}
	// The test clock ticks 1 µs per reading: the noted use lies between
	// the readings before and after the request.
	used := map[string][2]time.Time{}
	for _, h := range hashes {
		clock.Advance(time.Second)
		before := clock.Now().UTC()
		if _, _, err := s.APITokenUser(ctx, h); err != nil {
			t.Fatal(err)
		}
		used[h] = [2]time.Time{before, clock.Now().UTC()}
	}
	// Another instance wrote a newer use of token 0 in the meantime.
	later := clock.Now().Add(time.Hour).UTC()
	if err := s.Gorm().Model(&app.APIToken{}).Where("token_hash = ?", hashes[0]).Update("last_used_at", later).Error; err != nil {
		t.Fatal(err)
	}
	used[hashes[0]] = [2]time.Time{later, later}
	cctx, count := store.CountQueries(ctx)
	if err := s.FlushTokenUse(cctx); err != nil {
		t.Fatal(err)
	}
	if got := count.Load(); got != 1 {
		t.Errorf("flush of %d token uses ran %d statements, want 1", n, got)
	}
	list, err := s.UserAPITokens(ctx, u.ID)
	if err != nil || len(list) != n {
		t.Fatalf("tokens: %d %v", len(list), err)
	}
	for _, tok := range list {
		if tok.LastUsedAt == nil {
			t.Fatalf("token %s: no last use after the flush", tok.Name)
		}
		want := used[tok.Name]
		if got := tok.LastUsedAt.UTC(); got.Before(want[0].Truncate(time.Microsecond)) || got.After(want[1]) {
			t.Errorf("token %s: last use %v, want between %v and %v", tok.Name, got, want[0], want[1])
		}
	}
	// Nothing noted: no statement at all.
	cctx, count = store.CountQueries(ctx)
	if err := s.FlushTokenUse(cctx); err != nil || count.Load() != 0 {
		t.Errorf("empty flush: %d statements, %v", count.Load(), err)
	}
}
