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
		Use:   "migrate",
		Short: "bring the store's schema up to date (--status: only list applied and pending migrations)",
		Args:  cobra.NoArgs,
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
					fmt.Fprintf(out, "created a new store in %s\n", cmp.Or(st.DataDir, "./data"))
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
				fmt.Fprintf(out, "nothing to do: schema version %d is up to date\n", s.Version)
				return nil
			}
			for _, a := range applied {
				fmt.Fprintf(out, "applied %s\n", a.Name)
			}
			fmt.Fprintf(out, "schema version %d, up to date\n", s.Version)
			return nil
		},
	}
	config.BindStore(cmd.Flags(), &st)
	cmd.Flags().BoolVar(&status, "status", false, "only list applied and pending migrations; change nothing")
	return cmd
}

// printMigrationStatus writes a line per migration, then where the schema
// stands.
func printMigrationStatus(w io.Writer, s store.MigrationStatus) {
	for _, m := range s.Steps {
		switch {
		case m.Unknown:
			fmt.Fprintf(w, "unknown  %-28s %s (applied by a newer yizhan)\n", m.Name, m.AppliedAt.Format(time.RFC3339))
		case m.Applied:
			fmt.Fprintf(w, "applied  %-28s %s\n", m.Name, m.AppliedAt.Format(time.RFC3339))
		default:
			fmt.Fprintf(w, "pending  %s\n", m.Name)
		}
	}
	switch pending, unknown := len(s.Pending()), len(s.Unknown()); {
	case unknown > 0:
		fmt.Fprintf(w, "schema version %d is newer than this yizhan's %d\n", s.Version, s.Latest)
	case pending > 0:
		fmt.Fprintf(w, "schema version %d, %d pending (yizhan migrate applies them)\n", s.Version, pending)
	default:
		fmt.Fprintf(w, "schema version %d, up to date\n", s.Version)
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
