package cli

import (
	"encoding/json"
	"fmt"
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
		Use:   "bench",
		Short: "measure intake, actions, reads, the summary, the duplicate check, SLA firing, live events, memory and start-up (JSON)",
		Args:  cobra.NoArgs,
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
				return fmt.Errorf("%d benchmarks could not be measured (%s): see \"failed\" in the report", len(names), strings.Join(names, ", "))
			}
			return nil
		},
	}
	config.BindStore(cmd.Flags(), &st)
	config.BindMemoryLimit(cmd.Flags(), &memLimit)
	cmd.Flags().IntVar(&o.Clients, "clients", 64, "concurrent HTTP clients")
	cmd.Flags().DurationVar(&o.Duration, "duration", 10*time.Second, "how long each load runs")
	cmd.Flags().StringVar(&only, "only", "", "comma-separated: startup,intake,actions,read,summary,dedup,sse,memory,sla (default all)")
	cmd.Flags().IntVar(&o.SSEClients, "sse-clients", 1000, "server-sent-event clients for the fan-out")
	cmd.Flags().IntVar(&o.SLAClocks, "sla-clocks", 100000, "open SLA clocks for the firing benchmark")
	cmd.Flags().DurationVar(&o.SLAWindow, "sla-window", 60*time.Second, "how long the SLA benchmark watches firings")
	cmd.Flags().StringVar(&out, "out", "-", "file for the JSON report")
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run (go tool pprof) to this file")
	cmd.Flags().StringVar(&traceFile, "trace", "", "write an execution trace of the whole run (go tool trace: scheduling, blocking, GC) to this file")
	return cmd
}
