package sla

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// PolicyError is a problem in an SLA policy file, with the line it is on, so
// that an administrator starting `yizhan serve --sla FILE` is told where to
// look: `sla policy line 12: unknown stop "finished"`.
type PolicyError struct {
	Line int    // 1-based; 0 when the problem has no single line
	Msg  string // what is wrong, in English, for the log
}

// Error implements error.
func (e *PolicyError) Error() string {
	if e.Line <= 0 {
		return "sla policy: " + e.Msg
	}
	return fmt.Sprintf("sla policy line %d: %s", e.Line, e.Msg)
}

func errAt(n ast.Node, format string, args ...any) error {
	return &PolicyError{Line: lineOf(n), Msg: fmt.Sprintf(format, args...)}
}

// The policy file is walked as a YAML syntax tree rather than decoded into
// structs: the tree keeps the line of every key and value, so each error can
// name its line, and unknown or repeated keys are caught in one place.

// parseYAMLDoc parses data and returns the body of its only document.
func parseYAMLDoc(data []byte) (ast.Node, error) {
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		var yerr yaml.Error
		if errors.As(err, &yerr) && yerr.GetToken() != nil {
			return nil, &PolicyError{Line: yerr.GetToken().Position.Line, Msg: "not valid YAML: " + yerr.GetMessage()}
		}
		return nil, &PolicyError{Msg: "not valid YAML: " + err.Error()}
	}
	var bodies []ast.Node
	for _, doc := range file.Docs {
		if doc != nil && doc.Body != nil {
			bodies = append(bodies, doc.Body)
		}
	}
	switch len(bodies) {
	case 0:
		return nil, &PolicyError{Line: 1, Msg: "empty file: want a mapping with a policies list"}
	case 1:
		return bodies[0], nil
	}
	return nil, errAt(bodies[1], "more than one YAML document")
}

func lineOf(n ast.Node) int {
	if n == nil {
		return 0
	}
	if mv, ok := n.(*ast.MappingValueNode); ok && mv.Key != nil {
		return lineOf(mv.Key)
	}
	if m, ok := n.(*ast.MappingNode); ok && len(m.Values) > 0 {
		return lineOf(m.Values[0])
	}
	if tk := n.GetToken(); tk != nil && tk.Position != nil {
		return tk.Position.Line
	}
	return 0
}

// unwrap looks through anchors and tags; aliases are refused because a
// policy file short enough to read needs none and they hide where a value
// came from.
func unwrap(n ast.Node) (ast.Node, error) {
	for {
		switch v := n.(type) {
		case *ast.AnchorNode:
			n = v.Value
		case *ast.TagNode:
			n = v.Value
		case *ast.AliasNode:
			return nil, errAt(v, "YAML aliases are not supported here")
		default:
			return n, nil
		}
	}
}

func isNull(n ast.Node) bool {
	if n == nil {
		return true
	}
	_, ok := n.(*ast.NullNode)
	return ok
}

// mapping returns the key-value pairs of n, which must be a mapping whose keys
// are all among allowed and appear once each.
func mapping(n ast.Node, what string, allowed ...string) (map[string]ast.Node, error) {
	n, err := unwrap(n)
	if err != nil {
		return nil, err
	}
	var values []*ast.MappingValueNode
	switch m := n.(type) {
	case *ast.MappingNode:
		values = m.Values
	case *ast.MappingValueNode:
		values = []*ast.MappingValueNode{m}
	default:
		return nil, errAt(n, "%s must be a mapping (key: value)", what)
	}
	out := make(map[string]ast.Node, len(values))
	for _, kv := range values {
		key := strings.TrimSpace(scalarText(kv.Key))
		if !slices.Contains(allowed, key) {
			return nil, errAt(kv.Key, "unknown key %q in %s (want one of %s)", key, what, strings.Join(allowed, ", "))
		}
		if _, dup := out[key]; dup {
			return nil, errAt(kv.Key, "key %q repeated in %s", key, what)
		}
		out[key] = kv.Value
	}
	return out, nil
}

// sequence returns the items of n, which must be a list.
func sequence(n ast.Node, what string) ([]ast.Node, error) {
	n, err := unwrap(n)
	if err != nil {
		return nil, err
	}
	s, ok := n.(*ast.SequenceNode)
	if !ok {
		return nil, errAt(n, "%s must be a list", what)
	}
	return s.Values, nil
}

// scalar returns the text of a scalar value, trimmed.
func scalar(n ast.Node, what string) (string, error) {
	n, err := unwrap(n)
	if err != nil {
		return "", err
	}
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode, *ast.SequenceNode:
		return "", errAt(n, "%s must be a single value", what)
	}
	return strings.TrimSpace(scalarText(n)), nil
}

// oneOrList answers the items of a single value or of a list of values; an
// empty list is an error.
func oneOrList(n ast.Node, what string) ([]ast.Node, error) {
	u, err := unwrap(n)
	if err != nil {
		return nil, err
	}
	if s, ok := u.(*ast.SequenceNode); ok {
		if len(s.Values) == 0 {
			return nil, errAt(u, "%s: empty list", what)
		}
		return s.Values, nil
	}
	return []ast.Node{u}, nil
}

// scalarList accepts a single value or a list of values ("line: incident" or
// "category: [labor, contract]").
func scalarList(n ast.Node, what string) ([]string, error) {
	items, err := oneOrList(n, what)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		v, err := scalar(it, what)
		if err != nil {
			return nil, err
		}
		if v == "" {
			return nil, errAt(it, "%s: empty value", what)
		}
		out = append(out, v)
	}
	return out, nil
}

// scalarText is the source text of a scalar: quoted strings unquoted, and
// numbers kept as written so that name: 12510 stays "12510".
func scalarText(n ast.Node) string {
	switch v := n.(type) {
	case nil, *ast.NullNode:
		return ""
	case *ast.StringNode:
		return v.Value
	case *ast.LiteralNode:
		if v.Value != nil {
			return v.Value.Value
		}
		return ""
	}
	if tk := n.GetToken(); tk != nil {
		return tk.Value
	}
	return n.String()
}
