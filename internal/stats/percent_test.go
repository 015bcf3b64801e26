package stats

import (
	"fmt"
	"testing"
)

func TestThePublishedFigures(t *testing.T) {
	t.Parallel()
	counts := []int64{81, 69, 10, 14}
	if got := fmt.Sprint(WholePercents(counts, 174)); got != "[46 40 6 8]" {
		t.Fatalf("whole percents %s, the zone published 46/40/6/8", got)
	}
	var one []float64
	for _, n := range counts {
		one = append(one, Percent(n, 174))
	}
	if got := fmt.Sprint(one); got != "[46.6 39.7 5.7 8]" {
		t.Fatalf("one decimal %s", got)
	}
	if r := Percent(169, 174); r != 97.1 {
		t.Fatalf("success rate %v, published 97.1", r)
	}
	// As printed (13 other, 173 in all) the figures do not hold together.
	if got := fmt.Sprint(WholePercents([]int64{81, 69, 10, 13}, 173)); got == "[46 40 6 8]" {
		t.Fatal("the misprint should not reproduce the published percentages")
	}
}

func TestWholePercentsAlwaysAddUp(t *testing.T) {
	t.Parallel()
	cases := [][]int64{{1, 1, 1}, {1, 2, 3, 4, 5, 6, 7}, {0, 0, 5}, {33, 33, 34}, {1, 0, 0, 0}, {999, 1}, {7, 7, 7, 7, 7, 7}}
	for _, c := range cases {
		var total int64
		for _, n := range c {
			total += n
		}
		sum := 0
		for _, p := range WholePercents(c, total) {
			sum += p
		}
		if sum != 100 {
			t.Errorf("%v: whole percents add to %d", c, sum)
		}
	}
	if got := fmt.Sprint(WholePercents([]int64{0, 0}, 0)); got != "[0 0]" {
		t.Errorf("empty total: %s", got)
	}
	if got := fmt.Sprint(WholePercents([]int64{1, 1, 1}, 3)); got != "[34 33 33]" {
		t.Errorf("ties go to the earlier share: %s", got)
	}
}

func TestPercentRoundsHalfUp(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		n, d int64
		want float64
	}{{1, 8, 12.5}, {1, 3, 33.3}, {2, 3, 66.7}, {1, 2000, 0.1}, {1, 2001, 0}, {0, 0, 0}, {5, 0, 0}} {
		if got := Percent(c.n, c.d); got != c.want {
			t.Errorf("Percent(%d, %d) = %v, want %v", c.n, c.d, got, c.want)
		}
	}
	if v := Change(110, 100); v == nil || *v != 10 {
		t.Errorf("change %v", v)
	}
	if v := Change(90, 100); v == nil || *v != -10 {
		t.Errorf("change %v", v)
	}
	if Change(5, 0) != nil {
		t.Error("change from nothing must be nil")
	}
}
