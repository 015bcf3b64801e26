package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
	"github.com/yizhan/yizhan/internal/routing"
	"github.com/yizhan/yizhan/internal/store"
	"github.com/yizhan/yizhan/internal/store/storetest"
)

// TestOneMicroCenterSpeaksForOneEnterprise: the database itself refuses a
// second enterprise for a micro-center (two nodes, or two requests at
// once, may both pass the server's check), and an update that leaves the
// link out keeps it.
func TestOneMicroCenterSpeaksForOneEnterprise(t *testing.T) {
	t.Parallel()
	storetest.OnEach(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		at := time.Date(2026, 11, 27, 9, 0, 0, 0, storetest.Zone)
		micro, err := st.CreateUnit(ctx, routing.NewUnit{Name: "某五金制品有限公司微中心", Kind: routing.KindEnterprise}, at)
		if err != nil {
			t.Fatal(err)
		}
		code := func(i int) string {
			first := fmt.Sprintf("91330784MA2H%05d", i)
			check, _ := routing.CreditCodeCheck(first)
			return first + string(check)
		}
		one := routing.NewEnterprise{Name: "某五金制品有限公司", CreditCode: code(1), MicroCenter: &micro.ID}
		if _, err := st.CreateEnterprises(ctx, []routing.NewEnterprise{one}, at); err != nil {
			t.Fatal(err)
		}
		two := routing.NewEnterprise{Name: "某厨具制造有限公司", CreditCode: code(2), MicroCenter: &micro.ID}
		_, err = st.CreateEnterprises(ctx, []routing.NewEnterprise{two}, at)
		if ce := (*casework.Error)(nil); !errors.As(err, &ce) || ce.Code != "micro_center_taken" {
			t.Fatalf("a second enterprise for one micro-center: %v", err)
		}
		one.MicroCenter, one.Headcount = nil, 120
		if _, err := st.CreateEnterprises(ctx, []routing.NewEnterprise{one}, at); err != nil {
			t.Fatal(err)
		}
		es, err := st.Enterprises(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 || es[0].MicroCenter == nil || *es[0].MicroCenter != micro.ID || es[0].Headcount != 120 {
			t.Fatalf("enterprises %+v", es)
		}
		// 0 unlinks it; then the unit may speak for another enterprise.
		none := int64(0)
		one.MicroCenter = &none
		if _, err := st.CreateEnterprises(ctx, []routing.NewEnterprise{one}, at); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateEnterprises(ctx, []routing.NewEnterprise{two}, at); err != nil {
			t.Fatalf("the unit, unlinked, for another enterprise: %v", err)
		}
		es, _ = st.Enterprises(ctx)
		for _, e := range es {
			if e.CreditCode == one.CreditCode && e.MicroCenter != nil || e.CreditCode == two.CreditCode && (e.MicroCenter == nil || *e.MicroCenter != micro.ID) {
				t.Fatalf("after unlinking: %+v", es)
			}
		}
	})
}
