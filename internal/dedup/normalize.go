package dedup

import (
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// sep marks a break in normalised text: punctuation, spaces and symbols all
// become one, so that names and shingles never run across a comma.
const sep = ' '

// normalizeText folds a report to the form every matcher here reads:
// full-width letters and digits to half width (NFKC where a text needs
// more), lower case, runs of punctuation and spaces to one sep, and
// Chinese numerals to digits where they count something ("二十多个" and
// "20多个" must read alike).
func normalizeText(s string) []rune {
	if needsNFKC(s) {
		s = norm.NFKC.String(s)
	}
	out := make([]rune, 0, len(s)/2)
	for _, r := range s {
		switch {
		case r >= 0x4e00 && r <= 0x9fff:
			out = append(out, r) // the common case: a Chinese character
		case r >= 'A' && r <= 'Z':
			out = append(out, r+('a'-'A'))
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			out = append(out, r)
		case r >= 0xff01 && r <= 0xff5e:
			// Full-width ASCII: fold to half width, then treat as ASCII.
			r -= 0xfee0
			if r >= 'A' && r <= 'Z' {
				r += 'a' - 'A'
			}
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
				out = append(out, r)
			} else if len(out) > 0 && out[len(out)-1] != sep {
				out = append(out, sep)
			}
		case r >= 0x80 && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			out = append(out, r)
		default:
			if len(out) > 0 && out[len(out)-1] != sep {
				out = append(out, sep)
			}
		}
	}
	if len(out) > 0 && out[len(out)-1] == sep {
		out = out[:len(out)-1]
	}
	return convertNumerals(out)
}

// needsNFKC reports whether a text holds compatibility characters that
// folding full-width ASCII by hand would miss (①, ㎡, compatibility
// ideographs): most reports do not, and NFKC is the costliest step.
func needsNFKC(s string) bool {
	for _, r := range s {
		if r >= 0x2460 && r <= 0x24ff || r >= 0x3300 && r <= 0x33ff || r >= 0xf900 && r <= 0xfaff ||
			r >= 0xfe30 && r <= 0xfe4f || r >= 0xff5f {
			return true
		}
	}
	return false
}

// normalizePhone keeps the digits of a number and drops what varies between
// two ways of writing the same line: the country code of a mobile number and
// the area code of a landline. Anything shorter than seven digits (110, an
// extension) is no caller identity and answers "".
func normalizePhone(s string) string {
	var b [32]byte
	n := 0
	for _, r := range s {
		var d byte
		switch {
		case r >= '0' && r <= '9':
			d = byte(r)
		case r >= '０' && r <= '９':
			d = byte(r-'０') + '0'
		default:
			continue
		}
		if n == len(b) {
			return ""
		}
		b[n] = d
		n++
	}
	p := string(b[:n])
	switch {
	case len(p) == 15 && p[:4] == "0086" && p[4] == '1':
		p = p[4:]
	case len(p) == 13 && p[:2] == "86" && p[2] == '1':
		p = p[2:]
	case len(p) >= 10 && len(p) <= 12 && p[0] == '0':
		// 0579-87654321 and 87654321 are one line: keep the local part.
		if p[1] == '1' || p[1] == '2' {
			p = p[3:]
		} else {
			p = p[4:]
		}
	}
	if len(p) < 7 {
		return ""
	}
	return p
}

// phonesInText finds mobile numbers written in a report ("联系电话138…"),
// which 12345 tickets often carry instead of a caller field.
func phonesInText(t []rune) []string {
	var out []string
	for i := 0; i < len(t); {
		if t[i] < '0' || t[i] > '9' {
			i++
			continue
		}
		j := i
		for j < len(t) && t[j] >= '0' && t[j] <= '9' {
			j++
		}
		if j-i == 11 && t[i] == '1' {
			out = append(out, string(t[i:j]))
		}
		i = j
	}
	return out
}
