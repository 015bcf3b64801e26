package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
)

// ErrUsernameTaken answers a username already in use.
var ErrUsernameTaken = casework.Conflict("username_taken", "用户名已被占用")

// CreateUser stores an account; passwordHash may be empty (token-only accounts).
func (s *Store) CreateUser(ctx context.Context, n account.NewUser, passwordHash string, mustChange bool, now time.Time) (account.User, error) {
	var id int64
	err := s.w.doRetrying(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.scanUser(s.txRow(ctx, tx, "user_by_username", n.Username))
		if err == nil {
			return ErrUsernameTaken
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: check username: %w", err)
		}
		return s.txRow(ctx, tx, "insert_user", n.Username, n.Name, string(n.Role), nullID(n.UnitID),
			n.Phone, passwordHash, boolInt(mustChange), micros(now)).Scan(&id)
	}, uniqueRace)
	if err != nil {
		if _, ok := casework.AsError(err); ok {
			return account.User{}, err
		}
		return account.User{}, fmt.Errorf("store: create user: %w", err)
	}
	return s.GetUser(ctx, id)
}

// GetUser answers an account by id.
func (s *Store) GetUser(ctx context.Context, id int64) (account.User, error) {
	return s.userWhere(ctx, "user_by_id", id)
}

// UserByUsername answers an account by its username.
func (s *Store) UserByUsername(ctx context.Context, username string) (account.User, error) {
	return s.userWhere(ctx, "user_by_username", username)
}

// Users answers every account.
func (s *Store) Users(ctx context.Context) ([]account.User, error) {
	rows, err := s.rows(ctx, "list_users")
	if err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	return scanAll(rows, []account.User{}, func(r rowScanner) (account.User, error) { return s.scanUser(r) })
}

// ErrUserNotFound answers an unknown account.
var ErrUserNotFound = casework.NotFound("user_not_found", "用户不存在")

func (s *Store) userWhere(ctx context.Context, query string, arg any) (account.User, error) {
	u, err := s.scanUser(s.row(ctx, query, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrUserNotFound
	}
	return u, err
}

func (s *Store) scanUser(r rowScanner, more ...any) (account.User, error) {
	var u account.User
	var role string
	var unit sql.NullInt64
	var must, disabled int
	var created int64
	dest := append([]any{&u.ID, &u.Username, &u.Name, &role, &unit, &u.Phone, &u.PasswordHash, &must, &disabled, &created}, more...)
	if err := r.Scan(dest...); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return u, err
		}
		return u, fmt.Errorf("store: scan user: %w", err)
	}
	u.Role, u.UnitID = casework.Role(role), idPtr(unit)
	u.MustChangePassword, u.Disabled = must != 0, disabled != 0
	u.CreatedAt = s.fromMicros(created)
	return u, nil
}

// SetPassword replaces an account's password and lifts the must-change flag.
func (s *Store) SetPassword(ctx context.Context, userID int64, hash string) error {
	return s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.txExec(ctx, tx, "set_password", hash, userID)
		return err
	})
}

// CreateToken stores the hash of a token for an account.
func (s *Store) CreateToken(ctx context.Context, userID int64, hash, kind, name string, now time.Time, expires *time.Time) (int64, error) {
	var id int64
	var exp any
	if expires != nil {
		exp = micros(*expires)
	}
	err := s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		if kind == account.TokenSession {
			if _, err := s.txExec(ctx, tx, "delete_expired_token", micros(now)); err != nil {
				return err
			}
		}
		return s.txRow(ctx, tx, "insert_token", userID, hash, kind, name, micros(now), exp).Scan(&id)
	})
	if err != nil {
		return 0, fmt.Errorf("store: create token: %w", err)
	}
	return id, nil
}

// ErrBadToken answers a token that is unknown, expired or whose account is disabled.
var ErrBadToken = errors.New("store: unknown or expired token")

// UserByToken answers the account a token hash acts as.
func (s *Store) UserByToken(ctx context.Context, hash string, now time.Time) (account.User, error) {
	var expires sql.NullInt64
	u, err := s.scanUser(s.row(ctx, "token_user", hash), &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrBadToken
	}
	if err != nil {
		return u, err
	}
	if expires.Valid && expires.Int64 < micros(now) || u.Disabled {
		return u, ErrBadToken
	}
	return u, nil
}

// AdminAccount is the administrator a new zone starts with (the bootstrap
// of `serve`, the benchmark).
func AdminAccount() account.NewUser {
	return account.NewUser{Username: "admin", Name: "系统管理员", Role: casework.RoleAdmin}
}

// EnsureAdminToken makes sure the administrator account exists (without a
// password, when it has to be made) and holds an API token of the given
// value, named name. Several nodes may do it at once.
func (s *Store) EnsureAdminToken(ctx context.Context, token, name string, now time.Time) (account.User, error) {
	admin := AdminAccount()
	u, err := s.UserByUsername(ctx, admin.Username)
	if errors.Is(err, ErrUserNotFound) {
		u, err = s.CreateUser(ctx, admin, "", false, now)
		if errors.Is(err, ErrUsernameTaken) { // another node made it first
			u, err = s.UserByUsername(ctx, admin.Username)
		}
	}
	if err != nil {
		return u, err
	}
	return u, s.EnsureToken(ctx, u.ID, account.HashToken(token), name, now)
}

// EnsureToken makes sure a token hash exists for the account, for the
// YIZHAN_ADMIN_TOKEN bootstrap.
func (s *Store) EnsureToken(ctx context.Context, userID int64, hash, name string, now time.Time) error {
	return s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		var id int64
		err := s.txRow(ctx, tx, "token_exists", hash).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: check token: %w", err)
		}
		_, err = s.txExec(ctx, tx, "ensure_token", userID, hash, account.TokenAPI, name, micros(now), nil)
		return err
	})
}

// CountUsers answers how many accounts exist.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.row(ctx, "count_users").Scan(&n)
	return n, err
}

// DeleteToken forgets a token (logging out).
func (s *Store) DeleteToken(ctx context.Context, hash string) error {
	return s.w.do(ctx, func(ctx context.Context, tx *sql.Tx) error {
		_, err := s.txExec(ctx, tx, "delete_token", hash)
		return err
	})
}
