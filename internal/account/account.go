// Package account holds users, their passwords and their API tokens.
// Tokens are random and stored only as SHA-256 hashes; passwords as bcrypt.
package account

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"github.com/yizhan/yizhan/internal/casework"
)

// User is an account.
type User struct {
	ID                 int64         `json:"id"`
	Username           string        `json:"username"`
	Name               string        `json:"name"`
	Role               casework.Role `json:"role"`
	UnitID             *int64        `json:"unit_id"`
	Phone              string        `json:"phone"`
	MustChangePassword bool          `json:"must_change_password"`
	Disabled           bool          `json:"disabled"`
	CreatedAt          time.Time     `json:"created_at"`
	PasswordHash       string        `json:"-"`
}

// Actor is the user as the case engine knows it.
func (u User) Actor() casework.Actor {
	return casework.Actor{UserID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role, UnitID: u.UnitID}
}

// NewUser is an account to create, as the administrator sends it.
type NewUser struct {
	Username string        `json:"username"`
	Name     string        `json:"name"`
	Role     casework.Role `json:"role"`
	UnitID   *int64        `json:"unit_id"`
	Phone    string        `json:"phone"`
	Password string        `json:"password"`
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 8

// Validate checks the fields that need no database.
func (n *NewUser) Validate() error {
	n.Username = strings.TrimSpace(n.Username)
	n.Name = strings.TrimSpace(n.Name)
	if n.Username == "" {
		return casework.Invalid("username_required", "用户名 username 不能为空")
	}
	if len(n.Username) > 64 || !validUsername(n.Username) {
		return casework.Invalid("invalid_username", "用户名只能由字母、数字、点、下划线和连字符组成，最长 64 个字符")
	}
	if n.Name == "" {
		n.Name = n.Username
	}
	if !utf8.ValidString(n.Name) || utf8.RuneCountInString(n.Name) > 64 {
		return casework.Invalid("invalid_name", "姓名 name 最长 64 个字")
	}
	if utf8.RuneCountInString(n.Phone) > 20 {
		return casework.Invalid("invalid_phone", "手机号 phone 最长 20 个字符")
	}
	if !n.Role.Valid() {
		return casework.Invalid("invalid_role", "角色 role 须为 admin、leader、dispatcher、responder、department、grid、enterprise 或 station")
	}
	if n.Password != "" && utf8.RuneCountInString(n.Password) < MinPasswordLen {
		return casework.Invalid("weak_password", "密码至少 %d 位", MinPasswordLen)
	}
	if len(n.Password) > 72 {
		return casework.Invalid("invalid_password", "密码最长 72 个字节")
	}
	return nil
}

func validUsername(s string) bool {
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok {
			return false
		}
	}
	return true
}

// HashPassword hashes a password for storage.
func HashPassword(pw string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	return string(h), err
}

// DecoyHash answers a bcrypt hash of no one's password at the default
// cost (made once, on first use): comparing against it takes as long as
// against a real one.
var DecoyHash = sync.OnceValue(func() string {
	h, _ := bcrypt.GenerateFromPassword([]byte("no account has this password"), bcrypt.DefaultCost)
	return string(h)
})

// CheckPassword reports whether pw matches the stored hash.
func CheckPassword(hash, pw string) bool {
	if hash == "" {
		return false
	}
	return bcrypt.CompareHashAndPassword([]byte(hash), []byte(pw)) == nil
}

// NewToken makes a random API token. Only its hash is ever stored.
func NewToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand never fails on supported platforms
	return "yz_" + base64.RawURLEncoding.EncodeToString(b)
}

// NewPassword makes a random password for the first administrator.
func NewPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken is how a token is stored and looked up.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Token kinds.
const (
	TokenAPI     = "api"     // made by an administrator, does not expire
	TokenSession = "session" // made by logging in, expires after a shift
)

// SessionTTL is how long a login lasts: a long duty shift.
const SessionTTL = 14 * time.Hour
