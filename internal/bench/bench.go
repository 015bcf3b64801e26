// Package bench measures Yizhan the same way every time and reports JSON:
// each figure beside a baseline measured in the same run on the same
// machine, so that their ratio holds even when the machine is noisy.
package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/yizhan/yizhan/internal/api"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/demo"
	"github.com/yizhan/yizhan/internal/notify"
	"github.com/yizhan/yizhan/internal/stats"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/triage/learn"
)

// Options say what to measure.
type Options struct {
	DataDir    string // the store to measure (a generated history); empty: a fresh one
	DBURL      string
	Clients    int           // concurrent HTTP clients for intake and actions
	Duration   time.Duration // how long each load runs
	Only       map[string]bool
	SSEClients int
	SLAClocks  int
	SLAWindow  time.Duration // how long the SLA benchmark watches firings
	Binary     string        // the yizhan executable, for the start-up benchmark
	Location   *time.Location
	Log        *slog.Logger
	// MemoryLimit is the Go runtime's soft memory limit in force (bytes;
	// math.MaxInt64 for none), reported with the machine.
	MemoryLimit int64
}

// Result is the report, one section per benchmark.
type Result struct {
	Machine map[string]any `json:"machine"`
	Store   map[string]any `json:"store"`
	Intake  map[string]any `json:"intake,omitempty"`
	Actions map[string]any `json:"actions,omitempty"`
	Read    map[string]any `json:"read,omitempty"`
	Summary map[string]any `json:"summary,omitempty"`
	Dedup   map[string]any `json:"dedup,omitempty"`
	SLA     map[string]any `json:"sla,omitempty"`
	SSE     map[string]any `json:"sse,omitempty"`
	Memory  map[string]any `json:"memory,omitempty"`
	Startup map[string]any `json:"startup,omitempty"`
	// Failed holds, by benchmark, why one could not be measured; the
	// others still run and are reported.
	Failed map[string]string `json:"failed,omitempty"`
}

// fail records a benchmark that could not be measured.
func (r *Result) fail(name string, err error) {
	if r.Failed == nil {
		r.Failed = map[string]string{}
	}
	r.Failed[name] = err.Error()
}

func (o Options) want(name string) bool { return len(o.Only) == 0 || o.Only[name] }

// rig is a server under measurement, in this process, over real TCP.
type rig struct {
	st     *store.Store
	srv    *api.Server
	url    string
	token  string
	admin  casework.Actor
	client *http.Client
	close  func()
}

const benchToken = "bench-token-0123456789abcdef"

func openRig(ctx context.Context, o Options, storeOpt store.Options) (*rig, error) {
	st, err := store.Open(ctx, storeOpt)
	if err != nil {
		return nil, err
	}
	if _, err := demo.LoadDirectory(ctx, st, o.Location, time.Now()); err != nil {
		st.Close()
		return nil, err
	}
	r := &rig{st: st}
	admin, err := st.EnsureAdminToken(ctx, benchToken, "bench", time.Now())
	if err != nil {
		st.Close()
		return nil, err
	}
	r.admin, r.token = admin.Actor(), benchToken
	learner := &learn.Learner{Log: o.Log}
	if err := learner.Train(ctx); err != nil {
		st.Close()
		return nil, err
	}
	r.srv, err = api.New(ctx, api.Deps{Store: st, Triage: learner, Logger: o.Log, Registry: prometheus.NewRegistry(),
		Location: o.Location, Hub: notify.NewHub()})
	if err != nil {
		st.Close()
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		st.Close()
		return nil, err
	}
	hs := &http.Server{Handler: r.srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	go hs.Serve(ln) //nolint:errcheck // closed below
	r.url = "http://" + ln.Addr().String()
	r.client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 2048, MaxIdleConns: 4096}, Timeout: 60 * time.Second}
	r.close = func() {
		hs.Close()
		st.Close()
	}
	return r, nil
}

// call sends one request and answers its status and body.
func (r *rig) call(ctx context.Context, method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, r.url+path, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+r.token)
	resp, err := r.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	return resp.StatusCode, out, err
}

// latencies collects durations and answers their quantiles.
type latencies struct {
	mu     sync.Mutex
	ds     []time.Duration
	sorted bool // ds is in order: no add since the last sort
}

func (l *latencies) add(d time.Duration) {
	l.mu.Lock()
	l.ds = append(l.ds, d)
	l.sorted = false
	l.mu.Unlock()
}

func (l *latencies) q(p float64) float64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.ds) == 0 {
		return 0
	}
	if !l.sorted {
		sort.Slice(l.ds, func(i, j int) bool { return l.ds[i] < l.ds[j] })
		l.sorted = true
	}
	i := int(p*float64(len(l.ds))+0.999999) - 1
	return ms(l.ds[min(max(i, 0), len(l.ds)-1)])
}

func (l *latencies) n() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.ds)
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func round(f float64) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'f', 2, 64), 64)
	return v
}

// rssMB answers the process's resident memory.
func rssMB() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 64)
			return round(kb / 1024)
		}
	}
	return 0
}

// Run runs the benchmarks the options select.
func Run(ctx context.Context, o Options) (*Result, error) {
	res := &Result{Machine: map[string]any{"cpus": runtime.NumCPU(), "gomaxprocs": runtime.GOMAXPROCS(0), "go": runtime.Version(),
		"os": runtime.GOOS + "/" + runtime.GOARCH, "started": time.Now().In(o.Location).Format(time.RFC3339)}}
	if o.MemoryLimit > 0 && o.MemoryLimit < math.MaxInt64 {
		res.Machine["memory_limit_mb"] = float64(o.MemoryLimit) / (1 << 20)
	}
	baseRSS := rssMB()
	storeOpt := store.Options{DataDir: o.DataDir, URL: o.DBURL, Location: o.Location, Logger: o.Log}
	if o.DataDir == "" && o.DBURL == "" {
		dir, err := os.MkdirTemp("", "yizhan-bench-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(dir)
		storeOpt.DataDir = dir
	}
	if o.want("startup") && o.Binary != "" && o.DBURL == "" {
		if s, err := startup(ctx, o, storeOpt.DataDir); err != nil {
			res.fail("startup", err)
		} else {
			res.Startup = s
		}
	}
	opened := time.Now()
	r, err := openRig(ctx, o, storeOpt)
	if err != nil {
		return nil, err
	}
	defer r.close()
	counts, _ := r.st.StatusCounts(ctx)
	var history int64
	for _, c := range counts {
		history += c.N
	}
	idx, _ := r.st.DuplicateIndexRows(ctx)
	res.Store = map[string]any{"dialect": r.st.Dialect(), "history_cases": history, "duplicate_index_rows": idx,
		"open_ms": ms(time.Since(opened))}

	steps := []struct {
		name string
		run  func(context.Context, Options, *rig) (map[string]any, error)
		dst  *map[string]any
	}{
		{"intake", intake, &res.Intake},
		{"actions", actions, &res.Actions},
		{"read", read, &res.Read},
		{"summary", summary, &res.Summary},
		{"dedup", dedupCheck, &res.Dedup},
		{"sse", sse, &res.SSE},
	}
	for _, s := range steps {
		if !o.want(s.name) {
			continue
		}
		o.Log.Info("benchmark", "running", s.name)
		out, err := s.run(ctx, o, r)
		if err != nil {
			res.fail(s.name, err)
			continue
		}
		*s.dst = out
	}
	if o.want("memory") {
		// Right after the loads the process still holds memory the
		// garbage collector has freed but not yet given back (Go returns
		// it gradually); both figures are reported.
		runtime.GC()
		held := rssMB()
		debug.FreeOSMemory()
		res.Memory = map[string]any{"rss_mb": rssMB(), "rss_mb_before_release": held, "baseline_rss_mb_before_open": baseRSS,
			"history_cases": history, "note": "resident memory of the whole process after the benchmarks, serving the store, once freed memory was returned to the system (rss_mb_before_release: before)"}
	}
	if o.want("sla") {
		o.Log.Info("benchmark", "running", "sla")
		if out, err := slaFiring(ctx, o); err != nil {
			res.fail("sla", err)
		} else {
			res.SLA = out
		}
	}
	return res, nil
}

// outcome is what one call of a load's work did.
type outcome int

const (
	counted outcome = iota // a measured request that succeeded
	failed                 // a measured request that failed
	setup                  // preparation, not measured
)

// loadRuns numbers the loads of a process.
var loadRuns atomic.Uint64

// load runs clients for the duration, each calling work in a loop, and
// answers the rate and latencies of the calls that succeeded.
func load(ctx context.Context, clients int, d time.Duration, work func(ctx context.Context, client int, rnd *rand.Rand) (outcome, error)) (map[string]any, error) {
	var lat latencies
	var failedN atomic.Int64
	var firstErr atomic.Value
	run := loadRuns.Add(1)
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each run draws its own reports: a run repeating the one
			// before it would only find duplicates.
			rnd := rand.New(rand.NewPCG(uint64(c), run))
			for ctx.Err() == nil {
				t := time.Now()
				res, err := work(ctx, c, rnd)
				if ctx.Err() != nil {
					return
				}
				if res == setup && err == nil {
					continue
				}
				if err != nil || res == failed {
					failedN.Add(1)
					if err != nil {
						firstErr.CompareAndSwap(nil, err.Error())
					}
					continue
				}
				lat.add(time.Since(t))
			}
		}()
	}
	wg.Wait()
	el := time.Since(start)
	out := map[string]any{"clients": clients, "seconds": round(el.Seconds()), "requests": lat.n(), "failed": failedN.Load(),
		"rate_per_s": round(float64(lat.n()) / el.Seconds()), "p50_ms": lat.q(0.5), "p99_ms": lat.q(0.99), "max_ms": lat.q(1)}
	if e := firstErr.Load(); e != nil {
		out["first_error"] = e
	}
	return out, nil
}

// intake measures durable case creation over HTTP, and its baselines:
// the same rows inserted raw, one per transaction and 64 per transaction.
func intake(ctx context.Context, o Options, r *rig) (map[string]any, error) {
	codes := map[int]int{}
	var mu sync.Mutex
	out, err := load(ctx, o.Clients, o.Duration, func(ctx context.Context, _ int, rnd *rand.Rand) (outcome, error) {
		code, _, err := r.call(ctx, "POST", "/api/v1/cases", demo.SampleReport(rnd))
		if ctx.Err() == nil { // a call cut off by the end of the run has no status
			mu.Lock()
			codes[code]++
			mu.Unlock()
		}
		return ok(code == http.StatusCreated), err
	})
	if err != nil {
		return nil, err
	}
	rnd := rand.New(rand.NewPCG(1, 2))
	body := demo.SampleReport(rnd)
	sample := casework.Case{Line: casework.LineIncident, Channel: "110", Status: casework.StatusReceived, Category: "labor",
		Type: "wage_arrears", Risk: "low", Priority: "normal", Text: body["text"].(string), CreatedBy: r.admin.UserID, CreatedAt: time.Now()}
	single, err := r.st.RawInsertRate(ctx, sample, 1000, 1)
	if err != nil {
		return nil, err
	}
	batched, err := r.st.RawInsertRate(ctx, sample, 20000, 64)
	if err != nil {
		return nil, err
	}
	out["baseline_single_row_tx_per_s"] = round(single)
	out["baseline_batched_64_per_s"] = round(batched)
	out["ratio_to_single_row_tx"] = round(out["rate_per_s"].(float64) / single)
	out["status_codes"] = codes
	out["what"] = "POST /api/v1/cases with realistic varied reports: triage, routing, duplicate check, SLA clocks, rollups, synced to disk before the 201"
	return out, nil
}

// actions measures case actions over HTTP: each client takes its own
// cases through dispatch, accept, arrive, resolve and close.
func actions(ctx context.Context, o Options, r *rig) (map[string]any, error) {
	units, err := r.st.Units(ctx)
	if err != nil || len(units) < 2 {
		return nil, fmt.Errorf("no units: %v", err)
	}
	team := units[1].ID
	type state struct {
		id   int64
		step int
	}
	cur := make([]state, o.Clients)
	steps := []map[string]any{
		{"action": "dispatch", "unit_id": team}, {"action": "accept"}, {"action": "arrive"},
		{"action": "resolve", "outcome": "onsite_resolved", "note": "现场调解"}, {"action": "close", "satisfaction": 5},
	}
	out, err := load(ctx, o.Clients, o.Duration, func(ctx context.Context, c int, rnd *rand.Rand) (outcome, error) {
		st := &cur[c]
		if st.id == 0 || st.step == len(steps) {
			_, b, err := r.call(ctx, "POST", "/api/v1/cases", demo.SampleReport(rnd))
			if err != nil {
				return failed, err
			}
			var created struct {
				ID     int64  `json:"id"`
				Status string `json:"status"`
			}
			_ = json.Unmarshal(b, &created)
			st.id, st.step = created.ID, 0
			if created.Status != "received" {
				st.step = len(steps) // merged as a duplicate: take another
			}
			return setup, nil
		}
		code, _, err := r.call(ctx, "POST", fmt.Sprintf("/api/v1/cases/%d/actions", st.id), steps[st.step])
		st.step++
		return ok(code == http.StatusOK), err
	})
	if err != nil {
		return nil, err
	}
	out["what"] = "POST /api/v1/cases/{id}/actions: dispatch, accept, arrive, resolve, close (creations in between are not counted)"
	return out, nil
}

// read measures the list page and the case page, on the whole history.
func read(ctx context.Context, o Options, r *rig) (map[string]any, error) {
	var maxID int64
	page, err := r.st.ListCases(ctx, store.CaseFilter{Scope: casework.Scope{All: true}, Limit: 1})
	if err != nil || len(page.Items) == 0 {
		return nil, fmt.Errorf("no cases to read: %v", err)
	}
	maxID = page.Items[0].ID
	clients := min(o.Clients, 8)
	list, err := load(ctx, clients, o.Duration/2, func(ctx context.Context, _ int, rnd *rand.Rand) (outcome, error) {
		code, _, err := r.call(ctx, "GET", "/api/v1/cases?limit=50", nil)
		return ok(code == http.StatusOK), err
	})
	if err != nil {
		return nil, err
	}
	get, err := load(ctx, clients, o.Duration/2, func(ctx context.Context, _ int, rnd *rand.Rand) (outcome, error) {
		code, _, err := r.call(ctx, "GET", fmt.Sprintf("/api/v1/cases/%d", 1+rnd.Int64N(maxID)), nil)
		return ok(code == http.StatusOK || code == http.StatusNotFound), err
	})
	if err != nil {
		return nil, err
	}
	return map[string]any{"list_newest_50": list, "case_page": get,
		"what": "GET /api/v1/cases?limit=50 (newest first, with deadlines) and GET /api/v1/cases/{id} (the case page: case, timeline, deadlines) for random cases of the whole history"}, nil
}

// summary measures the contract's summary over the whole history, and the
// same figures recounted from the cases as the baseline.
func summary(ctx context.Context, o Options, r *rig) (map[string]any, error) {
	var lat latencies
	for range 30 {
		t := time.Now()
		code, _, err := r.call(ctx, "GET", "/api/v1/stats/summary?line=incident&from=2000-01-01", nil)
		if err != nil || code != http.StatusOK {
			return nil, fmt.Errorf("summary: %d %v", code, err)
		}
		lat.add(time.Since(t))
	}
	from := time.Date(2000, 1, 1, 0, 0, 0, 0, o.Location)
	t := time.Now()
	cells, err := r.st.RecountCells(ctx, "incident", nil, from, time.Now())
	if err != nil {
		return nil, err
	}
	recount := time.Since(t)
	s := stats.Summarize(cells, "incident", from, time.Now())
	return map[string]any{"requests": lat.n(), "p50_ms": lat.q(0.5), "p99_ms": lat.q(0.99), "total": s.Total,
		"baseline_recount_ms": ms(recount),
		"what":                "GET /api/v1/stats/summary over the whole history (rollups), against recounting the cases table"}, nil
}

// dedupCheck measures the duplicate check of new reports on one
// goroutine, and as baseline the naive check: every case of the last two
// hours compared.
func dedupCheck(ctx context.Context, o Options, r *rig) (map[string]any, error) {
	rnd := rand.New(rand.NewPCG(5, 5))
	var lat latencies
	var merges, cands int
	for range 2000 {
		body := demo.SampleReport(rnd)
		in := casework.Intake{Channel: body["channel"].(string), Text: body["text"].(string)}
		if loc, ok := body["location"].(map[string]any); ok {
			in.Location = &casework.Location{Lat: loc["lat"].(float64), Lon: loc["lon"].(float64)}
		}
		rep := body["reporter"].(map[string]any)
		in.Reporter = casework.Reporter{Name: rep["name"].(string), Phone: rep["phone"].(string)}
		t := time.Now()
		out, err := r.srv.CheckDuplicates(ctx, in, r.admin)
		if err != nil {
			return nil, err
		}
		lat.add(time.Since(t))
		if out.Master != nil {
			merges++
		}
		cands += len(out.Case.DuplicateCandidates)
	}
	page, err := r.st.ListCases(ctx, store.CaseFilter{Scope: casework.Scope{All: true}, Limit: 500,
		From: ptr(time.Now().Add(-2 * time.Hour))})
	if err != nil {
		return nil, err
	}
	t := time.Now()
	for range 20 {
		_, _ = r.st.ListCases(ctx, store.CaseFilter{Scope: casework.Scope{All: true}, Limit: 500, From: ptr(time.Now().Add(-2 * time.Hour))})
	}
	naive := time.Since(t) / 20
	idx, _ := r.st.DuplicateIndexRows(ctx)
	return map[string]any{"checks": lat.n(), "p50_ms": lat.q(0.5), "p99_ms": lat.q(0.99), "max_ms": lat.q(1),
		"merges_found": merges, "candidates_found": cands, "duplicate_index_rows": idx,
		"baseline_naive_window_read_ms": ms(naive), "window_cases": len(page.Items),
		"what": "the whole duplicate check of a new report (triage, keys, index lookups, candidate loading, comparison) on one goroutine; baseline: only reading the last two hours' cases (up to 500), which a check without the index would then have to compare one by one"}, nil
}

func ptr[T any](v T) *T { return &v }

func ok(b bool) outcome {
	if b {
		return counted
	}
	return failed
}
