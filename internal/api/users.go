package api

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
)

// createUser opens an account (admin).
func (s *Server) createUser(w http.ResponseWriter, r *http.Request, u account.User) {
	var body account.NewUser
	if _, err := decodeJSON(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := body.Validate(); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.UnitID != nil {
		if _, ok := s.directory().Unit(*body.UnitID); !ok {
			s.fail(w, r, casework.Invalid("unknown_unit", "单位 %d 不存在", *body.UnitID))
			return
		}
	}
	hash := ""
	if body.Password != "" {
		var err error
		if hash, err = account.HashPassword(body.Password); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	created, err := s.store.CreateUser(r.Context(), body, hash, false, s.now())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Location", "/api/v1/users/"+strconv.FormatInt(created.ID, 10))
	writeJSON(w, http.StatusCreated, created)
}

type userList struct {
	Items []account.User `json:"items"`
}

// listUsers answers every account (admin).
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request, u account.User) {
	users, err := s.store.Users(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, userList{Items: users})
}

type tokenBody struct {
	Name string `json:"name"`
}

type tokenAnswer struct {
	ID     int64  `json:"id"`
	UserID int64  `json:"user_id"`
	Token  string `json:"token"`
	Name   string `json:"name"`
}

// createToken makes an API token acting as the account (admin). The token
// is shown once; only its hash is kept.
func (s *Server) createToken(w http.ResponseWriter, r *http.Request, u account.User) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.fail(w, r, casework.NotFound("user_not_found", "用户不存在"))
		return
	}
	var body tokenBody
	if r.ContentLength != 0 {
		raw, err := readBody(w, r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if strings.TrimSpace(string(raw)) != "" {
			if err := jsonUnmarshal(raw, &body); err != nil {
				s.fail(w, r, err)
				return
			}
		}
	}
	if utf8.RuneCountInString(strings.TrimSpace(body.Name)) > 100 {
		s.fail(w, r, casework.Invalid("invalid_name", "令牌名称最长 100 字"))
		return
	}
	target, err := s.store.GetUser(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	token := account.NewToken()
	tid, err := s.store.CreateToken(r.Context(), target.ID, account.HashToken(token), account.TokenAPI, strings.TrimSpace(body.Name), s.now(), nil)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, tokenAnswer{ID: tid, UserID: target.ID, Token: token, Name: body.Name})
}
