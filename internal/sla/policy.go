package sla

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"

	"github.com/goccy/go-yaml/ast"
)

// defaultPoliciesYAML holds the built-in policies, used when `yizhan serve`
// is given no --sla file.
//
//go:embed default_policies.yaml
var defaultPoliciesYAML []byte

// Policy is one named set of clocks for the cases it matches.
type Policy struct {
	Name   string
	Match  Match
	Stages []Stage
	// SourceLine is the line of the policy in its file, for messages.
	SourceLine int
}

// Match selects the cases a policy applies to. Each field lists accepted
// values; an empty field accepts anything, and a case must pass every field.
type Match struct {
	Line     []string
	Category []string
	Type     []string
	Priority []string
	Risk     []string
}

// Attrs are the attributes of a case that policies match on.
type Attrs struct {
	Line     string
	Category string
	Type     string
	Priority string
	Risk     string
}

// Stage is one clock of a policy.
type Stage struct {
	// Name identifies the stage in deadlines and extension requests.
	Name string
	// Start is the status whose first reaching starts the clock; empty means
	// the clock starts when the case is created.
	Start string
	// Stop is StopFirstAction or the status that stops the clock.
	Stop string
	// Target is how long the stage may take.
	Target Target
	// MaxTarget caps approved extensions; zero leaves them uncapped.
	MaxTarget Target
	// TargetIf lists alternative targets taking over when the case enters a
	// status while the clock runs, first listed first.
	TargetIf []AltTarget
	// SourceLine is the line of the stage in its file, for messages.
	SourceLine int
}

// AltTarget replaces a stage's target once the case enters Status while the
// stage's clock runs: the 12510 resolve clock allows 24 hours, or 7 days
// once the case is taken back for mediation (带回调处).
type AltTarget struct {
	Status string
	Target Target
}

// Policies is an ordered list of policies; the first that matches a case
// applies to it.
type Policies []*Policy

// Match returns the first policy whose match accepts a, or nil when none
// does (the case then has no clocks).
func (ps Policies) Match(a Attrs) *Policy {
	for _, p := range ps {
		if p.Match.accepts(a) {
			return p
		}
	}
	return nil
}

// Get returns the policy named name, or nil.
func (ps Policies) Get(name string) *Policy {
	for _, p := range ps {
		if p.Name == name {
			return p
		}
	}
	return nil
}

func (m Match) accepts(a Attrs) bool {
	ok := func(allowed []string, v string) bool {
		return len(allowed) == 0 || slices.Contains(allowed, v)
	}
	return ok(m.Line, a.Line) && ok(m.Category, a.Category) && ok(m.Type, a.Type) &&
		ok(m.Priority, a.Priority) && ok(m.Risk, a.Risk)
}

// Stage returns the stage named name, or nil.
func (p *Policy) Stage(name string) *Stage {
	for i := range p.Stages {
		if p.Stages[i].Name == name {
			return &p.Stages[i]
		}
	}
	return nil
}

// DefaultPolicies returns the built-in policies (default_policies.yaml): the
// 12510 clock for the incident line, enterprise demands and worker needs.
// It panics only if the embedded file is broken, which the tests rule out.
func DefaultPolicies() Policies {
	ps, err := ParsePolicies(defaultPoliciesYAML)
	if err != nil {
		panic("sla: embedded default_policies.yaml: " + err.Error())
	}
	return ps
}

// Vocabulary of the contract, checked so that a typo in a match ("labour"
// for "labor") fails at start instead of silently matching nothing.
var (
	knownLines      = []string{"incident", "enterprise", "worker"}
	knownCategories = []string{"civil", "labor", "contract", "other"}
	knownTypes      = []string{
		"marriage_family", "neighbor", "housing_land", "property_mgmt", "injury", "traffic", "medical", "inheritance",
		"wage_arrears", "work_injury", "labor_contract",
		"sales_payment", "loan_debt", "consumer", "lease", "construction", "business",
		"environment", "school", "land_requisition", "other",
	}
	knownRisks = []string{"low", "medium", "high"}
	stageName  = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
)

// ParsePolicies reads an SLA policy file. The format is the contract's,
// with these additions:
//
//	policies:
//	  - name: "12510"               # required, unique
//	    match: {line: incident}     # optional; line, category, type, priority, risk;
//	                                # each a value or a list of values
//	    stages:                     # required, not empty
//	      - stage: resolve          # required, unique in the policy, [a-z0-9_]
//	        stop: resolved          # required: first_action or a status
//	        target: 24h             # required: 90s, 10m, 24h, 7d (=168h) or 5wd
//	        start: created          # optional: created (default) or a status,
//	                                # e.g. a follow-up clock starting at resolved
//	        max_target: 15wd        # optional: cap for approved extensions,
//	                                # same kind as target and not below it
//	        target_if:              # optional: a mapping or a list of them
//	          {status: mediating, target: 7d}
//
// target_if replaces the target, counted from the stage's start, when the
// case enters that status while the clock runs; the first entry whose status
// the case enters wins. Its status must come before the stop on the normal
// path (received < dispatched < accepted < on_site < mediating < resolved <
// closed).
//
// Every error is a *PolicyError naming the line: unknown keys, repeated
// keys, bad targets, unknown statuses, duplicate policy or stage names, an
// empty stage list, and so on.
func ParsePolicies(data []byte) (Policies, error) {
	body, err := parseYAMLDoc(data)
	if err != nil {
		return nil, err
	}
	top, err := mapping(body, "the file", "policies")
	if err != nil {
		return nil, err
	}
	list, ok := top["policies"]
	if !ok || isNull(list) {
		return nil, errAt(body, "no policies: want a policies list")
	}
	items, err := sequence(list, "policies")
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, errAt(list, "empty policies list")
	}
	var ps Policies
	for _, item := range items {
		p, err := parsePolicy(item)
		if err != nil {
			return nil, err
		}
		if ps.Get(p.Name) != nil {
			return nil, errAt(item, "duplicate policy name %q", p.Name)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

func parsePolicy(n ast.Node) (*Policy, error) {
	f, err := mapping(n, "a policy", "name", "match", "stages")
	if err != nil {
		return nil, err
	}
	p := &Policy{SourceLine: lineOf(n)}
	nameNode, ok := f["name"]
	if !ok {
		return nil, errAt(n, "policy without a name")
	}
	if p.Name, err = scalar(nameNode, "name"); err != nil {
		return nil, err
	}
	if p.Name == "" {
		return nil, errAt(nameNode, "empty policy name")
	}
	if m, ok := f["match"]; ok && !isNull(m) {
		if p.Match, err = parseMatch(m); err != nil {
			return nil, err
		}
	}
	stagesNode, ok := f["stages"]
	if !ok || isNull(stagesNode) {
		return nil, errAt(n, "policy %q has no stages", p.Name)
	}
	items, err := sequence(stagesNode, "stages")
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, errAt(stagesNode, "policy %q: empty stage list", p.Name)
	}
	for _, item := range items {
		s, err := parseStage(item)
		if err != nil {
			return nil, err
		}
		if p.Stage(s.Name) != nil {
			return nil, errAt(item, "duplicate stage name %q in policy %q", s.Name, p.Name)
		}
		p.Stages = append(p.Stages, s)
	}
	return p, nil
}

func parseMatch(n ast.Node) (Match, error) {
	f, err := mapping(n, "match", "line", "category", "type", "priority", "risk")
	if err != nil {
		return Match{}, err
	}
	var m Match
	fields := []struct {
		key   string
		dst   *[]string
		known []string // nil: any value
	}{
		{"line", &m.Line, knownLines},
		{"category", &m.Category, knownCategories},
		{"type", &m.Type, knownTypes},
		{"priority", &m.Priority, nil},
		{"risk", &m.Risk, knownRisks},
	}
	for _, fd := range fields {
		v, ok := f[fd.key]
		if !ok {
			continue
		}
		vals, err := scalarList(v, fd.key)
		if err != nil {
			return Match{}, err
		}
		for _, s := range vals {
			if fd.known != nil && !slices.Contains(fd.known, s) {
				return Match{}, errAt(v, "unknown %s %q", fd.key, s)
			}
		}
		*fd.dst = vals
	}
	return m, nil
}

func parseStage(n ast.Node) (Stage, error) {
	f, err := mapping(n, "a stage", "stage", "start", "stop", "target", "max_target", "target_if")
	if err != nil {
		return Stage{}, err
	}
	s := Stage{SourceLine: lineOf(n)}
	get := func(key string, required bool) (string, ast.Node, error) {
		v, ok := f[key]
		if !ok || isNull(v) {
			if required {
				return "", n, errAt(n, "stage without %s", key)
			}
			return "", nil, nil
		}
		text, err := scalar(v, key)
		if err == nil && text == "" {
			err = errAt(v, "empty %s", key)
		}
		return text, v, err
	}

	var node ast.Node
	if s.Name, node, err = get("stage", true); err != nil {
		return Stage{}, err
	}
	if !stageName.MatchString(s.Name) {
		return Stage{}, errAt(node, "bad stage name %q: use lower-case letters, digits and _", s.Name)
	}

	if s.Stop, node, err = get("stop", true); err != nil {
		return Stage{}, err
	}
	switch {
	case s.Stop == StopFirstAction:
	case !IsStatus(s.Stop):
		return Stage{}, errAt(node, "unknown stop %q (want first_action or a status)", s.Stop)
	case s.Stop == StatusReceived:
		return Stage{}, errAt(node, "stop %q is met the moment a case is created", s.Stop)
	}

	var start string
	if start, node, err = get("start", false); err != nil {
		return Stage{}, err
	}
	switch {
	case start == "" || start == "created":
	case !IsStatus(start):
		return Stage{}, errAt(node, "unknown start %q (want created or a status)", start)
	case IsTerminal(start):
		return Stage{}, errAt(node, "start %q ends the case: the clock would never run", start)
	case reached(start, s.Stop):
		return Stage{}, errAt(node, "start %q is not before stop %q", start, s.Stop)
	default:
		s.Start = start
	}

	var text string
	if text, node, err = get("target", true); err != nil {
		return Stage{}, err
	}
	if s.Target, err = ParseTarget(text); err != nil {
		return Stage{}, errAt(node, "%v", err)
	}

	if text, node, err = get("max_target", false); err != nil {
		return Stage{}, err
	}
	if text != "" {
		if s.MaxTarget, err = ParseTarget(text); err != nil {
			return Stage{}, errAt(node, "max_target: %v", err)
		}
		switch c, ok := s.MaxTarget.compare(s.Target); {
		case !ok:
			return Stage{}, errAt(node, "max_target %s and target %s must both be working days or both clock time", s.MaxTarget, s.Target)
		case c < 0:
			return Stage{}, errAt(node, "max_target %s is shorter than target %s", s.MaxTarget, s.Target)
		}
	}

	if v, ok := f["target_if"]; ok && !isNull(v) {
		if s.TargetIf, err = parseTargetIf(v, s); err != nil {
			return Stage{}, err
		}
	}
	return s, nil
}

func parseTargetIf(n ast.Node, s Stage) ([]AltTarget, error) {
	items, err := oneOrList(n, "target_if")
	if err != nil {
		return nil, err
	}
	var out []AltTarget
	for _, it := range items {
		f, err := mapping(it, "target_if", "status", "target")
		if err != nil {
			return nil, err
		}
		sn, ok := f["status"]
		if !ok {
			return nil, errAt(it, "target_if without status")
		}
		status, err := scalar(sn, "status")
		if err != nil {
			return nil, err
		}
		switch {
		case !IsStatus(status):
			return nil, errAt(sn, "unknown status %q in target_if", status)
		case status == StatusReceived || IsTerminal(status):
			return nil, errAt(sn, "target_if status %q cannot change a running clock", status)
		case s.Stop != StopFirstAction && reached(status, s.Stop):
			return nil, errAt(sn, "target_if status %q is not before stop %q", status, s.Stop)
		}
		for _, a := range out {
			if a.Status == status {
				return nil, errAt(sn, "target_if status %q repeated", status)
			}
		}
		tn, ok := f["target"]
		if !ok {
			return nil, errAt(it, "target_if without target")
		}
		text, err := scalar(tn, "target")
		if err != nil {
			return nil, err
		}
		t, err := ParseTarget(text)
		if err != nil {
			return nil, errAt(tn, "target_if: %v", err)
		}
		if !s.MaxTarget.IsZero() {
			if c, ok := t.compare(s.MaxTarget); ok && c > 0 {
				return nil, errAt(tn, "target_if target %s is longer than max_target %s", t, s.MaxTarget)
			}
		}
		out = append(out, AltTarget{Status: status, Target: t})
	}
	return out, nil
}

// String names the policy for logs.
func (p *Policy) String() string { return fmt.Sprintf("policy %q", p.Name) }
