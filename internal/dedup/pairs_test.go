package dedup

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

// labelledPair is one row of testdata/pairs.tsv: an old report A and a new
// report B, with what B should be to A.
type labelledPair struct {
	line  int
	label string // merge, distinct, repeat
	a, b  Report
}

// zoneCentre is a point in the zone; pairs are laid out around it.
var zoneCentre = casework.Location{Lat: 28.90, Lon: 120.05}

// offset answers the point metres away from p on a bearing in degrees.
func offset(p casework.Location, metres, bearing float64) casework.Location {
	rad := bearing * math.Pi / 180
	dLat := metres * math.Cos(rad) / metresPerDegree
	dLon := metres * math.Sin(rad) / (metresPerDegree * math.Cos(p.Lat*math.Pi/180))
	return casework.Location{Lat: p.Lat + dLat, Lon: p.Lon + dLon}
}

func loadPairs(t testing.TB) []labelledPair {
	t.Helper()
	f, err := os.Open("testdata/pairs.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	base := time.Date(2025, 3, 10, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	var out []labelledPair
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "label\t") {
			continue
		}
		c := strings.Split(line, "\t")
		if len(c) != 11 {
			t.Fatalf("pairs.tsv:%d: %d columns, want 11", n, len(c))
		}
		minutes, err1 := strconv.Atoi(c[1])
		metres, err2 := strconv.ParseFloat(c[2], 64)
		if err1 != nil || err2 != nil {
			t.Fatalf("pairs.tsv:%d: bad minutes or metres", n)
		}
		i := len(out)
		a := Report{ID: int64(2*i + 1), Text: c[4], Line: "incident", Status: string(casework.StatusReceived)}
		b := Report{ID: int64(2*i + 2), Text: c[5], Line: "incident"}
		// Each pair gets its own day and corner of the zone, so that rows
		// never meet by accident.
		a.At = base.Add(time.Duration(i) * 24 * time.Hour)
		b.At = a.At.Add(time.Duration(minutes) * time.Minute)
		a.Phone = fmt.Sprintf("138%08d", 2*i+1)
		switch c[3] {
		case "true":
			b.Phone = a.Phone
		case "false":
			b.Phone = fmt.Sprintf("138%08d", 2*i+2)
		case "none":
		default:
			t.Fatalf("pairs.tsv:%d: same_phone %q", n, c[3])
		}
		if metres >= 0 {
			la := offset(zoneCentre, float64(i%20)*400, float64(i*53%360))
			lb := offset(la, metres, float64(i*37%360))
			a.Location, b.Location = &la, &lb
		}
		a.Address, b.Address = dash(c[6]), dash(c[7])
		a.Type, b.Type = dash(c[8]), dash(c[9])
		a.Category, _ = casework.ContractTypes{}.CategoryOf(a.Type)
		b.Category, _ = casework.ContractTypes{}.CategoryOf(b.Type)
		status := dash(c[10])
		if status == "" && c[0] == "repeat" {
			status = string(casework.StatusClosed)
		}
		if status != "" {
			a.Status = status
		}
		if a.Status == string(casework.StatusClosed) || a.Status == string(casework.StatusResolved) {
			closed := a.At.Add(min(time.Duration(minutes)*time.Minute/2, 72*time.Hour))
			a.ClosedAt = &closed
		}
		out = append(out, labelledPair{line: n, label: c[0], a: a, b: b})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func dash(s string) string {
	if s == "-" {
		return ""
	}
	return s
}

// TestLabelledPairs measures the check on the labelled set and holds it to
// a bar: merges must be right (a wrong merge hides a report from the
// dispatcher), and true duplicates must at least be shown.
func TestLabelledPairs(t *testing.T) {
	pairs := loadPairs(t)
	if len(pairs) < 200 {
		t.Fatalf("%d pairs, want at least 200", len(pairs))
	}
	cfg := DefaultConfig()
	count := map[string]map[Level]int{"merge": {}, "distinct": {}, "repeat": {}}
	for _, p := range pairs {
		m := Compare(p.b, p.a, cfg)
		count[p.label][m.Level]++
		wrong := p.label == "merge" && m.Level != Merge ||
			p.label == "distinct" && m.Level != None && m.Level != Candidate ||
			p.label == "repeat" && m.Level != Repeat
		if wrong && testing.Verbose() {
			t.Logf("line %d: %s got %s %.2f %v\n  A: %s\n  B: %s", p.line, p.label, m.Level, m.Score, m.Reasons, p.a.Text, p.b.Text)
		}
	}
	merges := count["merge"][Merge] + count["distinct"][Merge] + count["repeat"][Merge]
	repeats := count["merge"][Repeat] + count["distinct"][Repeat] + count["repeat"][Repeat]
	nMerge := count["merge"][None] + count["merge"][Candidate] + count["merge"][Merge] + count["merge"][Repeat]
	nRepeat := count["repeat"][None] + count["repeat"][Candidate] + count["repeat"][Merge] + count["repeat"][Repeat]
	ratio := func(a, b int) float64 {
		if b == 0 {
			return 1
		}
		return float64(a) / float64(b)
	}
	mergePrecision := ratio(count["merge"][Merge], merges)
	mergeRecall := ratio(count["merge"][Merge], nMerge)
	shownRecall := ratio(count["merge"][Merge]+count["merge"][Candidate], nMerge)
	repeatPrecision := ratio(count["repeat"][Repeat], repeats)
	repeatRecall := ratio(count["repeat"][Repeat], nRepeat)
	t.Logf("pairs: %d (merge %d, distinct %d, repeat %d)", len(pairs), nMerge,
		len(pairs)-nMerge-nRepeat, nRepeat)
	t.Logf("merge precision %.3f (%d/%d), merge recall %.3f, merge-or-candidate recall %.3f",
		mergePrecision, count["merge"][Merge], merges, mergeRecall, shownRecall)
	t.Logf("repeat precision %.3f (%d/%d), repeat recall %.3f", repeatPrecision, count["repeat"][Repeat], repeats, repeatRecall)
	t.Logf("distinct pairs: %d merged, %d candidate, %d repeat, %d none",
		count["distinct"][Merge], count["distinct"][Candidate], count["distinct"][Repeat], count["distinct"][None])

	for _, bar := range []struct {
		name      string
		got, want float64
	}{
		{"merge precision", mergePrecision, 0.95},
		{"merge-or-candidate recall", shownRecall, 0.90},
		{"merge recall", mergeRecall, 0.60},
		{"repeat precision", repeatPrecision, 0.90},
		{"repeat recall", repeatRecall, 0.80},
	} {
		if bar.got < bar.want {
			t.Errorf("%s %.3f, want at least %.2f", bar.name, bar.got, bar.want)
		}
	}
}

// TestLabelledPairsDegraded runs the set again with part of every report
// missing, as happens on the desk: no caller number (walk-ins, forwarded
// records), no point (address text only), no classification yet, and with
// old and new swapped. Merges must stay right; recall may fall.
func TestLabelledPairsDegraded(t *testing.T) {
	pairs := loadPairs(t)
	cfg := DefaultConfig()
	for _, v := range []struct {
		name string
		edit func(a, b *Report) bool // false leaves the pair out
	}{
		{"no phone", func(a, b *Report) bool { a.Phone, b.Phone = "", ""; return true }},
		{"no point", func(a, b *Report) bool { a.Location, b.Location = nil, nil; return true }},
		{"no type", func(a, b *Report) bool { a.Type, a.Category, b.Type, b.Category = "", "", "", ""; return true }},
		{"swapped", func(a, b *Report) bool {
			if a.Status != string(casework.StatusReceived) {
				return false
			}
			*a, *b = *b, *a
			a.Status, b.Status = string(casework.StatusReceived), ""
			return true
		}},
	} {
		var merges, right, labelled, shown, repeats, repeatsFound int
		for _, p := range pairs {
			a, b := p.a, p.b
			if !v.edit(&a, &b) || v.name == "swapped" && p.label == "repeat" {
				continue
			}
			m := Compare(b, a, cfg)
			if m.Level == Merge {
				merges++
			}
			switch p.label {
			case "merge":
				labelled++
				if m.Level == Merge {
					right++
				}
				if m.Level == Merge || m.Level == Candidate {
					shown++
				}
			case "repeat":
				repeats++
				if m.Level == Repeat {
					repeatsFound++
				}
			}
		}
		precision := float64(right) / float64(max(merges, 1))
		t.Logf("%s: merge precision %.3f (%d/%d), merge recall %.3f, merge-or-candidate recall %.3f, repeats found %d/%d",
			v.name, precision, right, merges, float64(right)/float64(labelled), float64(shown)/float64(labelled), repeatsFound, repeats)
		if precision < 0.95 {
			t.Errorf("%s: merge precision %.3f, want at least 0.95", v.name, precision)
		}
		if r := float64(shown) / float64(labelled); r < 0.9 {
			t.Errorf("%s: merge-or-candidate recall %.3f, want at least 0.90", v.name, r)
		}
	}
}
