package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestOutboxClaimsAreExclusive: several workers claiming at once never hold
// the same message, and every message is claimed by someone.
func TestOutboxClaimsAreExclusive(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	const n = 60
	for i := 0; i < n; i++ {
		if err := s.EnqueueMail(ctx, &app.OutboxMessage{Kind: "test", ToAddr: fmt.Sprintf("p%d@example.org", i), Subject: "s", BodyText: "t", BodyHTML: "h"}); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	owner := map[int64]string{}
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			claim := fmt.Sprintf("worker-%d", w)
			for {
				batch, err := s.ClaimDueMail(ctx, claim, time.Minute, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(batch) == 0 {
					return
				}
				mu.Lock()
				for _, m := range batch {
					if prev, dup := owner[m.ID]; dup {
						t.Errorf("mail %d claimed by %s and %s", m.ID, prev, claim)
					}
					owner[m.ID] = claim
				}
				mu.Unlock()
			}
		}(w)
	}
	wg.Wait()
	if len(owner) != n {
		t.Fatalf("%d of %d mails claimed", len(owner), n)
	}
}

// TestOutboxLeaseExpires: a worker that died mid-send loses its lease and
// the mail becomes due for another worker; the dead worker cannot record
// an outcome afterwards.
func TestOutboxLeaseExpires(t *testing.T) {
	ctx := context.Background()
	clock := testenv.NewClock(time.Time{})
	s := testenv.OpenStore(t, clock.Now)
	if err := s.EnqueueMail(ctx, &app.OutboxMessage{Kind: "test", ToAddr: "a@example.org", Subject: "s", BodyText: "t", BodyHTML: "h"}); err != nil {
		t.Fatal(err)
	}
	first, err := s.ClaimDueMail(ctx, "dead", time.Minute, 10)
	if err != nil || len(first) != 1 {
		t.Fatalf("first claim: %v %d", err, len(first))
	}
	if again, _ := s.ClaimDueMail(ctx, "other", time.Minute, 10); len(again) != 0 {
		t.Fatal("a leased mail was claimed twice")
	}
	clock.Advance(2 * time.Minute)
	second, err := s.ClaimDueMail(ctx, "other", time.Minute, 10)
	if err != nil || len(second) != 1 {
		t.Fatalf("claim after lease expiry: %v %d", err, len(second))
	}
	if err := s.FinishMail(ctx, first[0].ID, "dead", app.MailSent, "", time.Time{}); err != nil {
		t.Fatal(err)
	}
	m, _ := s.OutboxMessage(ctx, first[0].ID)
	if m.Status != app.MailPending {
		t.Fatalf("the dead worker recorded an outcome: %s", m.Status)
	}
}
