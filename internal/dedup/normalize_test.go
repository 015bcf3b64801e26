package dedup

import "testing"

func TestNormalizeText(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"二十多个工人堵在厂门口", "20多个工人堵在厂门口"},
		{"拖欠三个月工资，五十万工程款", "拖欠3个月工资 500000工程款"},
		{"科技路八十八号", "科技路88号"},
		{"一直没人管，统一处理", "一直没人管 统一处理"},
		{"十几个人", "10几个人"},
		{"ＡＢＣ公司１２３号　门口！！", "abc公司123号 门口"},
		{"  来电人反映：「老王」  ", "来电人反映 老王"},
		{"①号楼", "1号楼"},
		{"", ""},
	} {
		if got := string(normalizeText(c.in)); got != c.want {
			t.Errorf("normalizeText(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ in, want string }{
		{"13800000001", "13800000001"},
		{"138-0000-0001", "13800000001"},
		{"+86 138 0000 0001", "13800000001"},
		{"008613800000001", "13800000001"},
		{"１３８００００００01", "13800000001"},
		{"0579-87000001", "87000001"},
		{"87000001", "87000001"},
		{"010-62000001", "62000001"},
		{"110", ""},
		{"", ""},
	} {
		if got := normalizePhone(c.in); got != c.want {
			t.Errorf("normalizePhone(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestPhonesInText(t *testing.T) {
	t.Parallel()
	got := phonesInText(normalizeText("联系电话13800000007，工号123456789012"))
	if len(got) != 1 || got[0] != "13800000007" {
		t.Errorf("phonesInText = %v", got)
	}
}
