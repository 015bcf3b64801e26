// Package cli holds Yizhan's commands and their wiring: which flags each
// takes, what it opens, and how it shuts down cleanly.
package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X github.com/yizhan/yizhan/internal/cli.Version=…".
var Version = ""

// Execute runs the command line and answers the process exit code.
func Execute(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := &cobra.Command{
		Use: "yizhan",
		Short: msg("一站：开发区社会治理中心一站式指挥平台",
			"Yizhan: the one-stop command platform of a development zone's social governance center"),
		Long: msg("一站：开发区社会治理中心一站式指挥平台。\n\n命令行默认以中文输出；设置环境变量 YIZHAN_LANG=en 改为英文。",
			"Yizhan: the one-stop command platform of a development zone's social governance center.\n\n"+
				"The command line answers in English because YIZHAN_LANG=en; without it, in Chinese."),
		Args:          cobra.ArbitraryArgs,
		RunE:          unknownCommand,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.AddCommand(serveCommand(), versionCommand(), reportCommand(), classifyCommand(), triageCommand(), genCommand(), benchCommand(), migrateCommand(), backupCommand(), auditCommand())
	localize(root)
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "yizhan:", explain(err))
		return 1
	}
	return 0
}

// unknownCommand is yizhan without a command, which shows the help, or
// with one it does not know, which is an error (exit 1).
func unknownCommand(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return cmd.Help()
	}
	if s := cmd.SuggestionsFor(args[0]); len(s) > 0 {
		return errorf("未知命令 %q，是否要用 %q？（yizhan --help 列出全部命令）",
			"unknown command %q: did you mean %q? (yizhan --help lists them all)", args[0], s[0])
	}
	return errorf("未知命令 %q（yizhan --help 列出全部命令）", "unknown command %q (yizhan --help lists them all)", args[0])
}

func versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: msg("显示版本号", "print the version"),
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := fmt.Fprintln(cmd.OutOrStdout(), "yizhan", version())
			return err
		},
	}
}

// version answers the version stamped at build time, else what the Go
// toolchain recorded of the module and its VCS revision.
func version() string {
	if Version != "" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v += "+" + s.Value[:12]
		}
	}
	return v
}

func newLogger(w io.Writer, format, level string) *slog.Logger {
	var lv slog.Level
	_ = lv.UnmarshalText([]byte(level))
	opts := &slog.HandlerOptions{Level: lv}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// stderrLogger is the logger of commands that are not the server.
func stderrLogger() *slog.Logger {
	return newLogger(os.Stderr, "text", "warn")
}
