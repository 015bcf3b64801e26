package bench

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// sse measures live-event fan-out: time from sending an action to each
// connected console receiving its event, with many consoles and, as the
// baseline, with one.
func sse(ctx context.Context, o Options, r *rig) (map[string]any, error) {
	many, err := fanout(ctx, r, o.SSEClients, 100)
	if err != nil {
		return nil, err
	}
	one, err := fanout(ctx, r, 1, 100)
	if err != nil {
		return nil, err
	}
	many["baseline_one_client"] = one
	many["what"] = "time from sending POST /api/v1/cases/{id}/actions to each server-sent-event client reading the event"
	return many, nil
}

func fanout(ctx context.Context, r *rig, clients, events int) (map[string]any, error) {
	// A case of its own, that no duplicate check merges away.
	_, b, err := r.call(ctx, "POST", "/api/v1/cases", map[string]any{"channel": "walk_in", "text": fmt.Sprintf("推送测试工单 %d", time.Now().UnixNano())})
	if err != nil {
		return nil, err
	}
	var c struct{ ID int64 }
	if err := json.Unmarshal(b, &c); err != nil || c.ID == 0 {
		return nil, fmt.Errorf("create: %s", b)
	}
	var mu sync.Mutex
	sent := map[string]time.Time{}
	var lat latencies
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var ready, done sync.WaitGroup
	ready.Add(clients)
	tr := &http.Transport{MaxIdleConnsPerHost: clients + 10}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr}
	errs := make(chan error, clients)
	for range clients {
		done.Add(1)
		go func() {
			defer done.Done()
			req, _ := http.NewRequestWithContext(ctx, "GET", r.url+"/api/v1/events/stream?access_token="+r.token, nil)
			resp, err := client.Do(req)
			if err != nil {
				ready.Done()
				errs <- err
				return
			}
			defer resp.Body.Close()
			br := bufio.NewReader(resp.Body)
			first := true
			var id string
			for {
				line, err := br.ReadString('\n')
				if err != nil {
					return
				}
				if first && line == "\n" {
					first = false
					ready.Done()
				}
				if v, ok := strings.CutPrefix(line, "id: "); ok {
					id = strings.TrimSpace(v)
				}
				if strings.HasPrefix(line, "data: ") && id != "" {
					now := time.Now()
					mu.Lock()
					t, ok := sent[id]
					mu.Unlock()
					if ok {
						lat.add(now.Sub(t))
					}
					id = ""
				}
			}
		}()
	}
	ready.Wait()
	select {
	case err := <-errs:
		return nil, err
	default:
	}
	seq := 0
	for i := range events {
		// The event id is "<case>-<seq>": note every action before sending.
		_, body, _ := r.call(ctx, "GET", fmt.Sprintf("/api/v1/cases/%d", c.ID), nil)
		var cur struct{ Version int }
		_ = json.Unmarshal(body, &cur)
		seq = cur.Version + 1
		id := fmt.Sprintf("%d-%d", c.ID, seq)
		mu.Lock()
		sent[id] = time.Now()
		mu.Unlock()
		code, _, err := r.call(ctx, "POST", fmt.Sprintf("/api/v1/cases/%d/actions", c.ID), map[string]any{"action": "note", "note": fmt.Sprintf("第%d条批注", i)})
		if err != nil || code != http.StatusOK {
			return nil, fmt.Errorf("note: %d %v", code, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	deadline := time.Now().Add(5 * time.Second)
	for lat.n() < clients*events && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	done.Wait()
	return map[string]any{"clients": clients, "events": events, "deliveries": lat.n(), "expected": clients * events,
		"p50_ms": lat.q(0.5), "p99_ms": lat.q(0.99), "max_ms": lat.q(1)}, nil
}
