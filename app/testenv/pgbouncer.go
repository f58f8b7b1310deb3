package testenv

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Pooled reports whether the suite reaches PostgreSQL through PgBouncer in
// transaction pooling (MITWIRKEN_TEST_POOLER=pgbouncer), as cities often run
// it. The app then connects through the pooler and LISTENs directly.
func Pooled() bool { return Postgres() && os.Getenv("MITWIRKEN_TEST_POOLER") == "pgbouncer" }

var (
	bouncerOnce sync.Once
	bouncerAddr string
	bouncerErr  error
)

// throughPooler turns a direct URL of a test database into the URL through
// this process's PgBouncer. pgx's default statement cache names prepared
// statements per session, which a transaction pooler mixes up ("prepared
// statement stmtcache_… already exists"); exec mode uses unnamed ones.
func throughPooler(t testing.TB, direct string) string {
	t.Helper()
	bouncerOnce.Do(func() { bouncerAddr, bouncerErr = startPgBouncer(adminURL(t)) })
	if bouncerErr != nil {
		t.Fatalf("PgBouncer: %v", bouncerErr)
	}
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = bouncerAddr
	q := u.Query()
	q.Set("default_query_exec_mode", "exec")
	u.RawQuery = q.Encode()
	// Runs before the database is dropped (cleanups run last-in first-out).
	// pgbouncer 1.18 aborts ("server in bad state", "bad client state") when
	// the database of a cancel request in flight disappears, by DROP
	// DATABASE … FORCE or its own KILL. The app's shutdown cancels its last
	// queries; once those cancels are through, the pooler lets go of the
	// database, and only then is it dropped.
	db := strings.TrimPrefix(u.Path, "/")
	t.Cleanup(func() { killPooled(u, db) })
	return u.String()
}

// killPooled closes every connection PgBouncer keeps to db (admin console
// command KILL), so that dropping db cannot pull a connection from under it.
func killPooled(pooled *url.URL, db string) {
	time.Sleep(time.Second)
	admin := *pooled
	admin.Path = "/pgbouncer"
	q := admin.Query()
	q.Set("default_query_exec_mode", "simple_protocol")
	admin.RawQuery = q.Encode()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin.String())
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	_, _ = conn.Exec(ctx, "KILL "+pgx.Identifier{db}.Sanitize())
}

// DirectURL is the server's own URL of a database URL that may go through
// the test PgBouncer (for LISTEN, which needs a session of its own).
func DirectURL(t testing.TB, dbURL string) string {
	if !Pooled() {
		return dbURL
	}
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	admin, err := url.Parse(adminURL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.Host = admin.Host
	q := u.Query()
	q.Del("default_query_exec_mode")
	u.RawQuery = q.Encode()
	return u.String()
}

// startPgBouncer runs Debian's pgbouncer in transaction pooling in front of
// the test server, for as long as the test process lives.
func startPgBouncer(admin string) (string, error) {
	bin, err := exec.LookPath("pgbouncer")
	if err != nil {
		if _, serr := os.Stat("/usr/sbin/pgbouncer"); serr != nil {
			return "", fmt.Errorf("pgbouncer is not installed; `make test` installs it (Debian: apt-get install pgbouncer)")
		}
		bin = "/usr/sbin/pgbouncer"
	}
	server, err := url.Parse(admin)
	if err != nil {
		return "", err
	}
	host, port, err := net.SplitHostPort(server.Host)
	if err != nil {
		host, port = server.Host, "5432"
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	addr := l.Addr().String()
	l.Close()
	_, listenPort, _ := net.SplitHostPort(addr)

	dir, err := os.MkdirTemp("", "mitwirken-pgbouncer-")
	if err != nil {
		return "", err
	}
	dbUser := server.User.Username()
	if dbUser == "" {
		dbUser = "postgres"
	}
	ini := fmt.Sprintf(`[databases]
* = host=%s port=%s
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = %s
unix_socket_dir =
auth_type = trust
auth_file = %s
pool_mode = transaction
max_client_conn = 2000
default_pool_size = 20
max_db_connections = 20
server_idle_timeout = 5
server_reset_query =
admin_users = %s
ignore_startup_parameters = extra_float_digits,options
logfile = %s
`, host, port, listenPort, filepath.Join(dir, "users.txt"), dbUser, filepath.Join(dir, "pgbouncer.log"))
	if err := os.WriteFile(filepath.Join(dir, "users.txt"), []byte(strconv.Quote(dbUser)+` ""`+"\n"), 0o644); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "pgbouncer.ini"), []byte(ini), 0o644); err != nil {
		return "", err
	}
	cmd := exec.Command(bin, filepath.Join(dir, "pgbouncer.ini"))
	// The pooler ends with the test process, however that ends.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if os.Geteuid() == 0 {
		// pgbouncer refuses to run as root.
		pg, err := user.Lookup("postgres")
		if err != nil {
			return "", fmt.Errorf("pgbouncer refuses root and there is no user postgres: %w", err)
		}
		uid, _ := strconv.Atoi(pg.Uid)
		gid, _ := strconv.Atoi(pg.Gid)
		cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
		if err := os.Chmod(dir, 0o777); err != nil {
			return "", err
		}
	}
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("start %s: %w", bin, err)
	}
	go cmd.Wait()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return addr, nil
		}
	}
	log, _ := os.ReadFile(filepath.Join(dir, "pgbouncer.log"))
	return "", fmt.Errorf("pgbouncer did not listen on %s within 10 s: %s", addr, log)
}
