package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/app/testenv"
)

// limitPages sets SQLite's max_page_count on every connection of the pool
// (the pragma is per connection): at the current page count no write that
// needs another page succeeds, and SQLite answers exactly as on a full disk
// (SQLITE_FULL, "database or disk is full").
func limitPages(t *testing.T, s *store.Store, limit string) {
	t.Helper()
	ctx := context.Background()
	sqlDB, err := s.Gorm().DB()
	if err != nil {
		t.Fatal(err)
	}
	var conns []interface{ Close() error }
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for i := 0; i < s.PoolSize(); i++ {
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		conns = append(conns, conn)
		if _, err := conn.ExecContext(ctx, "PRAGMA max_page_count = "+limit); err != nil {
			t.Fatal(err)
		}
	}
}

func readyz(t *testing.T, a *testenv.App) (int, string) {
	t.Helper()
	res, err := http.Get(a.URL + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// TestSQLiteDiskFull: when SQLite runs out of space a form answers 503 with
// the German page (not 500), /readyz reports the full database until a
// write succeeds again. The full disk is simulated with max_page_count,
// which makes SQLite fail with the same error code and message as a full
// file system; PostgreSQL has no such switch, a full disk there answers
// with SQLSTATE 53100, which the store already maps to 503.
func TestSQLiteDiskFull(t *testing.T) {
	if testenv.Postgres() {
		t.Skip("simulates a full disk with SQLite's max_page_count; PostgreSQL's disk_full (53100) is covered by the class 53 mapping")
	}
	a := testenv.StartApp(t, testenv.WithoutSMTP())
	if status, _ := readyz(t, a); status != http.StatusOK {
		t.Fatalf("readyz before: %d", status)
	}
	var pages string
	if err := a.Store.Gorm().Raw("PRAGMA page_count").Scan(&pages).Error; err != nil {
		t.Fatal(err)
	}
	limitPages(t, a.Store, pages)
	c := a.Client(t)
	page := c.Get("/barrierefreiheit")
	var res *testenv.Response
	for i := 0; i < 20; i++ { // free pages inside the file take a few rows first
		res = c.Submit(page, "main form[action='/rueckmeldung']", url.Values{"message": {strings.Repeat("Der Speicher ist voll. ", 200)}})
		if res.Status != http.StatusSeeOther && res.URL.Path != "/kontakt/danke" {
			break
		}
	}
	if res.Status != http.StatusServiceUnavailable || !strings.Contains(res.Text(), "nicht erreichbar") {
		t.Fatalf("write to a full database: %d %s", res.Status, res.Text())
	}
	if status, body := readyz(t, a); status != http.StatusServiceUnavailable || !strings.Contains(body, "full") {
		t.Fatalf("readyz with a full database: %d %q", status, body)
	}
	limitPages(t, a.Store, "1073741823")
	if res := c.Submit(page, "main form[action='/rueckmeldung']", url.Values{"message": {"Wieder Platz."}}); res.URL.Path != "/kontakt/danke" {
		t.Fatalf("write after space was freed: %d %s", res.Status, res.Text())
	}
	if status, _ := readyz(t, a); status != http.StatusOK {
		t.Fatalf("readyz after space was freed: %d", status)
	}
}
