package dedup

import "slices"

// asciiToken marks a token that stands for a run of letters or digits,
// hashed, so it never equals a Chinese character's code point.
const asciiToken = 1 << 31

// unigram fills the second half of a shingle made of one token.
const unigram = 0xffffffff

// stopShingles are pairs of characters that any two reports share
// (我们, 现在, 1个): they would make unrelated texts look alike.
var stopShingles = func() map[uint64]bool {
	m := map[uint64]bool{}
	for _, w := range []string{"我们", "他们", "你们", "现在", "这个", "那个", "这边", "那边", "没有", "已经",
		"还是", "就是", "什么", "怎么", "可以", "不是", "有人", "一个", "一下", "一直", "说是", "的事", "事情",
		"好像", "因为", "所以", "但是", "然后", "一些", "这里", "那里", "我的", "他的", "我家", "了一"} {
		t := normalizeText(w)
		if len(t) == 2 {
			m[uint64(t[0])<<32|uint64(t[1])] = true
		}
	}
	return m
}()

// contentShingles answers the sorted, distinct shingles of what a report
// says happened: character pairs, with the names (who and where) and the
// form words of the record cut out, since place is weighed apart and would
// otherwise make two incidents at one gate read alike.
func contentShingles(t []rune, cut []bool) []uint64 {
	var out []uint64
	prev, n := uint32(0), 0 // previous token and tokens in the current segment
	flush := func() {
		if n == 1 {
			out = append(out, uint64(prev)<<32|unigram)
		}
		n = 0
	}
	for i := 0; i < len(t); {
		if cut[i] || t[i] == sep {
			flush()
			i++
			continue
		}
		var tok uint32
		if isASCIIAlnum(t[i]) {
			h := uint32(2166136261) // FNV-1a of the run
			for ; i < len(t) && !cut[i] && isASCIIAlnum(t[i]); i++ {
				h = (h ^ uint32(t[i])) * 16777619
			}
			tok = h | asciiToken
		} else {
			tok = uint32(t[i])
			i++
		}
		if n > 0 {
			s := uint64(prev)<<32 | uint64(tok)
			if !stopShingles[s] {
				out = append(out, s)
			}
		}
		prev = tok
		n++
	}
	flush()
	slices.Sort(out)
	return slices.Compact(out)
}

// jaccard answers |a∩b| / |a∪b| for sorted, distinct sets.
func jaccard(a, b []uint64) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	inter := 0
	for i, j := 0, 0; i < len(a) && j < len(b); {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

func isASCIIAlnum(r rune) bool { return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' }
