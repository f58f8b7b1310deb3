package web_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/mitwirken/mitwirken/app"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// TestLoginThrottleHoldsUnderConcurrency: 100 concurrent wrong passwords
// over two instances on one database get at most 5 real password checks on
// one account and at most 50 from one IP (issue 11, item 2).
func TestLoginThrottleHoldsUnderConcurrency(t *testing.T) {
	first := testenv.StartApp(t, testenv.WithoutSMTP())
	second := testenv.StartApp(t, testenv.WithDatabase(first.DatabaseURL), testenv.WithoutSMTP(), testenv.WithClock(first.Clock))
	apps := []*testenv.App{first, second}
	first.CreateUser(t, "ansturm@example.org", "Ansturm", app.RoleCitizen)
	checks := func() int64 {
		return first.Platform.Auth.PasswordChecks.Load() + second.Platform.Auth.PasswordChecks.Load()
	}
	run := func(email func(i int) string, ip string) {
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := 0; i < 100; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				<-start
				_, _, err := apps[i%2].Platform.Auth.Login(context.Background(), email(i), "falsches Passwort", ip, "test")
				if code := app.ErrorCode(err); code != app.CodeInvalid && code != app.CodeTooMany {
					t.Errorf("attempt %d: %v", i, err)
				}
			}(i)
		}
		close(start)
		wg.Wait()
	}

	run(func(int) string { return "ansturm@example.org" }, "198.51.100.1")
	if n := checks(); n > 5 {
		t.Errorf("one account: %d real password checks for 100 concurrent attempts (limit 5)", n)
	} else if n == 0 {
		t.Fatal("no password was checked at all")
	}

	before := checks()
	run(func(i int) string { return fmt.Sprintf("person%d@example.org", i) }, "198.51.100.2")
	if n := checks() - before; n > 50 {
		t.Errorf("one IP: %d real password checks for 100 concurrent attempts (limit 50)", n)
	} else if n < 50 {
		t.Errorf("one IP: only %d checks; the limit is 50", n)
	}
}
