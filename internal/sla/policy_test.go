package sla

import (
	"errors"
	"os"
	"testing"
	"time"
)

func TestDefaultPolicies(t *testing.T) {
	t.Parallel()
	ps := DefaultPolicies()
	type stage struct{ name, start, stop, target, max, alt string }
	tests := []struct {
		line   string
		policy string
		stages []stage
	}{
		{"incident", "12510", []stage{
			{"respond", "", StopFirstAction, "1m", "", ""},
			{"dispatch", "", StatusDispatched, "2m", "", ""},
			{"accept", "", StatusAccepted, "5m", "", ""},
			{"arrive", "", StatusOnSite, "10m", "", ""},
			{"resolve", "", StatusResolved, "24h", "", "mediating=7d"},
			{"follow_up", StatusResolved, StatusClosed, "24h", "", ""},
		}},
		{"enterprise", "enterprise", []stage{
			{"accept", "", StatusAccepted, "1wd", "", ""},
			{"resolve", "", StatusResolved, "5wd", "15wd", ""},
			{"follow_up", StatusResolved, StatusClosed, "2wd", "", ""},
		}},
		{"worker", "worker", []stage{
			{"accept", "", StatusAccepted, "1wd", "", ""},
			{"resolve", "", StatusResolved, "7wd", "15wd", ""},
			{"follow_up", StatusResolved, StatusClosed, "2wd", "", ""},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			p := ps.Match(Attrs{Line: tt.line, Category: "labor", Risk: "high"})
			isTrue(t, p != nil, "no policy for line %s", tt.line)
			equal(t, tt.policy, p.Name)
			var got []stage
			for _, s := range p.Stages {
				alt := ""
				for _, a := range s.TargetIf {
					alt = a.Status + "=" + a.Target.String()
				}
				got = append(got, stage{s.Name, s.Start, s.Stop, s.Target.String(), s.MaxTarget.String(), alt})
			}
			equal(t, tt.stages, got)
		})
	}
	isTrue(t, ps.Match(Attrs{Line: "unknown"}) == nil, "no catch-all in the defaults")
	equal(t, 168*time.Hour, ps.Get("12510").Stage("resolve").TargetIf[0].Target.Duration)
}

func TestParsePoliciesExtensions(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("testdata/policies.yaml")
	noErr(t, err)
	ps, err := ParsePolicies(data)
	noErr(t, err)
	equal(t, 4, len(ps))

	tests := []struct {
		name  string
		attrs Attrs
		want  string
	}{
		{"list match, first wins", Attrs{Line: "worker", Category: "labor", Type: "work_injury", Risk: "high"}, "wage-arrears"},
		{"all fields must match", Attrs{Line: "worker", Category: "civil", Type: "wage_arrears", Risk: "high"}, "high-risk"},
		{"risk only", Attrs{Line: "incident", Risk: "high"}, "high-risk"},
		{"by line", Attrs{Line: "incident", Risk: "low"}, "12510"},
		{"catch-all", Attrs{Line: "enterprise"}, "catch-all"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			equal(t, tt.want, ps.Match(tt.attrs).Name)
		})
	}

	// Unquoted numbers stay as written, so name: 12510 is the policy "12510".
	bare, err := ParsePolicies([]byte("policies:\n  - name: 12510\n    match: {priority: 1}\n    stages: [{stage: a, stop: resolved, target: 1m}]\n"))
	noErr(t, err)
	equal(t, "12510", bare[0].Name)
	equal(t, []string{"1"}, bare[0].Match.Priority)

	wa := ps.Get("wage-arrears").Stage("resolve")
	equal(t, 10, wa.MaxTarget.Workdays)
	equal(t, []AltTarget{{Status: StatusMediating, Target: MustParseTarget("5wd")}}, wa.TargetIf)
	equal(t, 10, wa.SourceLine)
	equal(t, "", ps.Get("high-risk").Stage("arrive").Start, "start: created is the default")
	equal(t, StatusDispatched, ps.Get("12510").Stage("first_unit_action").Start)
	isTrue(t, ps.Get("12510").Stage("nope") == nil)
}

func TestParsePoliciesErrorsNameTheLine(t *testing.T) {
	t.Parallel()
	const head = "policies:\n  - name: x\n    stages:\n" // stages start on line 4
	tests := []struct {
		name string
		yaml string
		want string
	}{
		{"unknown stop", head + "      - {stage: a, stop: resolved, target: 1m}\n      - {stage: b, stop: finished, target: 1m}\n",
			`sla policy line 5: unknown stop "finished"`},
		{"unknown key in stage", head + "      - stage: a\n        stop: resolved\n        target: 1m\n        deadline: 2m\n",
			`sla policy line 7: unknown key "deadline" in a stage`},
		{"unknown key in policy", "policies:\n  - name: x\n    owner: me\n    stages: []\n",
			`sla policy line 3: unknown key "owner" in a policy`},
		{"unknown top-level key", "policy:\n  - name: x\n",
			`sla policy line 1: unknown key "policy" in the file`},
		{"bad target", head + "      - {stage: a, stop: resolved, target: 5 days}\n",
			`sla policy line 4: bad target "5 days"`},
		{"zero target", head + "      - stage: a\n        stop: resolved\n        target: 0wd\n",
			`sla policy line 6: bad target "0wd"`},
		{"missing target", head + "      - {stage: a, stop: resolved}\n",
			`sla policy line 4: stage without target`},
		{"unknown start", head + "      - {stage: a, start: finished, stop: closed, target: 1m}\n",
			`sla policy line 4: unknown start "finished"`},
		{"start after stop", head + "      - {stage: a, start: resolved, stop: dispatched, target: 1m}\n",
			`sla policy line 4: start "resolved" is not before stop "dispatched"`},
		{"terminal start", head + "      - {stage: a, start: merged, stop: first_action, target: 1m}\n",
			`sla policy line 4: start "merged" ends the case`},
		{"stop received", head + "      - {stage: a, stop: received, target: 1m}\n",
			`sla policy line 4: stop "received" is met the moment`},
		{"duplicate stage", head + "      - {stage: a, stop: resolved, target: 1m}\n      - {stage: a, stop: closed, target: 2m}\n",
			`sla policy line 5: duplicate stage name "a"`},
		{"bad stage name", head + "      - {stage: Resolve It, stop: resolved, target: 1m}\n",
			`sla policy line 4: bad stage name "Resolve It"`},
		{"empty stage list", "policies:\n  - name: x\n    stages: []\n",
			`sla policy line 3: policy "x": empty stage list`},
		{"no stages", "policies:\n  - name: x\n    match: {line: worker}\n",
			`sla policy line 2: policy "x" has no stages`},
		{"stages not a list", "policies:\n  - name: x\n    stages: {stage: a}\n",
			`sla policy line 3: stages must be a list`},
		{"no name", "policies:\n  - stages:\n      - {stage: a, stop: resolved, target: 1m}\n",
			`sla policy line 2: policy without a name`},
		{"duplicate policy", "policies:\n  - name: x\n    stages: [{stage: a, stop: resolved, target: 1m}]\n  - name: x\n    stages: [{stage: a, stop: resolved, target: 1m}]\n",
			`sla policy line 4: duplicate policy name "x"`},
		{"empty policies", "policies: []\n", `sla policy line 1: empty policies list`},
		{"empty file", "", `sla policy line 1: empty file`},
		{"comment only", "# nothing\n", `sla policy line 1: empty file`},
		{"not a mapping", "- a\n- b\n", `sla policy line 1: the file must be a mapping`},
		{"unknown line", "policies:\n  - name: x\n    match: {line: police}\n    stages: [{stage: a, stop: resolved, target: 1m}]\n",
			`sla policy line 3: unknown line "police"`},
		{"unknown category in list", "policies:\n  - name: x\n    match:\n      category: [civil, labour]\n    stages: [{stage: a, stop: resolved, target: 1m}]\n",
			`sla policy line 4: unknown category "labour"`},
		{"unknown match key", "policies:\n  - name: x\n    match: {channel: 110}\n    stages: [{stage: a, stop: resolved, target: 1m}]\n",
			`sla policy line 3: unknown key "channel" in match`},
		{"max below target", head + "      - {stage: a, stop: resolved, target: 5wd, max_target: 3wd}\n",
			`sla policy line 4: max_target 3wd is shorter than target 5wd`},
		{"max of another kind", head + "      - {stage: a, stop: resolved, target: 5wd, max_target: 360h}\n",
			`sla policy line 4: max_target 360h and target 5wd must both be`},
		{"target_if unknown status", head + "      - stage: a\n        stop: resolved\n        target: 24h\n        target_if: {status: taken_back, target: 7d}\n",
			`sla policy line 7: unknown status "taken_back" in target_if`},
		{"target_if after stop", head + "      - stage: a\n        stop: on_site\n        target: 24h\n        target_if: {status: mediating, target: 7d}\n",
			`sla policy line 7: target_if status "mediating" is not before stop "on_site"`},
		{"target_if bad target", head + "      - stage: a\n        stop: resolved\n        target: 24h\n        target_if:\n          - status: mediating\n            target: a week\n",
			`sla policy line 9: target_if: bad target "a week"`},
		{"target_if unknown key", head + "      - stage: a\n        stop: resolved\n        target: 24h\n        target_if: {status: mediating, target: 7d, note: x}\n",
			`sla policy line 7: unknown key "note" in target_if`},
		{"repeated key", head + "      - stage: a\n        stop: resolved\n        stop: closed\n        target: 1m\n",
			`sla policy line 6:`},
		{"broken YAML", head + "      - {stage: a, stop: resolved, target: 1m\n",
			`sla policy line 4: not valid YAML`},
		{"alias", "x: &a {stage: a, stop: resolved, target: 1m}\n", `sla policy line 1: unknown key "x"`},
		{"alias in stage", "policies:\n  - name: x\n    stages:\n      - &s {stage: a, stop: resolved, target: 1m}\n      - *s\n",
			`sla policy line 5: YAML aliases are not supported`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParsePolicies([]byte(tt.yaml))
			errContains(t, err, tt.want)
			var pe *PolicyError
			isTrue(t, errors.As(err, &pe), "want a *PolicyError, got %T", err)
		})
	}
}
