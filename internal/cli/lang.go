package cli

import (
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/yizhan/yizhan/internal/config"
)

// What the command line tells the operator is in Chinese, or in English
// with YIZHAN_LANG=en (config.English). Each text keeps its two versions
// side by side where it is used: msg("…", "…"). What programs read stays
// as it is in both: flag names, JSON, CSV, the bench report, the log.

// msg answers zh, or en when the operator asked for English.
func msg(zh, en string) string { return config.Msg(zh, en) }

// errorf is fmt.Errorf with the format in both languages.
func errorf(zh, en string, args ...any) error {
	return fmt.Errorf(msg(zh, en), args...)
}

// noArgs is cobra.NoArgs with its error in the operator's language.
func noArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 {
		return errorf("%s 不接受参数 %q（%s --help 查看用法）", "%s takes no arguments, got %q (see %s --help)",
			cmd.Name(), args[0], cmd.CommandPath())
	}
	return nil
}

// localize puts cobra's own words in the operator's language too: the
// usage headings, the help flag and command, the completion command, and
// the errors of flags that do not parse.
func localize(root *cobra.Command) {
	root.SetFlagErrorFunc(flagError)
	root.SetUsageTemplate(usageTemplate())
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		// Defined before cobra would add its own.
		c.Flags().BoolP("help", "h", false, msg("显示 "+c.CommandPath()+" 的帮助", "help for "+c.CommandPath()))
		switch c.Name() {
		case "help":
			c.Short = msg("显示任一命令的帮助", "Help about any command")
			c.Long = msg("显示任一命令的帮助：yizhan help 命令名", "Help about any command: yizhan help COMMAND")
		case "completion":
			c.Short = msg("生成 shell 的命令补全脚本", "Generate the autocompletion script for the specified shell")
			c.Long = msg("为指定的 shell 生成 yizhan 的命令补全脚本；用法见各子命令的帮助。",
				"Generate the autocompletion script for yizhan for the specified shell.\n"+
					"See each sub-command's help for details on how to use the generated script.")
		case "bash", "zsh", "fish", "powershell":
			c.Short = msg("生成 "+c.Name()+" 的命令补全脚本", "Generate the autocompletion script for "+c.Name())
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// usageTemplate is cobra's usage template with the headings in the
// operator's language. Yizhan uses no command groups or help topics,
// which it leaves out; a command with subcommands shows only those.
func usageTemplate() string {
	return msg("用法：", "Usage:") + `{{if and .Runnable (not .HasAvailableSubCommands)}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} ` + msg("[命令]", "[command]") + `{{end}}{{if gt (len .Aliases) 0}}

` + msg("别名：", "Aliases:") + `
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

` + msg("示例：", "Examples:") + `
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

` + msg("命令：", "Available Commands:") + `{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

` + msg("参数：", "Flags:") + `
{{.LocalFlags | flagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

` + msg("通用参数：", "Global Flags:") + `
{{.InheritedFlags | flagUsages | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

` + msg(`运行 "{{.CommandPath}} [命令] --help" 查看各命令的用法。`, `Use "{{.CommandPath}} [command] --help" for more information about a command.`) + `{{end}}
`
}

func init() {
	// Once: cobra keeps template functions in one map for the process.
	cobra.AddTemplateFunc("flagUsages", flagUsages)
}

// flagUsages lists flags as pflag does, with their defaults' "(default
// …)" in the operator's language.
func flagUsages(fs *pflag.FlagSet) string {
	usages := fs.FlagUsages()
	if config.English() {
		return usages
	}
	lines := strings.Split(usages, "\n")
	for i, l := range lines {
		if j := strings.LastIndex(l, " (default "); j >= 0 && strings.HasSuffix(l, ")") {
			lines[i] = l[:j] + "（默认 " + l[j+len(" (default "):len(l)-1] + "）"
		}
	}
	return strings.Join(lines, "\n")
}

// flagError says what is wrong with a flag, and where the usage is.
func flagError(c *cobra.Command, err error) error {
	if config.English() {
		return err
	}
	var (
		unknown *pflag.NotExistError
		bare    *pflag.ValueRequiredError
		bad     *pflag.InvalidValueError
		syntax  *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &unknown):
		err = fmt.Errorf("未知参数 %s", dashed(unknown.GetSpecifiedName(), unknown.GetSpecifiedShortnames()))
	case errors.As(err, &bare):
		err = fmt.Errorf("参数 %s 缺少取值", dashed(bare.GetSpecifiedName(), bare.GetSpecifiedShortnames()))
	case errors.As(err, &bad):
		err = fmt.Errorf("参数 --%s 的取值 %q 无效：%s", bad.GetFlag().Name, bad.GetValue(), wantedValue(bad.GetFlag().Value.Type()))
	case errors.As(err, &syntax):
		err = fmt.Errorf("参数写法有误：%s", syntax.GetSpecifiedFlag())
	}
	return fmt.Errorf("%w（%s --help 查看用法）", err, c.CommandPath())
}

// dashed writes a flag as it was given: --name, or -n from a group of
// shorthands.
func dashed(name, shorthands string) string {
	if shorthands != "" {
		return "-" + name
	}
	return "--" + name
}

// wantedValue says what a flag of a pflag type takes.
func wantedValue(typ string) string {
	switch typ {
	case "int", "int64", "uint64":
		return "应为整数"
	case "float64":
		return "应为数字"
	case "duration":
		return "应为时长，如 90s、10m、24h"
	case "bool":
		return "应为 true 或 false"
	}
	return "应为 " + typ
}
