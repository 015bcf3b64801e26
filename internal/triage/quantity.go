package triage

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// QuantityKind says what a quantity counts.
type QuantityKind string

// The kinds of quantity the risk scorer cares about.
const (
	KindPeople QuantityKind = "people" // 二十多个工人, 上百人, 30多名
	KindMoney  QuantityKind = "money"  // 5万元, 两千块, 工资3000
	KindOther  QuantityKind = "other"  // 三个月, 两辆车, or a bare 三百多
)

// Quantity is an amount read from a report.
type Quantity struct {
	// Value is the least the words commit to, in people or in yuan:
	// 二十多 → 20, 十几 → 11, 上百 → 100, 数百 → 200, 七八个 → 7, 2.3万 → 23000.
	Value float64 `json:"value"`
	// Approx is set when the words are vague (多, 余, 几, 上, 数, 近, a range).
	Approx bool         `json:"approx"`
	Kind   QuantityKind `json:"kind"`
	// Unit is the measure word as written after Normalize (个, 名, 元, 万元).
	Unit string `json:"unit,omitempty"`
	// Text is the span in the normalised text the quantity was read from.
	Text string `json:"text"`
}

// peopleNouns are nouns that make a bare count a count of people.
var peopleNouns = []string{
	"人", "工人", "农民工", "民工", "员工", "职工", "工友", "老乡", "村民", "居民",
	"业主", "家属", "亲属", "群众", "租户", "住户", "商户", "债主", "骑手", "司机",
	"师傅", "男的", "女的", "男子", "女子", "小伙子", "年轻人", "老人", "学生",
	"孩子", "小孩", "家长", "同事", "亲戚", "兄弟", "人员", "工人们", "大妈", "阿姨",
	"大爷", "社员", "股东", "客户", "消费者", "会员", "学员", "病人", "患者", "保安",
}

// moneyContext before a bare number (工资3000, 欠款12000) makes it money.
const moneyContext = "钱款资薪费欠借赔金价贷"

// Quantities reads the amounts in a report: group sizes and sums of money,
// whether written in digits, in Chinese numerals or in the vague ways
// callers speak (二十多个, 三百多, 数百名, 十几个, 上百人, 一千多, 5万元, 2.3万).
// It normalises s first.
func Quantities(s string) []Quantity {
	return quantitiesOf([]rune(Normalize(s)))
}

func quantitiesOf(rs []rune) []Quantity {
	var qs []Quantity
	for i := 0; i < len(rs); {
		q, end, ok := readQuantity(rs, i)
		if !ok {
			i = max(i+1, end)
			continue
		}
		qs = append(qs, q)
		i = end
	}
	return qs
}

// readQuantity tries to read one quantity starting at rs[i].
func readQuantity(rs []rune, i int) (Quantity, int, bool) {
	start := i
	var value float64
	approx := false
	matched := false

	// Vague leads: 上百, 近百, 数十, 几十, 好几百, 成百上千.
	switch {
	case hasPrefixAt(rs, i, "成百上千"):
		value, approx, matched, i = 100, true, true, i+4
	case isVagueLead(rs, i):
		u := cnUnits[rs[i+1]]
		switch rs[i] {
		case '上':
			value = u
		case '近':
			value = 0.9 * u
		default: // 数十, 几百: at least two of the unit
			value = 2 * u
		}
		if start > 0 && rs[start-1] == '好' {
			start--
		}
		approx, matched, i = true, true, i+2
	}
	if !matched {
		j := i
		for j < len(rs) && (isASCIIDigit(rs[j]) || (rs[j] == '.' && j > i && j+1 < len(rs) && isASCIIDigit(rs[j+1]))) {
			j++
		}
		if j > i {
			if start > 0 && rs[start-1] < 0x80 && unicode.IsLetter(rs[start-1]) {
				return Quantity{}, 0, false // part of a plate or model number
			}
			digits := string(rs[i:j])
			if len(digits) >= 9 && !strings.Contains(digits, ".") {
				return Quantity{}, j, false // a phone, ID or case number, not an amount
			}
			v, err := strconv.ParseFloat(digits, 64)
			if err != nil {
				return Quantity{}, j, false
			}
			value, matched, i = v, true, j
		} else {
			for j < len(rs) && isCNNumeral(rs[j]) {
				j++
			}
			if j == i {
				return Quantity{}, 0, false
			}
			run := rs[i:j]
			if v, ok := parseCN(run); ok {
				value = v
			} else if v, ok := parseRange(run); ok {
				value, approx = v, true
			} else {
				return Quantity{}, j, false
			}
			matched, i = true, j
		}
	}
	// 十几, 二十几: 几 after a number adds a few.
	if i < len(rs) && rs[i] == '几' && value >= 10 {
		value++
		approx = true
		i++
	}
	if i < len(rs) && approxSuffix(rs[i]) {
		approx = true
		i++
	}
	unitStart := i
	// A multiplier after the number: 5万, 2.3万, 十多万, 一百多万.
	for i < len(rs) && cnUnits[rs[i]] >= 100 && value > 0 {
		value *= cnUnits[rs[i]]
		i++
		if i < len(rs) && approxSuffix(rs[i]) {
			approx = true
			i++
		}
	}
	multiplied := i > unitStart
	if hasPrefixAt(rs, i, "左右") || hasPrefixAt(rs, i, "以上") {
		approx = true
	}
	if before := string(rs[max(0, start-3):start]); strings.HasSuffix(before, "约") || strings.HasSuffix(before, "大概") || strings.HasSuffix(before, "将近") || strings.HasSuffix(before, "差不多") {
		approx = true
	}

	q := Quantity{Value: value, Approx: approx, Kind: KindOther}
	switch {
	case hasPrefixAt(rs, i, "号人"):
		q.Kind, i = KindPeople, i+2
	case hasPrefixAt(rs, i, "块钱"), hasPrefixAt(rs, i, "元钱"):
		q.Kind, i = KindMoney, i+2
	case i < len(rs) && (rs[i] == '元' || rs[i] == '块'):
		q.Kind, i = KindMoney, i+1
	case hasPrefixAt(rs, i, "家人"):
		q.Kind, i = KindPeople, i+2
	case i < len(rs) && (rs[i] == '人' || rs[i] == '名' || rs[i] == '位' || rs[i] == '户'):
		q.Kind, i = KindPeople, i+1
		i += peopleNounAt(rs, i)
	case i < len(rs) && rs[i] == '个':
		i++
		if n := peopleNounAt(rs, i); n > 0 {
			q.Kind, i = KindPeople, i+n
		}
	case peopleNounAt(rs, i) > 0 && value >= 2:
		q.Kind, i = KindPeople, i+peopleNounAt(rs, i)
	case multiplied || (hasMoneyContext(rs, start) && value >= 100):
		q.Kind = KindMoney
	case i < len(rs) && measureWords[rs[i]]:
		i++
	}
	q.Unit = string(rs[unitStart:i])
	q.Text = string(rs[start:i])
	if q.Unit == "" && !approx && !isASCIIDigit(rs[start]) {
		// A lone Chinese numeral without a measure word is a word: 一起, 万一.
		return Quantity{}, i, false
	}
	return q, i, true
}

// isVagueLead tells whether rs[i] starts 上百, 近千, 数十 or 几百.
func isVagueLead(rs []rune, i int) bool {
	if i+1 >= len(rs) || cnUnits[rs[i+1]] < 10 {
		return false
	}
	switch rs[i] {
	case '上':
		return rs[i+1] != '十'
	case '近', '几':
		return true
	case '数':
		// 人数十几个 is 人数 followed by 十几, not 数十.
		return i == 0 || !strings.ContainsRune("人次分岁台户件", rs[i-1])
	}
	return false
}

// parseRange reads 七八, 二三十, 三四百, 一两: the lower end of the range.
func parseRange(run []rune) (float64, bool) {
	if len(run) < 2 {
		return 0, false
	}
	a, okA := cnDigits[run[0]]
	b, okB := cnDigits[run[1]]
	if !okA || !okB || a == 0 || b != a+1 && !(a == 1 && run[1] == '两') {
		return 0, false
	}
	v := float64(a)
	rest := run[2:]
	if len(rest) == 0 {
		return v, true
	}
	if len(rest) == 1 {
		if u, ok := cnUnits[rest[0]]; ok {
			return v * u, true
		}
	}
	if len(rest) == 2 && cnUnits[rest[1]] >= 1e4 {
		if u, ok := cnUnits[rest[0]]; ok {
			return v * u * cnUnits[rest[1]], true // 三四十万
		}
	}
	return 0, false
}

func hasPrefixAt(rs []rune, i int, p string) bool {
	for _, r := range p {
		if i >= len(rs) || rs[i] != r {
			return false
		}
		i++
	}
	return true
}

// peopleNounAt returns the length of a people noun starting at rs[i], or 0.
func peopleNounAt(rs []rune, i int) int {
	best := 0
	for _, n := range peopleNouns {
		if l := utf8.RuneCountInString(n); l > best && hasPrefixAt(rs, i, n) {
			best = l
		}
	}
	return best
}

func hasMoneyContext(rs []rune, start int) bool {
	for _, r := range rs[max(0, start-6):start] {
		if strings.ContainsRune(moneyContext, r) {
			return true
		}
	}
	return false
}

// GroupSize is the largest number of people a report speaks of, or 0.
func GroupSize(qs []Quantity) float64 { return largest(qs, KindPeople) }

// MoneyAtStake is the largest sum of money a report speaks of, in yuan.
func MoneyAtStake(qs []Quantity) float64 { return largest(qs, KindMoney) }

// largest is the largest quantity of a kind, or 0.
func largest(qs []Quantity, kind QuantityKind) float64 {
	n := 0.0
	for _, q := range qs {
		if q.Kind == kind && q.Value > n {
			n = q.Value
		}
	}
	return n
}
