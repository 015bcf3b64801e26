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
		Use: "gen",
		Short: msg("生成逼真的历史工单（用于大数据量试用和基准测试）",
			"generate a realistic history of cases (for trying Yizhan at scale and for benchmarks)"),
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opt.Cases <= 0 || opt.Cases > 100_000_000 {
				return errorf("--cases 须在 1 到 100000000 之间", "--cases must be between 1 and 100000000")
			}
			if opt.Years < 1 || opt.Years > 20 {
				return errorf("--years 须在 1 到 20 之间", "--years must be between 1 and 20")
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
					fmt.Fprintf(out, msg("%d/%d 件，每秒 %.0f 件，已用 %s\n", "%d/%d cases, %.0f/s, %s\n"),
						n, opt.Cases, float64(n)/el.Seconds(), el.Round(time.Second))
				}
			}
			if err := demo.Generate(cmd.Context(), s, loc, opt); err != nil {
				return err
			}
			el := time.Since(started)
			fmt.Fprintf(cmd.OutOrStdout(), msg("已生成 %d 件工单，跨 %d 年，用时 %s（每秒 %.0f 件）\n", "generated %d cases over %d years in %s (%.0f cases/s)\n"),
				opt.Cases, opt.Years, el.Round(time.Millisecond), float64(opt.Cases)/el.Seconds())
			return nil
		},
	}
	config.BindStore(cmd.Flags(), &st)
	cmd.Flags().IntVar(&opt.Cases, "cases", 100000, msg("生成多少件工单", "how many cases"))
	cmd.Flags().IntVar(&opt.Years, "years", 5, msg("历史跨越截至现在的多少年", "the history spans this many years up to now"))
	cmd.Flags().Int64Var(&seed, "seed", 1, msg("种子相同，生成的历史也相同", "the same seed gives the same history"))
	cmd.Flags().IntVar(&opt.Batch, "batch", 4000, msg("每个事务写入的工单数", "cases per transaction"))
	cmd.Flags().IntVar(&opt.IndexDays, "index-days", 31, msg(
		"纳入查重索引的历史天数（索引平时保留 31 天；更多则构成基准测试的最坏情况）",
		"days of history indexed for the duplicate check (the index keeps 31; more makes a benchmark's worst case)"))
	return cmd
}
