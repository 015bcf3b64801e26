package routing

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/yizhan/yizhan/internal/casework"
)

// Person is someone of the zone's units who can be sent: a responder, a
// mediator, a grid worker, a department handler. Not every person has an
// account.
type Person struct {
	ID        int64              `json:"id"`
	Name      string             `json:"name"`
	Phone     string             `json:"phone"`
	Role      string             `json:"role"`
	UnitID    int64              `json:"unit_id"`
	Skills    []string           `json:"skills"`
	UserID    *int64             `json:"user_id"`
	Location  *casework.Location `json:"location"`   // last known
	LocatedAt *time.Time         `json:"located_at"` // when it was reported
	CreatedAt time.Time          `json:"created_at"`
}

// NewPerson is a person to create or import.
type NewPerson struct {
	Name   string   `json:"name"`
	Phone  string   `json:"phone"`
	Role   string   `json:"role"`
	UnitID int64    `json:"unit_id"`
	Skills []string `json:"skills"`
	UserID *int64   `json:"user_id"`
}

// Validate checks a person against the directory.
func (n *NewPerson) Validate(dir *Directory) error {
	n.Name = strings.TrimSpace(n.Name)
	n.Phone = strings.TrimSpace(n.Phone)
	n.Role = strings.TrimSpace(n.Role)
	if n.Name == "" || !utf8.ValidString(n.Name) || utf8.RuneCountInString(n.Name) > 50 {
		return casework.Invalid("invalid_name", "姓名不能为空，最长 50 字")
	}
	if !validPhone(n.Phone) {
		return casework.Invalid("invalid_phone", "手机号“%s”格式不正确（11 位，1 开头）", n.Phone)
	}
	if utf8.RuneCountInString(n.Role) > 50 {
		return casework.Invalid("invalid_role", "职务最长 50 字")
	}
	if _, ok := dir.Unit(n.UnitID); !ok {
		return casework.Invalid("unknown_unit", "单位 %d 不存在", n.UnitID)
	}
	skills := n.Skills[:0]
	for _, s := range n.Skills {
		if s = strings.TrimSpace(s); s != "" {
			if utf8.RuneCountInString(s) > 50 {
				return casework.Invalid("invalid_skills", "技能每项最长 50 字")
			}
			skills = append(skills, s)
		}
	}
	if len(skills) > 50 {
		return casework.Invalid("invalid_skills", "技能最多 50 项")
	}
	n.Skills = skills
	return nil
}

// validPhone accepts a mainland mobile number.
func validPhone(p string) bool {
	if len(p) != 11 || p[0] != '1' {
		return false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return false
		}
	}
	return true
}
