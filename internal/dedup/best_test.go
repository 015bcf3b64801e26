package dedup

import (
	"testing"
	"time"
)

func TestBest(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	newR := Report{ID: 100, At: at(40), Phone: "13800000001", Location: near(20, 0), Type: "wage_arrears",
		Text: "我刚才报过警了，某五金制品有限公司门口的工人还在堵门要工资，怎么还没有人来"}
	protest := Report{ID: 1, At: at(0), Phone: "13800000001", Location: &gate, Type: "wage_arrears", Status: "received",
		Text: "科技路88号某五金制品有限公司门口二十多个工人堵着要工资"}
	echo := Report{ID: 2, At: at(10), Phone: "13800000002", Location: near(60, 90), Type: "wage_arrears", Status: "received",
		Text: "某五金制品有限公司门口好多工人堵门讨薪"}
	scrape := Report{ID: 3, At: at(25), Phone: "13800000003", Location: near(30, 180), Type: "traffic", Status: "received",
		Text: "科技路88号门口一辆货车倒车时把一辆轿车刮了"}
	lastMonth := Report{ID: 4, At: at(-25 * 24 * 60), Phone: "13800000004", Type: "wage_arrears", Status: "closed",
		ClosedAt: closedAt(-24 * 24 * 60), Text: "某五金制品有限公司拖欠三十多名工人工资"}
	merged := Report{ID: 5, At: at(5), Phone: "13800000001", Status: "merged", Text: "某五金制品有限公司门口工人讨薪"}
	elsewhere := Report{ID: 6, At: at(30), Phone: "13800000006", Location: near(3000, 0), Type: "neighbor", Status: "received",
		Text: "阳光小区楼上装修噪音太大"}
	self := newR

	merge, candidates, repeats := Best(newR, []Report{elsewhere, scrape, merged, echo, lastMonth, protest, self}, cfg)
	if merge == nil || merge.ID != 1 {
		t.Fatalf("merge %+v, want case 1 (the caller's own first report)", merge)
	}
	var ids []int64
	for _, c := range candidates {
		ids = append(ids, c.ID)
	}
	if len(ids) != 2 || ids[0] != 2 || ids[1] != 3 {
		t.Errorf("candidates %v, want [2 3]: the other merge first, then the scrape", ids)
	}
	for i := 1; i < len(candidates); i++ {
		if candidates[i].Score > candidates[i-1].Score {
			t.Errorf("candidates out of order: %v", candidates)
		}
	}
	if len(repeats) != 1 || repeats[0].ID != 4 {
		t.Errorf("repeats %+v, want case 4", repeats)
	}

	if m, c, r := Best(newR, nil, cfg); m != nil || c != nil || r != nil {
		t.Errorf("no candidates: %v %v %v", m, c, r)
	}
}

func TestBestPrefersTheMostRecentOnATie(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	text := "来电反映幸福小区7幢楼上住户装修噪音扰民，中午不停施工"
	older := Report{ID: 1, At: at(0), Text: text, Type: "neighbor", Status: "received"}
	newer := Report{ID: 2, At: at(0), Text: text, Type: "neighbor", Status: "received"}
	newR := Report{At: at(10), Text: text, Type: "neighbor"}
	newer.At = newer.At.Add(time.Second)
	merge, _, _ := Best(newR, []Report{older, newer}, cfg)
	if merge == nil || merge.ID != 2 {
		t.Errorf("merge %+v, want the more recent case 2", merge)
	}
}
