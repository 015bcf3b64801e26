package dedup

import (
	"testing"
	"time"

	"github.com/yizhan/yizhan/internal/casework"
)

func TestFromCase(t *testing.T) {
	t.Parallel()
	created := time.Date(2025, 4, 7, 9, 0, 0, 0, time.UTC)
	updated := created.Add(3 * time.Hour)
	loc := casework.Location{Lat: 28.9, Lon: 120.05}
	for _, c := range []struct {
		name   string
		cs     casework.Case
		at     time.Time
		closed bool
	}{
		{"open, occurred time known", casework.Case{Status: casework.StatusDispatched, OccurredAt: created.Add(-time.Hour), CreatedAt: created}, created.Add(-time.Hour), false},
		{"no occurred time", casework.Case{Status: casework.StatusReceived, CreatedAt: created}, created, false},
		{"resolved", casework.Case{Status: casework.StatusResolved, CreatedAt: created, UpdatedAt: updated}, created, true},
		{"closed", casework.Case{Status: casework.StatusClosed, CreatedAt: created, UpdatedAt: updated}, created, true},
	} {
		c.cs.ID, c.cs.Text, c.cs.Line, c.cs.Channel = 9, "某五金厂欠薪", casework.LineIncident, "110"
		c.cs.Reporter = casework.Reporter{Name: "王先生", Phone: "13800000001"}
		c.cs.Location = &loc
		r := FromCase(c.cs)
		if !r.At.Equal(c.at) {
			t.Errorf("%s: At %v, want %v", c.name, r.At, c.at)
		}
		if (r.ClosedAt != nil) != c.closed || c.closed && !r.ClosedAt.Equal(updated) {
			t.Errorf("%s: ClosedAt %v", c.name, r.ClosedAt)
		}
		if r.ID != 9 || r.Phone != "13800000001" || r.Line != "incident" || r.Channel != "110" || len(r.Parties) != 0 {
			t.Errorf("%s: %+v", c.name, r)
		}
		if r.Location == &loc || r.Location == nil || *r.Location != loc {
			t.Errorf("%s: location not copied", c.name)
		}
	}
}
