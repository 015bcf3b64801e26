package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/yizhan/yizhan/internal/casework"
)

// errorBody is the contract's error shape.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// writeJSON answers v as JSON. It is encoded whole before the status is
// sent, so that a value that cannot be encoded (a time outside the years
// JSON can hold) answers a 500 the log explains instead of a success with
// an empty body.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		slog.Error("api: encode answer", "err", err, "type", fmt.Sprintf("%T", v))
		buf.Reset()
		_ = json.NewEncoder(&buf).Encode(errorBody{Error: errorDetail{Code: "internal_error", Message: "服务器内部错误，请稍后重试"}})
		status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // the client may have gone; nothing to do about it
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: message}})
}

var kindStatus = map[casework.Kind]int{
	casework.KindInvalid:   http.StatusBadRequest,
	casework.KindForbidden: http.StatusForbidden,
	casework.KindNotFound:  http.StatusNotFound,
	casework.KindConflict:  http.StatusConflict,
}

// fail answers an error: a refusal with its own status and message, and
// anything else as a 500 whose details go to the log, not the client.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	for _, tooLarge := range []*casework.Error{errTooLarge, errUploadTooLarge} {
		if errors.Is(err, tooLarge) {
			writeError(w, http.StatusRequestEntityTooLarge, tooLarge.Code, tooLarge.Message)
			return
		}
	}
	if e, ok := casework.AsError(err); ok {
		writeError(w, kindStatus[e.Kind], e.Code, e.Message)
		return
	}
	if errors.Is(err, r.Context().Err()) && r.Context().Err() != nil {
		// The client went away; there is nobody to answer.
		return
	}
	s.log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	writeError(w, http.StatusInternalServerError, "internal_error", "服务器内部错误，请稍后重试")
}
