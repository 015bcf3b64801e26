package dedup

// cnDigit answers the value of a Chinese digit. A switch, not a map: it is
// asked of every character of every report.
func cnDigit(r rune) (int64, bool) {
	switch r {
	case '零', '〇':
		return 0, true
	case '一':
		return 1, true
	case '二', '两':
		return 2, true
	case '三':
		return 3, true
	case '四':
		return 4, true
	case '五':
		return 5, true
	case '六':
		return 6, true
	case '七':
		return 7, true
	case '八':
		return 8, true
	case '九':
		return 9, true
	}
	return 0, false
}

// cnUnit answers the value of a unit, which multiplies what precedes it.
func cnUnit(r rune) (int64, bool) {
	switch r {
	case '十':
		return 10, true
	case '百':
		return 100, true
	case '千':
		return 1000, true
	case '万':
		return 10000, true
	case '亿':
		return 100000000, true
	}
	return 0, false
}

// counters are the words after which a single Chinese digit is a number:
// "一个" is 1个, but "一直", "统一" stay words.
var counters = map[rune]bool{
	'个': true, '月': true, '天': true, '号': true, '幢': true, '栋': true, '楼': true, '层': true,
	'人': true, '名': true, '辆': true, '次': true, '年': true, '元': true, '块': true, '多': true,
	'余': true, '几': true, '点': true, '岁': true, '间': true, '室': true, '单': true, '分': true,
	'周': true, '斤': true, '吨': true, '台': true, '车': true, '小': true, '星': true, '户': true,
	'位': true,
}

// convertNumerals rewrites runs of Chinese numerals as Arabic digits in
// place. A run is converted when it starts with a digit or 十 and is either
// longer than one character or followed by a counter, so that idioms and
// names keep their characters.
func convertNumerals(t []rune) []rune {
	out := make([]rune, 0, len(t)+8)
	for i := 0; i < len(t); {
		r := t[i]
		if r < 0x4e00 {
			out = append(out, r) // every Chinese numeral lies above
			i++
			continue
		}
		_, isDigit := cnDigit(r)
		if !isDigit && r != '十' {
			out = append(out, r)
			i++
			continue
		}
		j := i
		for j < len(t) {
			if _, ok := cnDigit(t[j]); ok {
				j++
				continue
			}
			if _, ok := cnUnit(t[j]); ok {
				j++
				continue
			}
			break
		}
		if j-i == 1 && (j == len(t) || !counters[t[j]]) {
			out = append(out, r)
			i++
			continue
		}
		v, ok := parseChineseNumber(t[i:j])
		if !ok {
			out = append(out, t[i:j]...)
			i = j
			continue
		}
		out = appendInt(out, v)
		i = j
	}
	return out
}

// parseChineseNumber reads 八十八, 一百零八, 两万, 十几 (as 十), and plain digit
// strings such as 一三八 read out one by one.
func parseChineseNumber(run []rune) (int64, bool) {
	var total, section, num int64
	positional := true
	for _, r := range run {
		if _, ok := cnUnit(r); ok {
			positional = false
			break
		}
	}
	if positional {
		for _, r := range run {
			d, _ := cnDigit(r)
			num = num*10 + d
		}
		return num, true
	}
	for _, r := range run {
		if d, ok := cnDigit(r); ok {
			num = d
			continue
		}
		u, _ := cnUnit(r)
		switch {
		case u >= 10000:
			section += num
			if section == 0 {
				return 0, false
			}
			total += section * u
			section = 0
		default:
			if num == 0 {
				num = 1 // 十 alone is ten
			}
			section += num * u
		}
		num = 0
	}
	return total + section + num, true
}

func appendInt(out []rune, v int64) []rune {
	var buf [20]rune
	i := len(buf)
	for {
		i--
		buf[i] = rune('0' + v%10)
		v /= 10
		if v == 0 {
			break
		}
	}
	return append(out, buf[i:]...)
}
