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
		Use: "backup",
		Short: msg("在线备份 SQLite 数据库，得到一致的副本（恢复：将其放为 DIR/yizhan.db）",
			"write a consistent online copy of the SQLite store (restore: place it as DIR/yizhan.db)"),
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return errorf("缺少 --out FILE", "--out FILE is required")
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
			fmt.Fprintf(cmd.OutOrStdout(), msg("备份 %s：%s，工单 %d 件，结构版本 %d，完整性检查通过，用时 %s\n",
				"backup %s: %s, %d cases, schema version %d, integrity ok, in %s\n"),
				res.File, byteSize(res.Bytes), res.Cases, res.SchemaVersion, res.Took.Round(time.Millisecond))
			return nil
		},
	}
	config.BindStore(cmd.Flags(), &st)
	cmd.Flags().StringVar(&out, "out", "", msg("要写入的备份文件（必填）", "the backup file to write (required)"))
	cmd.Flags().BoolVar(&force, "force", false, msg("--out 已存在时覆盖", "replace --out if it exists"))
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
	return fmt.Sprintf(msg("%.1f %ciB（%d 字节）", "%.1f %ciB (%d bytes)"), float64(n)/float64(div), "KMGTPE"[exp], n)
}
