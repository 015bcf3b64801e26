package cli

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestLanguageSwitch: the command line answers in Chinese, and in English
// with YIZHAN_LANG=en (or en_US…): its help, its results and its errors.
// What programs read (here the exit codes) is the same in both.
func TestLanguageSwitch(t *testing.T) {
	type answer struct {
		args []string
		code int
		want string
	}
	answers := func(dir string) []answer {
		return []answer{
			{[]string{"--help"}, 0, "用法："},
			{[]string{"serve", "--help"}, 0, "监听地址（环境变量 YIZHAN_ADDR）"},
			{[]string{"migrate", "--data", dir}, 0, "已在 " + dir + " 新建数据库"},
			{[]string{"migrate", "--data", dir}, 0, "无需迁移：结构版本"},
			{[]string{"report", "--data", dir, "--kind", "yearly"}, 1, `--kind 只能是 summary、daily、weekly 或 monthly，收到 "yearly"`},
			{[]string{"gen", "--cases", "many"}, 1, `参数 --cases 的取值 "many" 无效：应为整数（yizhan gen --help 查看用法）`},
			{[]string{"gen", "--bogus"}, 1, "未知参数 --bogus"},
			{[]string{"migrate", "now"}, 1, `migrate 不接受参数 "now"`},
			{[]string{"serv"}, 1, `未知命令 "serv"，是否要用 "serve"？`},
			{[]string{"serve", "--log-format", "xml"}, 1, `设置有误：--log-format 只能是 text 或 json，收到 "xml"`},
			{[]string{"audit", "--verify", "--data", dir + "/nothing"}, 1, "找不到数据库：--data 所指目录中没有 yizhan.db"},
			{[]string{"migrate", "--status", "--db", "mysql://x"}, 1, "--db 须为 postgres:// 开头的 PostgreSQL 连接地址"},
		}
	}
	english := func(dir string) []answer {
		return []answer{
			{[]string{"--help"}, 0, "Usage:"},
			{[]string{"serve", "--help"}, 0, "address to listen on (env YIZHAN_ADDR)"},
			{[]string{"migrate", "--data", dir}, 0, "created a new store in " + dir},
			{[]string{"migrate", "--data", dir}, 0, "nothing to do: schema version"},
			{[]string{"report", "--data", dir, "--kind", "yearly"}, 1, `--kind must be summary, daily, weekly or monthly, got "yearly"`},
			{[]string{"gen", "--cases", "many"}, 1, `invalid argument "many" for "--cases" flag`},
			{[]string{"gen", "--bogus"}, 1, "unknown flag: --bogus"},
			{[]string{"migrate", "now"}, 1, `migrate takes no arguments, got "now"`},
			{[]string{"serv"}, 1, `unknown command "serv": did you mean "serve"?`},
			{[]string{"audit", "--verify", "--data", dir + "/nothing"}, 1, "no database: the --data directory holds no yizhan.db"},
			{[]string{"serve", "--log-format", "xml"}, 1, `config: --log-format must be text or json, got "xml"`},
		}
	}
	for _, c := range []struct {
		lang    string
		answers func(string) []answer
	}{
		{"", answers},
		{"zh_CN.UTF-8", answers},
		{"fr", answers},
		{"en", english},
		{"en_US.UTF-8", english},
		{"EN-gb", english},
	} {
		t.Setenv("YIZHAN_LANG", c.lang)
		dir := filepath.Join(t.TempDir(), "data")
		for _, a := range c.answers(dir) {
			code, out := run(a.args...)
			if code != a.code || !strings.Contains(out, a.want) {
				t.Errorf("YIZHAN_LANG=%q yizhan %s: exit %d, want %d with %q:\n%s", c.lang, strings.Join(a.args, " "), code, a.code, a.want, out)
			}
		}
	}
}
