package api

import (
	"bytes"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/stats"
)

// canReadStats: the zone's figures are for the center and its leaders.
func canReadStats(u account.User) bool {
	switch u.Role {
	case casework.RoleAdmin, casework.RoleLeader, casework.RoleDispatcher:
		return true
	}
	return false
}

var errStatsForbidden = casework.Forbidden("forbidden", "统计数据仅向指挥中心和领导开放")

// statsPeriod reads from and to (RFC 3339, or YYYY-MM-DD as midnight zone
// time), refusing parameters it does not know. Without from the period
// starts at the beginning; without to it ends now.
func (s *Server) statsPeriod(q url.Values, allowed ...string) (time.Time, time.Time, error) {
	known := map[string]bool{"from": true, "to": true}
	for _, k := range allowed {
		known[k] = true
	}
	for k := range q {
		if !known[k] {
			return time.Time{}, time.Time{}, casework.Invalid("unknown_parameter", "未知的查询参数“%s”", k)
		}
	}
	from, to := time.Unix(0, 0).In(s.loc), s.now().In(s.loc)
	f, err := s.parseTime("from", q.Get("from"))
	if err != nil {
		return from, to, err
	}
	t, err := s.parseTime("to", q.Get("to"))
	if err != nil {
		return from, to, err
	}
	if f != nil {
		from = f.In(s.loc)
	}
	if t != nil {
		to = t.In(s.loc)
	}
	if from.After(to) {
		return from, to, casework.Invalid("invalid_period", "from 不能晚于 to")
	}
	return from, to, nil
}

func statsLine(q url.Values, def string) (string, error) {
	line := q.Get("line")
	if line == "" {
		return def, nil
	}
	if line != "all" && !casework.Line(line).Valid() {
		return "", casework.Invalid("invalid_line", "未知的业务线“%s”", line)
	}
	if line == "all" {
		return "", nil
	}
	return line, nil
}

// summary answers the contract's headline figures for a line and period
// (the incident line when none is given; line=all for every line), or,
// with unit_id, for the cases a unit holds.
func (s *Server) summary(w http.ResponseWriter, r *http.Request, u account.User) {
	if !canReadStats(u) {
		s.fail(w, r, errStatsForbidden)
		return
	}
	q := r.URL.Query()
	from, to, err := s.statsPeriod(q, "line", "unit_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	line, err := statsLine(q, string(casework.LineIncident))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	unit, err := s.refParam(q, "unit_id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var cells []stats.Cell
	if unit != nil {
		cells, err = s.store.UnitCells(r.Context(), line, unit, from, to)
	} else {
		cells, err = s.store.SummaryCells(r.Context(), line, from, to)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sum := stats.Summarize(cells, line, from, to)
	if sum.Line == "" {
		sum.Line = "all" // as it was asked
	}
	writeJSON(w, http.StatusOK, sum)
}

// filter reads the breakdown filters.
func (s *Server) statsFilter(q url.Values, extra ...string) (stats.Filter, error) {
	allowed := append([]string{"line", "channel", "category", "type", "unit_id", "grid_id", "enterprise_id", "risk"}, extra...)
	from, to, err := s.statsPeriod(q, allowed...)
	if err != nil {
		return stats.Filter{}, err
	}
	f := stats.Filter{From: from, To: to, Channel: q.Get("channel"), Category: q.Get("category"), Type: q.Get("type"), Risk: q.Get("risk")}
	if f.Line, err = statsLine(q, ""); err != nil {
		return f, err
	}
	if f.Channel != "" {
		if _, ok := casework.Channels[f.Channel]; !ok {
			return f, casework.Invalid("invalid_channel", "未知的来源渠道“%s”", f.Channel)
		}
	}
	if f.Category != "" && !casework.ValidCategory(f.Category) {
		return f, casework.Invalid("invalid_category", "未知的纠纷类别“%s”", f.Category)
	}
	if f.Type != "" {
		if _, ok := s.types.CategoryOf(f.Type); !ok {
			return f, casework.Invalid("invalid_type", "未知的纠纷类型“%s”", f.Type)
		}
	}
	if f.Risk != "" && !casework.ValidRisk(f.Risk) {
		return f, casework.Invalid("invalid_risk", "风险等级须为 low、medium 或 high")
	}
	for name, dst := range map[string]**int64{"unit_id": &f.UnitID, "grid_id": &f.GridID, "enterprise_id": &f.Enterprise} {
		id, err := s.refParam(q, name)
		if err != nil {
			return f, err
		}
		*dst = id
	}
	return f, nil
}

type breakdownAnswer struct {
	From  time.Time   `json:"from"`
	To    time.Time   `json:"to"`
	By    string      `json:"by"`
	Rows  []stats.Row `json:"rows"`
	Total stats.Row   `json:"total"`
}

// breakdown groups a period's cases by a dimension with counts, success,
// repeat, follow-up and satisfaction rates.
func (s *Server) breakdown(w http.ResponseWriter, r *http.Request, u account.User) {
	if !canReadStats(u) {
		s.fail(w, r, errStatsForbidden)
		return
	}
	q := r.URL.Query()
	f, err := s.statsFilter(q, "by")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	by := q.Get("by")
	if by == "" {
		by = "category"
	}
	groups, err := s.store.Breakdown(r.Context(), f, by)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	dir, ents := s.directory(), s.ents.Load()
	name := func(id int64) string {
		if by == "enterprise" {
			if e, ok := ents.Get(id); ok {
				return e.Name
			}
		} else if unit, ok := dir.Unit(id); ok {
			return unit.Name
		}
		return strconv.FormatInt(id, 10)
	}
	rows, total := stats.Rows(groups, func(k string) string { return stats.Label(by, k, name) })
	writeJSON(w, http.StatusOK, breakdownAnswer{From: f.From, To: f.To, By: by, Rows: rows, Total: total})
}

type slaAnswer struct {
	From   time.Time         `json:"from"`
	To     time.Time         `json:"to"`
	Stages []stats.StageStat `json:"stages"`
}

// slaStats answers on-time rates and median and 90th-percentile times per
// SLA stage, the 12510 stages one by one.
func (s *Server) slaStats(w http.ResponseWriter, r *http.Request, u account.User) {
	if !canReadStats(u) {
		s.fail(w, r, errStatsForbidden)
		return
	}
	f, err := s.statsFilter(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	times, err := s.store.StageTimes(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, slaAnswer{From: f.From, To: f.To, Stages: stats.Stages(times, stats.StageOrder)})
}

type unitActions struct {
	UnitID    int64  `json:"unit_id"`
	UnitName  string `json:"unit_name"`
	Returns   int64  `json:"returns"`
	Transfers int64  `json:"transfers"`
}

type returnsAnswer struct {
	From  time.Time     `json:"from"`
	To    time.Time     `json:"to"`
	Units []unitActions `json:"units"`
}

// returnsStats answers, per unit, the cases it handed back (退单) and passed
// on (转办) in a period: the buck-passing indicator.
func (s *Server) returnsStats(w http.ResponseWriter, r *http.Request, u account.User) {
	if !canReadStats(u) {
		s.fail(w, r, errStatsForbidden)
		return
	}
	q := r.URL.Query()
	from, to, err := s.statsPeriod(q, "line")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	line, err := statsLine(q, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ans := returnsAnswer{From: from, To: to, Units: []unitActions{}}
	index := map[int64]int{}
	dir := s.directory()
	for _, a := range []casework.Action{casework.ActionReturn, casework.ActionTransfer} {
		counts, err := s.store.ActionsByUnit(r.Context(), a, line, from, to)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, c := range counts {
			i, ok := index[c.UnitID]
			if !ok {
				unit, _ := dir.Unit(c.UnitID)
				ans.Units = append(ans.Units, unitActions{UnitID: c.UnitID, UnitName: unit.Name})
				i = len(ans.Units) - 1
				index[c.UnitID] = i
			}
			if a == casework.ActionReturn {
				ans.Units[i].Returns = c.N
			} else {
				ans.Units[i].Transfers = c.N
			}
		}
	}
	writeJSON(w, http.StatusOK, ans)
}

type trendAnswer struct {
	Current stats.Summary `json:"current"`
	stats.Trend
}

// trend compares a period with the one before (环比) and a year before (同比).
func (s *Server) trend(w http.ResponseWriter, r *http.Request, u account.User) {
	if !canReadStats(u) {
		s.fail(w, r, errStatsForbidden)
		return
	}
	q := r.URL.Query()
	from, to, err := s.statsPeriod(q, "line")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	line, err := statsLine(q, string(casework.LineIncident))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cur, err := stats.SummaryOf(r.Context(), s.store, line, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := stats.TrendOf(r.Context(), s.store, cur)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, trendAnswer{Current: cur, Trend: t})
}

// report answers a report as XLSX, HTML or text: /api/v1/reports/{kind}.{xlsx|html|txt}
// with from, to and line, or date= for a daily report, month=YYYY-MM for
// a monthly one, week=YYYY-MM-DD (any day of the week) for a weekly one.
func (s *Server) report(w http.ResponseWriter, r *http.Request, u account.User) {
	if !canReadStats(u) {
		s.fail(w, r, errStatsForbidden)
		return
	}
	kind, format, ok := cutExt(r.PathValue("file"))
	if !ok {
		s.fail(w, r, casework.NotFound("not_found", "报表须为 summary、daily、weekly 或 monthly，格式为 .xlsx、.html 或 .txt"))
		return
	}
	req, err := s.reportRequest(r.URL.Query(), kind)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := stats.Build(r.Context(), s.store, req, s.now().In(s.loc))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	switch format {
	case "xlsx":
		err = stats.WriteXLSX(&buf, rep)
		w.Header().Set("Content-Type", xlsxType)
	case "html":
		err = stats.WriteHTML(&buf, rep)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	case "txt":
		buf.WriteString(rep.Text)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format == "xlsx" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+kind+"-"+rep.From.Format("20060102")+".xlsx\"")
	}
	_, _ = w.Write(buf.Bytes())
}

func cutExt(file string) (kind, format string, ok bool) {
	for _, f := range []string{"xlsx", "html", "txt"} {
		for _, k := range []string{stats.KindSummary, stats.KindDaily, stats.KindWeekly, stats.KindMonthly} {
			if file == k+"."+f {
				return k, f, true
			}
		}
	}
	return "", "", false
}

// reportRequest reads a report's period: from/to, or the day, week or
// month its kind names.
func (s *Server) reportRequest(q url.Values, kind string) (stats.Request, error) {
	req := stats.Request{Kind: kind}
	var err error
	if req.Line, err = statsLine(q, string(casework.LineIncident)); err != nil {
		return req, err
	}
	rest := url.Values{}
	for k, v := range q {
		if k != "date" && k != "month" && k != "week" && k != "line" {
			rest[k] = v
		}
	}
	today := s.now().In(s.loc)
	day := func(name string) (time.Time, error) {
		v := q.Get(name)
		if v == "" {
			return today, nil
		}
		// A calendar date: PeriodOf places it in s.loc.
		t, err := time.Parse("2006-01-02", v)
		if err != nil || !stats.InYears(t) {
			return t, casework.Invalid("invalid_"+name, "%s 须为 1970 年到 2199 年之间的 YYYY-MM-DD 日期", name)
		}
		return t, nil
	}
	if kind != stats.KindSummary && (rest.Get("from") != "" || rest.Get("to") != "") {
		return req, casework.Invalid("invalid_period", "日报、周报、月报的期间由 date、week、month 指定，不接受 from、to；任意期间请用 summary")
	}
	switch kind {
	case stats.KindDaily:
		d, err := day("date")
		if err != nil {
			return req, err
		}
		req.From, req.To = stats.PeriodOf(kind, d, s.loc)
	case stats.KindWeekly:
		d, err := day("week")
		if err != nil {
			return req, err
		}
		req.From, req.To = stats.PeriodOf(kind, d, s.loc)
	case stats.KindMonthly:
		start := today
		if m := q.Get("month"); m != "" {
			if start, err = time.Parse("2006-01", m); err != nil || !stats.InYears(start) {
				return req, casework.Invalid("invalid_month", "month 须为 1970 年到 2199 年之间的 YYYY-MM")
			}
		}
		req.From, req.To = stats.PeriodOf(kind, start, s.loc)
	}
	if kind == stats.KindSummary {
		from, to, err := s.statsPeriod(rest)
		if err != nil {
			return req, err
		}
		req.From, req.To = from, to
	} else if len(rest) > 0 {
		for k := range rest {
			return req, casework.Invalid("unknown_parameter", "未知的查询参数“%s”", k)
		}
	}
	return req, stats.CheckPeriod(kind, req.From.In(s.loc), req.To.In(s.loc), s.now())
}
