package casework

import (
	"errors"
	"fmt"
)

// Kind says what sort of refusal an error is, so the API can answer with
// the right status without knowing the rule that refused.
type Kind int

// The kinds of refusal.
const (
	KindInvalid   Kind = iota + 1 // bad input: 400
	KindForbidden                 // not allowed for this account: 403
	KindNotFound                  // unknown or invisible: 404
	KindConflict                  // not allowed in the current state: 409
)

// Error is a refusal with a stable code and a message a user can read.
type Error struct {
	Kind    Kind
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("casework: %s: %s", e.Code, e.Message) }

// Invalid builds a bad-input refusal.
func Invalid(code, format string, args ...any) *Error {
	return &Error{Kind: KindInvalid, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Forbidden builds a permission refusal.
func Forbidden(code, format string, args ...any) *Error {
	return &Error{Kind: KindForbidden, Code: code, Message: fmt.Sprintf(format, args...)}
}

// NotFound builds a not-found refusal.
func NotFound(code, format string, args ...any) *Error {
	return &Error{Kind: KindNotFound, Code: code, Message: fmt.Sprintf(format, args...)}
}

// Conflict builds a state refusal.
func Conflict(code, format string, args ...any) *Error {
	return &Error{Kind: KindConflict, Code: code, Message: fmt.Sprintf(format, args...)}
}

// AsError unwraps err to a refusal, if it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// ErrCaseNotFound is the answer for a case that does not exist or that the
// account may not see: both look the same from outside.
var ErrCaseNotFound = NotFound("case_not_found", "工单不存在或无权查看")
