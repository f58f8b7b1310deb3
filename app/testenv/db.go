package testenv

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // admin connection for creating test databases

	"github.com/mitwirken/mitwirken/app/store"
	"github.com/mitwirken/mitwirken/migrations"
)

// Kind is the database the suite runs on: "sqlite" (default) or "postgres".
func Kind() string {
	if k := os.Getenv("MITWIRKEN_TEST_DB"); k != "" {
		return k
	}
	return "sqlite"
}

// Postgres reports whether the suite runs on PostgreSQL.
func Postgres() bool { return Kind() == "postgres" }

// DatabaseURL returns the URL of a fresh, migrated database of the selected
// kind, dropped when the test ends. Several app instances may share it.
func DatabaseURL(t testing.TB) string {
	t.Helper()
	switch Kind() {
	case "sqlite":
		u := "sqlite://" + filepath.Join(t.TempDir(), "mitwirken.db")
		s, err := store.Open(context.Background(), store.Options{URL: u})
		if err != nil {
			t.Fatalf("open sqlite: %v", err)
		}
		defer s.Close()
		if _, err := s.Migrate(context.Background()); err != nil {
			t.Fatalf("migrate sqlite: %v", err)
		}
		return u
	case "postgres":
		if Pooled() {
			return throughPooler(t, postgresDatabase(t))
		}
		return postgresDatabase(t)
	}
	t.Fatalf("MITWIRKEN_TEST_DB must be sqlite or postgres, not %q", Kind())
	return ""
}

// OpenStore opens a store on a fresh database with the given clock (nil: real time).
func OpenStore(t testing.TB, now func() time.Time) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), store.Options{URL: DatabaseURL(t), Now: now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// adminURL is the PostgreSQL server the test databases are created on.
func adminURL(t testing.TB) string {
	u := os.Getenv("MITWIRKEN_TEST_DATABASE_URL")
	if u == "" {
		t.Fatal("MITWIRKEN_TEST_DB=postgres needs MITWIRKEN_TEST_DATABASE_URL (a server URL such as " +
			"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable); `make test` finds or starts a server and sets it")
	}
	return u
}

var (
	templateOnce sync.Once
	templateName string
	templateErr  error
)

// postgresDatabase creates a database from a migrated template. The template
// is named after the migrations' content, so it is built once per schema and
// reused across test processes and runs.
func postgresDatabase(t testing.TB) string {
	t.Helper()
	admin := adminURL(t)
	templateOnce.Do(func() { templateName, templateErr = ensureTemplate(admin) })
	if templateErr != nil {
		t.Fatalf("prepare PostgreSQL template database: %v", templateErr)
	}
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatalf("connect to PostgreSQL: %v", err)
	}
	defer db.Close()
	// The creation time in the name lets `make test` drop databases left by
	// interrupted runs without touching those of a run still going.
	name := fmt.Sprintf("mwt_%d_%s", time.Now().Unix(), randomHex(6))
	var lastErr error
	for attempt := 0; attempt < 20; attempt++ {
		_, lastErr = db.Exec(fmt.Sprintf(`CREATE DATABASE %s TEMPLATE %s`, name, templateName))
		if lastErr == nil {
			break
		}
		// Another process may still be connected to the template right after
		// creating it; wait for it to let go.
		if !strings.Contains(lastErr.Error(), "being accessed by other users") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if lastErr != nil {
		t.Fatalf("create test database: %v", lastErr)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", admin)
		if err != nil {
			return
		}
		defer db.Close()
		_, _ = db.Exec(fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, name))
	})
	return withDatabase(admin, name)
}

func ensureTemplate(admin string) (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, p)
		h.Write([]byte(p))
		h.Write(b)
		return err
	})
	if err != nil {
		return "", err
	}
	name := "mwt_tpl_" + hex.EncodeToString(h.Sum(nil))[:16]
	db, err := sql.Open("pgx", admin)
	if err != nil {
		return "", err
	}
	defer db.Close()
	ctx := context.Background()
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	// One process builds the template; the others wait on the lock.
	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock(727274002)`); err != nil {
		return "", err
	}
	defer conn.ExecContext(ctx, `SELECT pg_advisory_unlock(727274002)`)
	var exists bool
	if err := conn.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)`, name).Scan(&exists); err != nil {
		return "", err
	}
	if exists {
		return name, nil
	}
	building := name + "_build"
	_, _ = conn.ExecContext(ctx, fmt.Sprintf(`DROP DATABASE IF EXISTS %s WITH (FORCE)`, building))
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`CREATE DATABASE %s`, building)); err != nil {
		return "", err
	}
	s, err := store.Open(ctx, store.Options{URL: withDatabase(admin, building)})
	if err != nil {
		return "", err
	}
	_, err = s.Migrate(ctx)
	s.Close()
	if err != nil {
		return "", fmt.Errorf("migrate template: %w", err)
	}
	// Renaming last makes the template visible only once it is complete.
	if _, err := conn.ExecContext(ctx, fmt.Sprintf(`ALTER DATABASE %s RENAME TO %s`, building, name)); err != nil {
		return "", err
	}
	return name, nil
}

func withDatabase(admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		return admin
	}
	u.Path = "/" + name
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
