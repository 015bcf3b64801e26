package cli

import (
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/yizhan/yizhan/internal/config"
	"github.com/yizhan/yizhan/internal/demo"
)

// genCommand writes a realistic generated history into the store.
func genCommand() *cobra.Command {
	var st config.Store
	var opt demo.GenOptions
	var seed int64
	cmd := &cobra.Command{
		Use:   "gen",
		Short: "generate a realistic history of cases (for trying Yizhan at scale and for benchmarks)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opt.Cases <= 0 || opt.Cases > 100_000_000 {
				return fmt.Errorf("--cases must be between 1 and 100000000")
			}
			if opt.Years < 1 || opt.Years > 20 {
				return fmt.Errorf("--years must be between 1 and 20")
			}
			opt.Seed = uint64(seed)
			loc := config.ZoneLocation()
			s, err := openStore(cmd.Context(), st, stderrLogger(), loc)
			if err != nil {
				return err
			}
			defer s.Close()
			started := time.Now()
			last := time.Now()
			out := cmd.ErrOrStderr()
			opt.Progress = func(n int) {
				if time.Since(last) > 5*time.Second || n == opt.Cases {
					last = time.Now()
					el := time.Since(started)
					fmt.Fprintf(out, "%d/%d cases, %.0f/s, %s\n", n, opt.Cases, float64(n)/el.Seconds(), el.Round(time.Second))
				}
			}
			if err := demo.Generate(cmd.Context(), s, loc, opt); err != nil {
				return err
			}
			el := time.Since(started)
			fmt.Fprintf(cmd.OutOrStdout(), "generated %d cases over %d years in %s (%.0f cases/s)\n", opt.Cases, opt.Years, el.Round(time.Millisecond), float64(opt.Cases)/el.Seconds())
			return nil
		},
	}
	config.BindStore(cmd.Flags(), &st)
	cmd.Flags().IntVar(&opt.Cases, "cases", 100000, "how many cases")
	cmd.Flags().IntVar(&opt.Years, "years", 5, "the history spans this many years up to now")
	cmd.Flags().Int64Var(&seed, "seed", 1, "the same seed gives the same history")
	cmd.Flags().IntVar(&opt.Batch, "batch", 4000, "cases per transaction")
	cmd.Flags().IntVar(&opt.IndexDays, "index-days", 31, "days of history indexed for the duplicate check (the index keeps 31; more makes a benchmark's worst case)")
	return cmd
}
