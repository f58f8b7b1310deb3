// Package store keeps mitwirken's data in SQLite (the embedded default) or
// PostgreSQL through gorm. It is the one concrete store of the application:
// every feature adds its methods here, one file per resource.
//
// Rules every method follows:
//   - times are written in UTC and come from s.Now(), never from the
//     database clock, so that tests can move the clock;
//   - invariants that must hold across app instances (seat counts, claims)
//     are enforced by conditional updates or row locks inside a transaction;
//   - database errors leave through s.err, which maps them to app.Error codes.
package store

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the database in use.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DefaultSQLitePath is where the embedded database lives when no URL is set.
const DefaultSQLitePath = "./data/mitwirken.db"

// Options configure Open.
type Options struct {
	// URL is "postgres://..." for PostgreSQL; "", "sqlite://PATH" or
	// "file:PATH" for SQLite (default ./data/mitwirken.db).
	URL string
	// Now is the clock; defaults to time.Now. Tests pass a controllable one.
	Now    func() time.Time
	Logger *slog.Logger
	// MaxOpenConns bounds the PostgreSQL connection pool (default 20).
	MaxOpenConns int
	// ListenURL reaches PostgreSQL directly for LISTEN, which needs a
	// session of its own (default URL). Behind PgBouncer in transaction
	// pooling URL names the pooler and ListenURL the server.
	ListenURL string
}

// Store is the data access of the application.
type Store struct {
	db       *gorm.DB
	dialect  Dialect
	now      func() time.Time
	log      *slog.Logger
	url      string // for connections of their own (LISTEN)
	tokenUse *tokenUse
	audit    *auditKeys
	space    *fullState
	stale    *staleConns
	// sqlitePath is the database file (SQLite only; lock files go beside it).
	sqlitePath string
}

// Open connects to the database named by opts.URL. It does not migrate.
func Open(ctx context.Context, opts Options) (*Store, error) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.ListenURL == "" {
		opts.ListenURL = opts.URL
	}
	s := &Store{now: opts.Now, log: opts.Logger, url: opts.ListenURL, tokenUse: &tokenUse{}, audit: &auditKeys{}, space: &fullState{}, stale: &staleConns{}}
	cfg := &gorm.Config{
		NowFunc:                func() time.Time { return s.Now() },
		TranslateError:         true,
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
	}

	var dialector gorm.Dialector
	switch {
	case strings.HasPrefix(opts.URL, "postgres://"), strings.HasPrefix(opts.URL, "postgresql://"):
		s.dialect = Postgres
		dialector = postgres.New(postgres.Config{
			DSN:          opts.URL,
			OptionOpenDB: []stdlib.OptionOpenDB{stdlib.OptionShouldPing(s.stale.shouldPing)},
		})
	default:
		s.dialect = SQLite
		dsn, err := sqliteDSN(opts.URL)
		if err != nil {
			return nil, err
		}
		s.sqlitePath = sqlitePathOf(dsn)
		dialector = sqlite.Open(dsn)
	}

	db, err := gorm.Open(dialector, cfg)
	if err != nil {
		return nil, fmt.Errorf("open %s database: %w", s.dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, err
	}
	configurePool(sqlDB, s.dialect, opts.MaxOpenConns)
	s.db = db
	registerQueryCounter(db)
	registerFullWatch(db, s)

	if err := s.Ping(ctx); err != nil {
		_ = sqlDB.Close()
		return nil, fmt.Errorf("connect to %s database: %w", s.dialect, err)
	}
	return s, nil
}

func configurePool(db *sql.DB, d Dialect, maxOpen int) {
	if d == SQLite {
		// One writer at a time is all SQLite can do; a few connections let
		// readers proceed under WAL while the writer waits on busy_timeout.
		db.SetMaxOpenConns(4)
		db.SetMaxIdleConns(4)
		return
	}
	if maxOpen <= 0 {
		maxOpen = 20
	}
	db.SetMaxOpenConns(maxOpen)
	db.SetMaxIdleConns(maxOpen)
	db.SetConnMaxLifetime(30 * time.Minute)
	db.SetConnMaxIdleTime(5 * time.Minute)
}

// sqliteDSN turns the configured URL into a DSN for the pure-Go driver with
// the settings the application relies on: foreign keys, WAL, a busy timeout
// and write transactions that take the lock at BEGIN (so two writers queue
// instead of failing with SQLITE_BUSY halfway through).
func sqliteDSN(raw string) (string, error) {
	path := raw
	switch {
	case raw == "":
		path = DefaultSQLitePath
	case strings.HasPrefix(raw, "sqlite://"):
		path = strings.TrimPrefix(raw, "sqlite://")
	case strings.HasPrefix(raw, "sqlite:"):
		path = strings.TrimPrefix(raw, "sqlite:")
	case strings.HasPrefix(raw, "file:"):
		path = strings.TrimPrefix(raw, "file:")
	}
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if path == "" {
		return "", fmt.Errorf("sqlite: empty path in %q", raw)
	}
	if err := checkWritable(path); err != nil {
		return "", err
	}
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(15000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// No _time_format: the driver's default is already the sortable
	// "2006-01-02 15:04:05.999999999-07:00", and setting it makes the driver
	// skip _txlock (glebarez/go-sqlite v1.21 returns early).
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode(), nil
}

// sqlitePathOf is the file a DSN made by sqliteDSN opens.
func sqlitePathOf(dsn string) string {
	path := strings.TrimPrefix(dsn, "file:")
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	return path
}

// checkWritable makes sure the database's directory exists and takes new
// files (SQLite writes its journal beside the database), and that an
// existing database file can be written, so that a read-only data
// directory is named at start instead of failing later without a path.
func checkWritable(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("sqlite: cannot create the data directory %s: %w", dir, err)
	}
	probe, err := os.CreateTemp(dir, ".mitwirken-write-test-*")
	if err != nil {
		return fmt.Errorf("sqlite: the data directory %s is not writable (the database and its journal live there): %w", dir, err)
	}
	probe.Close()
	os.Remove(probe.Name())
	if f, err := os.OpenFile(path, os.O_RDWR, 0); err == nil {
		f.Close()
	} else if !os.IsNotExist(err) {
		return fmt.Errorf("sqlite: the database file %s is not writable: %w", path, err)
	}
	return nil
}

// Close closes the connection pool.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// URL is the database URL for connections of their own (a PostgreSQL
// listener opens its session with it): Options.ListenURL, or the URL the
// store was opened with.
func (s *Store) URL() string { return s.url }

// PoolSize is the number of database connections the store may open.
func (s *Store) PoolSize() int {
	sqlDB, err := s.db.DB()
	if err != nil {
		return 0
	}
	return sqlDB.Stats().MaxOpenConnections
}

// Dialect tells which database is in use.
func (s *Store) Dialect() Dialect { return s.dialect }

// Now is the store's clock, always in UTC and truncated to microseconds so
// that both databases keep the same value.
func (s *Store) Now() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// Gorm exposes the handle for tests and tooling that need raw SQL. Features
// add methods to Store instead of reaching for it.
func (s *Store) Gorm() *gorm.DB { return s.db }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(ctx); err != nil {
		return s.err(err)
	}
	return nil
}

// Tx runs fn in a transaction; fn's store writes through the transaction.
// Nested calls become savepoints.
func (s *Store) Tx(ctx context.Context, fn func(tx *Store) error) error {
	err := s.db.WithContext(ctx).Transaction(func(gtx *gorm.DB) error {
		tx := *s
		tx.db = gtx
		return fn(&tx)
	})
	return s.err(err)
}

// q starts a query bound to ctx.
func (s *Store) q(ctx context.Context) *gorm.DB { return s.db.WithContext(ctx) }
