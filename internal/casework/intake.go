package casework

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Intake is a new report as it reaches the center (受理).
type Intake struct {
	Line       Line
	Channel    string
	Text       string
	Reporter   Reporter
	Address    string
	Location   *Location
	OccurredAt *time.Time
	ExternalID string
	Category   string
	Type       string
	Priority   string
}

// Classification is what triage suggests for a report.
type Classification struct {
	Category   string
	Type       string
	Police     bool
	Risk       string
	Confidence float64
}

// Classifier reads a report and suggests its classification.
type Classifier interface {
	Classify(text string) Classification
}

// Validate checks a new report and fills its defaults. It is the single
// place that says what a report must hold.
func (in *Intake) Validate(actor Actor) error {
	if in.Line == "" {
		in.Line = LineIncident
		if in.Channel == ChannelOfficeDay {
			in.Line = LineEnterprise
		}
	}
	if !in.Line.Valid() {
		return Invalid("invalid_line", "未知的业务线“%s”，应为 incident、enterprise 或 worker", in.Line)
	}
	if in.Channel == "" {
		in.Channel = defaultChannel(actor.Role)
	}
	if _, ok := Channels[in.Channel]; !ok {
		return Invalid("invalid_channel", "未知的来源渠道“%s”", in.Channel)
	}
	if in.Channel == ChannelOfficeDay && in.Line != LineEnterprise {
		return Invalid("office_day_line", "现场办公日（office_day）登记的是企业诉求，line 须为 enterprise")
	}
	if !utf8.ValidString(in.Text) {
		return Invalid("invalid_utf8", "text 含有非法的 UTF-8 字符")
	}
	if visible(in.Text) == "" {
		return Invalid("text_required", "诉求内容 text 不能为空")
	}
	if n := utf8.RuneCountInString(in.Text); n > MaxTextLen {
		return Invalid("text_too_long", "诉求内容 text 共 %d 字，超过上限 %d 字", n, MaxTextLen)
	}
	for field, v := range map[string]string{
		"reporter.name": in.Reporter.Name, "reporter.phone": in.Reporter.Phone,
		"address": in.Address, "external_id": in.ExternalID,
	} {
		if !utf8.ValidString(v) {
			return Invalid("invalid_utf8", "%s 含有非法的 UTF-8 字符", field)
		}
		if utf8.RuneCountInString(v) > 500 {
			return Invalid("field_too_long", "%s 过长（上限 500 字）", field)
		}
	}
	in.Reporter.Phone = strings.TrimSpace(in.Reporter.Phone)
	if p := in.Reporter.Phone; p != "" && !validPhone(p) {
		return Invalid("invalid_phone", "联系电话“%s”格式不正确", p)
	}
	in.Reporter.Phone = CanonicalPhone(in.Reporter.Phone)
	if in.Location != nil && !in.Location.Valid() {
		return Invalid("invalid_location", "坐标超出 WGS-84 范围：纬度应在 -90 到 90，经度应在 -180 到 180")
	}
	if in.Priority != "" && !ValidPriority(in.Priority) {
		return Invalid("invalid_priority", "优先级 priority 须为 urgent、high 或 normal")
	}
	return nil
}

// validPhone accepts digits with an optional leading + and separators, as
// callers' numbers arrive from switchboards (0579-12345678, +8613800000001).
// CanonicalPhone is a phone number as Yizhan keeps it, so that one line
// written two ways is found as one: its digits only, without the country
// code of a mobile number (+86 139-0000-5555 is 13900005555). What is not
// a phone number comes back trimmed, as it was.
func CanonicalPhone(p string) string {
	if d, ok := PhoneOf(p); ok {
		return d
	}
	return strings.TrimSpace(p)
}

// PhoneOf answers p as CanonicalPhone keeps it, and whether p is a phone
// number at all (digits, spaces, dashes, a leading +).
func PhoneOf(p string) (string, bool) {
	p = strings.TrimSpace(p)
	if !validPhone(p) {
		return "", false
	}
	var b strings.Builder
	for _, r := range p {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	for _, cc := range []string{"0086", "86"} {
		if rest, ok := strings.CutPrefix(d, cc); ok && len(rest) == 11 && rest[0] == '1' {
			return rest, true
		}
	}
	return d, true
}

func validPhone(p string) bool {
	digits := 0
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '+' && i == 0, r == '-', r == ' ':
		default:
			return false
		}
	}
	return digits >= 3 && digits <= 20
}

func defaultChannel(r Role) string {
	switch r {
	case RoleGrid:
		return "grid"
	case RoleEnterprise:
		return "enterprise"
	case RoleStation:
		return "station"
	}
	return "phone"
}

// MaxClockSkew is how far past now a report's occurred_at may lie.
const MaxClockSkew = 10 * time.Minute

// EarliestOccurrence bounds a report's occurred_at from below: what a
// caller reports happened in living memory of the zone, and a time before
// it is a typo (a year 0001 from an empty field in the source system).
var EarliestOccurrence = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Receive builds a new case from a validated report. The classification a
// person gave wins over triage's; police and risk always come from triage
// until someone corrects them. The store assigns id and number.
func Receive(in Intake, cls Classification, types TypeChecker, actor Actor, now time.Time) (Case, Event, error) {
	category, typ := cls.Category, cls.Type
	if in.Type != "" || in.Category != "" {
		cat, err := CheckClassification(types, in.Category, in.Type)
		if err != nil {
			return Case{}, Event{}, err
		}
		category, typ = cat, in.Type
	}
	occurred := now
	if in.OccurredAt != nil {
		// A few minutes of clock drift between the caller's system and
		// ours is allowed; a report of something that has not happened is
		// a typo (a wrong year, a.m. for p.m.).
		if in.OccurredAt.After(now.Add(MaxClockSkew)) {
			return Case{}, Event{}, Invalid("occurred_at_in_future", "事发时间 occurred_at（%s）晚于当前时间", in.OccurredAt.In(now.Location()).Format("2006-01-02 15:04"))
		}
		if y := in.OccurredAt.In(now.Location()).Year(); y < EarliestOccurrence.Year() {
			return Case{}, Event{}, Invalid("occurred_at_too_early", "事发时间 occurred_at（%s）早于 2000 年，请核对", in.OccurredAt.UTC().Format("2006-01-02"))
		}
		occurred = in.OccurredAt.In(now.Location())
	}
	priority := in.Priority
	if priority == "" {
		priority = PriorityFor(cls.Police, cls.Risk)
	}
	c := Case{
		Line:         in.Line,
		Channel:      in.Channel,
		Status:       StatusReceived,
		Category:     category,
		Type:         typ,
		Police:       cls.Police,
		Risk:         cls.Risk,
		Priority:     priority,
		OriginUnitID: cloneID(actor.UnitID),
		Text:         in.Text,
		Reporter:     in.Reporter,
		Address:      strings.TrimSpace(in.Address),
		Location:     in.Location,
		OccurredAt:   occurred,
		ExternalID:   strings.TrimSpace(in.ExternalID),
		CreatedBy:    actor.UserID,
		Version:      1,
		CreatedAt:    now,
		UpdatedAt:    now,
	}
	ev := Event{
		Seq:       1,
		Action:    ActionReceive,
		At:        now,
		ActorID:   actor.UserID,
		Actor:     actor.Username,
		ActorName: actor.Name,
		UnitID:    cloneID(actor.UnitID),
		Changes: map[string]Change{
			"status":   {From: nil, To: string(StatusReceived)},
			"category": {From: nil, To: category},
			"type":     {From: nil, To: typ},
			"police":   {From: nil, To: cls.Police},
			"risk":     {From: nil, To: cls.Risk},
		},
		Details: map[string]any{"channel": in.Channel, "triage_confidence": cls.Confidence},
	}
	return c, ev, nil
}

// FormatNumber makes the human-readable case number: the line's prefix,
// the day in the zone's time zone and the day's sequence, e.g.
// FJ20261127-0001. Numbers sort by day within a line.
func FormatNumber(line Line, day time.Time, seq int64) string {
	return fmt.Sprintf("%s%s-%04d", line.NumberPrefix(), day.Format("20060102"), seq)
}
