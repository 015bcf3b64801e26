package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/dedup"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/triage"
)

// GenOptions say what history to generate.
type GenOptions struct {
	Cases int
	Years int       // the history spans this many years up to Now (default 5)
	Seed  uint64    // the same seed gives the same history
	Now   time.Time // the end of the history
	// Batch is how many cases one transaction writes (default 4000).
	Batch int
	// IndexDays is how far back cases go into the duplicate index (default
	// 31, what the index keeps); more makes a worst case for benchmarks.
	IndexDays int
	// Progress is told the number of cases written so far.
	Progress func(written int)
}

// Generate writes a realistic history: Years of cases over the three lines,
// with the zone's mix of channels and dispute types, wage disputes rising
// before Spring Festival, calls by time of day, places inside the demo
// grids, callers who ring again, and each case's timeline made by the
// engine itself, from receipt to closure (or, for the last days, to where
// it stands now). Workers build batches in parallel; one writer loads them
// in time order, so that case numbers follow time.
func Generate(ctx context.Context, st *store.Store, loc *time.Location, opt GenOptions) error {
	if opt.Cases <= 0 {
		return fmt.Errorf("demo: --cases must be positive")
	}
	if opt.Years <= 0 {
		opt.Years = 5
	}
	if opt.Batch <= 0 {
		opt.Batch = 4000
	}
	if opt.IndexDays <= 0 {
		opt.IndexDays = 31
	}
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if _, err := LoadDirectory(ctx, st, loc, opt.Now); err != nil {
		return err
	}
	g, err := newGenerator(ctx, st, loc, opt)
	if err != nil {
		return err
	}
	batches := (opt.Cases + opt.Batch - 1) / opt.Batch
	results := make([]chan []store.BulkCase, batches)
	for i := range results {
		results[i] = make(chan []store.BulkCase, 1)
	}
	work := make(chan int)
	var wg sync.WaitGroup
	workers := max(1, runtime.GOMAXPROCS(0)-1)
	// Workers run at most a few batches ahead of the writer: a history of
	// ten million cases must not sit in memory waiting to be written.
	ahead := make(chan struct{}, 2*workers+1)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				select {
				case results[b] <- g.batch(b, batches):
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(work)
		for b := range batches {
			select {
			case ahead <- struct{}{}:
			case <-ctx.Done():
				return
			}
			select {
			case work <- b:
			case <-ctx.Done():
				return
			}
		}
	}()
	written := 0
	for b := range batches {
		var batch []store.BulkCase
		select {
		case batch = <-results[b]:
			<-ahead
		case <-ctx.Done():
			return ctx.Err()
		}
		if err := st.LoadHistory(ctx, batch, opt.Now); err != nil {
			cancel()
			wg.Wait()
			return err
		}
		written += len(batch)
		if opt.Progress != nil {
			opt.Progress(written)
		}
	}
	cancel()
	wg.Wait()
	return nil
}

type generator struct {
	st     *store.Store
	loc    *time.Location
	opt    GenOptions
	start  time.Time
	span   time.Duration
	dir    *routing.Directory
	rules  routing.RuleSet
	ents   *routing.EnterpriseIndex
	actors map[string]casework.Actor
	units  map[string]int64
	dcfg   dedup.Config
}

func newGenerator(ctx context.Context, st *store.Store, loc *time.Location, opt GenOptions) (*generator, error) {
	g := &generator{st: st, loc: loc, opt: opt, actors: map[string]casework.Actor{}, units: map[string]int64{}, dcfg: dedup.DefaultConfig()}
	g.start = opt.Now.AddDate(-opt.Years, 0, 0)
	g.span = opt.Now.Sub(g.start)
	us, err := st.Units(ctx)
	if err != nil {
		return nil, err
	}
	g.dir = routing.NewDirectory(us)
	for _, spec := range units {
		if u, ok := g.dir.UnitByName(spec.name); ok {
			g.units[spec.key] = u.ID
		}
	}
	for _, spec := range users {
		u, err := st.UserByUsername(ctx, spec.username)
		if err != nil {
			return nil, fmt.Errorf("demo: the demo accounts are needed to generate a history: %w", err)
		}
		g.actors[spec.username] = u.Actor()
	}
	es, err := st.Enterprises(ctx)
	if err != nil {
		return nil, err
	}
	g.ents = routing.NewEnterpriseIndex(es)
	g.rules = routing.DefaultRules()
	if rs, err := st.RoutingRules(ctx); err == nil {
		g.rules = rs
	}
	return g, nil
}

// hourWeights is how calls spread over the day: mornings and evenings busy,
// nights quiet.
var hourWeights = []float64{1, 0.6, 0.4, 0.3, 0.3, 0.5, 1.2, 2.5, 4, 5, 5.5, 5, 3.5, 3.5, 4.5, 5, 5, 4.5, 4, 4.5, 4.5, 4, 3, 1.8}

// lineTypes is each line's mix of dispute types.
var lineTypes = map[casework.Line][]struct {
	typ string
	w   float64
}{
	casework.LineIncident: {
		{"neighbor", 14}, {"marriage_family", 9}, {"traffic", 8}, {"injury", 5}, {"property_mgmt", 4.5}, {"housing_land", 2.5},
		{"medical", 1.2}, {"inheritance", 0.8}, {"wage_arrears", 30}, {"work_injury", 5}, {"labor_contract", 5},
		{"sales_payment", 1.5}, {"loan_debt", 1.5}, {"consumer", 1.2}, {"lease", 0.8}, {"construction", 0.6}, {"business", 0.4},
		{"environment", 3.5}, {"school", 1.5}, {"land_requisition", 1}, {"other", 2},
	},
	casework.LineEnterprise: {{"other", 40}, {"environment", 15}, {"sales_payment", 15}, {"labor_contract", 10}, {"construction", 8}, {"land_requisition", 7}, {"business", 5}},
	casework.LineWorker:     {{"wage_arrears", 40}, {"labor_contract", 30}, {"work_injury", 20}, {"other", 10}},
}

var lineChannels = map[casework.Line][]struct {
	ch string
	w  float64
}{
	casework.LineIncident:   {{"110", 55}, {"12345", 25}, {"phone", 10}, {"grid", 6}, {"walk_in", 4}},
	casework.LineEnterprise: {{"enterprise", 70}, {"12345", 20}, {"grid", 10}},
	casework.LineWorker:     {{"station", 80}, {"12345", 20}},
}

var places = []string{"五金城A区", "五金城B区", "科技路%d号", "五金大道%d号", "工业园区经%d路", "东城小区%d幢", "城中村新屋里%d号", "开发区物流园", "纬三路口", "城西新村%d号", "某安置房工地", "开发区某小学附近"}

var genTexts = map[string][]string{
	"business": {"%s与合伙人%s因分红问题闹翻，要求退伙并返还投资款", "%s和%s合开的五金加工店亏损，为债务分担争执"},
}

func pick[T any](rnd *rand.Rand, items []T, weight func(T) float64) T {
	total := 0.0
	for _, it := range items {
		total += weight(it)
	}
	x := rnd.Float64() * total
	for _, it := range items {
		if x -= weight(it); x < 0 {
			return it
		}
	}
	return items[len(items)-1]
}

// SampleReport is a realistic report as a client sends it to POST
// /api/v1/cases: a dispute of the zone's mix told in the callers' words,
// a fake phone (1380 and seven digits), usually a place in a city-sized
// area around the zone. Benchmarks use it: at thousands of reports a
// second, a zone-sized area would make most of them duplicates.
func SampleReport(rnd *rand.Rand) map[string]any {
	typ := pick(rnd, lineTypes[casework.LineIncident], func(t struct {
		typ string
		w   float64
	}) float64 {
		return t.w
	}).typ
	body := map[string]any{
		"channel": pick(rnd, lineChannels[casework.LineIncident], func(c struct {
			ch string
			w  float64
		}) float64 {
			return c.w
		}).ch,
		"text":     textFor(rnd, typ),
		"reporter": map[string]any{"name": fakeName(rnd), "phone": fmt.Sprintf("1380%07d", 1+rnd.IntN(9999999))},
	}
	if rnd.IntN(100) < 85 {
		body["location"] = map[string]any{"lat": 28.6 + rnd.Float64()*0.6, "lon": 119.8 + rnd.Float64()*0.6}
	}
	return body
}

// textFor tells a dispute of a type in a caller's words, at a place.
func textFor(rnd *rand.Rand, typ string) string {
	texts := genTexts[typ]
	for _, h := range history {
		if h.typ == typ {
			texts = h.texts
		}
	}
	a := fakeName(rnd)
	b := fakeName(rnd)
	place := places[rnd.IntN(len(places))]
	if strings.Contains(place, "%d") {
		n := 1 + rnd.IntN(30)
		if rnd.IntN(2) == 0 {
			n = 1 + rnd.IntN(200)
		}
		place = fmt.Sprintf(place, n)
	}
	return place + "，" + fmt.Sprintf(texts[rnd.IntN(len(texts))], a, b)
}

// batch builds batch b of n: the cases of its slice of the history, in
// time order.
func (g *generator) batch(b, n int) []store.BulkCase {
	rnd := rand.New(rand.NewPCG(g.opt.Seed, uint64(b)+1))
	count := g.opt.Batch
	if b == n-1 {
		count = g.opt.Cases - b*g.opt.Batch
	}
	from := g.start.Add(time.Duration(float64(g.span) * float64(b) / float64(n)))
	to := g.start.Add(time.Duration(float64(g.span) * float64(b+1) / float64(n)))
	times := make([]time.Time, count)
	for i := range times {
		times[i] = g.when(rnd, from, to)
	}
	sort.Slice(times, func(i, j int) bool { return times[i].Before(times[j]) })
	out := make([]store.BulkCase, 0, count)
	for i, at := range times {
		bc := g.one(rnd, at, out, i)
		if err := g.st.PrepareBulk(&bc, g.opt.Now); err == nil {
			out = append(out, bc)
		}
	}
	return out
}

// when draws a time in [from, to): the day uniformly, the hour by the
// day's rhythm.
func (g *generator) when(rnd *rand.Rand, from, to time.Time) time.Time {
	for {
		t := from.Add(time.Duration(rnd.Int64N(int64(to.Sub(from)))))
		local := t.In(g.loc)
		if rnd.Float64()*5.5 < hourWeights[local.Hour()] {
			return t
		}
	}
}

var phonePool = 3000 // frequent callers: a dispute's parties call again

func (g *generator) one(rnd *rand.Rand, at time.Time, earlier []store.BulkCase, i int) store.BulkCase {
	line := pick(rnd, casework.Lines, func(l casework.Line) float64 {
		return map[casework.Line]float64{casework.LineIncident: 80, casework.LineEnterprise: 12, casework.LineWorker: 8}[l]
	})
	season := 1.0
	if d, ok := triage.DaysToSpringFestival(at); ok && d <= 45 {
		season = 3 // wage disputes pile up before Spring Festival
	}
	typ := pick(rnd, lineTypes[line], func(t struct {
		typ string
		w   float64
	}) float64 {
		if t.typ == "wage_arrears" {
			return t.w * season
		}
		return t.w
	}).typ
	channel := pick(rnd, lineChannels[line], func(c struct {
		ch string
		w  float64
	}) float64 {
		return c.w
	}).ch
	text := textFor(rnd, typ)
	phone := fmt.Sprintf("1380000%04d", 1+rnd.IntN(9999))
	if rnd.IntN(100) < 8 {
		phone = fmt.Sprintf("1380001%04d", rnd.IntN(phonePool))
	}
	in := casework.Intake{Line: line, Channel: channel, Text: text, Type: typ,
		Reporter: casework.Reporter{Name: fakeName(rnd), Phone: phone}}
	if rnd.IntN(100) < 85 {
		// Inside the zone's two grids, or close by.
		lat, lon := 28.880+rnd.Float64()*0.026, 120.028+rnd.Float64()*0.046
		in.Location = &casework.Location{Lat: math.Round(lat*1e6) / 1e6, Lon: math.Round(lon*1e6) / 1e6}
	}
	actor := g.actors["zhiban"]
	if channel == "station" {
		actor = g.actors["yizhan"]
	} else if channel == "enterprise" {
		actor = g.actors["qiye"]
	}
	_ = in.Validate(actor)
	police := rnd.IntN(100) < 3
	risk := pick(rnd, []string{casework.RiskLow, casework.RiskMedium, casework.RiskHigh}, func(r string) float64 {
		return map[string]float64{casework.RiskLow: 55, casework.RiskMedium: 33, casework.RiskHigh: 12}[r]
	})
	c, ev, err := casework.Receive(in, casework.Classification{Police: police, Risk: risk, Confidence: 1}, casework.ContractTypes{}, actor, at)
	if err != nil {
		panic(err) // the generator's own data is valid
	}
	routeWithoutDispatch(&c, g.rules, g.dir, g.ents, actor.UnitID, g.loc)
	if c.Location != nil {
		if u, ok := g.dir.UnitAt(*c.Location, routing.KindGrid); ok {
			c.GridID = &u.ID
		}
	}
	if e := g.ents.Find(text); e != nil {
		c.EnterpriseID = &e.ID
	}
	evs := []casework.Event{ev}
	c, evs = g.life(rnd, c, evs, earlier, i)
	bc := store.BulkCase{Case: c, Events: evs}
	if g.opt.Now.Sub(at) < time.Duration(g.opt.IndexDays)*24*time.Hour && c.Status != casework.StatusMerged {
		for _, k := range dedup.Keys(dedup.FromCase(c), g.dcfg) {
			bc.Keys = append(bc.Keys, k.String())
		}
	}
	return bc
}

// life takes a case through the engine, as far as its age allows.
func (g *generator) life(rnd *rand.Rand, c casework.Case, evs []casework.Event, earlier []store.BulkCase, i int) (casework.Case, []casework.Event) {
	at := c.CreatedAt
	age := g.opt.Now.Sub(at)
	step := func(by string, cmd casework.Command, refs casework.Refs, after time.Duration) bool {
		at = at.Add(after)
		if at.After(g.opt.Now) {
			return false
		}
		d, err := casework.Decide(c, cmd, g.actors[by], refs, casework.Env{Now: at, Types: casework.ContractTypes{}})
		if err != nil {
			return false
		}
		c, evs = d.Case, append(evs, d.Event)
		return true
	}
	secs := func(lo, hi float64) time.Duration {
		// Log-uniform: most steps quick, a few slow.
		return time.Duration(math.Exp(math.Log(lo)+rnd.Float64()*(math.Log(hi)-math.Log(lo))) * float64(time.Second))
	}
	roll := rnd.IntN(1000)
	switch {
	case roll < 25 && i > 0 && at.Sub(earlier[i-1].Case.CreatedAt) < time.Hour:
		// Another call about the case received just before, merged while
		// that one was still open. Cases have no ids before they are
		// loaded: the loader resolves the placeholder -(position+1).
		master := earlier[i-1].Case
		master.ID, master.Status = -int64(i), casework.StatusReceived
		into := master.ID
		step("zhiban", casework.Command{Action: casework.ActionMerge, Into: &into}, casework.Refs{Into: &master}, secs(20, 120))
		return c, evs
	case roll < 45:
		step("zhiban", casework.Command{Action: casework.ActionReferPolice, Reason: "涉及治安，移交公安"}, casework.Refs{}, secs(20, 90))
		return c, evs
	}
	unit := g.units["team"]
	switch c.Type {
	case "consumer":
		unit = g.units["market"]
	case "environment":
		unit = g.units["enforce"]
	case "labor_contract":
		if c.Line != casework.LineIncident {
			unit = g.units["labor"]
		}
	}
	ref := g.dir.Ref(unit)
	if !step("zhiban", casework.Command{Action: casework.ActionDispatch, UnitID: &unit}, casework.Refs{Unit: ref}, secs(15, 240)) ||
		!step("chuzhi", casework.Command{Action: casework.ActionAccept}, casework.Refs{}, secs(30, 600)) ||
		!step("chuzhi", casework.Command{Action: casework.ActionArrive}, casework.Refs{}, secs(120, 1500)) {
		return c, evs
	}
	o := rnd.IntN(100)
	outcome := casework.OutcomeOnsite
	switch {
	case o < 2:
		outcome = casework.OutcomeReferred
	case o < 3:
		outcome = casework.OutcomeUnresolved
	case o < 38:
		outcome = casework.OutcomeTakenBack
	}
	if outcome != casework.OutcomeOnsite {
		if !step("chuzhi", casework.Command{Action: casework.ActionTakeBack}, casework.Refs{}, secs(600, 5400)) ||
			!step("tiaojie", casework.Command{Action: casework.ActionResolve, Outcome: outcome, Note: resolveNote[outcome]}, casework.Refs{}, secs(3600, 6*86400)) {
			return c, evs
		}
	} else if !step("chuzhi", casework.Command{Action: casework.ActionResolve, Outcome: outcome, Note: resolveNote[outcome]}, casework.Refs{}, secs(600, 10800)) {
		return c, evs
	}
	sat := 3 + rnd.IntN(3)
	if age > 0 {
		step("zhiban", casework.Command{Action: casework.ActionClose, Satisfaction: &sat, Note: "回访"}, casework.Refs{}, secs(3600, 40*3600))
	}
	return c, evs
}
