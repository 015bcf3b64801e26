package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"

	"github.com/yizhan/yizhan/internal/api"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/config"
	"github.com/yizhan/yizhan/internal/dedup"
	"github.com/yizhan/yizhan/internal/demo"
	"github.com/yizhan/yizhan/internal/notify"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/sla"
	"github.com/yizhan/yizhan/internal/sla/scheduler"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/triage/learn"
	"github.com/yizhan/yizhan/internal/web"
)

func serveCommand() *cobra.Command {
	var cfg config.Serve
	cmd := &cobra.Command{
		Use:   "serve",
		Short: msg("启动服务：接口、网页端和后台任务", "run the server (API, console, background services)"),
		Args:  noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			loc, err := cfg.Validate()
			if err != nil {
				return err
			}
			return serve(cmd.Context(), cfg, loc, cmd.ErrOrStderr())
		},
	}
	config.BindServe(cmd.Flags(), &cfg)
	return cmd
}

// openStore opens the database a command's --data and --db name.
func openStore(ctx context.Context, s config.Store, log *slog.Logger, loc *time.Location) (*store.Store, error) {
	return store.Open(ctx, store.Options{DataDir: s.DataDir, URL: s.DBURL, Logger: log, Location: loc})
}

// startTriage trains the triage model from the built-in corpus (or the
// rules of a --taxonomy file) and the dispatchers' stored corrections.
func startTriage(ctx context.Context, file string, st *store.Store, log *slog.Logger) (*learn.Learner, error) {
	tax, err := loadTaxonomy(file)
	if err != nil {
		return nil, err
	}
	l := &learn.Learner{Taxonomy: tax, Source: st, Log: log}
	if err := l.Train(ctx); err != nil {
		return nil, errorf("训练研判模型：%w", "train triage: %w", err)
	}
	return l, nil
}

// pruneDuplicateKeys drops, every hour, duplicate-index rows older than
// the longest look-back: the index stays the size of a month of reports.
func pruneDuplicateKeys(ctx context.Context, st *store.Store, horizon time.Duration, log *slog.Logger) {
	for {
		n, err := st.PruneDuplicateKeys(ctx, time.Now().Add(-horizon-24*time.Hour))
		if err != nil && ctx.Err() == nil {
			log.Warn("prune duplicate index", "err", err)
		} else if n > 0 {
			log.Info("pruned duplicate index", "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Hour):
		}
	}
}

// loadClocks reads the SLA policy file, or takes the built-in policies.
// A file that cannot be read or parsed stops the start, naming the line.
func loadClocks(file string) (*casework.Clocks, error) {
	policies := sla.DefaultPolicies()
	if file != "" {
		raw, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--sla: %w", err)
		}
		if policies, err = sla.ParsePolicies(raw); err != nil {
			return nil, fmt.Errorf("--sla %s: %w", file, err)
		}
	}
	return &casework.Clocks{Policies: policies, Calendar: sla.DefaultCalendar()}, nil
}

// serve wires everything, serves until SIGTERM or SIGINT, then stops
// accepting, lets in-flight requests finish, flushes the store and returns.
// loc is the zone's time zone, as cfg.Validate loaded it.
func serve(parent context.Context, cfg config.Serve, loc *time.Location, logOut interface{ Write([]byte) (int, error) }) (err error) {
	log := newLogger(logOut, cfg.LogFormat, cfg.LogLevel)
	slog.SetDefault(log)
	if _, err := config.ApplyMemoryLimit(cfg.MemoryLimit); err != nil {
		return err
	}
	proxies, err := config.ParsePrefixes(cfg.TrustedProxies)
	if err != nil {
		return err
	}
	origins, err := config.ParseOrigins(cfg.CORSOrigins)
	if err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(parent, syscall.SIGTERM, os.Interrupt)
	defer stop()
	// A signal while starting stops the start where it is (each step
	// closes what it opened) and exits 0, as a signal once serving does.
	starting := true
	defer func() {
		if starting && err != nil && ctx.Err() != nil && parent.Err() == nil {
			log.Info("stopped while starting", "step", err)
			err = nil
		}
	}()

	started := time.Now()
	clocks, err := loadClocks(cfg.SLAFile)
	if err != nil {
		return err
	}
	// What can be checked without the store is checked before it is
	// opened (or made): a missing rules file or a taken port must not
	// leave a new store behind, nor print an administrator's one-time
	// password that the next start will not print again.
	var rulesFile []byte
	if cfg.RoutingFile != "" {
		if rulesFile, err = os.ReadFile(cfg.RoutingFile); err == nil {
			_, err = routing.ParseRules(rulesFile)
		}
		if err != nil {
			return errorf("流转规则 %s：%w", "routing rules %s: %w", cfg.RoutingFile, err)
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return errorf("无法监听 %s：%w", "listen on %s: %w", cfg.Addr, err)
	}
	defer func() {
		if starting {
			ln.Close()
		}
	}()
	if cfg.DBURL == "" {
		unlock, err := lockDataDir(cfg.DataDir)
		if err != nil {
			return err
		}
		defer unlock()
	}
	st, err := store.Open(ctx, store.Options{DataDir: cfg.DataDir, URL: cfg.DBURL, Logger: log, Location: loc, Clocks: clocks})
	if err != nil {
		return err
	}
	closeStore := func() {
		if err := st.Close(); err != nil {
			log.Error("close store", "err", err)
		}
	}
	if err := ensureAdmin(ctx, st, cfg.AdminToken, log, time.Now()); err != nil {
		closeStore()
		return errorf("创建管理员：%w", "bootstrap admin: %w", err)
	}
	learner, err := startTriage(ctx, cfg.TaxonomyFile, st, log)
	if err != nil {
		closeStore()
		return err
	}
	if cfg.Demo {
		// The demo loads whole or not at all as far as a signal goes: a
		// start stopped halfway would leave a store that is no longer
		// empty, which the next start would not fill. It takes about a
		// second and a half; the signal is acted on after it.
		loaded, err := demo.LoadIfEmpty(context.WithoutCancel(ctx), st, loc, time.Now(), learner)
		if err != nil {
			closeStore()
			return errorf("载入演示数据：%w", "load demo: %w", err)
		}
		if loaded {
			log.Info("已载入演示数据（演示账号密码见 README）")
		}
		if ctx.Err() != nil {
			closeStore()
			return ctx.Err()
		}
	}

	reg := prometheus.NewRegistry()
	hooks := &notify.Webhooks{Outbox: st, Log: log}
	srv, err := api.New(ctx, api.Deps{
		Store:       st,
		Logger:      log,
		Registry:    reg,
		Location:    loc,
		ReturnLimit: cfg.ReturnLimit,
		Hub:         notify.NewHub(),
		Webhooks:    hooks,
		Triage:      learner,
		Dedup: dedup.Config{Window: cfg.Dedup.Window, Radius: cfg.Dedup.Radius, RepeatHorizon: cfg.Dedup.Horizon,
			MergeThreshold: cfg.Dedup.Merge, CandidateThreshold: cfg.Dedup.Candidate},
		NoAutoMerge:    cfg.Dedup.NoAutoMerge,
		Login:          api.LoginLimits{PerUser: cfg.Login.PerUser, PerIP: cfg.Login.PerIP, Window: cfg.Login.Window},
		RateLimit:      cfg.RateLimit,
		TrustedProxies: proxies,
		CORSOrigins:    origins,
		Console:        web.Handler(),
		Version:        version(),
	})
	if err != nil {
		closeStore()
		return err
	}
	if cfg.RoutingFile != "" {
		if _, err := srv.SaveRules(ctx, rulesFile); err != nil {
			closeStore()
			return errorf("流转规则 %s：%w", "routing rules %s: %w", cfg.RoutingFile, err)
		}
		log.Info("routing rules installed", "file", cfg.RoutingFile)
	}
	bg, stopBG := context.WithCancel(context.Background())
	go srv.RefreshDirectory(bg, 30*time.Second)
	go srv.WatchRoster(bg, 6*time.Hour)
	go srv.RelayEvents(bg) // the other nodes' events, on PostgreSQL
	sched := &scheduler.Scheduler{Store: st, Publish: srv, SMS: notify.LogSMS{Log: log}, Log: log,
		Now: func() time.Time { return time.Now().In(loc) }}
	reg.MustRegister(sched.Collectors()...)
	sched.Start(bg)
	hooks.Start(bg)
	learner.Start(bg)
	go pruneDuplicateKeys(bg, st, cfg.Dedup.Horizon, log)

	httpSrv := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		IdleTimeout:       120 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	httpSrv.RegisterOnShutdown(srv.CloseStreams)
	starting = false
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	if cfg.DebugAddr != "" {
		go servePprof(cfg.DebugAddr, log)
	}
	log.Info("yizhan serving", "addr", ln.Addr().String(), "store", st.Dialect(), "version", version(),
		"startup", time.Since(started).Round(time.Millisecond))

	select {
	case err = <-errc:
		log.Error("server stopped", "err", err)
	case <-ctx.Done():
		log.Info("shutting down: no new requests, finishing those in flight")
	}
	srv.SetReady(false)
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if serr := httpSrv.Shutdown(shutdownCtx); serr != nil {
		log.Warn("shutdown", "err", serr)
	}
	sched.Stop()
	hooks.Stop()
	learner.Stop()
	stopBG()
	closeStore()
	log.Info("stopped")
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// servePprof serves Go's profiles on a separate, local address, for
// finding what a slow server spends its time on.
func servePprof(addr string, log *slog.Logger) {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	log.Info("pprof listening", "addr", addr)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		log.Warn("pprof", "err", err)
	}
}
