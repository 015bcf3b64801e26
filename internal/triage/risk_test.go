package triage

import (
	"strings"
	"testing"
	"time"
)

func TestRiskCues(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	cases := []struct {
		text, risk, reason string
	}{
		{"喂，我们厂门口有二十多个工人堵着不让车出去，说老板欠了三个月工资", RiskHigh, "涉及人数约20人以上"},
		{"上百个业主在售楼处，要求开发商退房", RiskHigh, "涉及人数约100人以上"},
		{"几个工人在公司门口拉横幅讨薪", RiskHigh, "拉横幅举牌"},
		{"讨薪的工人把工业园区的路堵了", RiskHigh, "堵门堵路拦车"},
		{"一个工人站在厂房楼顶，说拿不到钱就跳楼", RiskHigh, "扬言自伤自杀"},
		{"我想咨询一下离婚后孩子的抚养费怎么算", RiskLow, ""},
	}
	for _, c := range cases {
		r := m.Classify(c.text, Signals{})
		if r.Risk != c.risk {
			t.Errorf("%q: risk %s (%.2f, %v), want %s", c.text, r.Risk, r.RiskScore, r.RiskReasons, c.risk)
		}
		if c.reason != "" && !anyHasPrefix(r.RiskReasons, c.reason) {
			t.Errorf("%q: reasons %v lack %q", c.text, r.RiskReasons, c.reason)
		}
		if r.RiskScore < 0 || r.RiskScore > 1 {
			t.Errorf("%q: risk score %v outside [0,1]", c.text, r.RiskScore)
		}
	}
}

func TestRiskRepeatsSignal(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	text := "楼上邻居晚上太吵，想请人去说一下"
	once := m.Classify(text, Signals{})
	again := m.Classify(text, Signals{Repeats: 3})
	if again.RiskScore <= once.RiskScore {
		t.Errorf("repeats did not raise the score: %v then %v", once.RiskScore, again.RiskScore)
	}
	if again.Risk != RiskHigh {
		t.Errorf("three earlier reports: risk %s, want high", again.Risk)
	}
	if !anyHasPrefix(again.RiskReasons, "同一纠纷此前已报告3次") {
		t.Errorf("reasons %v", again.RiskReasons)
	}
}

func TestRiskSpringFestivalSeason(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	text := "我在厂里干了两个月，老板一直拖着工资不发"
	summer := m.Classify(text, Signals{Now: time.Date(2026, 7, 1, 10, 0, 0, 0, chinaTime)})
	// 2027-02-06 is Spring Festival; three weeks before is peak season.
	winter := m.Classify(text, Signals{Now: time.Date(2027, 1, 16, 10, 0, 0, 0, chinaTime)})
	if winter.Type != "wage_arrears" {
		t.Fatalf("type %s, want wage_arrears", winter.Type)
	}
	if winter.RiskScore <= summer.RiskScore {
		t.Errorf("season did not raise the score: summer %v, winter %v", summer.RiskScore, winter.RiskScore)
	}
	if !anyHasPrefix(winter.RiskReasons, "春节前欠薪高发期（距春节21天）") {
		t.Errorf("reasons %v", winter.RiskReasons)
	}
	// Other types do not get the season.
	other := m.Classify("楼上邻居晚上太吵，想请人去说一下", Signals{Now: time.Date(2027, 1, 16, 10, 0, 0, 0, chinaTime)})
	if anyHasPrefix(other.RiskReasons, "春节前") {
		t.Errorf("neighbour dispute got the wage season: %v", other.RiskReasons)
	}
}

func TestDaysToSpringFestival(t *testing.T) {
	t.Parallel()
	cases := []struct {
		now  time.Time
		days int
		ok   bool
	}{
		{time.Date(2026, 2, 17, 0, 30, 0, 0, chinaTime), 0, true},
		{time.Date(2026, 2, 16, 17, 0, 0, 0, time.UTC), 0, true}, // 01:00 on the 17th in China
		{time.Date(2026, 1, 1, 12, 0, 0, 0, chinaTime), 47, true},
		{time.Date(2026, 2, 18, 12, 0, 0, 0, chinaTime), 353, true}, // to 2027-02-06
		{time.Date(2035, 3, 1, 0, 0, 0, 0, chinaTime), 0, false},
		{time.Time{}, 0, false},
	}
	for _, c := range cases {
		d, ok := DaysToSpringFestival(c.now)
		if d != c.days || ok != c.ok {
			t.Errorf("DaysToSpringFestival(%v) = %d, %v; want %d, %v", c.now, d, ok, c.days, c.ok)
		}
	}
	if len(springFestival) != 16 {
		t.Errorf("%d years in the table, want 2020–2035", len(springFestival))
	}
}

func anyHasPrefix(list []string, p string) bool {
	for _, s := range list {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
