package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestEraseUserLeavesNoPersonalData fills every table that holds personal
// data for one person, erases the account and then looks at every row the
// database still has for that person: no personal field may survive.
// Features that store personal data extend personalRows.
func TestEraseUserLeavesNoPersonalData(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	u := testenv.CreateUser(t, s, "anna@example.org", "Anna aus Gohlis", app.RoleCitizen)
	other := testenv.CreateUser(t, s, "bernd@example.org", "Bernd", app.RoleCitizen)
	if err := s.UpdateProfile(ctx, u.ID, app.ProfileInput{DisplayName: "Anna aus Gohlis", OrtsteilCode: "91", Locale: "de"}); err != nil {
		t.Fatal(err)
	}
	fillPersonalData(t, s, u)
	fillPersonalData(t, s, other)

	if err := s.EraseUser(ctx, u, u.ID); err != nil {
		t.Fatalf("erase: %v", err)
	}
	checkLabErasure(t, s, u, other)

	secrets := []string{"anna@example.org", "Anna aus Gohlis", "Mozilla/5.0 Anna", "anna-subject", "Annas Nachricht", "Anna-Token"}
	for _, row := range personalRows(t, s) {
		for _, secret := range secrets {
			if strings.Contains(row, secret) {
				t.Errorf("personal data %q survived the erasure: %s", secret, row)
			}
		}
	}
	got, err := s.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatalf("the tombstone row must stay for the contributions: %v", err)
	}
	if !got.Erased() || got.Email != nil || got.PasswordHash != nil || got.OrtsteilCode != nil || got.DisplayName != "" || got.PrivacyConsentAt != nil {
		t.Fatalf("tombstone still holds data: %+v", got)
	}
	// The other person keeps everything.
	if _, err := s.UserByEmail(ctx, "bernd@example.org"); err != nil {
		t.Fatalf("another account was touched: %v", err)
	}
	if sess, _ := s.UserSessions(ctx, other.ID); len(sess) != 1 {
		t.Fatalf("another account lost its session")
	}
	// The erasure itself is in the audit log, without personal data.
	entries, _, err := s.ListAudit(ctx, store.AuditFilter{Action: app.AuditUserErase})
	if err != nil || len(entries) != 1 {
		t.Fatalf("audit entry for the erasure: %v %d", err, len(entries))
	}
	// The address can be used for a new account.
	testenv.CreateUser(t, s, "anna@example.org", "Anna neu", app.RoleCitizen)
}

func fillPersonalData(t *testing.T, s *store.Store, u *app.User) {
	t.Helper()
	ctx := context.Background()
	name := strings.Fields(u.DisplayName)[0]
	now := s.Now()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.CreateSession(ctx, &app.Session{TokenHash: "sess-" + name, UserID: u.ID, ExpiresAt: now.Add(time.Hour), UserAgent: "Mozilla/5.0 " + name}))
	must(s.CreateUserToken(ctx, &app.UserToken{UserID: u.ID, Purpose: app.TokenChangeEmail, TokenHash: "tok-" + name, Data: "neu-" + u.EmailAddress(), ExpiresAt: now.Add(time.Hour)}))
	must(s.CreateAPIToken(ctx, &app.APIToken{UserID: u.ID, Name: name + "-Token", TokenHash: "api-" + name}))
	must(s.LinkIdentity(ctx, &app.Identity{UserID: u.ID, Provider: "oidc", Issuer: "https://id.example", Subject: strings.ToLower(name) + "-subject"}))
	id := u.ID
	must(s.CreateFeedback(ctx, &app.Feedback{Kind: app.FeedbackContact, Name: u.DisplayName, Email: u.EmailAddress(), Message: name + "s Nachricht", UserID: &id}))
	must(s.EnqueueMail(ctx, &app.OutboxMessage{UserID: &id, Kind: "test", ToAddr: u.EmailAddress(), Subject: "Hallo " + u.DisplayName, BodyText: "Hallo " + u.DisplayName, BodyHTML: "x"}))
	// A mail queued to the address without a user id (e.g. "account exists").
	must(s.EnqueueMail(ctx, &app.OutboxMessage{Kind: "test", ToAddr: u.EmailAddress(), Subject: "Hinweis", BodyText: "x", BodyHTML: "x"}))
	fillLabData(t, s, u)
	// A finished export holds the pseudonym as it was.
	must(s.CreateExportJob(ctx, &store.ExportJob{Kind: "contributions", Format: "csv"}))
	job, err := s.ClaimExportJob(ctx, "erase-test")
	must(err)
	csv := []byte("Nr.;Pseudonym\r\n1;" + u.DisplayName + "\r\n")
	must(s.AppendExportChunk(ctx, job.ID, "erase-test", 0, csv))
	must(s.FinishExportJob(ctx, job.ID, "erase-test", "beitraege.csv", int64(len(csv)), 1, nil))
}

// personalRows dumps every row of the tables that can hold personal data,
// as text, so the test can search it.
func personalRows(t *testing.T, s *store.Store) []string {
	t.Helper()
	tables := []string{"users", "sessions", "user_tokens", "api_tokens", "user_identities", "feedback", "outbox", "audit_log", "lab_members", "board_presence", "board_events", "selection_answers", "export_chunks"}
	var out []string
	for _, table := range tables {
		var rows []map[string]any
		if err := s.Gorm().Table(table).Find(&rows).Error; err != nil {
			t.Fatalf("read %s: %v", table, err)
		}
		for _, r := range rows {
			var b strings.Builder
			b.WriteString(table + ":")
			for k, v := range r {
				b.WriteString(" " + k + "=")
				switch x := v.(type) {
				case []byte:
					b.Write(x)
				default:
					b.WriteString(strings.TrimSpace(strings.ReplaceAll(fmtValue(x), "\n", " ")))
				}
			}
			out = append(out, b.String())
		}
	}
	return out
}
