package casework

import (
	"testing"
	"time"
)

// contractTable is the contract's action table written out again by hand,
// so that the state machine is checked against the text, not against itself.
var contractTable = map[Action][]Status{
	ActionDispatch:    {StatusReceived},
	ActionAccept:      {StatusDispatched},
	ActionArrive:      {StatusAccepted},
	ActionTakeBack:    {StatusOnSite},
	ActionResolve:     {StatusOnSite, StatusMediating},
	ActionClose:       {StatusResolved},
	ActionReopen:      {StatusResolved, StatusClosed},
	ActionReturn:      {StatusDispatched, StatusAccepted},
	ActionTransfer:    {StatusDispatched, StatusAccepted, StatusOnSite, StatusMediating},
	ActionReferPolice: openStatuses,
	ActionMerge:       openStatuses,
	ActionReclassify:  openStatuses,
	ActionEscalate:    openStatuses,
	ActionSupervise:   openStatuses,
	ActionNote:        openStatuses,
	ActionExtend:      openStatuses,
}

var openStatuses = []Status{StatusReceived, StatusDispatched, StatusAccepted, StatusOnSite, StatusMediating, StatusResolved}

var contractTarget = map[Action]Status{
	ActionDispatch: StatusDispatched, ActionAccept: StatusAccepted, ActionArrive: StatusOnSite,
	ActionTakeBack: StatusMediating, ActionResolve: StatusResolved, ActionClose: StatusClosed,
	ActionReopen: StatusReceived, ActionReturn: StatusReceived, ActionTransfer: StatusDispatched,
	ActionReferPolice: StatusReferredPolice, ActionMerge: StatusMerged,
}

func TestStateMachineMatchesContract(t *testing.T) {
	t.Parallel()
	for _, a := range Actions {
		if _, inContract := contractTable[a]; !inContract {
			// Yizhan's own actions (pause, resume, extension decisions)
			// keep the status and are allowed on open cases; unmerge is
			// allowed on merged cases only, the follow-up's rating on
			// closed ones.
			for _, s := range Statuses {
				want := s.Open()
				switch a {
				case ActionUnmerge:
					want = s == StatusMerged
				case ActionFollowUp:
					want = s == StatusClosed
				}
				if Allowed(a, s) != want {
					t.Errorf("extension action %s from %s: %v", a, s, Allowed(a, s))
				}
			}
			continue
		}
		allowed := map[Status]bool{}
		for _, s := range contractTable[a] {
			allowed[s] = true
		}
		for _, s := range Statuses {
			if got := Allowed(a, s); got != allowed[s] {
				t.Errorf("Allowed(%s, %s) = %v, contract says %v", a, s, got, allowed[s])
			}
		}
	}
}

// fullCommand is a command with every field an action may need.
func fullCommand(a Action) (Command, Refs) {
	unit := int64(7)
	into := int64(99)
	sat := 5
	until := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	cmd := Command{Action: a, UnitID: &unit, Outcome: OutcomeOnsite, Note: "备注", Reason: "原因",
		Satisfaction: &sat, Into: &into, Type: "neighbor", Stage: "resolve", Until: &until}
	refs := Refs{
		Unit: &UnitRef{ID: 7, Name: "政务110先期处置队", Kind: "response_team"},
		Into: &Case{ID: 99, Number: "FJ20261127-0099", Status: StatusReceived, Version: 3},
	}
	return cmd, refs
}

func TestDecideEveryActionFromEveryStatus(t *testing.T) {
	t.Parallel()
	admin := Actor{UserID: 1, Username: "admin", Role: RoleAdmin}
	env := Env{Now: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), Types: ContractTypes{}}
	for a := range contractTable {
		for _, s := range Statuses {
			c := Case{ID: 1, Number: "FJ20261127-0001", Status: s, Category: "other", Type: "other", Risk: RiskLow, Version: 4}
			if s == StatusResolved || s == StatusClosed {
				o := OutcomeOnsite
				c.Outcome = &o
			}
			cmd, refs := fullCommand(a)
			d, err := Decide(c, cmd, admin, refs, env)
			if !Allowed(a, s) {
				e, ok := AsError(err)
				if !ok || e.Kind != KindConflict {
					t.Errorf("%s from %s: want conflict, got %v", a, s, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s from %s: %v", a, s, err)
				continue
			}
			want := s
			if to, ok := contractTarget[a]; ok {
				want = to
			}
			if d.Case.Status != want {
				t.Errorf("%s from %s: status %s, want %s", a, s, d.Case.Status, want)
			}
			if d.Event.Seq != 5 || d.Case.Version != 5 || d.Event.Action != a {
				t.Errorf("%s from %s: event seq %d version %d action %s", a, s, d.Event.Seq, d.Case.Version, d.Event.Action)
			}
		}
	}
}

func TestDecideFieldRules(t *testing.T) {
	t.Parallel()
	admin := Actor{UserID: 1, Username: "admin", Role: RoleAdmin}
	env := Env{Now: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), Types: ContractTypes{}}
	unit := int64(7)
	bad := 9
	past := env.Now.Add(-time.Hour)
	future := env.Now.Add(time.Hour)
	farAway := env.Now.AddDate(1, 0, 1)
	cases := []struct {
		name   string
		status Status
		cmd    Command
		refs   Refs
		code   string
	}{
		{"dispatch without unit", StatusReceived, Command{Action: ActionDispatch}, Refs{}, "unit_required"},
		{"dispatch to unknown unit", StatusReceived, Command{Action: ActionDispatch, UnitID: &unit}, Refs{}, "unknown_unit"},
		{"resolve without outcome", StatusOnSite, Command{Action: ActionResolve}, Refs{}, "invalid_outcome"},
		{"resolve with bad outcome", StatusOnSite, Command{Action: ActionResolve, Outcome: "done"}, Refs{}, "invalid_outcome"},
		{"close with satisfaction 9", StatusResolved, Command{Action: ActionClose, Satisfaction: &bad}, Refs{}, "invalid_satisfaction"},
		{"return without reason", StatusDispatched, Command{Action: ActionReturn}, Refs{}, "reason_required"},
		{"reopen without reason", StatusClosed, Command{Action: ActionReopen}, Refs{}, "reason_required"},
		{"transfer without reason", StatusAccepted, Command{Action: ActionTransfer, UnitID: &unit}, Refs{Unit: &UnitRef{ID: 7}}, "reason_required"},
		{"refer without reason", StatusReceived, Command{Action: ActionReferPolice}, Refs{}, "reason_required"},
		{"merge without into", StatusReceived, Command{Action: ActionMerge}, Refs{}, "into_required"},
		{"reclassify unknown type", StatusReceived, Command{Action: ActionReclassify, Type: "ufo"}, Refs{}, "invalid_type"},
		{"reclassify mismatch", StatusReceived, Command{Action: ActionReclassify, Category: "labor", Type: "neighbor"}, Refs{}, "type_category_mismatch"},
		{"note empty", StatusReceived, Command{Action: ActionNote, Note: "  "}, Refs{}, "note_required"},
		{"extend into the past", StatusReceived, Command{Action: ActionExtend, Stage: "resolve", Until: &past, Reason: "x"}, Refs{}, "until_in_past"},
		{"extend beyond a year", StatusReceived, Command{Action: ActionExtend, Stage: "resolve", Until: &farAway, Reason: "x"}, Refs{}, "until_too_far"},
		{"extend without reason", StatusReceived, Command{Action: ActionExtend, Stage: "resolve", Until: &future}, Refs{}, "reason_required"},
		{"extend without stage", StatusReceived, Command{Action: ActionExtend, Until: &future, Reason: "x"}, Refs{}, "stage_required"},
		{"unknown action", StatusReceived, Command{Action: "fly"}, Refs{}, "unknown_action"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Case{ID: 1, Status: tc.status, Version: 1, Category: "other", Type: "other"}
			_, err := Decide(c, tc.cmd, admin, tc.refs, env)
			e, ok := AsError(err)
			if !ok || e.Code != tc.code {
				t.Fatalf("got %v, want code %s", err, tc.code)
			}
		})
	}
}

func TestMergeIntoClosedOrMergedIsConflict(t *testing.T) {
	t.Parallel()
	admin := Actor{UserID: 1, Username: "admin", Role: RoleAdmin}
	env := Env{Now: time.Now(), Types: ContractTypes{}}
	into := int64(2)
	for _, st := range []Status{StatusClosed, StatusMerged, StatusReferredPolice} {
		_, err := Decide(Case{ID: 1, Status: StatusReceived}, Command{Action: ActionMerge, Into: &into},
			admin, Refs{Into: &Case{ID: 2, Status: st}}, env)
		if e, ok := AsError(err); !ok || e.Kind != KindConflict {
			t.Errorf("merge into %s: got %v, want conflict", st, err)
		}
	}
	_, err := Decide(Case{ID: 2, Status: StatusReceived}, Command{Action: ActionMerge, Into: &into}, admin, Refs{}, env)
	if e, ok := AsError(err); !ok || e.Code != "merge_into_self" {
		t.Errorf("merge into self: %v", err)
	}
}

func TestMergeUpdatesMaster(t *testing.T) {
	t.Parallel()
	admin := Actor{UserID: 1, Username: "admin", Role: RoleAdmin}
	into := int64(2)
	dup := Case{ID: 1, Number: "FJ1", Status: StatusReceived, Version: 1, Text: "又一个电话", Reporter: Reporter{Name: "曹某", Phone: "13800000027"}}
	master := Case{ID: 2, Number: "FJ2", Status: StatusDispatched, Version: 3, Repeats: 1}
	d, err := Decide(dup, Command{Action: ActionMerge, Into: &into}, admin, Refs{Into: &master}, Env{Now: time.Now(), Types: ContractTypes{}})
	if err != nil {
		t.Fatal(err)
	}
	if d.Case.DuplicateOf == nil || *d.Case.DuplicateOf != 2 || d.Case.Status != StatusMerged {
		t.Fatalf("duplicate not marked: %+v", d.Case)
	}
	if d.Master == nil || d.Master.Repeats != 2 || d.Master.Version != 4 || d.MasterEvent.Seq != 4 || d.MasterEvent.Action != ActionDuplicateAdded {
		t.Fatalf("master not updated: %+v %+v", d.Master, d.MasterEvent)
	}
	if d.MasterEvent.Details["text"] != "又一个电话" {
		t.Fatalf("master event lacks the extra report: %+v", d.MasterEvent.Details)
	}
}

func TestAuthorizeRoles(t *testing.T) {
	t.Parallel()
	cases := []struct {
		role Role
		act  Action
		ok   bool
	}{
		{RoleDispatcher, ActionDispatch, true},
		{RoleResponder, ActionAccept, true},
		{RoleResponder, ActionDispatch, false},
		{RoleDepartment, ActionReturn, true},
		{RoleDepartment, ActionSupervise, false},
		{RoleLeader, ActionSupervise, true},
		{RoleLeader, ActionResolve, false},
		{RoleEnterprise, ActionMerge, false},
		{RoleGrid, ActionTransfer, true},
	}
	for _, tc := range cases {
		err := Authorize(Actor{Role: tc.role}, tc.act)
		if (err == nil) != tc.ok {
			t.Errorf("%s %s: got %v, want ok=%v", tc.role, tc.act, err, tc.ok)
		}
	}
}

func TestScopeSees(t *testing.T) {
	t.Parallel()
	id := func(v int64) *int64 { return &v }
	dept := Scope{Units: map[int64]bool{3: true, 4: true}}
	center := Scope{Units: map[int64]bool{1: true, 3: true}, Center: true}
	cases := []struct {
		s    Scope
		c    Case
		want bool
	}{
		{dept, Case{UnitID: id(3)}, true},
		{dept, Case{UnitID: id(4)}, true},
		{dept, Case{UnitID: id(5)}, false},
		{dept, Case{}, false},
		{dept, Case{OriginUnitID: id(4)}, true},
		{center, Case{}, true},
		{Scope{All: true}, Case{UnitID: id(99)}, true},
	}
	for i, tc := range cases {
		if got := tc.s.Sees(&tc.c); got != tc.want {
			t.Errorf("%d: Sees = %v, want %v", i, got, tc.want)
		}
	}
}

func TestMaskPhone(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{"13812345678": "138****5678", "": "", "110": "1****0", "0579-1234567": "057****4567"} {
		if got := MaskPhone(in); got != want {
			t.Errorf("MaskPhone(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMaskEvent(t *testing.T) {
	t.Parallel()
	live := Event{Action: ActionMerge, Details: map[string]any{"reporter": Reporter{Name: "张某", Phone: "13800000001"}, "score": 0.9}}
	stored := Event{Action: ActionMerge, Details: map[string]any{"reporter": map[string]any{"name": "张某", "phone": "13800000001"}}}
	if got := MaskEvent(live).Details["reporter"].(Reporter); got.Phone != "138****0001" || got.Name != "张某" {
		t.Errorf("live: %+v", got)
	}
	if got := MaskEvent(live).Details["score"]; got != 0.9 {
		t.Errorf("live: other details lost: %v", got)
	}
	if got := MaskEvent(stored).Details["reporter"].(map[string]any); got["phone"] != "138****0001" || got["name"] != "张某" {
		t.Errorf("stored: %+v", got)
	}
	// The events themselves stay as they were.
	if live.Details["reporter"].(Reporter).Phone != "13800000001" || stored.Details["reporter"].(map[string]any)["phone"] != "13800000001" {
		t.Errorf("masking changed the event in place: %+v %+v", live.Details, stored.Details)
	}
	plain := Event{Action: ActionNote, Details: map[string]any{"note": "x"}}
	if got := MaskEvent(plain); got.Details["note"] != "x" || len(got.Details) != 1 {
		t.Errorf("plain: %+v", got.Details)
	}
}

func TestPauseResumeAndExtensionDecisions(t *testing.T) {
	t.Parallel()
	admin := Actor{UserID: 1, Username: "admin", Role: RoleAdmin}
	env := Env{Now: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), Types: ContractTypes{}}
	c := Case{ID: 1, Status: StatusAccepted, Version: 3}
	_, err := Decide(c, Command{Action: ActionResume}, admin, Refs{}, env)
	if e, ok := AsError(err); !ok || e.Code != "not_paused" {
		t.Fatalf("resume unpaused: %v", err)
	}
	_, err = Decide(c, Command{Action: ActionPause}, admin, Refs{}, env)
	if e, ok := AsError(err); !ok || e.Code != "reason_required" {
		t.Fatalf("pause without reason: %v", err)
	}
	d, err := Decide(c, Command{Action: ActionPause, Reason: "等待当事人"}, admin, Refs{}, env)
	if err != nil || !d.Case.Paused {
		t.Fatalf("pause: %v %+v", err, d.Case)
	}
	_, err = Decide(d.Case, Command{Action: ActionPause, Reason: "again"}, admin, Refs{}, env)
	if e, ok := AsError(err); !ok || e.Code != "already_paused" {
		t.Fatalf("pause twice: %v", err)
	}
	d, err = Decide(d.Case, Command{Action: ActionResume}, admin, Refs{}, env)
	if err != nil || d.Case.Paused {
		t.Fatalf("resume: %v", err)
	}
	_, err = Decide(c, Command{Action: ActionApproveExt}, admin, Refs{}, env)
	if e, ok := AsError(err); !ok || e.Code != "no_pending_extension" {
		t.Fatalf("approve with nothing pending: %v", err)
	}
	c.Deadlines = []Deadline{{Stage: "resolve", ExtensionPending: true}, {Stage: "accept"}}
	d, err = Decide(c, Command{Action: ActionApproveExt}, Actor{Role: RoleLeader, Username: "lingdao"}, Refs{}, env)
	if err != nil || d.Event.Details["stage"] != "resolve" {
		t.Fatalf("approve the only pending: %v %+v", err, d.Event)
	}
	_, err = Decide(c, Command{Action: ActionRefuseExt, Stage: "resolve"}, admin, Refs{}, env)
	if e, ok := AsError(err); !ok || e.Code != "reason_required" {
		t.Fatalf("refuse without reason: %v", err)
	}
	_, err = Decide(c, Command{Action: ActionApproveExt}, Actor{Role: RoleDepartment}, Refs{}, env)
	if e, ok := AsError(err); !ok || e.Kind != KindForbidden {
		t.Fatalf("a department approving its own extension: %v", err)
	}
}

func TestUnmergeRestoresTheStatus(t *testing.T) {
	t.Parallel()
	admin := Actor{UserID: 1, Username: "admin", Role: RoleAdmin}
	env := Env{Now: time.Now(), Types: ContractTypes{}}
	into := int64(2)
	dup := Case{ID: 1, Number: "FJ1", Status: StatusDispatched, Version: 2, Reporter: Reporter{Phone: "13800000027"}}
	master := Case{ID: 2, Number: "FJ2", Status: StatusAccepted, Version: 5, Risk: RiskLow}
	d, err := Decide(dup, Command{Action: ActionMerge, Into: &into}, admin, Refs{Into: &master}, env)
	if err != nil {
		t.Fatal(err)
	}
	if d.Master.Risk != RiskMedium || len(d.Master.Callers) != 1 {
		t.Fatalf("master after one duplicate: %+v", d.Master)
	}
	merged, m := d.Case, *d.Master
	_, err = Decide(merged, Command{Action: ActionUnmerge}, admin, Refs{Into: &m}, env)
	if e, ok := AsError(err); !ok || e.Code != "reason_required" {
		t.Fatalf("unmerge without reason: %v", err)
	}
	u, err := Decide(merged, Command{Action: ActionUnmerge, Reason: "不是同一件事"}, admin, Refs{Into: &m}, env)
	if err != nil {
		t.Fatal(err)
	}
	if u.Case.Status != StatusDispatched || u.Case.DuplicateOf != nil || u.Master.Repeats != 0 || u.MasterEvent.Action != ActionDuplicateRemoved {
		t.Fatalf("unmerge: %+v %+v", u.Case, u.Master)
	}
	_, err = Decide(u.Case, Command{Action: ActionUnmerge, Reason: "again"}, admin, Refs{}, env)
	if e, ok := AsError(err); !ok || e.Kind != KindConflict {
		t.Fatalf("unmerge a case that is not merged: %v", err)
	}
}
