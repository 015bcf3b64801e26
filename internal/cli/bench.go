package cli

import (
	"encoding/json"
	"maps"
	"os"
	"runtime/pprof"
	"runtime/trace"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/yizhan/yizhan/internal/bench"
	"github.com/yizhan/yizhan/internal/config"
)

// benchCommand runs the benchmarks and prints their JSON report.
func benchCommand() *cobra.Command {
	var st config.Store
	var o bench.Options
	var only, out, cpuProfile, traceFile, memLimit string
	cmd := &cobra.Command{
		Use: "bench",
		Short: msg("测量受理、办理操作、查询、汇总、查重、时限触发、实时推送、内存和启动（输出 JSON）",
			"measure intake, actions, reads, the summary, the duplicate check, SLA firing, live events, memory and start-up (JSON)"),
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// The benchmark runs the server in this process: it gets the
			// server's memory limit.
			limit, err := config.ApplyMemoryLimit(memLimit)
			if err != nil {
				return err
			}
			o.MemoryLimit = limit
			o.DataDir, o.DBURL = st.DataDir, st.DBURL
			if !cmd.Flags().Changed("data") {
				o.DataDir = "" // a fresh store in a temporary directory
			}
			o.Location = config.ZoneLocation()
			o.Log = stderrLogger()
			if only != "" {
				o.Only = map[string]bool{}
				for _, name := range strings.Split(only, ",") {
					o.Only[strings.TrimSpace(name)] = true
				}
			}
			if bin, err := os.Executable(); err == nil {
				o.Binary = bin
			}
			if cpuProfile != "" {
				f, err := os.Create(cpuProfile)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			if traceFile != "" {
				f, err := os.Create(traceFile)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := trace.Start(f); err != nil {
					return err
				}
				defer trace.Stop()
			}
			res, err := bench.Run(cmd.Context(), o)
			if err != nil {
				return err
			}
			w := cmd.OutOrStdout()
			if out != "" && out != "-" {
				f, err := os.Create(out)
				if err != nil {
					return err
				}
				defer f.Close()
				w = f
			}
			enc := json.NewEncoder(w)
			enc.SetIndent("", "  ")
			enc.SetEscapeHTML(false)
			if err := enc.Encode(res); err != nil {
				return err
			}
			if len(res.Failed) > 0 {
				names := slices.Sorted(maps.Keys(res.Failed))
				return errorf("%d 项基准未能测出（%s）：见报告中的 \"failed\"",
					"%d benchmarks could not be measured (%s): see \"failed\" in the report", len(names), strings.Join(names, ", "))
			}
			return nil
		},
	}
	config.BindStore(cmd.Flags(), &st)
	config.BindMemoryLimit(cmd.Flags(), &memLimit)
	cmd.Flags().IntVar(&o.Clients, "clients", 64, msg("并发的 HTTP 客户端数", "concurrent HTTP clients"))
	cmd.Flags().DurationVar(&o.Duration, "duration", 10*time.Second, msg("每项负载持续的时间", "how long each load runs"))
	cmd.Flags().StringVar(&only, "only", "", msg(
		"逗号分隔：startup,intake,actions,read,summary,dedup,sse,memory,sla（默认全部）",
		"comma-separated: startup,intake,actions,read,summary,dedup,sse,memory,sla (default all)"))
	cmd.Flags().IntVar(&o.SSEClients, "sse-clients", 1000, msg("实时推送（SSE）扇出测试的客户端数", "server-sent-event clients for the fan-out"))
	cmd.Flags().IntVar(&o.SLAClocks, "sla-clocks", 100000, msg("时限触发测试中计时的时限数", "open SLA clocks for the firing benchmark"))
	cmd.Flags().DurationVar(&o.SLAWindow, "sla-window", 60*time.Second, msg("时限测试观察触发的时长", "how long the SLA benchmark watches firings"))
	cmd.Flags().StringVar(&out, "out", "-", msg("JSON 报告写入的文件", "file for the JSON report"))
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", msg(
		"将整个运行的 CPU 剖析（go tool pprof）写入此文件",
		"write a CPU profile of the whole run (go tool pprof) to this file"))
	cmd.Flags().StringVar(&traceFile, "trace", "", msg(
		"将整个运行的执行跟踪（go tool trace：调度、阻塞、GC）写入此文件",
		"write an execution trace of the whole run (go tool trace: scheduling, blocking, GC) to this file"))
	return cmd
}
