package app

import (
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Code classifies an Error. Every code maps to one HTTP status and to a
// default user-facing message in the translation catalogs ("error.<code>").
type Code string

const (
	CodeInvalid      Code = "invalid"
	CodeUnauthorized Code = "unauthorized"
	CodeForbidden    Code = "forbidden"
	CodeNotFound     Code = "not_found"
	CodeConflict     Code = "conflict"
	CodeGone         Code = "gone"
	CodeTooLarge     Code = "too_large"
	CodeTooMany      Code = "too_many_requests"
	CodeUnavailable  Code = "unavailable"
	CodeInternal     Code = "internal"
)

// HTTPStatus is the status a handler answers with for this code.
func (c Code) HTTPStatus() int {
	switch c {
	case CodeInvalid:
		return http.StatusUnprocessableEntity
	case CodeUnauthorized:
		return http.StatusUnauthorized
	case CodeForbidden:
		return http.StatusForbidden
	case CodeNotFound:
		return http.StatusNotFound
	case CodeConflict:
		return http.StatusConflict
	case CodeGone:
		return http.StatusGone
	case CodeTooLarge:
		return http.StatusRequestEntityTooLarge
	case CodeTooMany:
		return http.StatusTooManyRequests
	case CodeUnavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// Msg is a user-facing message: an id in the translation catalogs
// (views/locales/*.toml) and the values its template refers to.
type Msg struct {
	ID   string
	Args map[string]any
}

// M builds a Msg from an id and alternating key/value pairs:
// M("form.too_long", "Max", 80).
func M(id string, kv ...any) Msg {
	m := Msg{ID: id}
	if len(kv) > 0 {
		m.Args = make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m.Args[fmt.Sprint(kv[i])] = kv[i+1]
		}
	}
	return m
}

// FieldError ties a message to one input field of a form or JSON body.
type FieldError struct {
	Field string
	Msg   Msg
}

// Error is the one error type of the domain. Handlers turn it into a status,
// a translated message and, for forms, messages next to the fields.
type Error struct {
	Code       Code
	Msg        Msg
	Fields     []FieldError
	RetryAfter time.Duration
	// Err is the cause, for logs only; it is never shown to users.
	Err error
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Msg.ID
	for _, f := range e.Fields {
		s += fmt.Sprintf(" [%s: %s]", f.Field, f.Msg.ID)
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// FieldMsg returns the message for a field, if there is one.
func (e *Error) FieldMsg(field string) (Msg, bool) {
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Msg, true
		}
	}
	return Msg{}, false
}

// Errorf builds an Error with a code and a message.
func Errorf(code Code, id string, kv ...any) *Error {
	return &Error{Code: code, Msg: M(id, kv...)}
}

// Invalid builds a validation error from field errors.
func Invalid(fields ...FieldError) *Error {
	return &Error{Code: CodeInvalid, Msg: M("error.invalid"), Fields: fields}
}

// FieldInvalid is the common case of one field with one message.
func FieldInvalid(field, id string, kv ...any) *Error {
	return Invalid(FieldError{Field: field, Msg: M(id, kv...)})
}

// NotFound, Forbidden and friends build an Error with the default message of
// their code.
func NotFound() *Error     { return Errorf(CodeNotFound, "error.not_found") }
func Forbidden() *Error    { return Errorf(CodeForbidden, "error.forbidden") }
func Unauthorized() *Error { return Errorf(CodeUnauthorized, "error.unauthorized") }

// Internal wraps an unexpected error; the cause goes to the log only.
func Internal(err error) *Error {
	return &Error{Code: CodeInternal, Msg: M("error.internal"), Err: err}
}

// Unavailable marks a failure of a dependency that should pass (database down).
func Unavailable(err error) *Error {
	return &Error{Code: CodeUnavailable, Msg: M("error.unavailable"), Err: err}
}

// AsError finds an *Error in err's chain.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// ErrorCode returns the code of err, CodeInternal for foreign errors and ""
// for nil.
func ErrorCode(err error) Code {
	if err == nil {
		return ""
	}
	if e, ok := AsError(err); ok {
		return e.Code
	}
	return CodeInternal
}
