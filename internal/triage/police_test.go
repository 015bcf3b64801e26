package triage

import "testing"

func TestPoliceNegation(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	// Each report names a police cue only to deny it or to say it nearly
	// happened: none is a police matter.
	for _, text := range []string{
		"他们两个在门口吵了几句，但是没有动手",
		"没打人，就是骂了几句难听的",
		"两辆车刮了一下，人没受伤，就是车门凹了",
		"东西不是偷的，是他借走了忘了还",
		"两家人差点打起来，被邻居拉开了",
		"双方情绪激动，但没有人受伤",
		"他说他并没有拿刀，只是拿着手机",
	} {
		r := m.Classify(text, Signals{})
		if r.Police {
			t.Errorf("%q: police with cues %v", text, r.Cues)
		}
	}
}

func TestPoliceCues(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	cases := []struct{ text, cue string }{
		{"老公喝了酒回来拿菜刀追着我砍", "菜刀"},
		{"讨薪的工人拿扳手把包工头的头打破了", "拿…扳手"},
		{"工地上有人爬上塔吊，说不给工钱就跳下来", "爬上…塔吊"},
		{"他说要杀了他全家，然后跟他同归于尽", "同归于尽"},
		{"催债的人把我关在屋里，不还钱不放我走", "关在屋里"},
		{"城中村出租房里有人聚众赌博", "赌博"},
		{"我的电动车在楼下被偷了", "偷"},
		{"邻居说要放火烧了我家房子", "放火"},
		{"那个骗子还在我们店门口", "骗子"},
		// Fraud with money gone is a police matter, however it is told.
		{"被骗了两万元", "被骗了…万"},
		{"我在网上被骗了", "在网上…被骗"},
		{"网上刷单被骗两万", "刷单"},
		{"老人被人骗走五千元养老钱", "骗走"},
	}
	for _, c := range cases {
		r := m.Classify(c.text, Signals{})
		if !r.Police {
			t.Errorf("%q: not a police matter (%+v)", c.text, r)
			continue
		}
		if !contains(r.Cues, c.cue) {
			t.Errorf("%q: cues %v lack %q", c.text, r.Cues, c.cue)
		}
	}
}

func TestPoliceBoundary(t *testing.T) {
	t.Parallel()
	m := testModel(t)
	// Pairs close in words, on either side of the line.
	pairs := []struct{ calm, police string }{
		{"工人跟包工头为工资吵起来了，吵得很凶", "工人跟包工头为工资吵起来了，拿扳手把包工头打伤了"},
		{"两口子在家吵架，女的哭着跑出来了", "两口子在家吵架，男的把女的打得满脸是血"},
		{"邻居为停车位吵了一架，互相骂了几句", "邻居为停车位吵架，一个拿铁棍把另一个的头打破了"},
		{"欠钱不还，债主天天打电话催", "欠钱不还，债主带人把他关在屋里不让走"},
		{"电动车跟小车刮了一下，车有点掉漆，人没事", "电动车被小车撞飞了，人躺在地上一直流血"},
		{"买的电视是翻新机，感觉被商家骗了，要求退货", "网上刷单被骗了两万元"},
	}
	for _, p := range pairs {
		if r := m.Classify(p.calm, Signals{}); r.Police {
			t.Errorf("%q: police (cues %v)", p.calm, r.Cues)
		}
		if r := m.Classify(p.police, Signals{}); !r.Police {
			t.Errorf("%q: not police", p.police)
		}
	}
}

func TestGapWords(t *testing.T) {
	t.Parallel()
	lx := newLexicon(DefaultTaxonomy())
	has := func(text, word string) bool {
		for _, m := range lx.find(Normalize(text), nil) {
			if lx.terms[m.id].word == word {
				return true
			}
		}
		return false
	}
	if !has("他抢了我刚买的手机", "抢了…手机") {
		t.Error("抢了…手机 should match across 我刚买的")
	}
	if has("他抢了，我的东西都在车上，手机也在", "抢了…手机") {
		t.Error("a gap word must not reach across a clause")
	}
	if has("抢了很多很多很多很多东西的手机", "抢了…手机") {
		t.Error("a gap word must not reach beyond its gap")
	}
}
