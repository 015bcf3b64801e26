package store

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// CaseFilter selects cases for a list. Zero fields do not filter.
type CaseFilter struct {
	Scope    casework.Scope
	Statuses []casework.Status
	Line     casework.Line
	Channel  string
	// ExternalID: the source system's number (with Channel, the one case).
	ExternalID string
	Category   string
	Type       string
	Risk       string
	UnitID     *int64
	From, To   *time.Time // created in [From, To)
	Q          string     // a case number, a phone number, or words of the text, address or reporter
	// PhonesHidden: the account sees phone numbers masked, so Q does not
	// match them (an employer must not find who complained by trying a
	// worker's number).
	PhonesHidden bool
	Limit        int
	Cursor       string

	// EnterpriseID: the enterprise the report names. InvolvesUnitID: the
	// unit leads the case (主办) or helps on it (协办).
	EnterpriseID   *int64
	InvolvesUnitID *int64
	// OccurredFrom, OccurredTo: occurred in [OccurredFrom, OccurredTo)
	// (an office day's demands are the office_day cases of that day).
	OccurredFrom, OccurredTo *time.Time
	// ActiveSince keeps cases not yet settled (neither resolved nor ended)
	// and those whose last change is at or after it: the open and the
	// recently settled.
	ActiveSince *time.Time
}

// CasePage is one page of a list, newest first.
type CasePage struct {
	Items      []casework.Case
	NextCursor *string
}

// ErrBadCursor answers a cursor this server did not make.
var ErrBadCursor = casework.Invalid("invalid_cursor", "cursor 无效，请从第一页重新查询")

// ListCases answers cases newest first, a page at a time. The cursor holds
// the position of the last case shown, so pages stay stable while new
// cases arrive.
func (s *Store) ListCases(ctx context.Context, f CaseFilter) (CasePage, error) {
	where, args := []string{}, []any{}
	add := func(cond string, a ...any) {
		where = append(where, cond)
		args = append(args, a...)
	}
	if !f.Scope.All {
		ids := f.Scope.UnitIDs()
		in := placeholders(len(ids))
		conds := []string{}
		if len(ids) > 0 {
			conds = append(conds, "unit_id IN ("+in+")", "origin_unit_id IN ("+in+")",
				"id IN (SELECT case_id FROM case_units WHERE unit_id IN ("+in+"))")
			for range 3 {
				for _, id := range ids {
					args = append(args, id)
				}
			}
		}
		if f.Scope.Center {
			conds = append(conds, "unit_id IS NULL")
		}
		if len(conds) == 0 {
			return CasePage{Items: []casework.Case{}}, nil
		}
		where = append(where, "("+strings.Join(conds, " OR ")+")")
	}
	if len(f.Statuses) > 0 {
		a := make([]any, len(f.Statuses))
		for i, st := range f.Statuses {
			a[i] = string(st)
		}
		add("status IN ("+placeholders(len(a))+")", a...)
	}
	if f.Line != "" {
		add("line = ?", string(f.Line))
	}
	if f.ExternalID != "" {
		add("external_id = ?", f.ExternalID)
	}
	if f.Channel != "" {
		add("channel = ?", f.Channel)
	}
	if f.Category != "" {
		add("category = ?", f.Category)
	}
	if f.Type != "" {
		add("type = ?", f.Type)
	}
	if f.Risk != "" {
		add("risk = ?", f.Risk)
	}
	if f.UnitID != nil {
		add("unit_id = ?", *f.UnitID)
	}
	if f.From != nil {
		add("created_at >= ?", micros(*f.From))
	}
	if f.To != nil {
		add("created_at < ?", micros(*f.To))
	}
	if f.EnterpriseID != nil {
		add("enterprise_id = ?", *f.EnterpriseID)
	}
	if f.InvolvesUnitID != nil {
		add("(unit_id = ? OR id IN (SELECT case_id FROM case_units WHERE unit_id = ? AND role = 'co'))", *f.InvolvesUnitID, *f.InvolvesUnitID)
	}
	if f.OccurredFrom != nil {
		add("occurred_at >= ?", micros(*f.OccurredFrom))
	}
	if f.OccurredTo != nil {
		add("occurred_at < ?", micros(*f.OccurredTo))
	}
	if f.ActiveSince != nil {
		add("(status NOT IN (?, ?, ?, ?) OR updated_at >= ?)", string(casework.StatusResolved), string(casework.StatusClosed),
			string(casework.StatusMerged), string(casework.StatusReferredPolice), micros(*f.ActiveSince))
	}
	if q := strings.TrimSpace(f.Q); q != "" {
		like := "%" + escapeLike(q) + "%"
		// A phone number, however written, finds the reporter's and the
		// callers' merged into the case (extra's callers list), unless
		// the account sees phones masked. Short numbers (110, an
		// extension) are no caller's.
		// Latin letters match without case, as SQLite's LIKE does
		// (PostgreSQL's needs ILIKE): "abc" finds "ABC Road".
		matches := "LIKE"
		if s.dialect == Postgres {
			matches = "ILIKE"
		}
		text := strings.NewReplacer("LIKE", matches).Replace(`text LIKE ? ESCAPE '\' OR address LIKE ? ESCAPE '\' OR reporter_name LIKE ? ESCAPE '\'`)
		if phone, ok := casework.PhoneOf(q); ok && len(phone) >= 7 && !f.PhonesHidden {
			// (A case received before numbers were kept as digits is found
			// by its number as it was stored, too.)
			add(`(number = ? OR reporter_phone IN (?, ?) OR extra LIKE ? ESCAPE '\' OR `+text+`)`,
				strings.ToUpper(q), phone, q, `%"`+escapeLike(phone)+`"%`, like, like, like)
		} else {
			add(`(number = ? OR `+text+`)`, strings.ToUpper(q), like, like, like)
		}
	}
	if f.Cursor != "" {
		at, id, err := decodeCursor(f.Cursor)
		if err != nil {
			return CasePage{}, ErrBadCursor
		}
		add("(created_at < ? OR (created_at = ? AND id < ?))", at, at, id)
	}
	limit := f.Limit
	q := "SELECT " + caseColumns + " FROM cases"
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	q += " ORDER BY created_at DESC, id DESC LIMIT ?"
	args = append(args, limit+1)
	rows, err := s.rdb.QueryContext(ctx, s.rebind(q), args...)
	if err != nil {
		return CasePage{}, fmt.Errorf("store: list cases: %w", err)
	}
	page := CasePage{}
	if page.Items, err = s.scanCases(rows, make([]casework.Case, 0, limit)); err != nil {
		return CasePage{}, fmt.Errorf("store: list cases: %w", err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		cur := encodeCursor(micros(last.CreatedAt), last.ID)
		page.NextCursor = &cur
	}
	return page, nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func encodeCursor(at, id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at, 10) + "." + strconv.FormatInt(id, 10)))
}

func decodeCursor(c string) (int64, int64, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, 0, err
	}
	a, i, ok := strings.Cut(string(b), ".")
	if !ok {
		return 0, 0, fmt.Errorf("no separator")
	}
	at, err := strconv.ParseInt(a, 10, 64)
	if err != nil {
		return 0, 0, err
	}
	id, err := strconv.ParseInt(i, 10, 64)
	return at, id, err
}
