package dedup

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

var (
	morning = time.Date(2025, 4, 7, 8, 30, 0, 0, time.FixedZone("CST", 8*3600))
	gate    = casework.Location{Lat: 28.91, Lon: 120.06}
)

func at(minutes int) time.Time { return morning.Add(time.Duration(minutes) * time.Minute) }

func near(metres, bearing float64) *casework.Location {
	l := offset(gate, metres, bearing)
	return &l
}

func closedAt(minutes int) *time.Time { t := at(minutes); return &t }

// TestCompareRules walks through the rules one scenario at a time.
func TestCompareRules(t *testing.T) {
	t.Parallel()
	wageProtest := Report{ID: 1, At: at(0), Phone: "13800000001", Location: &gate, Address: "科技路88号",
		Type: "wage_arrears", Category: "labor", Status: "received", Line: "incident",
		Text: "科技路88号某五金制品有限公司门口二十多个工人堵着要工资，说老板欠了三个月没发"}
	with := func(r Report, edit func(*Report)) Report { edit(&r); return r }

	for _, c := range []struct {
		name    string
		newR    Report
		old     Report
		level   Level
		reasons []string // each must appear, as a substring of some reason
	}{
		{
			name: "a caller's retry in other words",
			newR: Report{At: at(40), Phone: "138 0000 0001", Location: near(20, 0),
				Text: "我刚才报过警了，怎么还没有人来，工人们越来越激动了"},
			old: wageProtest, level: Merge,
			reasons: []string{"同一来电号码，40分钟前已报", "来电称已报过"},
		},
		{
			name: "another worker of the same protest",
			newR: Report{At: at(35), Phone: "13800000002", Location: near(120, 90), Type: "wage_arrears", Category: "labor",
				Text: "某五金制品公司欠我们工资三个月了，今天二十几个人在厂门口讨薪"},
			old: wageProtest, level: Merge,
			reasons: []string{"相距120米，35分钟内", "涉及同一企业：某五金制品", "同"},
		},
		{
			name: "a passer-by in other words, unclassified, the same scene",
			newR: Report{At: at(12), Phone: "13800000003", Location: near(80, 180), Type: "other",
				Text: "科技路那家五金厂门口围了好多人，车都开不出去"},
			old: wageProtest, level: Merge,
			reasons: []string{"相距80米，12分钟内", "所述情况相同：人员聚集、堵门堵路"},
		},
		{
			name: "a passer-by who saw only a crowd: shown, not merged",
			newR: Report{At: at(12), Phone: "13800000003", Location: near(80, 180), Type: "other",
				Text: "那边门口围了好多人，不知道在干什么"},
			old: wageProtest, level: Candidate,
			reasons: []string{"相距80米，12分钟内", "所述情况相同：人员聚集"},
		},
		{
			name: "a scrape at the same gate the same morning",
			newR: Report{At: at(45), Phone: "13800000004", Location: near(30, 270), Address: "科技路88号",
				Type: "traffic", Category: "civil",
				Text: "科技路88号门口一辆货车倒车时把一辆轿车刮了，两个司机在吵"},
			old: wageProtest, level: Candidate,
			reasons: []string{"相距30米，45分钟内", "事项类型不同", "所述情况不同"},
		},
		{
			name: "the same caller reporting another matter",
			newR: Report{At: at(30), Phone: "13800000001", Location: near(10, 0), Type: "lease", Category: "contract",
				Text: "我还想反映一下，我住的出租房房东不肯退押金"},
			old: wageProtest, level: Candidate,
			reasons: []string{"同一来电号码，30分钟前已报", "事项类型不同"},
		},
		{
			name: "the same story far away",
			newR: Report{At: at(50), Phone: "13800000005", Location: near(4000, 45), Type: "wage_arrears",
				Text: "科技路88号某五金制品有限公司门口二十多个工人堵着要工资，说老板欠了三个月没发"},
			old: wageProtest, level: Candidate,
			reasons: []string{"相距4.0公里"},
		},
		{
			name: "an unrelated wage dispute elsewhere",
			newR: Report{At: at(20), Phone: "13800000006", Location: near(2500, 200), Type: "wage_arrears",
				Text: "望湖路工地包工头跑了，工人拿不到工资"},
			old: wageProtest, level: None,
		},
		{
			name: "an address only, no number, no point",
			newR: Report{At: at(30), Text: "幸福小区7幢楼上漏水把楼下泡了，楼上一直没人", Type: "neighbor"},
			old: Report{ID: 2, At: at(0), Text: "幸福小区7幢501家里天花板渗水，楼上联系不上", Address: "幸福小区7幢401",
				Type: "neighbor", Status: "dispatched"},
			level: Merge, reasons: []string{"同一地址：幸福小区7幢，30分钟内"},
		},
		{
			name: "a merged case is no target",
			newR: Report{At: at(10), Phone: "13800000001", Text: "我刚才报过了，还没人来"},
			old:  with(wageProtest, func(r *Report) { r.Status = "merged" }), level: None,
		},
		{
			name: "a case with the police is no target",
			newR: Report{At: at(10), Phone: "13800000001", Text: "我刚才报过了，还没人来"},
			old:  with(wageProtest, func(r *Report) { r.Status = "referred_police" }), level: None,
		},
		{
			name: "a resolved case takes the incident flaring up again",
			newR: Report{At: at(70), Phone: "13800000001", Location: &gate, Type: "wage_arrears",
				Text: "某五金制品公司的工人又堵门要工资了，刚才答应的没兑现"},
			old:   with(wageProtest, func(r *Report) { r.Status = "resolved"; r.ClosedAt = closedAt(40) }),
			level: Merge,
		},
		{
			name: "a closed case must be reopened first",
			newR: Report{At: at(70), Phone: "13800000001", Location: &gate, Type: "wage_arrears",
				Text: "某五金制品公司的工人又堵门要工资了，刚才答应的没兑现"},
			old:   with(wageProtest, func(r *Report) { r.Status = "closed"; r.ClosedAt = closedAt(40) }),
			level: Candidate, reasons: []string{"请先重办"},
		},
		{
			name: "the same firm's wage dispute three weeks after closure",
			newR: Report{At: at(21 * 24 * 60), Phone: "13800000007", Type: "wage_arrears",
				Text: "某五金制品有限公司的工人又到厂门口了，说上次答应的工资到现在还没发"},
			old:   with(wageProtest, func(r *Report) { r.Status = "closed"; r.ClosedAt = closedAt(24 * 60) }),
			level: Repeat, reasons: []string{"20天前已办结的同一当事人纠纷", "涉及同一企业：某五金制品有限公司"},
		},
		{
			name: "neighbours fighting again, the same building",
			newR: Report{At: at(14 * 24 * 60), Type: "neighbor", Text: "幸福小区7幢楼上的空调水又滴到我家阳台，又吵起来了"},
			old: Report{ID: 3, At: at(0), Type: "neighbor", Status: "closed", ClosedAt: closedAt(600),
				Text: "幸福小区7幢楼上楼下因为空调滴水吵架", Address: "幸福小区7幢501"},
			level: Repeat, reasons: []string{"同一地址：幸福小区7幢"},
		},
		{
			name: "the same firm, another kind of matter, weeks later",
			newR: Report{At: at(21 * 24 * 60), Phone: "13800000008", Type: "traffic",
				Text: "某五金制品有限公司门口货车和轿车剐蹭"},
			old:   with(wageProtest, func(r *Report) { r.Status = "closed"; r.ClosedAt = closedAt(24 * 60) }),
			level: None,
		},
		{
			name: "beyond the repeat horizon",
			newR: Report{At: at(45 * 24 * 60), Phone: "13800000001", Type: "wage_arrears",
				Text: "某五金制品有限公司又拖欠工资了"},
			old:   with(wageProtest, func(r *Report) { r.Status = "closed"; r.ClosedAt = closedAt(24 * 60) }),
			level: None,
		},
		{
			name: "an open case called about again hours later",
			newR: Report{At: at(5 * 60), Phone: "13800000001", Type: "wage_arrears",
				Text: "某五金制品有限公司工资的事，下午了还没人联系我们"},
			old: wageProtest, level: Candidate, reasons: []string{"原工单5小时前受理，仍在办理中"},
		},
		{
			name: "a worker who rings every hour keeps the window open",
			newR: Report{At: at(5 * 60), Phone: "13800000001", Text: "我又打来了，还没人来处理，工人们还在门口"},
			old:  with(wageProtest, func(r *Report) { r.LastAt = at(4 * 60) }), level: Merge,
			reasons: []string{"同一来电号码，1小时前已报"},
		},
		{
			name: "a grid worker's number is not a party",
			newR: Report{At: at(15), Phone: "13800000009", Location: near(10, 0), Channel: "grid",
				Text: "网格员上报：东方花园门口有商户占道经营"},
			old: Report{ID: 4, At: at(0), Phone: "13800000009", Location: &gate, Channel: "grid", Status: "received",
				Type: "neighbor", Text: "网格员上报：东方花园8幢楼道堆放杂物引发邻里纠纷"},
			level: Candidate, reasons: []string{"网格员或联络员"},
		},
		{
			name: "another line of work is not merged by itself",
			newR: Report{At: at(40), Phone: "13800000001", Location: &gate, Line: "enterprise",
				Text: "我刚才报过警了，怎么还没有人来，工人们越来越激动了"},
			old: wageProtest, level: Candidate, reasons: []string{"业务线不同"},
		},
	} {
		m := Compare(c.newR, c.old, DefaultConfig())
		if m.Level != c.level {
			t.Errorf("%s: %s %.2f %v, want %s", c.name, m.Level, m.Score, m.Reasons, c.level)
			continue
		}
		if m.ID != c.old.ID {
			t.Errorf("%s: match of %d, want %d", c.name, m.ID, c.old.ID)
		}
		if m.Score < 0 || m.Score > 1 {
			t.Errorf("%s: score %v out of range", c.name, m.Score)
		}
		for _, want := range c.reasons {
			if !slices.ContainsFunc(m.Reasons, func(r string) bool { return strings.Contains(r, want) }) {
				t.Errorf("%s: reasons %v, want one with %q", c.name, m.Reasons, want)
			}
		}
	}
}

// TestScoreAgreesWithLevel checks that a Candidate never outscores the
// merge threshold, so that sorting by score never puts a candidate above a
// merge.
func TestScoreAgreesWithLevel(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	for _, p := range loadPairs(t) {
		m := Compare(p.b, p.a, cfg)
		switch m.Level {
		case Merge:
			if m.Score < cfg.MergeThreshold {
				t.Errorf("line %d: merge at %.2f", p.line, m.Score)
			}
		case Candidate:
			if m.Score >= cfg.MergeThreshold {
				t.Errorf("line %d: candidate at %.2f", p.line, m.Score)
			}
		case Repeat:
			if m.Score < cfg.CandidateThreshold {
				t.Errorf("line %d: repeat at %.2f", p.line, m.Score)
			}
		}
		if m.Level != None && len(m.Reasons) == 0 {
			t.Errorf("line %d: %s without reasons", p.line, m.Level)
		}
	}
}

func TestThresholdsMatter(t *testing.T) {
	t.Parallel()
	newR := Report{At: at(35), Phone: "13800000002", Location: near(120, 90), Type: "wage_arrears",
		Text: "厂门口二十几个人在讨薪，说欠了三个月工资"}
	old := Report{ID: 1, At: at(0), Location: &gate, Type: "wage_arrears",
		Text: "科技路88号某五金制品有限公司门口二十多个工人堵着要工资"}
	if m := Compare(newR, old, DefaultConfig()); m.Level != Merge {
		t.Fatalf("defaults: %s %.2f %v, want merge", m.Level, m.Score, m.Reasons)
	}
	for _, c := range []struct {
		name string
		edit func(*Config)
	}{
		{"merge threshold 0.99", func(c *Config) { c.MergeThreshold = 0.99 }},
		{"radius 50 m", func(c *Config) { c.Radius = 50 }},
		{"window 30m", func(c *Config) { c.Window = 30 * time.Minute }},
	} {
		cfg := DefaultConfig()
		c.edit(&cfg)
		if m := Compare(newR, old, cfg); m.Level == Merge {
			t.Errorf("%s: merged reports 120 m and 35 minutes apart", c.name)
		}
	}
}

func TestLevelText(t *testing.T) {
	t.Parallel()
	for l, want := range map[Level]string{None: "none", Candidate: "candidate", Merge: "merge", Repeat: "repeat", 9: "none"} {
		if got, _ := l.MarshalText(); string(got) != want {
			t.Errorf("%d: %s, want %s", l, got, want)
		}
	}
	if Merge.Label() != "重复报警" || Repeat.Label() != "重复纠纷" {
		t.Errorf("labels %s %s", Merge.Label(), Repeat.Label())
	}
	if r := (Match{Reasons: []string{"a", "b"}}).Reason(); r != "a；b" {
		t.Errorf("Reason() = %q", r)
	}
}
