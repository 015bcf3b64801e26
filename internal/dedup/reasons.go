package dedup

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// windowReasons tell the dispatcher why two reports may be one incident,
// and what speaks against it.
func (e *evidence) windowReasons(n, o *Prepared, cfg Config) []string {
	var rs []string
	when := ago(e.gap) + "前已报"
	if n.at().Before(o.at()) {
		when = "相隔" + ago(e.gap)
	}
	switch {
	case e.callerPhone:
		rs = append(rs, "同一来电号码，"+when)
	case e.samePhone:
		rs = append(rs, "同一上报人号码（网格员或联络员），"+when)
	}
	if e.retry {
		rs = append(rs, "来电称已报过，催促处置")
	}
	within := ago(e.gap) + "内"
	switch {
	case e.hasDist && !e.far && e.dist <= cfg.Radius:
		rs = append(rs, "相距"+strconv.Itoa(int(math.Round(e.dist)))+"米，"+within)
	case e.addr != nil:
		rs = append(rs, "同一地址："+e.addr.display+"，"+within)
	case e.area != nil && e.area.kind.isPlace():
		rs = append(rs, "同一地点："+e.area.display+"，"+within)
	case e.road != nil && !e.far:
		rs = append(rs, "同一道路："+e.road.display+"，"+within)
	case !e.samePhone:
		rs = append(rs, within)
	}
	rs = append(rs, e.partyNames()...)
	rs = append(rs, e.contentReasons()...)
	return append(rs, e.conflictReasons()...)
}

// partyReasons tell the dispatcher why a later report is the same dispute.
func (e *evidence) partyReasons(n, o *Prepared, repeat bool) []string {
	var rs []string
	if repeat {
		rs = append(rs, ago(n.r.At.Sub(o.closedAt()))+"前已办结的同一当事人纠纷")
	} else {
		rs = append(rs, "原工单"+ago(e.gap)+"前受理，仍在办理中")
	}
	if e.callerPhone {
		rs = append(rs, "同一来电号码")
	}
	switch {
	case e.addr != nil:
		rs = append(rs, "同一地址："+e.addr.display)
	case e.area != nil && e.area.kind.isPlace():
		rs = append(rs, "同一地点："+e.area.display)
	}
	rs = append(rs, e.partyNames()...)
	if e.again {
		rs = append(rs, "来电称问题再次出现")
	}
	rs = append(rs, e.contentReasons()...)
	return append(rs, e.conflictReasons()...)
}

var orgNouns = map[nameKind]string{kindFirm: "企业", kindShop: "商户", kindSite: "工地", kindInst: "单位"}

func (e *evidence) partyNames() []string {
	var rs []string
	if e.org != nil && !e.far {
		rs = append(rs, "涉及同一"+orgNouns[e.org.kind]+"："+e.org.display)
	}
	if e.party != nil {
		rs = append(rs, "涉及同一当事人："+e.party.display)
	}
	if len(e.persons) > 0 {
		var ps []string
		for _, p := range e.persons {
			ps = append(ps, p.display)
		}
		rs = append(rs, "提及同一人员："+strings.Join(ps, "、"))
	}
	return rs
}

func (e *evidence) contentReasons() []string {
	var rs []string
	if e.text >= 0.2 {
		rs = append(rs, "内容相似度"+strconv.FormatFloat(e.text, 'f', 2, 64))
	}
	if e.shared != 0 {
		var fs []string
		for f := range numFacets {
			if e.shared.has(f) {
				fs = append(fs, facetLabels[f])
			}
		}
		rs = append(rs, "所述情况相同："+strings.Join(fs, "、"))
	}
	return rs
}

func (e *evidence) conflictReasons() []string {
	var rs []string
	if e.rel == relDifferent {
		rs = append(rs, "事项类型不同")
	}
	if e.facetConflict {
		rs = append(rs, "所述情况不同")
	}
	if e.orgConflict {
		rs = append(rs, "涉及不同企业或商户")
	}
	switch {
	case e.far:
		rs = append(rs, "相距"+strconv.FormatFloat(e.dist/1000, 'f', 1, 64)+"公里")
	case e.addrConflict:
		rs = append(rs, "门牌不同")
	case e.placeConflict:
		rs = append(rs, "地点不同")
	}
	return rs
}

// ago writes a duration the way a dispatcher says it: 40分钟, 5小时, 21天.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "1分钟"
	case d < time.Hour:
		return strconv.Itoa(int(d/time.Minute)) + "分钟"
	case d < 48*time.Hour:
		return strconv.Itoa(int(d/time.Hour)) + "小时"
	}
	return strconv.Itoa(int(d/(24*time.Hour))) + "天"
}
