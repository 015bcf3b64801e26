package store_test

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/sqlite"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

func openMaintenance(t *testing.T, tg storetest.Target) *store.Maintenance {
	t.Helper()
	m, err := store.OpenMaintenance(context.Background(), tg.Options)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// TestMigrateFromAnOlderSchema: the status lists what is applied and what
// is pending and changes nothing; Migrate applies exactly the pending
// steps, then has nothing to do; Open runs on the result.
func TestMigrateFromAnOlderSchema(t *testing.T) {
	t.Parallel()
	storetest.OnEachPlace(t, func(t *testing.T, tg storetest.Target) {
		ctx := context.Background()
		_, all := tg.Migrations(t)
		pending := tg.OlderSchema(t, 2, t0)
		m := openMaintenance(t, tg)
		for range 2 { // twice: the status changes nothing
			st, err := m.MigrationStatus(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if st.Version != 2 || st.Latest != len(all) || len(st.Pending()) != len(pending) || len(st.Unknown()) != 0 {
				t.Fatalf("status %+v", st)
			}
			if !st.Steps[0].Applied || !st.Steps[0].AppliedAt.Equal(t0) || st.Steps[2].Applied || st.Steps[2].Name != pending[0] {
				t.Fatalf("steps %+v", st.Steps)
			}
		}
		applied, st, err := m.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, a := range applied {
			names = append(names, a.Name)
		}
		if !slices.Equal(names, pending) || st.Version != len(all) || len(st.Pending()) != 0 {
			t.Fatalf("applied %v, status %+v; want %v", names, st, pending)
		}
		if applied, _, err := m.Migrate(ctx); err != nil || len(applied) != 0 {
			t.Fatalf("second migrate: %v %v", applied, err)
		}
		st2, closeStore := tg.Open(t)
		newCase(t, st2, t0, "迁移后的第一件")
		closeStore()
	})
}

// TestMigrateRefusesANewerSchema: a store a newer yizhan migrated further
// is left alone.
func TestMigrateRefusesANewerSchema(t *testing.T) {
	t.Parallel()
	storetest.OnEachPlace(t, func(t *testing.T, tg storetest.Target) {
		_, closeStore := tg.Open(t)
		closeStore()
		tg.Exec(t, `INSERT INTO schema_migrations VALUES (99, '0099_future.sql', 0)`)
		m := openMaintenance(t, tg)
		_, st, err := m.Migrate(context.Background())
		if !errors.Is(err, store.ErrSchemaNewer) {
			t.Fatalf("migrate: %v", err)
		}
		if u := st.Unknown(); len(u) != 1 || u[0].Version != 99 || st.Version != 99 {
			t.Fatalf("status %+v", st)
		}
	})
}

// TestOpenMaintenanceNeedsAStore: a mistyped --data is an error and
// creates nothing.
func TestOpenMaintenanceNeedsAStore(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "typo")
	if _, err := store.OpenMaintenance(context.Background(), store.Options{DataDir: dir}); err == nil {
		t.Fatal("opened a store that does not exist")
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the directory was created: %v", err)
	}
	if _, err := store.OpenMaintenance(context.Background(), store.Options{URL: "mysql://x"}); err == nil {
		t.Fatal("accepted a mysql URL")
	}
}

// actAs runs cmd on case id as actor.
func actAs(t *testing.T, st *store.Store, actor casework.Actor, id int64, cmd casework.Command, at time.Time) casework.Decision {
	t.Helper()
	d, err := storetest.Act(st, actor, id, cmd, at)
	if err != nil {
		t.Fatalf("%s on %d: %v", cmd.Action, id, err)
	}
	return d
}

// li is a second dispatcher (fictional), account 7.
var li = casework.Actor{UserID: 7, Username: "zhiban2", Name: "值班员李某", Role: casework.RoleAdmin}

// timeline writes a small history: cases a and b in the first minutes,
// actions by the administrator and by 李某, a merge, and case c the next
// day.
func timeline(t *testing.T, st *store.Store) (a, b, c casework.Case) {
	t.Helper()
	unit := int64(3)
	a = newCase(t, st, t0, "工地拖欠工资，张某多次讨要未果")
	b = newCase(t, st, t0.Add(time.Minute), "邻居装修噪音扰民")
	actAs(t, st, admin, a.ID, casework.Command{Action: casework.ActionDispatch, UnitID: &unit}, t0.Add(2*time.Minute))
	actAs(t, st, li, b.ID, casework.Command{Action: casework.ActionNote, Note: "电话联系报警人张某"}, t0.Add(3*time.Minute))
	actAs(t, st, li, a.ID, casework.Command{Action: casework.ActionAccept}, t0.Add(4*time.Minute))
	c = newCase(t, st, t0.Add(24*time.Hour), "第二天又打来电话讨薪")
	actAs(t, st, admin, c.ID, casework.Command{Action: casework.ActionMerge, Into: &a.ID}, t0.Add(24*time.Hour+time.Minute))
	return a, b, c
}

// TestAuditStreamsTheActionLog: the events of a period, oldest first,
// with the case's number and the actor's name; [from, to) exactly; by
// actor and by case.
func TestAuditStreamsTheActionLog(t *testing.T) {
	t.Parallel()
	storetest.OnEachPlace(t, func(t *testing.T, tg storetest.Target) {
		ctx := context.Background()
		st, closeStore := tg.Open(t)
		a, b, c := timeline(t, st)
		closeStore()
		m := openMaintenance(t, tg)
		read := func(f store.AuditFilter) []string {
			t.Helper()
			var got []string
			n, err := m.Audit(ctx, f, func(e store.AuditEvent) error {
				got = append(got, fmt.Sprintf("%s %s#%d %s %s", e.At.Format("01-02T15:04"), e.CaseNumber, e.Seq, e.Action, e.ActorName))
				if e.At.Location() != zone {
					t.Errorf("time %v not in the zone", e.At)
				}
				return nil
			})
			if err != nil || n != int64(len(got)) {
				t.Fatalf("audit: %d %v", n, err)
			}
			return got
		}
		hour := store.AuditFilter{From: t0, To: t0.Add(time.Hour)}
		want := []string{
			"11-27T09:30 " + a.Number + "#1 receive 管理员",
			"11-27T09:31 " + b.Number + "#1 receive 管理员",
			"11-27T09:32 " + a.Number + "#2 dispatch 管理员",
			"11-27T09:33 " + b.Number + "#2 note 值班员李某",
			"11-27T09:34 " + a.Number + "#3 accept 值班员李某",
		}
		if got := read(hour); !slices.Equal(got, want) {
			t.Fatalf("the hour:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if got := read(store.AuditFilter{From: t0, To: t0.Add(2 * time.Minute)}); !slices.Equal(got, want[:2]) {
			t.Fatalf("to is exclusive: %v", got)
		}
		actor := li.UserID
		if got := read(store.AuditFilter{From: t0, To: t0.Add(time.Hour), ActorID: &actor}); !slices.Equal(got, []string{want[3], want[4]}) {
			t.Fatalf("by 李某: %v", got)
		}
		all := store.AuditFilter{From: t0.Add(-time.Hour), To: t0.Add(48 * time.Hour), CaseID: &a.ID}
		if got := read(all); len(got) != 4 || !strings.Contains(got[3], "#4 duplicate_added") {
			t.Fatalf("case a: %v", got)
		}
		all.ActorID = &actor
		if got := read(all); !slices.Equal(got, []string{want[4]}) {
			t.Fatalf("case a by 李某: %v", got)
		}
		id, number, err := m.FindCase(ctx, c.Number)
		if err != nil || id != c.ID || number != c.Number {
			t.Fatalf("find %s: %d %s %v", c.Number, id, number, err)
		}
		if id, _, err := m.FindCase(ctx, fmt.Sprint(b.ID)); err != nil || id != b.ID {
			t.Fatalf("find by id: %d %v", id, err)
		}
		if _, _, err := m.FindCase(ctx, "FJ19990101-0001"); !errors.Is(err, casework.ErrCaseNotFound) {
			t.Fatalf("unknown case: %v", err)
		}
	})
}

// verifyFindings runs Verify and answers the findings by check.
func verifyFindings(t *testing.T, m *store.Maintenance) (map[string][]string, []store.Check) {
	t.Helper()
	found := map[string][]string{}
	checks, err := m.Verify(context.Background(), func(f store.Finding) error {
		found[f.Check] = append(found[f.Check], f.Detail)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found, checks
}

// TestVerifyFindsDamage: a store written through the engine has no
// findings; damaged rows each show under their check.
func TestVerifyFindsDamage(t *testing.T) {
	t.Parallel()
	storetest.OnEachPlace(t, func(t *testing.T, tg storetest.Target) {
		st, closeStore := tg.Open(t)
		a, b, c := timeline(t, st)
		d := newCase(t, st, t0.Add(time.Hour), "第四件")
		closeStore()
		m := openMaintenance(t, tg)
		found, checks := verifyFindings(t, m)
		if len(found) != 0 || len(checks) < 10 {
			t.Fatalf("a sound store: %v (%d checks)", found, len(checks))
		}
		if tg.Options.URL == "" && checks[0].Skipped != "" || tg.Options.URL != "" && checks[0].Skipped == "" {
			t.Fatalf("integrity check: %+v", checks[0])
		}
		tg.Exec(t,
			fmt.Sprintf(`DELETE FROM case_events WHERE case_id = %d AND seq = 2`, a.ID),
			fmt.Sprintf(`UPDATE cases SET version = version + 1 WHERE id = %d`, b.ID),
			`INSERT INTO case_events (case_id, seq, action, at, actor_id, actor, unit_id, note, data) VALUES (888888, 1, 'note', 0, 1, 'admin', NULL, '', '{}')`,
			fmt.Sprintf(`DELETE FROM case_events WHERE case_id = %d`, d.ID),
			fmt.Sprintf(`UPDATE cases SET duplicate_of = 999999 WHERE id = %d`, c.ID),
			`UPDATE status_counts SET n = n + 1 WHERE line = 'incident' AND status = 'received'`,
			`UPDATE rollup_unit SET n = n - 5 WHERE unit_id = 3 AND status = 'accepted'`,
		)
		found, _ = verifyFindings(t, m)
		want := map[string]int{"event_numbers": 3, "cases_without_events": 1, "duplicate_of": 1, "status_counts": 1,
			"rollup_unit": 1, "rollup_months": 1, "negative_counts": 1}
		for check, n := range want {
			if len(found[check]) != n {
				t.Errorf("%s: %d findings, want %d: %v", check, len(found[check]), n, found[check])
			}
		}
		for check, details := range found {
			if _, ok := want[check]; !ok {
				t.Errorf("unexpected findings of %s: %v", check, details)
			}
		}
		if s := strings.Join(found["event_numbers"], "\n"); !strings.Contains(s, a.Number+"): its 3 events are numbered 1..4, not 1..3") ||
			!strings.Contains(s, "case 888888 is not in the cases table") || !strings.Contains(s, b.Number+"): version 3, but its last event is 2") {
			t.Errorf("event findings:\n%s", s)
		}
		if s := found["duplicate_of"]; len(s) == 1 && !strings.Contains(s[0], "case 999999, which does not exist") {
			t.Errorf("duplicate finding %s", s[0])
		}
	})
}

// TestVerifyNeedsTheCurrentSchema: verify refuses a schema it cannot read
// rather than report false damage.
func TestVerifyNeedsTheCurrentSchema(t *testing.T) {
	t.Parallel()
	tg := storetest.FreshSQLite(t)
	tg.OlderSchema(t, 3, t0)
	m := openMaintenance(t, tg)
	if _, err := m.Verify(context.Background(), func(store.Finding) error { return nil }); !errors.Is(err, store.ErrSchemaBehind) {
		t.Fatalf("verify on an old schema: %v", err)
	}
}

// TestBackupIsAConsistentRestorableCopy: a backup taken while cases keep
// being written opens as a store, passes every check and holds the cases
// written before it started; an existing file is kept without force.
func TestBackupIsAConsistentRestorableCopy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tg := storetest.FreshSQLite(t)
	st, _ := tg.Open(t)
	first := newCase(t, st, t0, "备份前的工单，报警人张某")
	stop := make(chan struct{})
	done := make(chan int)
	go func() {
		n := 0
		for {
			select {
			case <-stop:
				done <- n
				return
			default:
			}
			if _, err := createCase(st, t0.Add(time.Duration(n)*time.Second), fmt.Sprintf("备份期间写入的第%d件", n)); err != nil {
				t.Error(err)
				done <- n
				return
			}
			n++
		}
	}()
	time.Sleep(50 * time.Millisecond)
	m := openMaintenance(t, tg)
	out := filepath.Join(t.TempDir(), "yizhan-backup.db")
	res, err := m.Backup(ctx, out, false)
	close(stop)
	written := <-done
	if err != nil {
		t.Fatal(err)
	}
	if res.Cases < 1 || res.Bytes == 0 || res.SchemaVersion < 7 || res.File != out {
		t.Fatalf("result %+v", res)
	}
	t.Logf("backup of %d cases while %d were written", res.Cases, written)
	if _, err := m.Backup(ctx, out, false); !errors.Is(err, store.ErrBackupExists) {
		t.Fatalf("second backup without force: %v", err)
	}
	if _, err := m.Backup(ctx, sqlite.Path(tg.Options.DataDir), true); err == nil {
		t.Fatal("a backup onto the live database")
	}
	if _, err := m.Backup(ctx, filepath.Join(t.TempDir(), "no", "such", "dir.db"), false); err == nil {
		t.Fatal("a backup into a missing directory")
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*.tmp"))
	if len(leftovers) != 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}

	// Restore: the copy placed as DIR/yizhan.db is a store.
	restored := storetest.FreshSQLite(t)
	storetest.CopyFile(t, out, sqlite.Path(restored.Options.DataDir))
	rm := openMaintenance(t, restored)
	if found, _ := verifyFindings(t, rm); len(found) != 0 {
		t.Fatalf("the backup has findings: %v", found)
	}
	rs, closeRestored := restored.Open(t)
	got, err := rs.CaseByNumber(ctx, first.Number)
	if err != nil || got.Text != first.Text || got.Reporter.Phone != "13800000001" {
		t.Fatalf("restored case: %+v %v", got, err)
	}
	counts, err := rs.StatusCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, c := range counts {
		total += c.N
	}
	if total != res.Cases {
		t.Fatalf("restored store counts %d cases, the backup said %d", total, res.Cases)
	}
	newCase(t, rs, t0.Add(time.Hour), "恢复后继续受理")
	closeRestored()
}

// TestBackupOfPostgresSaysPgDump: no pretend backup of PostgreSQL.
func TestBackupOfPostgresSaysPgDump(t *testing.T) {
	t.Parallel()
	tg := storetest.FreshPostgres(t)
	_, closeStore := tg.Open(t)
	closeStore()
	_, err := openMaintenance(t, tg).Backup(context.Background(), filepath.Join(t.TempDir(), "b.db"), false)
	if !errors.Is(err, store.ErrBackupPostgres) || !strings.Contains(err.Error(), "pg_dump") {
		t.Fatalf("backup of PostgreSQL: %v", err)
	}
}

// createCase receives a case as newCase does, answering an error instead
// of failing the test (for goroutines).
func createCase(st *store.Store, at time.Time, text string) (casework.Case, error) {
	return storetest.TryReceive(st, admin, at, text, "13800000002")
}
