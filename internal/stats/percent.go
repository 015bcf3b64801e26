// Package stats turns the center's counts into the figures its leaders
// read: the summary the zone publishes, breakdowns, on-time rates, and the
// daily, weekly and monthly reports as XLSX, HTML and Chinese text.
package stats

import (
	"sort"
)

// Percent is n of total in percent rounded half up to one decimal, 0 for
// an empty total. Integer arithmetic keeps 0.05 from becoming 0.04999….
func Percent(n, total int64) float64 {
	if total <= 0 {
		return 0
	}
	tenths := (n*1000*2 + total) / (2 * total)
	return float64(tenths) / 10
}

// WholePercents rounds shares of a total to whole percentages that add up
// to 100, as the zone publishes them: floor each, then give the missing
// points one by one to the largest remainders (ties to the larger count,
// then to the earlier share). An empty total gives zeros.
//
// 81, 69, 10, 14 of 174 are 46.55, 39.66, 5.75 and 8.05: floors 46, 39,
// 5, 8 make 98, and the two missing points go to 5.75 and 39.66, giving
// the zone's published 46, 40, 6, 8.
func WholePercents(counts []int64, total int64) []int {
	out := make([]int, len(counts))
	if total <= 0 {
		return out
	}
	type share struct {
		i   int
		rem int64 // remainder of n*100/total, in units of 1/total
		n   int64
	}
	shares := make([]share, len(counts))
	given := 0
	for i, n := range counts {
		out[i] = int(n * 100 / total)
		given += out[i]
		shares[i] = share{i: i, rem: n * 100 % total, n: n}
	}
	sort.SliceStable(shares, func(a, b int) bool {
		if shares[a].rem != shares[b].rem {
			return shares[a].rem > shares[b].rem
		}
		return shares[a].n > shares[b].n
	})
	var sum int64
	for _, n := range counts {
		sum += n
	}
	missing := 100 - given
	if sum != total {
		// The shares do not make up the whole (a filter left some out):
		// only round what they hold.
		missing = int((sum*100+total/2)/total) - given
	}
	for k := 0; k < missing && k < len(shares); k++ {
		out[shares[k].i]++
	}
	return out
}

// Change is the change from prev to cur in percent to one decimal (环比,
// 同比), nil when there is nothing to compare with.
func Change(cur, prev int64) *float64 {
	if prev == 0 {
		return nil
	}
	diff := cur - prev
	neg := diff < 0
	if neg {
		diff = -diff
	}
	v := Percent(diff, prev)
	if neg {
		v = -v
	}
	return &v
}
