package cli

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/config"
	"github.com/yizhan/yizhan/internal/demo"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/sqlite"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// run runs the command line and answers its exit code and output.
func run(args ...string) (int, string) {
	var out bytes.Buffer
	code := Execute(context.Background(), args, nil, &out, &out)
	return code, out.String()
}

var (
	opsT0    = time.Date(2026, 11, 27, 9, 30, 0, 0, storetest.Zone)
	opsAdmin = casework.Actor{UserID: 1, Username: "admin", Name: "管理员", Role: casework.RoleAdmin}
	opsLi    = casework.Actor{UserID: 7, Username: "zhiban2", Name: "值班员李某", Role: casework.RoleAdmin}
)

func receive(t *testing.T, st *store.Store, at time.Time, text, phone string) casework.Case {
	t.Helper()
	return storetest.Receive(t, st, opsAdmin, at, text, phone)
}

func actOn(t *testing.T, st *store.Store, actor casework.Actor, id int64, cmd casework.Command, at time.Time) {
	t.Helper()
	if _, err := storetest.Act(st, actor, id, cmd, at); err != nil {
		t.Fatalf("%s on %d: %v", cmd.Action, id, err)
	}
}

// history writes five events in the first minutes of opsT0 (two of them
// by 李某, account 7) and a merge the next day, then closes the store.
func history(t *testing.T, tg storetest.Target) (a, b casework.Case) {
	t.Helper()
	st, closeStore := tg.Open(t)
	defer closeStore()
	unit := int64(3)
	a = receive(t, st, opsT0, "工地拖欠工资，张某多次讨要未果", "13800000001")
	b = receive(t, st, opsT0.Add(time.Minute), "楼上装修噪音, 邻里争执", "13800000002")
	actOn(t, st, opsAdmin, a.ID, casework.Command{Action: casework.ActionDispatch, UnitID: &unit}, opsT0.Add(2*time.Minute))
	actOn(t, st, opsLi, b.ID, casework.Command{Action: casework.ActionNote, Note: "电话联系报警人张某, \"已安抚\""}, opsT0.Add(3*time.Minute))
	actOn(t, st, opsLi, a.ID, casework.Command{Action: casework.ActionAccept}, opsT0.Add(4*time.Minute))
	c := receive(t, st, opsT0.Add(24*time.Hour), "第二天又打来电话讨薪", "13800000003")
	actOn(t, st, opsAdmin, c.ID, casework.Command{Action: casework.ActionMerge, Into: &a.ID}, opsT0.Add(24*time.Hour+time.Minute))
	return a, b
}

// TestMigrateCommand: --status lists and changes nothing; migrate applies
// the pending steps and says so; then there is nothing to do.
func TestMigrateCommand(t *testing.T) {
	t.Parallel()
	storetest.OnEachPlace(t, func(t *testing.T, tg storetest.Target) {
		pending := tg.OlderSchema(t, 2, opsT0)
		_, all := tg.Migrations(t)
		var first string
		for range 2 {
			code, out := run(append([]string{"migrate", "--status"}, tg.Args...)...)
			if code != 0 || !strings.Contains(out, "已执行   0001_core.sql") || !strings.Contains(out, "2026-11-27T09:30:00+08:00") ||
				!strings.Contains(out, "待执行   "+pending[0]) || !strings.Contains(out, fmt.Sprintf("结构版本 2，%d 项待执行", len(pending))) {
				t.Fatalf("status: %d\n%s", code, out)
			}
			if first != "" && out != first {
				t.Fatalf("the status changed:\n%s\nthen\n%s", first, out)
			}
			first = out
		}
		code, out := run(append([]string{"migrate"}, tg.Args...)...)
		if code != 0 || !strings.Contains(out, "已执行 "+pending[0]+"\n") || !strings.Contains(out, "已执行 "+pending[len(pending)-1]+"\n") ||
			!strings.Contains(out, fmt.Sprintf("结构版本 %d，已是最新", len(all))) || strings.Contains(out, "0001_core") {
			t.Fatalf("migrate: %d\n%s", code, out)
		}
		code, out = run(append([]string{"migrate"}, tg.Args...)...)
		if code != 0 || out != fmt.Sprintf("无需迁移：结构版本 %d 已是最新\n", len(all)) {
			t.Fatalf("second migrate: %d\n%s", code, out)
		}
	})
	// A new data directory: migrate makes the store, as a first start
	// would; --status only reads and makes nothing.
	fresh := filepath.Join(t.TempDir(), "fresh")
	if code, out := run("migrate", "--status", "--data", fresh); code == 0 {
		t.Fatalf("status of a missing store: %s", out)
	}
	if _, err := os.Stat(fresh); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("migrate --status created %s", fresh)
	}
	code, out := run("migrate", "--data", fresh)
	if code != 0 || !strings.Contains(out, "已在 "+fresh+" 新建数据库") || !strings.Contains(out, "已执行 0001_core.sql") {
		t.Fatalf("migrate of a new directory: %d\n%s", code, out)
	}
	st, err := store.Open(context.Background(), store.Options{DataDir: fresh, Location: storetest.Zone})
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	typo := filepath.Join(t.TempDir(), "typo")
	for _, args := range [][]string{
		{"migrate", "--status", "--data", typo},
		{"migrate", "--db", "mysql://localhost/yizhan"},
		{"migrate", "--data", t.TempDir(), "now"},
		{"migrate", "--data", t.TempDir(), "--force"},
	} {
		if code, out := run(args...); code == 0 {
			t.Errorf("%v accepted: %s", args, out)
		}
	}
	if _, err := os.Stat(typo); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("migrate --status created %s", typo)
	}
}

// TestAuditCommand: the action log as JSON lines and as CSV, by period,
// account and case; bad flags are refused and write nothing.
func TestAuditCommand(t *testing.T) {
	t.Parallel()
	storetest.OnEachPlace(t, func(t *testing.T, tg storetest.Target) {
		a, b := history(t, tg)
		audit := func(args ...string) []auditLine {
			t.Helper()
			code, out := run(append(append([]string{"audit"}, tg.Args...), args...)...)
			if code != 0 {
				t.Fatalf("audit %v: %d %s", args, code, out)
			}
			var lines []auditLine
			for l := range strings.Lines(out) {
				var line auditLine
				if err := json.Unmarshal([]byte(l), &line); err != nil {
					t.Fatalf("line %q: %v", l, err)
				}
				lines = append(lines, line)
			}
			return lines
		}
		day := audit("--from", "2026-11-27", "--to", "2026-11-28")
		if len(day) != 5 {
			t.Fatalf("the day: %+v", day)
		}
		if l := day[0]; l.Time != "2026-11-27T09:30:00+08:00" || l.CaseID != a.ID || l.CaseNumber != a.Number || l.Seq != 1 ||
			l.Action != "receive" || l.ActorID != 1 || l.Actor != "admin" || l.ActorName != "管理员" {
			t.Fatalf("first line %+v", l)
		}
		if l := day[2]; l.Action != "dispatch" || l.UnitID == nil || *l.UnitID != 3 {
			t.Fatalf("the dispatch names the unit that receives the case: %+v", l)
		}
		if l := day[3]; l.Action != "note" || l.CaseNumber != b.Number || l.ActorID != 7 || l.ActorName != "值班员李某" || l.Note != "电话联系报警人张某, \"已安抚\"" {
			t.Fatalf("the note %+v", l)
		}
		for i := 1; i < len(day); i++ {
			if day[i].Time < day[i-1].Time {
				t.Fatalf("not oldest first: %+v", day)
			}
		}
		if got := audit("--from", "2026-11-27", "--to", "2026-11-28", "--user", "7"); len(got) != 2 || got[0].Action != "note" || got[1].Action != "accept" {
			t.Fatalf("by account 7: %+v", got)
		}
		if got := audit("--case", a.Number); len(got) != 4 || got[3].Action != "duplicate_added" || got[3].Time != "2026-11-28T09:31:00+08:00" {
			t.Fatalf("case %s: %+v", a.Number, got)
		}
		if got := audit("--case", fmt.Sprint(b.ID), "--from", "2026-11-27T09:32:00+08:00"); len(got) != 1 || got[0].Action != "note" {
			t.Fatalf("case %d from 09:32: %+v", b.ID, got)
		}
		if got := audit("--from", "2026-12-01", "--to", "2026-12-02"); len(got) != 0 {
			t.Fatalf("an empty period: %+v", got)
		}

		file := filepath.Join(t.TempDir(), "audit.csv")
		code, out := run(append(append([]string{"audit"}, tg.Args...), "--from", "2026-11-27", "--format", "csv", "--out", file)...)
		if code != 0 || out != "已将 8 条记录写入 "+file+"\n" {
			t.Fatalf("csv: %d %s", code, out)
		}
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil || len(records) != 9 || strings.Join(records[0], ",") != strings.Join(auditHeader, ",") {
			t.Fatalf("csv records %v %v", records, err)
		}
		if r := records[4]; r[4] != "note" || r[7] != "值班员李某" || r[8] != "" || r[9] != "电话联系报警人张某, \"已安抚\"" {
			t.Fatalf("csv note row %q", r)
		}

		bad := filepath.Join(t.TempDir(), "bad.jsonl")
		for _, args := range [][]string{
			{"--from", "2026-11-27", "--format", "xml", "--out", bad},
			{"--to", "2026-11-28", "--out", bad},
			{"--from", "2026-11-28", "--to", "2026-11-27", "--out", bad},
			{"--from", "someday", "--out", bad},
			{"--from", "2026-11-27", "--user", "李某", "--out", bad},
			{"--from", "2026-11-27", "--user", "-3", "--out", bad},
			{"--case", "FJ19990101-0001", "--out", bad},
			{"--case", "999999", "--out", bad},
			{"--verify", "--from", "2026-11-27"},
			{"--verify", "--case", a.Number},
			{"--from", "2026-11-27", "extra"},
		} {
			if code, out := run(append(append([]string{"audit"}, tg.Args...), args...)...); code == 0 {
				t.Errorf("%v accepted: %s", args, out)
			}
		}
		if _, err := os.Stat(bad); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("a refused audit wrote %s", bad)
		}
	})
	if code, _ := run("audit", "--data", filepath.Join(t.TempDir(), "typo"), "--from", "2026-11-27"); code == 0 {
		t.Fatal("audit of a missing store")
	}
}

// TestAuditVerifyCommand: a sound store passes every check; a damaged
// row is a finding and exit 1.
func TestAuditVerifyCommand(t *testing.T) {
	t.Parallel()
	storetest.OnEachPlace(t, func(t *testing.T, tg storetest.Target) {
		a, _ := history(t, tg)
		args := append([]string{"audit", "--verify"}, tg.Args...)
		code, out := run(args...)
		if code != 0 || !strings.Contains(out, "11 项检查均未发现问题") || strings.Contains(out, "发现问题 ") {
			t.Fatalf("a sound store: %d\n%s", code, out)
		}
		tg.Exec(t, fmt.Sprintf(`DELETE FROM case_events WHERE case_id = %d AND seq = 2`, a.ID),
			`UPDATE status_counts SET n = n + 1 WHERE line = 'incident' AND status = 'received'`)
		code, out = run(args...)
		if code != 1 || !strings.Contains(out, "发现问题 event_numbers：case "+fmt.Sprint(a.ID)+" ("+a.Number+"): its 3 events are numbered 1..4, not 1..3") ||
			!strings.Contains(out, "发现问题 status_counts：line incident, status received: status_counts counts 2, the cases table has 1") ||
			!strings.Contains(out, "未通过   status_counts") || !strings.Contains(out, "yizhan: audit --verify：发现 2 个问题") {
			t.Fatalf("a damaged store: %d\n%s", code, out)
		}
	})
}

// TestAuditVerifyOfTheDemo: the demo zone, loaded as history, is sound.
func TestAuditVerifyOfTheDemo(t *testing.T) {
	t.Parallel()
	tg := storetest.FreshSQLite(t)
	st, closeStore := tg.Open(t)
	loc := config.ZoneLocation()
	if _, err := demo.LoadIfEmpty(context.Background(), st, loc, time.Date(2026, 11, 27, 10, 0, 0, 0, loc), nil); err != nil {
		t.Fatal(err)
	}
	closeStore()
	if code, out := run("audit", "--verify", "--data", tg.Options.DataDir); code != 0 {
		t.Fatalf("the demo: %d\n%s", code, out)
	}
}

// TestBackupCommand: a backup prints what it wrote, restores as a store,
// keeps an existing file without --force, and sends PostgreSQL to pg_dump.
func TestBackupCommand(t *testing.T) {
	t.Parallel()
	tg := storetest.FreshSQLite(t)
	a, _ := history(t, tg)
	file := filepath.Join(t.TempDir(), "yizhan-20261127.db")
	code, out := run("backup", "--data", tg.Options.DataDir, "--out", file)
	if code != 0 || !strings.HasPrefix(out, "备份 "+file+"：") || !strings.Contains(out, "工单 3 件，结构版本") || !strings.Contains(out, "完整性检查通过") {
		t.Fatalf("backup: %d %s", code, out)
	}
	before, _ := os.ReadFile(file)
	if code, out := run("backup", "--data", tg.Options.DataDir, "--out", file); code == 0 || !strings.Contains(out, "--force") {
		t.Fatalf("overwrite without --force: %d %s", code, out)
	}
	if after, _ := os.ReadFile(file); !bytes.Equal(before, after) {
		t.Fatal("a refused backup changed the file")
	}
	if code, out := run("backup", "--data", tg.Options.DataDir, "--out", file, "--force"); code != 0 {
		t.Fatalf("--force: %d %s", code, out)
	}
	for _, args := range [][]string{
		{"backup", "--data", tg.Options.DataDir},
		{"backup", "--data", tg.Options.DataDir, "--out", filepath.Dir(file)},
		{"backup", "--data", tg.Options.DataDir, "--out", sqlite.Path(tg.Options.DataDir), "--force"},
		{"backup", "--data", filepath.Join(t.TempDir(), "typo"), "--out", filepath.Join(t.TempDir(), "x.db")},
	} {
		if code, out := run(args...); code == 0 {
			t.Errorf("%v accepted: %s", args, out)
		}
	}
	if code, out := run("backup", "--db", "postgres://yizhan@127.0.0.1:1/yizhan", "--out", filepath.Join(t.TempDir(), "pg.db")); code == 0 || !strings.Contains(out, "pg_dump") {
		t.Fatalf("PostgreSQL: %d %s", code, out)
	}
	// Restore as the docs say: the file as DIR/yizhan.db.
	restored := storetest.FreshSQLite(t)
	storetest.CopyFile(t, file, sqlite.Path(restored.Options.DataDir))
	st, closeStore := restored.Open(t)
	got, err := st.CaseByNumber(context.Background(), a.Number)
	if err != nil || got.Reporter.Phone != "13800000001" || got.Repeats != 1 {
		t.Fatalf("restored case %+v %v", got, err)
	}
	closeStore()
}

// TestMaintenanceBesideARunningServer: while a server takes cases, migrate
// finds nothing to do, verify finds nothing wrong and a backup is taken;
// a server started on the backup has every case acknowledged before it.
func TestMaintenanceBesideARunningServer(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	env := []string{"YIZHAN_ADMIN_TOKEN=" + testToken}
	s := startServer(t, env, "--data", data)
	var mu sync.Mutex
	type ack struct {
		id     int64
		number string
	}
	var acked []ack
	post := func(w, i int) {
		code, body, err := s.post(testToken, "/api/v1/cases", fmt.Sprintf(`{"channel":"110","text":"第%d组第%d起：工人讨薪","reporter":{"name":"张某","phone":"138%08d"}}`, w, i, w*1000+i+1))
		if err == nil && code == 201 {
			mu.Lock()
			acked = append(acked, ack{int64(body["id"].(float64)), body["number"].(string)})
			mu.Unlock()
		}
	}
	for i := range 20 {
		post(0, i)
	}
	mu.Lock()
	before := append([]ack(nil), acked...)
	mu.Unlock()
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 1; w <= 4; w++ {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
					post(w, i)
				}
			}
		})
	}
	time.Sleep(200 * time.Millisecond)
	backup := filepath.Join(t.TempDir(), "live.db")
	results := map[string]string{}
	for _, args := range [][]string{
		{"migrate", "--data", data},
		{"audit", "--verify", "--data", data},
		{"backup", "--data", data, "--out", backup},
		{"audit", "--data", data, "--from", time.Now().Add(-time.Hour).Format(time.RFC3339), "--out", filepath.Join(t.TempDir(), "log.jsonl")},
	} {
		code, out := run(args...)
		if code != 0 {
			close(stop)
			wg.Wait()
			t.Fatalf("%v beside the server: %d\n%s", args, code, out)
		}
		results[args[0]+" "+args[1]] = out
	}
	close(stop)
	wg.Wait()
	if !strings.HasPrefix(results["migrate --data"], "无需迁移") || !strings.Contains(results["audit --verify"], "均未发现问题") {
		t.Fatalf("results %v", results)
	}
	mu.Lock()
	t.Logf("%d cases acknowledged while the commands ran; %s", len(acked), strings.TrimSpace(results["backup --data"]))
	mu.Unlock()

	restored := t.TempDir()
	storetest.CopyFile(t, backup, sqlite.Path(restored))
	s2 := startServer(t, env, "--data", restored)
	for _, a := range before {
		code, c := s2.get(testToken, fmt.Sprintf("/api/v1/cases/%d", a.id))
		if code != 200 || c["number"] != a.number {
			t.Fatalf("case %d (%s) missing from the restored store: %d %v", a.id, a.number, code, c)
		}
	}
}
