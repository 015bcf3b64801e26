// Package demo loads a small, realistic, entirely fictional zone: the
// center, its response team, departments, grids, enterprise micro-centers,
// a station, their accounts, and cases in every status made by running the
// real engine, so that every timeline is one the engine could have written.
package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store"
)

// Password is the password of every demo account. Demo only: a real zone
// creates its accounts through the API.
const Password = "yizhan-demo"

// unitSpec is a demo unit; parent names a unit defined earlier.
type unitSpec struct {
	key, name, parent string
	kind              routing.Kind
	area              string
}

// The grids sit on the zone's industrial streets (coordinates near the
// hardware city in central Zhejiang; the polygons are invented).
var units = []unitSpec{
	{key: "center", name: "开发区社会治理中心", kind: routing.KindCenter},
	{key: "team", name: "政务110先期处置队", kind: routing.KindResponseTeam, parent: "center"},
	{key: "labor", name: "劳动保障监察中队", kind: routing.KindDepartment, parent: "center"},
	{key: "market", name: "市场监管分局开发区所", kind: routing.KindDepartment, parent: "center"},
	{key: "enforce", name: "综合执法中队", kind: routing.KindDepartment, parent: "center"},
	{key: "justice", name: "司法所（人民调解委员会）", kind: routing.KindDepartment, parent: "center"},
	{key: "police", name: "派出所联络室", kind: routing.KindDepartment, parent: "center"},
	{key: "grid_east", name: "东城片区第一网格", kind: routing.KindGrid, parent: "center",
		area: `{"type":"Polygon","coordinates":[[[120.030,28.890],[120.048,28.890],[120.048,28.904],[120.030,28.904],[120.030,28.890]]]}`},
	{key: "grid_ent", name: "五金城企业专属网格", kind: routing.KindGrid, parent: "center",
		area: `{"type":"Polygon","coordinates":[[[120.050,28.880],[120.072,28.880],[120.072,28.898],[120.050,28.898],[120.050,28.880]]]}`},
	{key: "ent_a", name: "某五金制品有限公司微中心", kind: routing.KindEnterprise, parent: "grid_ent"},
	{key: "ent_b", name: "某电动车配件厂微中心", kind: routing.KindEnterprise, parent: "grid_ent"},
	{key: "station", name: "工业园党建服务驿站", kind: routing.KindStation, parent: "center"},
}

// userSpec is a demo account.
type userSpec struct {
	username, name, unit string
	role                 casework.Role
}

var users = []userSpec{
	{"zhiban", "值班员王某", "center", casework.RoleDispatcher},
	{"zhiban2", "值班员刘某", "center", casework.RoleDispatcher},
	{"lingdao", "李某", "center", casework.RoleLeader},
	{"chuzhi", "处置队员赵某", "team", casework.RoleResponder},
	{"laobao", "劳动监察员陈某", "labor", casework.RoleDepartment},
	{"tiaojie", "调解员钱某", "justice", casework.RoleDepartment},
	{"shichang", "市场监管员卫某", "market", casework.RoleDepartment},
	{"wangge", "网格员孙某", "grid_east", casework.RoleGrid},
	{"qiye", "企业联络人周某", "ent_a", casework.RoleEnterprise},
	{"yizhan", "驿站工作人员吴某", "station", casework.RoleStation},
}

// LoadDirectory loads only the demo zone's directory (units, accounts,
// people, enterprises, roster, routing rules) into a database that has no
// units yet, for a generated history to fill.
func LoadDirectory(ctx context.Context, st *store.Store, loc *time.Location, now time.Time) (bool, error) {
	existing, err := st.Units(ctx)
	if err != nil || len(existing) > 0 {
		return false, err
	}
	z := &zone{st: st, loc: loc, cls: casework.Unclassified{}, units: map[string]int64{}, users: map[string]casework.Actor{}}
	if err := z.directory(ctx, now); err != nil {
		return false, err
	}
	return true, z.people(ctx, now)
}

// LoadIfEmpty loads the demo zone into a database that has no units and
// no cases yet, and answers whether it did. The classifier reads the
// reports' police and risk (the demo gives every case its type); nil
// leaves them not police and low risk.
func LoadIfEmpty(ctx context.Context, st *store.Store, loc *time.Location, now time.Time, cls casework.Classifier) (loaded bool, err error) {
	// Nodes started together on one empty database load it once: the
	// first holds the lock while it loads, the others then find it full.
	err = st.Exclusive(ctx, "yizhan demo load", func() error {
		loaded, err = loadIfEmpty(ctx, st, loc, now, cls)
		return err
	})
	return loaded, err
}

func loadIfEmpty(ctx context.Context, st *store.Store, loc *time.Location, now time.Time, cls casework.Classifier) (bool, error) {
	existing, err := st.Units(ctx)
	if err != nil {
		return false, err
	}
	page, err := st.ListCases(ctx, store.CaseFilter{Scope: casework.Scope{All: true}, Limit: 1})
	if err != nil {
		return false, err
	}
	if len(existing) > 0 || len(page.Items) > 0 {
		return false, nil
	}
	if cls == nil {
		cls = casework.Unclassified{}
	}
	z := &zone{st: st, loc: loc, cls: cls, units: map[string]int64{}, users: map[string]casework.Actor{}}
	if err := z.directory(ctx, now); err != nil {
		return false, err
	}
	if err := z.people(ctx, now); err != nil {
		return false, err
	}
	if err := z.loadHistory(ctx); err != nil {
		return false, err
	}
	if err := z.cases(ctx, now); err != nil {
		return false, err
	}
	if err := z.officeDays(ctx, now); err != nil {
		return false, err
	}
	// After the cases, so that the departments it adds change none of them.
	if err := z.indicators(ctx, now); err != nil {
		return false, err
	}
	return true, nil
}

type zone struct {
	st    *store.Store
	loc   *time.Location
	units map[string]int64
	users map[string]casework.Actor
	dir   *routing.Directory
	rules routing.RuleSet
	ents  *routing.EnterpriseIndex
	cls   casework.Classifier
}

// routeWithoutDispatch routes c as the rules decide, but leaves the
// dispatch to the demo's own steps: the stories and the history say who
// dispatched what.
func routeWithoutDispatch(c *casework.Case, rules routing.RuleSet, dir *routing.Directory, ents *routing.EnterpriseIndex,
	reporterUnit *int64, loc *time.Location) {
	rt := rules.Route(dir, ents, *c, reporterUnit, loc)
	rt.Dispatch = false
	c.Routing = &rt
}

func (z *zone) directory(ctx context.Context, now time.Time) error {
	for _, spec := range units {
		nu := routing.NewUnit{Name: spec.name, Kind: spec.kind}
		if spec.parent != "" {
			id := z.units[spec.parent]
			nu.ParentID = &id
		}
		if spec.area != "" {
			nu.Area = json.RawMessage(spec.area)
		}
		u, err := z.st.CreateUnit(ctx, nu, now)
		if err != nil {
			return fmt.Errorf("demo: unit %s: %w", spec.name, err)
		}
		z.units[spec.key] = u.ID
	}
	all, err := z.st.Units(ctx)
	if err != nil {
		return err
	}
	z.dir = routing.NewDirectory(all)
	hash, err := account.HashPassword(Password)
	if err != nil {
		return err
	}
	for i, spec := range users {
		unit := z.units[spec.unit]
		u, err := z.st.CreateUser(ctx, account.NewUser{
			Username: spec.username, Name: spec.name, Role: spec.role, UnitID: &unit,
			Phone: fmt.Sprintf("138000009%02d", i+1),
		}, hash, false, now)
		if err != nil {
			return fmt.Errorf("demo: user %s: %w", spec.username, err)
		}
		z.users[spec.username] = u.Actor()
	}
	return nil
}
