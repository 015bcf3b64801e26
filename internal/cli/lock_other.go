//go:build !unix

package cli

// lockDataDir does nothing where there is no flock: the one-server rule
// for an embedded store is then the operator's.
func lockDataDir(string) (func(), error) { return func() {}, nil }
