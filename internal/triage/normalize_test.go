package triage

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	t.Parallel()
	cases := []struct{ name, in, want string }{
		{"full-width letters and digits", "ＡＢＣ公司欠款１２３４５元", "abc公司欠款12345元"},
		{"full-width punctuation", "老板跑了！！！工资呢？", "老板跑了。工资呢"},
		{"traditional", "鄰居家裝修噪音太大，還打傷了我的頭", "邻居家装修噪音太大。还打伤了我的头"},
		{"traditional wages", "老闆欠薪三個月，工人們在廠門口拉橫幅", "老板欠薪3个月。工人们在厂门口拉横幅"},
		{"spaces between characters", "工 资 没 发", "工资没发"},
		{"latin words keep their space", "iPhone 13 屏幕坏了", "iphone 13屏幕坏了"},
		{"chinese numerals with measure word", "二十多个工人", "20多个工人"},
		{"money in wan", "欠了三十五万", "欠了35万"},
		{"ordinal", "第三次报警", "第3次报警"},
		{"colloquial thousands", "一万五千块", "1.5万块"},
		{"capital numerals", "人民币叁万元整", "人民币3万元整"},
		{"ranges stay words", "七八个人", "七八个人"},
		{"vague amounts stay words", "十几个人和好几十个村民", "十几个人和好几十个村民"},
		{"numeral words stay words", "十分生气，万一出事", "十分生气。万一出事"},
		{"decimal and thousands", "2.3万，1,000元", "2.3万。1000元"},
		{"emoji and symbols", "😀老公打我😡😡", "老公打我"},
		{"control characters", "工\x00资\u200b没\x1b发", "工资没发"},
		{"invalid utf-8", "工资\xff\xfe没发", "工资。没发"},
		{"only punctuation", "？？？！！！……", ""},
		{"empty", "", ""},
	}
	for _, c := range cases {
		if got := Normalize(c.in); got != c.want {
			t.Errorf("%s: Normalize(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestNormalizeIsIdempotentAndValid(t *testing.T) {
	t.Parallel()
	inputs := []string{
		"喂，我们厂门口有二十多个工人堵着不让车出去，说老板欠了三个月工资",
		"鄰居裝修，樓上漏水，兩家吵架",
		"\xff\xfe\x00😀 مرحبا Hello  ，，",
		strings.Repeat("五金城", 2000),
	}
	for _, in := range inputs {
		once := Normalize(in)
		if !utf8.ValidString(once) {
			t.Errorf("Normalize(%q) is not valid UTF-8", in)
		}
		if twice := Normalize(once); twice != once {
			t.Errorf("Normalize is not idempotent on %q: %q then %q", in, once, twice)
		}
	}
}

func TestTraditionalTableCoversCommonCharacters(t *testing.T) {
	t.Parallel()
	// A sample of traditional characters frequent in reports; each must map.
	for _, r := range "們這個說還來對過時會經發動進現後無點關間開門問題當從電長見車錢買賣樓傷醫療鄰裡盜竊搶騙賭毆債務貨讓幫麼歲雙萬億廠業產證權" {
		if _, ok := t2s[r]; !ok {
			t.Errorf("no simplified form for %q", r)
		}
	}
	if len(t2s) < 1000 {
		t.Errorf("t2s has %d characters, want at least 1000", len(t2s))
	}
	// Simplified text must pass unchanged: no simplified character may be a
	// key of the table.
	for _, r := range "我们这个说还来对过时会经发动进现后无点关间开门问题当从电长见车钱买卖楼伤医疗邻里盗窃抢骗赌殴债务货让帮么岁双万亿厂业产证权著乾" {
		if s, ok := t2s[r]; ok {
			t.Errorf("simplified %q would become %q", r, s)
		}
	}
}

func TestQuantities(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in     string
		value  float64
		kind   QuantityKind
		approx bool
	}{
		{"厂门口有二十多个工人", 20, KindPeople, true},
		{"三百多", 300, KindOther, true},
		{"数百名工人聚集", 200, KindPeople, true},
		{"十几个工人", 11, KindPeople, true},
		{"上百人在售楼处", 100, KindPeople, true},
		{"一千多", 1000, KindOther, true},
		{"欠了5万元", 50000, KindMoney, false},
		{"欠款2.3万", 23000, KindMoney, false},
		{"20多名工人", 20, KindPeople, true},
		{"二三十号人", 20, KindPeople, true},
		{"七八个村民", 7, KindPeople, true},
		{"好几十个村民", 20, KindPeople, true},
		{"近百名业主", 90, KindPeople, true},
		{"一百来号人", 100, KindPeople, true},
		{"五十多户人家", 50, KindPeople, true},
		{"十多万元", 100000, KindMoney, true},
		{"两千块钱", 2000, KindMoney, false},
		{"工资3000", 3000, KindMoney, false},
		{"拖欠三个月", 3, KindOther, false},
	}
	for _, c := range cases {
		qs := Quantities(c.in)
		if len(qs) == 0 {
			t.Errorf("Quantities(%q) found nothing", c.in)
			continue
		}
		q := qs[0]
		if q.Value != c.value || q.Kind != c.kind || q.Approx != c.approx {
			t.Errorf("Quantities(%q) = %+v, want value %v kind %s approx %v", c.in, q, c.value, c.kind, c.approx)
		}
	}
}

func TestQuantitiesSkipsCodesAndWords(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"电话13800000001", "一起去", "万一", "十分生气", "车牌浙G12345"} {
		for _, q := range Quantities(in) {
			if q.Kind != KindOther {
				t.Errorf("Quantities(%q) read %+v as an amount", in, q)
			}
		}
	}
	if g := GroupSize(Quantities("我们三个人和对方二十多个工人")); g != 20 {
		t.Errorf("GroupSize = %v, want 20", g)
	}
	if m := MoneyAtStake(Quantities("借了两万，利息五千块")); m != 20000 {
		t.Errorf("MoneyAtStake = %v, want 20000", m)
	}
}
