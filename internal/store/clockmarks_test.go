package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/sla"
)

// TestClockMarksKeepTheNewest checks the cache's rules: an entry answers
// only the versions it holds, an older one never replaces a newer, and it
// holds no more cases than its bound, forgetting the least recently used.
func TestClockMarksKeepTheNewest(t *testing.T) {
	m := newClockMarks(16)
	created := []sla.Mark{{Kind: sla.MarkCreated, At: time.Unix(0, 0)}}
	at := func(id int64, since, version int, marks []sla.Mark) markEntry {
		return markEntry{id: id, since: since, version: version, marks: marks}
	}
	m.put(at(1, 3, 5, created)) // versions 4 and 5 were repeat calls
	for v, want := range map[int]bool{2: false, 3: true, 4: true, 5: true, 6: false} {
		if _, ok := m.get(1, v); ok != want {
			t.Fatalf("version %d answered %v", v, ok)
		}
	}
	m.put(at(1, 2, 2, nil)) // a read that began before the writes of 3 to 5
	if got, ok := m.get(1, 5); !ok || len(got.marks) != 1 {
		t.Fatalf("an older read replaced a newer write: %v %v", got, ok)
	}
	m.put(at(1, 5, 5, created)) // a read of version 5 keeps what the writes said of 3 and 4
	if _, ok := m.get(1, 3); !ok {
		t.Fatal("a read of the latest version narrowed what the writes kept")
	}
	got, _ := m.get(1, 5)
	_ = append(got.marks, sla.Mark{Kind: sla.MarkPause})
	if again, _ := m.get(1, 5); len(again.marks) != 1 || cap(again.marks) != 1 {
		t.Fatalf("a caller's append reached the kept marks: %v", again)
	}
	for id := range int64(100) {
		m.put(at(id+10, 1, 1, created))
		m.get(1, 5) // in use: kept while the others come and go
	}
	if n := len(m.byID); n != 16 || m.order.Len() != 16 {
		t.Fatalf("%d cases kept (%d in order), bound 16", n, m.order.Len())
	}
	if _, ok := m.get(1, 5); !ok {
		t.Fatal("the case in use was forgotten")
	}
	if _, ok := m.get(10, 1); ok {
		t.Fatal("the least recently used case was kept")
	}
}

// TestRepeatCallsKeepTheMastersMarks checks that a repeat call merged
// into a busy case carries the master's clock marks to its new version
// (reading them in the write when they were not kept), so that showing
// the master's countdown reads nothing, and that what is kept is what
// the whole timeline says.
func TestRepeatCallsKeepTheMastersMarks(t *testing.T) {
	st := openSQLite(t)
	ctx := context.Background()
	admin := casework.Actor{UserID: 1, Username: "admin", Role: casework.RoleAdmin}
	now := time.Now().Truncate(time.Second)
	var master casework.Case
	for i := range 12 {
		in := casework.Intake{Channel: "110", Text: "某五金制品有限公司门口工人聚集讨薪",
			Reporter: casework.Reporter{Name: "张某", Phone: fmt.Sprintf("1380000%04d", i+1)}, Type: "wage_arrears"}
		if err := in.Validate(admin); err != nil {
			t.Fatal(err)
		}
		c, ev, err := casework.Receive(in, casework.Unclassified{}.Classify(in.Text), casework.ContractTypes{}, admin, now.Add(time.Duration(i)*time.Second))
		if err != nil {
			t.Fatal(err)
		}
		if i == 6 {
			st.marks = newClockMarks(maxClockMarks) // as after a restart: the writer reads them once
		}
		created, err := st.CreateCase(ctx, NewCase{Case: c, Events: []casework.Event{ev}, Duplicates: mergeIntoFirst(now)})
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			master = created.Case
			continue
		}
		if created.Master == nil || created.Master.ID != master.ID {
			t.Fatalf("report %d was not merged into the first", i)
		}
		m := *created.Master
		// The first two repeats raise the master's risk and its clocks are
		// computed again; the others leave them, and their marks, as they were.
		if _, ok := st.marks.get(m.ID, m.Version); !ok {
			t.Fatalf("repeat %d: the master's marks were not kept at version %d", i, m.Version)
		}
		// A request of the batch before, showing the version it made after
		// this one committed, finds the same marks.
		if _, ok := st.marks.get(m.ID, m.Version-1); i >= 3 && !ok {
			t.Fatalf("repeat %d: the master's marks were not kept for version %d", i, m.Version-1)
		}
		listed := []casework.Case{m}
		if err := st.WithDeadlines(ctx, listed, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		page, _, err := st.CaseWithTimeline(ctx, m.ID, now.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if got, want := fmt.Sprint(listed[0].Deadlines), fmt.Sprint(page.Deadlines); got != want || len(page.Deadlines) == 0 {
			t.Fatalf("repeat %d: kept clocks\n%s\nthe timeline's\n%s", i, got, want)
		}
	}
}
