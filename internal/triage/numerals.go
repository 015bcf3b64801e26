package triage

import (
	"strconv"
	"strings"
)

// Chinese numerals. Both Normalize and Quantities read them; only Normalize
// rewrites them, and only when a measure word shows they count something,
// because the same characters are ordinary words elsewhere (一起, 万一,
// 十分, 千万不要).

var cnDigits = map[rune]int{
	'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5,
	'六': 6, '七': 7, '八': 8, '九': 9,
	// 大写 numerals of contracts and receipts (人民币叁万元整).
	'壹': 1, '贰': 2, '叁': 3, '肆': 4, '伍': 5, '陆': 6, '柒': 7, '捌': 8, '玖': 9,
}

var cnUnits = map[rune]float64{
	'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000,
	'万': 1e4, '亿': 1e8,
}

func isCNNumeral(r rune) bool {
	_, d := cnDigits[r]
	_, u := cnUnits[r]
	return d || u
}

// measureWords follow a numeral that counts something. 分 (十分 "very") and
// 口 (两口子 "a couple") are left out on purpose.
var measureWords = map[rune]bool{
	'个': true, '名': true, '位': true, '人': true, '元': true, '块': true,
	'月': true, '年': true, '天': true, '日': true, '号': true, '次': true,
	'辆': true, '台': true, '家': true, '户': true, '栋': true, '幢': true,
	'层': true, '楼': true, '间': true, '套': true, '岁': true, '米': true,
	'斤': true, '吨': true, '亩': true, '周': true, '倍': true, '万': true,
	'千': true, '百': true, '亿': true, '批': true, '条': true, '张': true,
	'件': true, '箱': true, '桶': true, '包': true, '趟': true, '顿': true,
	'拳': true, '脚': true, '刀': true, '针': true, '根': true, '只': true,
	'平': true, '公': true, '小': true, '单': true, '车': true,
}

// approxSuffix may stand between a numeral and its measure word: 二十多个.
func approxSuffix(r rune) bool { return r == '多' || r == '余' || r == '来' }

// parseCN reads a run of Chinese numerals. It refuses ranges (七八, 二三十),
// which are not one number, and runs that begin with a unit other than 十
// (万一, 千万), which are words.
func parseCN(rs []rune) (float64, bool) {
	if len(rs) == 0 {
		return 0, false
	}
	if u, ok := cnUnits[rs[0]]; ok && u != 10 {
		return 0, false
	}
	// A run of digits alone is read digit by digit when it is a code such as
	// a year or a room (二零二六, 三零二); two digits alone are a range.
	allDigits := true
	for _, r := range rs {
		if _, ok := cnDigits[r]; !ok {
			allDigits = false
			break
		}
	}
	if allDigits {
		if len(rs) == 1 {
			return float64(cnDigits[rs[0]]), true
		}
		if len(rs) == 2 && !strings.ContainsRune(string(rs), '零') && !strings.ContainsRune(string(rs), '〇') {
			return 0, false
		}
		v := 0.0
		for _, r := range rs {
			v = v*10 + float64(cnDigits[r])
		}
		return v, true
	}
	var total, section, number float64
	lastUnit := 0.0
	prevDigit, prevZero, afterUnit := false, false, false
	for i, r := range rs {
		if d, ok := cnDigits[r]; ok {
			if d == 0 {
				prevZero, prevDigit, afterUnit = true, false, false
				continue
			}
			if prevDigit {
				return 0, false // 二三十: a range
			}
			number = float64(d)
			prevDigit = true
			continue
		}
		u := cnUnits[r]
		if number == 0 && !prevDigit {
			if u == 10 && (i == 0 || prevZero || afterUnit) {
				number = 1 // 十五, 一百一十
			} else if u < 1e4 {
				return 0, false
			}
		}
		if u >= 1e4 {
			section += number
			if section == 0 && total == 0 {
				return 0, false
			}
			if total > 0 && section == 0 {
				total *= u // 亿万 and the like
			} else {
				total += section * u
			}
			section = 0
		} else {
			if lastUnit != 0 && u >= lastUnit && section > 0 && lastUnit < 1e4 {
				return 0, false // 十百: not a number
			}
			section += number * u
		}
		number = 0
		lastUnit = u
		prevDigit, prevZero, afterUnit = false, false, true
	}
	if number > 0 && prevDigit && !prevZero && lastUnit >= 100 && len(rs) >= 3 {
		// 三千五 is 3500 and 一万五 is 15000: a trailing digit right after a
		// unit counts in the next smaller unit.
		if _, isUnit := cnUnits[rs[len(rs)-2]]; isUnit {
			number *= lastUnit / 10
		}
	}
	return total + section + number, true
}

// arabicNumerals rewrites Chinese numerals that count something as digits.
func arabicNumerals(rs []rune) []rune {
	hasCN := false
	for _, r := range rs {
		if isCNNumeral(r) {
			hasCN = true
			break
		}
	}
	if !hasCN {
		return rs
	}
	out := make([]rune, 0, len(rs))
	for i := 0; i < len(rs); {
		if !isCNNumeral(rs[i]) {
			out = append(out, rs[i])
			i++
			continue
		}
		j := i
		for j < len(rs) && isCNNumeral(rs[j]) {
			j++
		}
		run := rs[i:j]
		// 十多万: the numeral stops at 多 and 万 follows it; read 万 as the
		// measure word and keep it.
		next := j
		if next < len(rs) && approxSuffix(rs[next]) {
			next++
		}
		// A run ending in a unit counts by itself (欠了三十五万, 一千二).
		last := run[len(run)-1]
		counted := (next < len(rs) && measureWords[rs[next]]) ||
			(len(run) > 1 && cnUnits[last] >= 100)
		// 几十, 数百, 上千, 十几: vague amounts stay words for Quantities.
		vague := (i > 0 && strings.ContainsRune("几数上近成好", rs[i-1])) ||
			(j < len(rs) && rs[j] == '几')
		if counted && !vague {
			if v, ok := parseCN(run); ok {
				out = append(out, []rune(formatCN(v, run))...)
				i = j
				continue
			}
		}
		out = append(out, run...)
		i = j
	}
	return out
}

// formatCN writes a parsed numeral the way people type it: 3万 rather than
// 30000 when the Chinese used 万, so that 三万元 and 3万元 normalise alike.
func formatCN(v float64, run []rune) string {
	s := string(run)
	switch {
	case strings.ContainsRune(s, '亿') && v >= 1e8:
		return strconv.FormatFloat(v/1e8, 'f', -1, 64) + "亿"
	case strings.ContainsRune(s, '万') && v >= 1e4:
		return strconv.FormatFloat(v/1e4, 'f', -1, 64) + "万"
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}
