package sla

import (
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// The module's go.sum lacks an entry that testify's require package needs
// (go.yaml.in/yaml/v3), and this package must not edit go.mod, so the tests
// use these few standard-library checks instead. They stop the test at the
// first failure, like require.

func msg(args []any) string {
	if len(args) == 0 {
		return ""
	}
	if f, ok := args[0].(string); ok {
		return ": " + fmt.Sprintf(f, args[1:]...)
	}
	return ": " + fmt.Sprint(args...)
}

func equal[T any](t testing.TB, want, got T, args ...any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("want %v, got %v%s", want, got, msg(args))
	}
}

func isTrue(t testing.TB, cond bool, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf("condition is false%s", msg(args))
	}
}

func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

func errIs(t testing.TB, err, target error) {
	t.Helper()
	if !errors.Is(err, target) {
		t.Fatalf("want error %v, got %v", target, err)
	}
}

func errContains(t testing.TB, err error, sub string) {
	t.Helper()
	if err == nil || !strings.Contains(err.Error(), sub) {
		t.Fatalf("want an error containing %q, got %v", sub, err)
	}
}
