package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"syscall"
	"time"
)

// startup measures how long `yizhan serve` takes to answer /healthz on
// the store, and on an empty store as the baseline.
func startup(ctx context.Context, o Options, dataDir string) (map[string]any, error) {
	on, err := timeStart(ctx, o.Binary, dataDir)
	if err != nil {
		return nil, err
	}
	empty, err := os.MkdirTemp("", "yizhan-bench-empty-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(empty)
	if _, err := timeStart(ctx, o.Binary, empty); err != nil { // the first start creates the schema
		return nil, err
	}
	base, err := timeStart(ctx, o.Binary, empty)
	if err != nil {
		return nil, err
	}
	return map[string]any{"ms": ms(on), "baseline_empty_store_ms": ms(base),
		"what": "from starting `yizhan serve` (a new process) to /healthz answering 200; includes training the triage model"}, nil
}

func timeStart(ctx context.Context, bin, dataDir string) (time.Duration, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.CommandContext(ctx, bin, "serve", "--data", dataDir, "--addr", addr, "--log-level", "warn")
	cmd.Env = append(os.Environ(), "YIZHAN_ADMIN_TOKEN="+benchToken)
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		_ = cmd.Wait()
	}()
	for time.Since(start) < 60*time.Second {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(start), nil
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
	return 0, fmt.Errorf("yizhan serve did not answer within 60 s")
}
