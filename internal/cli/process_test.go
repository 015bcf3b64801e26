package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test start the real server as a separate process (the
// test binary itself), so that it can be killed with SIGKILL. The tests
// read the command line in Chinese, the default, whatever the shell's
// YIZHAN_LANG; TestLanguageSwitch sets it for English.
func TestMain(m *testing.M) {
	if args := os.Getenv("YIZHAN_TEST_EXEC"); args != "" {
		os.Exit(Execute(context.Background(), strings.Split(args, "\x1f"), os.Stdin, os.Stdout, os.Stderr))
	}
	os.Unsetenv("YIZHAN_LANG")
	os.Exit(m.Run())
}

// server is a yizhan serve process under test.
type server struct {
	t    *testing.T
	cmd  *exec.Cmd
	addr string
	log  *syncBuffer
	done chan error
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func startServer(t *testing.T, env []string, args ...string) *server {
	t.Helper()
	addr := freeAddr(t)
	all := append([]string{"serve", "--addr", addr}, args...)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), "YIZHAN_TEST_EXEC="+strings.Join(all, "\x1f")), env...)
	s := &server{t: t, cmd: cmd, addr: addr, log: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = s.log, s.log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { s.done <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return s
			}
		}
		select {
		case err := <-s.done:
			t.Fatalf("server exited early: %v\n%s", err, s.log.String())
		case <-time.After(50 * time.Millisecond):
		}
	}
	t.Fatalf("server did not become healthy:\n%s", s.log.String())
	return nil
}

func (s *server) post(token, path, body string) (int, map[string]any, error) {
	req, _ := http.NewRequest("POST", "http://"+s.addr+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out, nil
}

func (s *server) get(token, path string) (int, map[string]any) {
	req, _ := http.NewRequest("GET", "http://"+s.addr+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

const testToken = "test-admin-token-0123456789"

// TestAcknowledgedCasesSurviveKill9: every case answered with 201 is there
// after SIGKILL and a restart, even with writes in flight at the kill.
func TestAcknowledgedCasesSurviveKill9(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	env := []string{"YIZHAN_ADMIN_TOKEN=" + testToken}
	s := startServer(t, env, "--data", data)

	type ack struct {
		id     int64
		number string
	}
	var mu sync.Mutex
	var acked []ack
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				code, body, err := s.post(testToken, "/api/v1/cases", fmt.Sprintf(`{"channel":"110","text":"工人%d-%d讨薪"}`, w, i))
				if err != nil {
					return // the server died mid-request: not acknowledged
				}
				if code == 201 {
					mu.Lock()
					acked = append(acked, ack{int64(body["id"].(float64)), body["number"].(string)})
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(700 * time.Millisecond)
	if err := s.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	close(stop)
	wg.Wait()
	<-s.done
	mu.Lock()
	defer mu.Unlock()
	if len(acked) < 50 {
		t.Fatalf("only %d cases acknowledged before the kill", len(acked))
	}

	s2 := startServer(t, env, "--data", data)
	for _, a := range acked {
		code, c := s2.get(testToken, fmt.Sprintf("/api/v1/cases/%d", a.id))
		if code != 200 || c["number"] != a.number {
			t.Fatalf("acknowledged case %d (%s) lost after kill -9: %d %v", a.id, a.number, code, c)
		}
	}
	t.Logf("%d acknowledged cases all present after kill -9", len(acked))
}

// TestGracefulShutdown: SIGTERM lets in-flight requests finish and exits 0,
// without waiting for the live event streams, which it ends.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	s := startServer(t, []string{"YIZHAN_ADMIN_TOKEN=" + testToken}, "--data", t.TempDir())
	stream, err := http.Get("http://" + s.addr + "/api/v1/events/stream?access_token=" + testToken)
	if err != nil || stream.StatusCode != 200 {
		t.Fatalf("open a stream: %v %v", err, stream)
	}
	defer stream.Body.Close()
	streamEnded := make(chan string, 1)
	go func() {
		raw, _ := io.ReadAll(stream.Body)
		streamEnded <- string(raw)
	}()
	results := make(chan int, 32)
	for i := range 32 {
		go func() {
			code, _, err := s.post(testToken, "/api/v1/cases", fmt.Sprintf(`{"text":"第%d件"}`, i))
			if err != nil {
				code = -1
			}
			results <- code
		}()
	}
	time.Sleep(5 * time.Millisecond)
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-s.done:
		if err != nil {
			t.Fatalf("exit: %v\n%s", err, s.log.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop on SIGTERM within 10 s (an open event stream held it?)")
	}
	if got := <-streamEnded; !strings.Contains(got, "event: shutdown") {
		t.Errorf("the stream ended without saying the server stops: %q", got)
	}
	for range 32 {
		// Each request either completed or was refused before it started:
		// none may be cut off with a 5xx.
		if code := <-results; code >= 500 {
			t.Fatalf("request answered %d during shutdown", code)
		}
	}
	if !strings.Contains(s.log.String(), "stopped") {
		t.Fatalf("no clean stop in log:\n%s", s.log.String())
	}
}

// TestFirstStartPrintsOneTimePassword: without YIZHAN_ADMIN_TOKEN the first
// start creates admin with a password printed once, which must be changed.
func TestFirstStartPrintsOneTimePassword(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	s := startServer(t, nil, "--data", data)
	var pw string
	sc := bufio.NewScanner(strings.NewReader(s.log.String()))
	for sc.Scan() {
		if _, after, ok := strings.Cut(sc.Text(), "one_time_password="); ok {
			pw = strings.Fields(after)[0]
		}
	}
	if pw == "" {
		t.Fatalf("no one-time password in log:\n%s", s.log.String())
	}
	code, body, _ := s.post("", "/api/v1/auth/login", `{"username":"admin","password":"`+pw+`"}`)
	if code != 200 || body["must_change_password"] != true {
		t.Fatalf("login: %d %v", code, body)
	}
	tok := body["token"].(string)
	if code, _ := s.get(tok, "/api/v1/cases"); code != 403 {
		t.Fatalf("before changing the password: %d, want 403", code)
	}
	code, _, _ = s.post(tok, "/api/v1/auth/password", `{"old_password":"`+pw+`","new_password":"a-new-password-1"}`)
	if code != 200 {
		t.Fatalf("change password: %d", code)
	}
	if code, _ := s.get(tok, "/api/v1/cases"); code != 200 {
		t.Fatalf("after changing the password: %d", code)
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	<-s.done
	// A second start prints no password.
	s2 := startServer(t, nil, "--data", data)
	if strings.Contains(s2.log.String(), "one_time_password") {
		t.Fatal("second start printed a password again")
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if code := Execute(context.Background(), []string{"version"}, nil, &out, &out); code != 0 || !strings.HasPrefix(out.String(), "yizhan ") {
		t.Fatalf("version: %d %q", code, out.String())
	}
}

// TestSLAFileWithSecondScaleTargets: with a policy file in seconds, the
// running server records the breach on the timeline about a second after
// it falls due.
func TestSLAFileWithSecondScaleTargets(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	policy := dir + "/sla.yaml"
	if err := os.WriteFile(policy, []byte("policies:\n  - name: fast\n    match: {line: incident}\n    stages:\n      - {stage: dispatch, stop: dispatched, target: 2s}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s := startServer(t, []string{"YIZHAN_ADMIN_TOKEN=" + testToken}, "--data", dir, "--sla", policy)
	code, c, _ := s.post(testToken, "/api/v1/cases", `{"text":"两车刮擦"}`)
	if code != 201 {
		t.Fatalf("create: %d", code)
	}
	created, _ := time.Parse(time.RFC3339, c["created_at"].(string))
	due := created.Add(2 * time.Second)
	deadline := time.Now().Add(6 * time.Second)
	for time.Now().Before(deadline) {
		_, got := s.get(testToken, fmt.Sprintf("/api/v1/cases/%v", c["id"]))
		for _, e := range got["events"].([]any) {
			ev := e.(map[string]any)
			if ev["action"] == "deadline_breach" {
				at, _ := time.Parse(time.RFC3339Nano, ev["at"].(string))
				if late := at.Sub(due); late > 1500*time.Millisecond {
					t.Fatalf("breach recorded %v after it fell due", late)
				}
				ds := got["deadlines"].([]any)
				if ds[0].(map[string]any)["breached"] != true {
					t.Fatalf("deadlines %v", ds)
				}
				return
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no breach on the timeline after 6s")
}

// TestStartRefusesBeforeMakingAStore: a missing rules file or a taken
// port stops the start before a new store is made (and before an
// administrator's one-time password is printed that no later start would
// print again); a second server on one embedded store is refused.
func TestStartRefusesBeforeMakingAStore(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	for name, args := range map[string][]string{
		"missing rules file": {"--addr", "127.0.0.1:0", "--routing", t.TempDir() + "/missing.yaml"},
		"port in use":        {"--addr", busy.Addr().String()},
	} {
		dir := t.TempDir() + "/data"
		var out bytes.Buffer
		code := Execute(context.Background(), append([]string{"serve", "--demo", "--data", dir}, args...), nil, &out, &out)
		if code == 0 {
			t.Fatalf("%s: the start went on:\n%s", name, out.String())
		}
		if _, err := os.Stat(dir + "/yizhan.db"); !os.IsNotExist(err) {
			t.Errorf("%s: a store was made (%v):\n%s", name, err, out.String())
		}
		if strings.Contains(out.String(), "password") || strings.Contains(out.String(), "密码") {
			t.Errorf("%s: a one-time password was printed:\n%s", name, out.String())
		}
	}

	dir := t.TempDir()
	first := startServer(t, []string{"YIZHAN_ADMIN_TOKEN=" + testToken}, "--data", dir)
	var out bytes.Buffer
	code := Execute(context.Background(), []string{"serve", "--data", dir, "--addr", "127.0.0.1:0"}, nil, &out, &out)
	if code == 0 || !strings.Contains(out.String(), "已由另一个 yizhan serve 使用") {
		t.Fatalf("a second server on one data directory: exit %d\n%s", code, out.String())
	}
	if c, _ := first.get(testToken, "/healthz"); c != 200 {
		t.Fatalf("the first server answers %d after the second was refused", c)
	}
}

// TestInvalidSLAFileStopsStart: a bad policy file stops the server with a
// message that names the line.
func TestInvalidSLAFileStopsStart(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	policy := dir + "/sla.yaml"
	if err := os.WriteFile(policy, []byte("policies:\n  - name: x\n    stages:\n      - {stage: a, stop: finished, target: 1m}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	code := Execute(context.Background(), []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--sla", policy}, nil, &out, &out)
	if code == 0 || !strings.Contains(out.String(), "line 4") || !strings.Contains(out.String(), "finished") {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	code = Execute(context.Background(), []string{"serve", "--data", dir, "--addr", "127.0.0.1:0", "--sla", dir + "/missing.yaml"}, nil, &out, &out)
	if code == 0 {
		t.Fatal("a missing policy file must stop the start")
	}
}

// TestShortAdminTokenIsTaken: the contract takes any YIZHAN_ADMIN_TOKEN;
// a short one works and is warned about in the log.
func TestShortAdminTokenIsTaken(t *testing.T) {
	t.Parallel()
	s := startServer(t, []string{"YIZHAN_ADMIN_TOKEN=t0k"}, "--data", t.TempDir())
	if code, _ := s.get("t0k", "/api/v1/cases"); code != 200 {
		t.Fatalf("list with the short admin token: %d", code)
	}
	if !strings.Contains(s.log.String(), "YIZHAN_ADMIN_TOKEN 较短") {
		t.Fatalf("no warning about the short token:\n%s", s.log.String())
	}
}

// TestSignalWhileStartingExitsZero: SIGTERM at any point of the start
// (opening and migrating the store, preparing statements, training
// triage, loading the demo) stops it with exit 0, and never leaves the
// demo half loaded: a next start with --demo has the whole demo. Each
// signal is timed from the first line the server logs (its handler is in
// place by then; before it, a signal ends any process, Yizhan or not),
// on a store of its own, so that each start has the same steps to do.
func TestSignalWhileStartingExitsZero(t *testing.T) {
	t.Parallel()
	var dirs []string
	for _, ms := range []int{0, 5, 20, 50, 100, 200, 400, 900} {
		after := time.Duration(ms) * time.Millisecond
		data := t.TempDir()
		dirs = append(dirs, data)
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		args := strings.Join([]string{"serve", "--demo", "--addr", freeAddr(t), "--data", data}, "\x1f")
		cmd.Env = append(os.Environ(), "YIZHAN_TEST_EXEC="+args, "YIZHAN_ADMIN_TOKEN="+testToken)
		log := &syncBuffer{}
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		for deadline := time.Now().Add(20 * time.Second); log.String() == ""; time.Sleep(time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the server logged nothing")
			}
		}
		time.Sleep(after)
		if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
			t.Fatal(err)
		}
		if err := cmd.Wait(); err != nil {
			t.Fatalf("SIGTERM %v after the first log line: %v\n%s", after, err, log.String())
		}
	}
	for _, data := range []string{dirs[4], dirs[len(dirs)-1]} {
		s := startServer(t, []string{"YIZHAN_ADMIN_TOKEN=" + testToken}, "--demo", "--data", data)
		_, page := s.get(testToken, "/api/v1/cases?limit=200")
		_, units := s.get(testToken, "/api/v1/units")
		if items, _ := page["items"].([]any); len(items) < 100 {
			t.Fatalf("after an interrupted start the demo has %d cases", len(items))
		}
		if items, _ := units["items"].([]any); len(items) < 10 {
			t.Fatalf("after an interrupted start the demo has %d units", len(items))
		}
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		<-s.done
	}
}
