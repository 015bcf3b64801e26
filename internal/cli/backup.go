package cli

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/yizhan/yizhan/internal/config"
	"github.com/yizhan/yizhan/internal/store"
)

// backupCommand writes a consistent copy of the embedded store while a
// server keeps writing to it.
func backupCommand() *cobra.Command {
	var st config.Store
	var out string
	var force bool
	cmd := &cobra.Command{
		Use:   "backup",
		Short: "write a consistent online copy of the SQLite store (restore: place it as DIR/yizhan.db)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return fmt.Errorf("--out FILE is required")
			}
			if store.IsPostgresURL(st.DBURL) {
				return store.ErrBackupPostgres
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			m, err := openMaintenance(ctx, st)
			if err != nil {
				return err
			}
			defer m.Close()
			res, err := m.Backup(ctx, out, force)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "backup %s: %s, %d cases, schema version %d, integrity ok, in %s\n",
				res.File, byteSize(res.Bytes), res.Cases, res.SchemaVersion, res.Took.Round(time.Millisecond))
			return nil
		},
	}
	config.BindStore(cmd.Flags(), &st)
	cmd.Flags().StringVar(&out, "out", "", "the backup file to write (required)")
	cmd.Flags().BoolVar(&force, "force", false, "replace --out if it exists")
	return cmd
}

// byteSize writes a size the way people read it: 1.5 GiB, 320.0 MiB.
func byteSize(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB (%d bytes)", float64(n)/float64(div), "KMGTPE"[exp], n)
}
