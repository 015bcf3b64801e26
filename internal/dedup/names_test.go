package dedup

import (
	"slices"
	"strings"
	"testing"
)

// namesIn answers the names of a text as "kind:key" strings.
func namesIn(text string) []string {
	var out []string
	for _, n := range uniqueNames(extractNames(normalizeText(text))) {
		out = append(out, kindNames[n.kind]+":"+n.key())
	}
	return out
}

var kindNames = map[nameKind]string{kindFirm: "firm", kindShop: "shop", kindSite: "site", kindInst: "inst",
	kindEstate: "estate", kindVillage: "village", kindRoad: "road", kindAddr: "addr", kindPerson: "person", kindParty: "party"}

// TestNamesShowAsWritten: a road's key keeps its last characters, but the
// dispatcher reads the whole name (五金城科技路, not 金城科技路).
func TestNamesShowAsWritten(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]string{
		"五金城科技路18号门口有人堵门": "五金城科技路18号",
		"在科技路88号门口":       "科技路88号",
		"工人在五金城科技路堵门":     "五金城科技路",
	} {
		var shown []string
		for _, n := range extractNames(normalizeText(text)) {
			shown = append(shown, n.display)
		}
		if !slices.Contains(shown, want) {
			t.Errorf("%q shows %v, want %s among them", text, shown, want)
		}
	}
}

func TestExtractNames(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		text string
		want []string // every one must be found
		not  []string // none may be found: substrings of a found name
	}{
		{"某五金制品有限公司拖欠工资", []string{"firm:企业:某五金"}, nil},
		{"某五金制品公司门口", []string{"firm:企业:某五金"}, nil},
		{"浙江某五金制品股份有限公司", []string{"firm:企业:某五金"}, nil},
		{"科技路那家五金厂门口围了好多人", []string{"road:科技路", "firm:企业:科技路五金"}, []string{"那家"}},
		{"科技路88号某五金制品有限公司门口", []string{"addr:科技路#88号", "firm:企业:某五金"}, nil},
		{"南苑路一家饭店门口顾客和老板吵起来了", []string{"shop:饭店:南苑路"}, []string{"一家"}},
		{"南苑路某理发店跑路", []string{"shop:理发店:南苑路"}, nil},
		{"金色家园12幢楼下的烧烤店油烟太大", []string{"addr:金色家园#12幢", "shop:饭店:金色家园"}, nil},
		{"望湖路某项目工地的农民工", []string{"site:工地:望湖路"}, nil},
		{"望湖路那个工地门口坐了一排人", []string{"site:工地:望湖路"}, nil},
		{"东方花园小区门口", []string{"estate:东方花园"}, nil},
		{"幸福小区7幢501和401吵起来了", []string{"estate:幸福", "addr:幸福#7幢"}, nil},
		{"塘里村村委会门口", []string{"village:塘里村", "inst:村委会:塘里村"}, nil},
		{"一群村民围在村委会", nil, []string{"village:"}},
		{"整个村子都是味道", nil, []string{"village:"}},
		{"王某说老板欠他工资", []string{"person:王某"}, []string{"firm:", "person:老板"}},
		{"李某某和邻居张某某吵架", []string{"person:李某", "person:张某"}, nil},
		{"包工头老李带人堵门", []string{"person:老李"}, nil},
		{"王师傅和刘老板", []string{"person:王师傅", "person:刘老板"}, nil},
		{"小周和老王", []string{"person:小周", "person:老王"}, nil},
		// Generic words never become names.
		{"公司欠工人工资，工厂老板跑了", nil, []string{"firm:", "person:"}},
		{"我们公司的老板和工人吵架", nil, []string{"firm:", "person:"}},
		{"机械厂门口聚集了一帮人", nil, []string{"firm:"}},
		{"他老公在厂里受了工伤厂里不管", nil, []string{"firm:"}},
		{"小区门口，老人和小孩", nil, []string{"estate:", "person:"}},
		{"村里修路占了他家的地", nil, []string{"road:"}},
		{"东西掉了一路，过马路", nil, []string{"road:"}},
	} {
		got := namesIn(c.text)
		for _, w := range c.want {
			if !slices.Contains(got, w) {
				t.Errorf("%q: names %v, want %s", c.text, got, w)
			}
		}
		for _, n := range c.not {
			for _, g := range got {
				if strings.Contains(g, n) {
					t.Errorf("%q: names %v, want none like %s", c.text, got, n)
				}
			}
		}
	}
}

func TestPartyNames(t *testing.T) {
	t.Parallel()
	ns := partyNames([]string{"某门业有限公司", "王建国", "一个很长的不是名字的句子"})
	var got []string
	for _, n := range ns {
		got = append(got, kindNames[n.kind]+":"+n.key())
	}
	want := []string{"firm:企业:某门业", "party:王建国"}
	if !slices.Equal(got, want) {
		t.Errorf("partyNames = %v, want %v", got, want)
	}
}

func TestShareNameConflicts(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	for _, c := range []struct {
		a, b             string
		shared, conflict bool
	}{
		{"某五金制品有限公司欠薪", "某五金厂门口有人", true, false},
		{"某五金制品有限公司欠薪", "科技路那家五金厂门口", false, false},
		{"某电器厂拖欠工资", "某汽配厂拖欠工资", false, true},
		{"南苑路某理发店跑路", "南苑路某健身房跑路", false, true},
		{"某汽车修理厂", "东环路修理厂", false, false},
		{"某杯业公司欠薪", "工人讨薪", false, false},
	} {
		a, b := Prepare(Report{Text: c.a}, cfg), Prepare(Report{Text: c.b}, cfg)
		n, conflict := shareName(a, b, nameKind.isOrg)
		if (n != nil) != c.shared || conflict != c.conflict {
			t.Errorf("%q / %q: shared %v conflict %v, want %v %v", c.a, c.b, n != nil, conflict, c.shared, c.conflict)
		}
	}
}
