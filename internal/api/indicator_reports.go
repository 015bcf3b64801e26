package api

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/kpi"
)

// rankingFor works out the ranking the query asks for: ?period= (a month
// 2026-10, a week 2026-W47 or a quarter 2026-Q3; default the last month
// that has ended) from the side of ?zone_id= (default this zone).
func (s *Server) rankingFor(r *http.Request) (kpi.Ranking, error) {
	q := r.URL.Query()
	if err := onlyParams(q, "period", "zone_id"); err != nil {
		return kpi.Ranking{}, err
	}
	today := kpi.Civil(s.now())
	p := kpi.LastEndedBy(kpi.Monthly, today.AddDate(0, 0, -1))
	if v := q.Get("period"); v != "" {
		var err error
		if p, err = kpi.ParsePeriod(v); err != nil {
			return kpi.Ranking{}, err
		}
	}
	if p.Start().After(today) {
		return kpi.Ranking{}, casework.Invalid("period_in_future", "期别 %s 尚未开始", p)
	}
	cat, inds, zones, err := s.catalog(r)
	if err != nil {
		return kpi.Ranking{}, err
	}
	zone, ok := cat.Home()
	if v := q.Get("zone_id"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return kpi.Ranking{}, casework.Invalid("invalid_zone_id", "zone_id 须为整数")
		}
		if zone, ok = cat.Zone(id); !ok {
			return kpi.Ranking{}, casework.NotFound("zone_not_found", "区域 %d 不存在", id)
		}
	}
	if !ok {
		return kpi.Ranking{}, casework.Conflict("no_home_zone", "尚未设置本区：先以 home=true 添加本区，或以 zone_id 指明区域")
	}
	var active []kpi.Indicator
	for _, ind := range inds {
		if ind.Active {
			active = append(active, ind)
		}
	}
	vals, err := s.store.IndicatorValuesUpTo(r.Context(), kpi.ValuesFrom(p), p.EndKey())
	if err != nil {
		return kpi.Ranking{}, err
	}
	return kpi.Rank(kpi.RankInput{Period: p, Zone: zone, Zones: zones, Indicators: active, Values: vals, Today: today}), nil
}

// indicatorRanking answers every indicator's figures for every zone in a
// period, with the zone's rank, progress, change and flags.
func (s *Server) indicatorRanking(w http.ResponseWriter, r *http.Request, _ account.User) {
	rk, err := s.rankingFor(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, rk)
}

// unitName names a directory unit, for the review and the report.
func (s *Server) unitName(id int64) string {
	if u, ok := s.directory().Unit(id); ok {
		return u.Name
	}
	return ""
}

// indicatorReview answers the weekly or monthly review: a week's period
// (2026-W47) is compared with the week before, a month's with the month
// before.
func (s *Server) indicatorReview(w http.ResponseWriter, r *http.Request, _ account.User) {
	rk, err := s.rankingFor(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, _ := kpi.ParsePeriod(rk.Period)
	writeJSON(w, http.StatusOK, kpi.NewReview(rk, p.Kind, s.unitName))
}

// exportIndicators answers the one-table report (一表清) as XLSX or, for
// printing, as HTML.
func (s *Server) exportIndicators(w http.ResponseWriter, r *http.Request, _ account.User) {
	rk, err := s.rankingFor(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t := kpi.OneTable{Ranking: rk, UnitName: s.unitName, Generated: s.now()}
	// Made whole before answering, so that a failure is still a clean 500.
	var buf bytes.Buffer
	html := strings.HasSuffix(r.URL.Path, ".html")
	if html {
		err = t.WriteHTML(&buf)
	} else {
		err = t.WriteXLSX(&buf)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if html {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", xlsxType)
		w.Header().Set("Content-Disposition", `attachment; filename="indicators-`+rk.Period+`.xlsx"`)
	}
	_, _ = w.Write(buf.Bytes()) // the client may have gone
}
