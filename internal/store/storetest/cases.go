package storetest

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/store"
)

// Receive stores a wage report (欠薪) that actor received at at, with the
// reporter 张某 on phone, as the API would store it without triage.
func Receive(t testing.TB, st *store.Store, actor casework.Actor, at time.Time, text, phone string) casework.Case {
	t.Helper()
	c, err := TryReceive(st, actor, at, text, phone)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TryReceive is Receive answering an error instead of failing the test,
// for goroutines.
func TryReceive(st *store.Store, actor casework.Actor, at time.Time, text, phone string) (casework.Case, error) {
	in := casework.Intake{Channel: "110", Text: text, Reporter: casework.Reporter{Name: "张某", Phone: phone}, Type: "wage_arrears"}
	c, ev, err := tryReceived(in, actor, at)
	if err != nil {
		return c, err
	}
	created, err := st.CreateCase(context.Background(), store.NewCase{Case: c, Events: []casework.Event{ev}})
	return created.Case, err
}

// Received is the case and its receipt event that actor's intake in makes
// at at, as the API would build them without triage, not yet stored.
func Received(t testing.TB, in casework.Intake, actor casework.Actor, at time.Time) (casework.Case, casework.Event) {
	t.Helper()
	c, ev, err := tryReceived(in, actor, at)
	if err != nil {
		t.Fatal(err)
	}
	return c, ev
}

func tryReceived(in casework.Intake, actor casework.Actor, at time.Time) (casework.Case, casework.Event, error) {
	if err := in.Validate(actor); err != nil {
		return casework.Case{}, casework.Event{}, err
	}
	return casework.Receive(in, casework.Unclassified{}.Classify(in.Text), casework.ContractTypes{}, actor, at)
}

// CopyFile copies a file whole (a backup into a data directory).
func CopyFile(t testing.TB, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// Unit answers a unit the engine may name: 单位<id>, a root of its own.
func Unit(id int64) *casework.UnitRef {
	return &casework.UnitRef{ID: id, Name: fmt.Sprintf("单位%d", id), Lineage: []int64{id}}
}

// Act takes cmd on case id as actor at at, seeing every case, with units
// as Unit names them.
func Act(st *store.Store, actor casework.Actor, id int64, cmd casework.Command, at time.Time) (casework.Decision, error) {
	return st.Act(context.Background(), store.ActRequest{CaseID: id, Scope: casework.Scope{All: true}, Command: cmd, Unit: Unit, Now: at,
		Decide: func(c casework.Case, r casework.Refs) (casework.Decision, error) {
			return casework.Decide(c, cmd, actor, r, casework.Env{Now: at, Types: casework.ContractTypes{}})
		}})
}
