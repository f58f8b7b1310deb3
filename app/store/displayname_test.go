package store_test

import (
	"context"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestLookAlikePseudonymOfAnotherPerson: a pseudonym that only looks like a
// person's (Cyrillic А, о and е in "Anna Koenen") is taken, and a look-alike
// sign-up gets a free variant when its address is verified (issue 11,
// item 9: the skeleton is compared before uniqueness, not only for the
// reserved names).
func TestLookAlikePseudonymOfAnotherPerson(t *testing.T) {
	ctx := context.Background()
	s := testenv.OpenStore(t, nil)
	create := func(email, name string) *app.User {
		t.Helper()
		u := &app.User{Email: &email, DisplayName: name}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatalf("create %q: %v", name, err)
		}
		return u
	}
	copycat := "\u0410nna K\u043e\u0435nen" // Cyrillic А, о, е
	anna := create("anna@example.org", "Anna Koenen")
	// Unverified accounts reserve nothing: the look-alike can sign up.
	other := create("other@example.org", copycat)
	if err := s.MarkEmailVerified(ctx, anna.ID); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{copycat, "ANNA KOENEN", "Anna Koenen"} {
		if taken, err := s.DisplayNameTaken(ctx, name, 0); err != nil || !taken {
			t.Errorf("%q beside %q: taken=%v (%v)", name, "Anna Koenen", taken, err)
		}
	}
	for _, name := range []string{"Anna Koenen 2", "Anna Kohnen", "Hanna Koenen"} {
		if taken, err := s.DisplayNameTaken(ctx, name, 0); err != nil || taken {
			t.Errorf("%q is free but taken=%v (%v)", name, taken, err)
		}
	}

	// Once Anna is verified, a new look-alike is refused, and the earlier
	// one becomes a variant when its address is verified.
	if err := s.CreateUser(ctx, &app.User{Email: ptr("third@example.org"), DisplayName: copycat}); app.ErrorCode(err) != app.CodeInvalid {
		t.Errorf("a new look-alike of a verified name: %v", err)
	}
	if err := s.MarkEmailVerified(ctx, other.ID); err != nil {
		t.Fatal(err)
	}
	got, err := s.UserByID(ctx, other.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.DisplayName == copycat || app.NameSkeleton(got.DisplayName) == app.NameSkeleton("Anna Koenen") {
		t.Errorf("the verified look-alike kept a name that looks like Anna's: %q", got.DisplayName)
	}
}

func ptr(s string) *string { return &s }
