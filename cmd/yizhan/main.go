// Command yizhan is the one-stop command platform of a development zone's
// social governance center (一站式解决).
package main

import (
	"context"
	"os"

	"github.com/yizhan/yizhan/internal/cli"
)

func main() {
	os.Exit(cli.Execute(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
