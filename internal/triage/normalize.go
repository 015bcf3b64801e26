package triage

import (
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

//go:embed t2s.txt
var t2sData string

// t2s maps traditional characters to simplified ones. It is built once from
// the embedded table and only read afterwards.
var t2s = parseT2S(t2sData)

func parseT2S(data string) map[rune]rune {
	m := make(map[rune]rune, 1024)
	for line := range strings.Lines(data) {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, tok := range strings.Fields(line) {
			rs := []rune(tok)
			if len(rs) == 2 && rs[0] != rs[1] {
				m[rs[0]] = rs[1]
			}
		}
	}
	return m
}

// sep separates clauses in normalised text. Punctuation, emoji and other
// symbols all become one sep, so that "不是，偷" and "不是偷" differ (a
// negation does not reach across a clause) while "，，！！" and "。" do not.
// It is the ideographic full stop because NFKC keeps it and Normalize turns
// it into itself: normalising twice changes nothing, which duplicate
// detection relies on. (An ASCII space would not do: spaces typed between
// Chinese characters are dropped.)
const sep = '。'

// Normalize puts a report into the one form that triage, duplicate detection
// and search compare:
//
//   - NFKC: full-width letters and digits become half-width;
//   - traditional characters become simplified (t2s.txt);
//   - Latin letters become lower case;
//   - spaces typed between Chinese characters go (工 资 → 工资), one space
//     stays between Latin words;
//   - every run of punctuation, symbols and emoji becomes one 。 (see sep),
//     and so does invalid UTF-8; control and zero-width characters go;
//   - Chinese numerals that count something become digits (二十多个 →
//     20多个, 三万元 → 3万元, 第三次 → 第3次), while ranges and vague amounts
//     (七八个, 十几个, 上百) stay as written for Quantities to read.
//
// Normalize is idempotent.
func Normalize(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	s = norm.NFKC.String(s)
	out := make([]rune, 0, len(s)/2+8)
	pendingSpace, pendingSep := false, false
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r):
			if m, ok := t2s[r]; ok {
				r = m
			}
			r = unicode.ToLower(r)
			if len(out) > 0 {
				last := out[len(out)-1]
				switch {
				case pendingSep:
					out = append(out, sep)
				case pendingSpace && !unicode.Is(unicode.Han, last) && !unicode.Is(unicode.Han, r):
					out = append(out, ' ') // between Latin words
				}
			}
			pendingSpace, pendingSep = false, false
			out = append(out, r)
		case unicode.IsSpace(r):
			pendingSpace = true
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			// Zero-width and control characters carry no meaning and must
			// not split a word that a paste or an SMS gateway broke up.
		case isNumberJoiner(r) && !pendingSpace && !pendingSep && i+1 < len(rs) &&
			len(out) > 0 && isASCIIDigit(out[len(out)-1]) && joinsNumber(r, rs[i+1:]):
			if r != ',' { // 1,000 is one thousand; the comma only groups digits
				out = append(out, r)
			}
		case r == '%' && len(out) > 0 && isASCIIDigit(out[len(out)-1]):
			out = append(out, r)
		default:
			pendingSep = true
		}
	}
	if len(out) > 0 && out[len(out)-1] == sep {
		out = out[:len(out)-1]
	}
	return string(arabicNumerals(out))
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func isNumberJoiner(r rune) bool { return r == '.' || r == ':' || r == ',' }

// joinsNumber tells whether r continues a number: 2.3, 10:30, 1,000.
func joinsNumber(r rune, next []rune) bool {
	if len(next) == 0 || !isASCIIDigit(next[0]) {
		return false
	}
	if r != ',' {
		return true
	}
	n := 0
	for n < len(next) && isASCIIDigit(next[n]) {
		n++
	}
	return n == 3
}
