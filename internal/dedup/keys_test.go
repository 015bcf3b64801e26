package dedup

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

func keyStrings(ks []Key) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = k.String()
	}
	return out
}

func countKind(ks []Key, kind string) int {
	n := 0
	for _, k := range ks {
		if k.Kind == kind {
			n++
		}
	}
	return n
}

func TestKeysOfARichReport(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	loc := zoneCentre
	r := Report{
		Text: "科技路88号某五金制品有限公司门口二十多个工人堵着要工资，包工头老李和王某说老板欠了三个月没发，" +
			"联系电话13800000009，隔壁某门业有限公司和某杯业公司的工人也来了，幸福小区7幢的居民都出来看",
		Phone: "138-0000-0001", Phones: []string{"13800000002", "13800000003"},
		Address: "科技路88号", Location: &loc, Parties: []string{"王建国"},
	}
	keys := Keys(r, cfg)
	query := QueryKeys(r, cfg)
	if n := countKind(keys, KindCell); n != 1 {
		t.Errorf("indexed under %d cells, want 1", n)
	}
	if n := countKind(query, KindCell); n < 4 || n > 9 {
		t.Errorf("looks up %d cells, want 4 to 9", n)
	}
	if len(query) > MaxQueryKeys {
		t.Errorf("%d query keys, want at most %d: %v", len(query), MaxQueryKeys, keyStrings(query))
	}
	for _, want := range []string{"phone:13800000001", "addr:科技路#88号", "org:企业:某五金", "party:王建国"} {
		if !slices.Contains(keyStrings(keys), want) {
			t.Errorf("keys %v, want %s", keyStrings(keys), want)
		}
	}
	if n := countKind(keys, KindText); n != numBands {
		t.Errorf("%d text keys, want %d", n, numBands)
	}
	if n := countKind(keys, KindPhone); n > maxPhones {
		t.Errorf("%d phone keys, want at most %d", n, maxPhones)
	}
	if again := Keys(r, cfg); !slices.Equal(keys, again) {
		t.Errorf("keys differ between two calls")
	}
}

func TestKeysWithoutPhoneOrPoint(t *testing.T) {
	t.Parallel()
	keys := Keys(Report{Text: "幸福小区7幢楼上装修噪音太大", Address: "幸福小区7幢501"}, DefaultConfig())
	if countKind(keys, KindPhone)+countKind(keys, KindCell) != 0 {
		t.Errorf("keys %v: want no phone or cell", keyStrings(keys))
	}
	for _, want := range []string{"addr:幸福#7幢", "place:幸福"} {
		if !slices.Contains(keyStrings(keys), want) {
			t.Errorf("keys %v, want %s", keyStrings(keys), want)
		}
	}
	grid := Keys(Report{Text: "网格员上报：前山村有村民焚烧秸秆", Phone: "13800000009", Channel: "grid"}, DefaultConfig())
	if countKind(grid, KindPhone) != 0 {
		t.Errorf("a grid worker's report is indexed under his number: %v", keyStrings(grid))
	}
	if short := Keys(Report{Text: "有人吵架"}, DefaultConfig()); countKind(short, KindText) != 0 {
		t.Errorf("a four-character text has band keys %v: too short to be selective", keyStrings(short))
	}
}

// TestQueryFindsNearbyCase checks that a new report within the radius of
// an indexed one always shares a cell key with it, across cell borders.
func TestQueryFindsNearbyCase(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	rng := rand.New(rand.NewPCG(3, 4))
	for range 500 {
		a := casework.Location{Lat: 28.85 + rng.Float64()*0.1, Lon: 120 + rng.Float64()*0.1}
		b := offset(a, rng.Float64()*cfg.Radius*0.999, rng.Float64()*360)
		indexed := Keys(Report{Text: "x", Location: &a}, cfg)
		query := QueryKeys(Report{Text: "y", Location: &b}, cfg)
		if !slices.ContainsFunc(query, func(k Key) bool { return slices.Contains(indexed, k) }) {
			t.Fatalf("%v indexed under %v, %v looks up %v", a, keyStrings(indexed), b, keyStrings(query))
		}
	}
}

func TestCopiesShareABand(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	a := Keys(Report{Text: "来电人反映：科技路66号某电动工具有限公司拖欠十几名工人工资，工人聚集在公司门口。"}, cfg)
	b := QueryKeys(Report{Text: "市民反映科技路66号某电动工具有限公司拖欠工人工资，十几名工人在门口聚集"}, cfg)
	shared := 0
	for _, k := range b {
		if k.Kind == KindText && slices.Contains(a, k) {
			shared++
		}
	}
	if shared == 0 {
		t.Errorf("two records of one call share no band")
	}
}

func TestLookback(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	for _, c := range []struct {
		kind string
		want time.Duration
	}{
		{KindPhone, cfg.RepeatHorizon}, {KindAddr, cfg.RepeatHorizon}, {KindOrg, cfg.RepeatHorizon},
		{KindPlace, cfg.RepeatHorizon}, {KindParty, cfg.RepeatHorizon},
		{KindCell, cfg.Window}, {KindText, cfg.Window}, {KindRoad, cfg.Window}, {KindPerson, cfg.Window},
	} {
		if got := (Key{Kind: c.kind}).Lookback(cfg); got != c.want {
			t.Errorf("%s looks back %v, want %v", c.kind, got, c.want)
		}
	}
	if !strings.HasPrefix(Key{KindPhone, "13800000001"}.String(), "phone:") {
		t.Errorf("key string without its kind")
	}
}
