package bench

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

// TestRunReportsWhatItCouldMeasure checks that a benchmark that fails
// (here the start-up one, given no binary to start) is named in the report
// with its reason, and the others are still measured and reported.
func TestRunReportsWhatItCouldMeasure(t *testing.T) {
	res, err := Run(context.Background(), Options{
		Only:     map[string]bool{"startup": true, "summary": true},
		Binary:   t.TempDir() + "/no-such-yizhan",
		Clients:  2,
		Duration: 200 * time.Millisecond,
		Location: time.UTC,
		Log:      slog.New(slog.DiscardHandler),
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Failed["startup"] == "" || res.Startup != nil {
		t.Fatalf("start-up: failed %q, result %v", res.Failed["startup"], res.Startup)
	}
	if res.Summary == nil || len(res.Failed) != 1 {
		t.Fatalf("summary %v, failed %v: the other benchmark must still be reported", res.Summary, res.Failed)
	}
}
