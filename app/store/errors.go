package store

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"

	"github.com/mitwirken/mitwirken/app"
)

// err maps database errors to the domain's error codes. app.Errors pass
// through unchanged, so fn in Tx may return them.
func (s *Store) err(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := app.AsError(err); ok {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		return app.NotFound()
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &app.Error{Code: app.CodeConflict, Msg: app.M("error.conflict"), Err: err}
	case isFull(err):
		s.noteFull(err) // also at COMMIT, which the write callbacks do not see
		return app.Unavailable(err)
	case isUnavailable(err):
		s.stale.failed()
		return app.Unavailable(err)
	}
	return app.Internal(err)
}

// isUnavailable recognises a database that is down, restarting or unreachable,
// so that requests answer 503 and recover once it is back.
func isUnavailable(err error) bool {
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, net.ErrClosed) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		// 08: connection exception, 57P: operator intervention (shutdown),
		// 53: insufficient resources (too many connections).
		return strings.HasPrefix(pgErr.Code, "08") || strings.HasPrefix(pgErr.Code, "57P") || strings.HasPrefix(pgErr.Code, "53")
	}
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "conn closed") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "database is locked") || strings.Contains(msg, "failed to connect")
}
