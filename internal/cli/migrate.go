package cli

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/yizhan/yizhan/internal/config"
	"github.com/yizhan/yizhan/internal/store"
)

// migrateCommand brings the store's schema up to date (making a new
// embedded store where there is none), or only says where it stands. A server may run on the store meanwhile: each step is one
// transaction, which the server's writes wait for.
func migrateCommand() *cobra.Command {
	var st config.Store
	var status bool
	cmd := &cobra.Command{
		Use: "migrate",
		Short: msg("将数据库结构升级到最新（--status：只列出已执行和待执行的迁移）",
			"bring the store's schema up to date (--status: only list applied and pending migrations)"),
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			out := cmd.OutOrStdout()
			var m *store.Maintenance
			var err error
			if status {
				m, err = openMaintenance(cmd.Context(), st)
			} else {
				var created bool
				m, created, err = store.CreateMaintenance(cmd.Context(), maintenanceOptions(st))
				if created {
					fmt.Fprintf(out, msg("已在 %s 新建数据库\n", "created a new store in %s\n"), cmp.Or(st.DataDir, "./data"))
				}
			}
			if err != nil {
				return err
			}
			defer m.Close()
			if status {
				s, err := m.MigrationStatus(cmd.Context())
				if err != nil {
					return err
				}
				printMigrationStatus(out, s)
				return nil
			}
			applied, s, err := m.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fmt.Fprintf(out, msg("无需迁移：结构版本 %d 已是最新\n", "nothing to do: schema version %d is up to date\n"), s.Version)
				return nil
			}
			for _, a := range applied {
				fmt.Fprintf(out, msg("已执行 %s\n", "applied %s\n"), a.Name)
			}
			fmt.Fprintf(out, msg("结构版本 %d，已是最新\n", "schema version %d, up to date\n"), s.Version)
			return nil
		},
	}
	config.BindStore(cmd.Flags(), &st)
	cmd.Flags().BoolVar(&status, "status", false, msg("只列出已执行和待执行的迁移，不做任何改动", "only list applied and pending migrations; change nothing"))
	return cmd
}

// printMigrationStatus writes a line per migration, then where the schema
// stands.
func printMigrationStatus(w io.Writer, s store.MigrationStatus) {
	for _, m := range s.Steps {
		switch {
		case m.Unknown:
			fmt.Fprintf(w, msg("未知     %-28s %s（由更新版本的 yizhan 执行）\n", "unknown  %-28s %s (applied by a newer yizhan)\n"),
				m.Name, m.AppliedAt.Format(time.RFC3339))
		case m.Applied:
			fmt.Fprintf(w, msg("已执行   %-28s %s\n", "applied  %-28s %s\n"), m.Name, m.AppliedAt.Format(time.RFC3339))
		default:
			fmt.Fprintf(w, msg("待执行   %s\n", "pending  %s\n"), m.Name)
		}
	}
	switch pending, unknown := len(s.Pending()), len(s.Unknown()); {
	case unknown > 0:
		fmt.Fprintf(w, msg("结构版本 %d 比本程序所知的 %d 更新\n", "schema version %d is newer than this yizhan's %d\n"), s.Version, s.Latest)
	case pending > 0:
		fmt.Fprintf(w, msg("结构版本 %d，%d 项待执行（运行 yizhan migrate 执行）\n", "schema version %d, %d pending (yizhan migrate applies them)\n"),
			s.Version, pending)
	default:
		fmt.Fprintf(w, msg("结构版本 %d，已是最新\n", "schema version %d, up to date\n"), s.Version)
	}
}

// openMaintenance opens the store that --data or --db names for an
// operator's command, without migrating it or starting its writer.
func openMaintenance(ctx context.Context, s config.Store) (*store.Maintenance, error) {
	return store.OpenMaintenance(ctx, maintenanceOptions(s))
}

func maintenanceOptions(s config.Store) store.Options {
	return store.Options{DataDir: s.DataDir, URL: s.DBURL, Logger: stderrLogger(), Location: config.ZoneLocation()}
}
