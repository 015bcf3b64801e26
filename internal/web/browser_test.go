package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/yizhan/yizhan/internal/account"
	"github.com/yizhan/yizhan/internal/casework"
)

// chromiumPath finds Debian's chromium. Without it the browser tests skip,
// unless YIZHAN_TEST_BROWSER_REQUIRED is set (CI sets it): then they fail.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "/usr/bin/chromium"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "chromium not found: install it with `apt-get install -y chromium` to run the browser tests"
	if os.Getenv("YIZHAN_TEST_BROWSER_REQUIRED") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// browser is one headless chromium for a test, with every page's
// JavaScript errors collected so that a test fails on any of them.
type browser struct {
	t     *testing.T
	alloc context.Context
	root  context.Context // the first tab, which owns the browser
	shots string

	mu     sync.Mutex
	errors []string
}

func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := chromiumPath(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 900),
	)
	alloc, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancel)
	shots := os.Getenv("YIZHAN_TEST_SCREENSHOTS")
	if shots == "" {
		shots = t.TempDir()
	}
	return &browser{t: t, alloc: alloc, shots: shots}
}

// tab opens a tab; isolated gives it a browser context of its own (its
// own cookies and storage), as a second user at another desk would have.
// The first tab starts the browser; later ones open in the same process.
func (b *browser) tab(isolated bool) context.Context {
	b.t.Helper()
	parent := b.root
	if parent == nil {
		parent = b.alloc
	}
	var opts []chromedp.ContextOption
	if isolated && b.root != nil {
		opts = append(opts, chromedp.WithNewBrowserContext())
	}
	ctx, cancel := chromedp.NewContext(parent, opts...)
	if b.root == nil {
		b.root = ctx
	}
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open tab: %v", err)
	}
	b.watchConsole(ctx)
	return ctx
}

// watchConsole collects the tab's uncaught exceptions, console.error calls
// and security messages (a Content-Security-Policy refusal). Network
// errors, such as a 404 that the page expects, are not failures.
func (b *browser) watchConsole(ctx context.Context) {
	msgs := chromedp.Console(ctx) // subscribes now, before the first page
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			switch {
			case m.IsException():
				b.fail(fmt.Sprintf("exception: %s (%s:%d)", m.Text, m.URL, m.Line+1))
			case m.Type == chromedp.ConsoleError && (m.Source == "" || m.Source == "security"):
				b.fail(fmt.Sprintf("console error: %s (%s:%d)", m.Text, m.URL, m.Line+1))
			}
		}
	}()
}

func (b *browser) fail(msg string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.errors = append(b.errors, msg)
}

// checkErrors fails the test with every JavaScript error seen so far.
func (b *browser) checkErrors() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errors {
		b.t.Errorf("page JavaScript: %s", e)
	}
	b.errors = nil
}

// run runs browser actions with a deadline and fails the test on error.
func (b *browser) run(ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	tctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(tctx, actions...); err != nil {
		b.failAt(ctx, what, err)
	}
}

// value runs one action that answers a value.
func value[T any](b *browser, ctx context.Context, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	tctx, cancel := context.WithTimeout(ctx, actionTimeout)
	defer cancel()
	v, err := chromedp.Run(tctx, a)
	if err != nil {
		b.failAt(ctx, what, err)
	}
	return v
}

func (b *browser) failAt(ctx context.Context, what string, err error) {
	b.t.Helper()
	lctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	where, _ := chromedp.Run(lctx, chromedp.Location())
	b.checkErrors()
	b.t.Fatalf("%s (at %s): %v", what, where, err)
}

// actionTimeout bounds one step; CI runs every package's tests at once on
// two cores, so it is generous. A passing run never waits for it.
const actionTimeout = 30 * time.Second

// waitJS polls a JavaScript expression until it is true.
// A navigation while it polls (the page it waits on may be the next one)
// ends one poll; it then polls the new page.
func waitJS(expr string) chromedp.Action[chromedp.Void] {
	poll := chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond), chromedp.WithPollingTimeout(20*time.Second))
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		deadline := time.Now().Add(20 * time.Second)
		for {
			v, err := poll(ctx, t)
			if err == nil || time.Now().After(deadline) || ctx.Err() != nil || !navigated(err) {
				return v, err
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
}

// navigated reports whether an error only says the page went away.
func navigated(err error) bool {
	msg := err.Error()
	for _, s := range []string{"navigated or closed", "Execution context was destroyed", "Cannot find context", "context with specified id"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// js evaluates an expression and answers its value.
func js[T any](expr string) chromedp.Action[T] {
	return chromedp.Evaluate[T](expr)
}

// screenshot saves the whole page, and what the screen shows, as PNGs
// for a person to look at.
func (b *browser) screenshot(ctx context.Context, name string) {
	b.t.Helper()
	if err := os.MkdirAll(b.shots, 0o755); err != nil {
		b.t.Fatal(err)
	}
	for suffix, shot := range map[string]chromedp.Action[[]byte]{
		"":        chromedp.FullScreenshot(100),
		"-screen": chromedp.CaptureScreenshot(),
	} {
		// A screenshot is for a person to look at, not a check: one that
		// a loaded machine cannot take in time is noted and skipped (the
		// page's content was checked before it).
		tctx, cancel := context.WithTimeout(ctx, actionTimeout)
		png, err := chromedp.Run(tctx, shot)
		cancel()
		if err != nil {
			b.t.Logf("screenshot %s%s not taken: %v", name, suffix, err)
			continue
		}
		p := filepath.Join(b.shots, name+suffix+".png")
		if err := os.WriteFile(p, png, 0o644); err != nil {
			b.t.Fatal(err)
		}
		b.t.Logf("screenshot: %s", p)
	}
}

// css is the selector of the first element matching a CSS selector.
type css = chromedp.CSS

// loginAs logs in through the login page.
func (b *browser) loginAs(ctx context.Context, base, username, password string) {
	b.t.Helper()
	b.run(ctx, "log in as "+username,
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), username),
		chromedp.SendKeys(css("#password"), password),
		chromedp.Click(css(`#login-form button[type=submit]`)),
		// Logged in and gone, or asked for a new password, or refused.
		waitJS(`location.pathname !== "/login" || !document.querySelector("#password-form").hidden || !document.querySelector("#login-error").hidden`),
	)
}

// TestConsoleInBrowser drives the console as the duty desk uses it: log in,
// receive a report, dispatch it, watch the desk change live while others
// act, and read the leader's dashboard.
func TestConsoleInBrowser(t *testing.T) {
	b := newBrowser(t)
	s := newConsoleServer(t)
	base := s.srv.URL
	started := time.Now()

	desk := b.tab(false)

	// 登录 as the dispatcher: the desk lists cases, newest first.
	b.loginAs(desk, base, "zhiban", demoPassword)
	b.run(desk, "see the desk",
		chromedp.WaitVisible(css(`#case-list li`)),
		waitJS(`document.querySelector("#live").dataset.state === "on"`),
	)
	if n := value(b, desk, "count rows", js[int](`document.querySelectorAll("#case-list li").length`)); n < 10 {
		t.Errorf("desk lists %d cases, want a page of the demo history", n)
	}
	b.run(desk, "load more",
		chromedp.Click(css("#more")),
		waitJS(`document.querySelectorAll("#case-list li").length > 50`),
	)
	if !value(b, desk, "deadline markers", js[bool](`document.querySelectorAll('#case-list li[data-alarm="breached"] .badge.breached').length > 0`)) {
		t.Error("no case on the desk is marked as breached, though the demo has some")
	}

	// A plain Enter in a one-line field files nothing; what was typed
	// survives leaving the page (a session that ends mid-call) and comes
	// back; a reset clears it.
	var before int
	s.call(s.login("zhiban2"), "GET", "/api/v1/stats/summary?line=all&from=2000-01-01", nil, &struct {
		Total *int `json:"total"`
	}{&before})
	b.run(desk, "Enter in the name field",
		chromedp.SendKeys(css("#i-text"), "草稿：有人在厂门口"),
		chromedp.SendKeys(css("#i-name"), "李某\r"),
		chromedp.Sleep(500*time.Millisecond),
	)
	var after int
	s.call(s.login("zhiban2"), "GET", "/api/v1/stats/summary?line=all&from=2000-01-01", nil, &struct {
		Total *int `json:"total"`
	}{&after})
	if after != before || !value(b, desk, "nothing filed", js[bool](`document.querySelector("#intake-done").hidden`)) {
		t.Errorf("a plain Enter in the name field filed a report (%d cases, then %d)", before, after)
	}
	b.run(desk, "leave and come back",
		chromedp.Reload(),
		waitJS(`document.querySelector("#i-text").value === "草稿：有人在厂门口" && document.querySelector("#i-name").value === "李某"`),
		waitJS(`(document.querySelector("#intake-form").reset(), true)`),
		waitJS(`document.querySelector("#i-text").value === "" && sessionStorage.getItem("yizhan.intake.draft") === null`),
		waitJS(`document.querySelector("#live").dataset.state === "on"`),
	)

	// 受理: receive a report through the form; the routing preview names the
	// team. (Not of an incident the demo already has open: that report would
	// be merged into it at receipt.)
	const report = "三十多个工人聚在西城工业区一家锁具厂门口讨要工资，情绪激动"
	b.run(desk, "fill the intake form",
		chromedp.SendKeys(css("#i-text"), report),
		chromedp.SendKeys(css("#i-name"), "张某"),
		chromedp.SendKeys(css("#i-phone"), "13800000001"),
		chromedp.SendKeys(css("#i-address"), "西城工业区锁具路6号"),
		waitJS(`!document.querySelector("#routing").hidden && document.querySelector("#routing").textContent.includes("政务110先期处置队")`),
		waitJS(`!document.querySelector("#triage").hidden && document.querySelector("#triage").textContent.includes("研判建议")`),
	)
	b.screenshot(desk, "intake")
	b.run(desk, "receive the report",
		chromedp.Click(css("#intake-submit")),
		chromedp.WaitVisible(css("#intake-link")),
		waitJS(`document.querySelector("#case-list li.fresh") !== null`),
	)
	number := value(b, desk, "new case number", chromedp.Text(css("#intake-link")))
	if !strings.HasPrefix(number, "FJ") {
		t.Fatalf("new case number %q", number)
	}
	// The dispatcher's own report is no news to them.
	if !value(b, desk, "own report not counted as new", js[bool](`document.querySelector("#new-count").hidden`)) {
		t.Error("the dispatcher's own report is counted as 新到")
	}
	// A case a unit hands back is marked as such on the desk, live.
	var back struct {
		ID int64 `json:"id"`
	}
	zhiban2 := s.login("zhiban2")
	s.call(zhiban2, "POST", "/api/v1/cases", map[string]any{"channel": "12345", "text": "小区门口的垃圾堆了三天没人清运",
		"reporter": map[string]any{"name": "韩某", "phone": "13800000098"}}, &back)
	s.act(zhiban2, back.ID, map[string]any{"action": "dispatch", "unit_id": s.unitID(zhiban2, "政务110先期处置队")})
	s.act(s.login("chuzhi"), back.ID, map[string]any{"action": "return", "reason": "属环卫职责，非先期处置"})
	b.run(desk, "a returned case is marked",
		waitJS(fmt.Sprintf(`document.querySelector("#case-%d .badge.warning")?.textContent === "已退单1次"`, back.ID)))
	b.screenshot(desk, "desk")

	// Open it: the case page shows the report and its first event.
	b.run(desk, "open the new case",
		chromedp.Click(css("#intake-link")),
		waitJS(`document.querySelector("#case-number").textContent === `+jsString(number)),
		waitJS(`document.querySelectorAll("#timeline li").length >= 1`),
		waitJS(`document.querySelector("#live").dataset.state === "on"`),
	)
	caseURL := value(b, desk, "case URL", chromedp.Location())
	var caseID int64
	if _, err := fmt.Sscanf(caseURL, base+"/cases/%d", &caseID); err != nil {
		t.Fatalf("case URL %s: %v", caseURL, err)
	}
	if text := value(b, desk, "case text", chromedp.Text(css("#case-text"))); text != report {
		t.Errorf("case text %q", text)
	}
	events := value(b, desk, "count events", js[int](`document.querySelectorAll("#timeline li").length`))

	// 派单 to 政务110先期处置队: the suggestion is preselected; the timeline grows.
	team := s.unitID(s.login("zhiban2"), "政务110先期处置队")
	b.run(desk, "open the dispatch form",
		chromedp.Click(css(`#case-actions button[data-action="dispatch"]`)),
		chromedp.WaitVisible(css("#a-unit_id")),
	)
	b.screenshot(desk, "dispatch-dialog")
	if got := value(b, desk, "preselected unit", chromedp.Value(css("#a-unit_id"))); got != fmt.Sprint(team) {
		t.Errorf("dispatch form preselects unit %q, want the routing suggestion %d", got, team)
	}
	b.run(desk, "dispatch",
		chromedp.SetValue(css("#a-unit_id"), fmt.Sprint(team)),
		chromedp.Click(css("#action-submit")),
		waitJS(`document.querySelector('#timeline li[data-action="dispatch"]')?.textContent.includes("政务110先期处置队")`),
		waitJS(`document.querySelector("#case-status").textContent === "已派单"`),
		waitJS(fmt.Sprintf(`document.querySelectorAll("#timeline li").length === %d`, events+1)),
	)

	// Someone else acts (the responder signs for it on the phone): the
	// case page grows without a reload.
	chuzhi := s.login("chuzhi")
	s.act(chuzhi, caseID, map[string]any{"action": "accept"})
	b.run(desk, "see the accept arrive live on the case page",
		waitJS(`document.querySelector('#timeline li[data-action="accept"]') !== null`),
		waitJS(`document.querySelector("#case-status").textContent === "已签收"`),
	)
	if n := value(b, desk, "deadlines", js[int](`document.querySelectorAll("#deadline-table tbody tr").length`)); n < 4 {
		t.Errorf("case page shows %d deadlines, want the 12510 stages", n)
	}
	b.screenshot(desk, "case")

	// Back on the desk, the list changes live as others act.
	b.run(desk, "back to the desk",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(css(`#case-list li`)),
		waitJS(`document.querySelector("#live").dataset.state === "on"`),
	)
	s.act(chuzhi, caseID, map[string]any{"action": "arrive"})
	b.run(desk, "see the arrive on the desk",
		waitJS(fmt.Sprintf(`(r => r && r.dataset.status === "on_site" && r.classList.contains("fresh"))(document.querySelector("#case-%d"))`, caseID)),
	)
	var other struct {
		ID int64 `json:"id"`
	}
	s.call(s.login("zhiban2"), "POST", "/api/v1/cases", map[string]any{
		"channel": "12345", "text": "小区楼上装修噪音扰民，多次协商无果", "reporter": map[string]string{"name": "李某", "phone": "13800000002"},
	}, &other)
	b.run(desk, "see a case received at another desk appear",
		waitJS(fmt.Sprintf(`document.querySelector("#case-list li")?.id === "case-%d" && document.querySelector("#case-list li").classList.contains("fresh")`, other.ID)),
		waitJS(`!document.querySelector("#new-count").hidden`),
	)

	// The leader, in a browser context of their own, reads the dashboard.
	lead := b.tab(true)
	b.loginAs(lead, base, "lingdao", demoPassword)
	b.run(lead, "leader lands on the dashboard",
		waitJS(`location.pathname === "/dashboard"`),
		waitJS(`document.querySelector("#who")?.textContent === "李某领导"`),
		chromedp.Navigate(base+"/dashboard?from=2026-01-01&to=2026-10-31&line=incident"),
		waitJS(`document.querySelector("#kpi-total .value")?.textContent === "174起"`),
		waitJS(`(c => c && c.getOption().series[0].data.length === 4)(echarts.getInstanceByDom(document.getElementById("pie")))`),
		waitJS(`(c => c && c.getOption().series[0].data.length >= 5)(echarts.getInstanceByDom(document.getElementById("sla-chart")))`),
		waitJS(`document.querySelectorAll("#pie canvas, #sla-chart canvas").length >= 2`),
	)
	if rate := value(b, lead, "success rate", chromedp.Text(css("#kpi-rate .value"))); rate != "97.1%" {
		t.Errorf("success rate %q, want 97.1%%", rate)
	}
	row := value(b, lead, "其他纠纷 row", chromedp.Text(css(`#cat-table tr[data-category="other"]`)))
	for _, want := range []string{"14 起", "8.0%", "8%"} {
		if !strings.Contains(row, want) {
			t.Errorf("其他纠纷 row %q lacks %q", row, want)
		}
	}
	if p := value(b, lead, "period", chromedp.Text(css("#period-label"))); !strings.Contains(p, "2026年1月1日至2026年10月31日") {
		t.Errorf("period label %q", p)
	}
	b.screenshot(lead, "dashboard")
	b.run(lead, "switch to the night theme",
		chromedp.Click(css("#theme-toggle")),
		waitJS(`document.documentElement.dataset.theme === "dark" && echarts.getInstanceByDom(document.getElementById("pie")) !== undefined`),
	)
	b.screenshot(lead, "dashboard-night")

	// The reports come with the leader's token: the text at once, the
	// workbook as a download, the printable page in a new window.
	b.run(lead, "reports",
		chromedp.Click(css("#show-text")),
		waitJS(`!document.querySelector("#report-text").hidden && document.querySelector("#report-text").textContent.includes("174")`),
		chromedp.Click(css("#dl-xlsx")),
		waitJS(`document.querySelector("#report-note").textContent.startsWith("已下载")`),
		chromedp.Click(css("#open-html")),
		waitJS(`document.querySelector("#report-note").textContent.includes("报表")  && !document.querySelector("#report-note").textContent.startsWith("正在")`),
	)
	if banner := value(b, lead, "dashboard errors", js[string](`document.querySelector("#dash-error").hidden ? "" : document.querySelector("#dash-error").textContent`)); banner != "" {
		t.Errorf("dashboard shows an error: %s", banner)
	}

	// 值班表: who is on duty now.
	b.run(lead, "roster",
		chromedp.Navigate(base+"/roster"),
		waitJS(`document.querySelectorAll("#on-duty section.card").length > 0 && document.querySelector("#gaps").textContent !== ""`),
		waitJS(`document.querySelectorAll("#shifts tbody tr").length > 0`),
	)
	b.screenshot(lead, "roster")

	// 指标晾晒: the demo's 35 indicators ranked for last month, with the review.
	b.run(lead, "indicators",
		chromedp.Navigate(base+"/indicators"),
		waitJS(`document.querySelectorAll("#k-table tbody tr").length === 35 && document.querySelector("#k-review").textContent.includes("高质量发展指标")`),
	)
	if banner := value(b, lead, "indicator errors", js[string](`document.querySelector("#k-error").hidden ? "" : document.querySelector("#k-error").textContent`)); banner != "" {
		t.Errorf("indicators page shows an error: %s", banner)
	}
	b.screenshot(lead, "indicators")
	reportValues(t, b, lead, base)

	// 企业问题清单: the leader sees the rows the API gives, then each office
	// day's demands with the day's counts.
	problems(t, b, s, lead, base)

	// On a phone (390 px wide) the desk and the case page fit the screen,
	// and the responder sees only the buttons a responder may use.
	phone := b.tab(true)
	b.run(phone, "phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.loginAs(phone, base, "chuzhi", demoPassword)
	for i, p := range []string{"/", fmt.Sprintf("/cases/%d", caseID)} {
		b.run(phone, "open "+p+" on a phone",
			chromedp.Navigate(base+p),
			waitJS(`document.querySelector("#case-list li, #timeline li") !== null`),
		)
		if !value(b, phone, "fits", js[bool](fitsScreen)) {
			t.Errorf("%s is wider than a phone's screen", p)
		}
		if i == 0 {
			b.screenshot(phone, "desk-phone")
		}
	}
	// A report with a long link and an address without a space still
	// fits: the words break rather than widen the page.
	var long struct {
		ID int64 `json:"id"`
	}
	zhiban := s.login("zhiban2")
	s.call(zhiban, "POST", "/api/v1/cases", map[string]any{"channel": "12345",
		"text":    "群众反映网上招工被骗，链接 https://example.com/" + strings.Repeat("abcdefghij", 12) + " 请核实",
		"address": "某街道" + strings.Repeat("某工业园区某号", 10), "reporter": map[string]any{"name": "欧阳某某", "phone": "13800000099"}}, &long)
	s.act(zhiban, long.ID, map[string]any{"action": "dispatch", "unit_id": s.unitID(zhiban, "政务110先期处置队")})
	b.run(phone, "open a case with long words on a phone",
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", base, long.ID)),
		waitJS(`document.querySelector("#timeline li") !== null`),
	)
	if !value(b, phone, "fits", js[bool](fitsScreen)) {
		t.Error("a case with a long link is wider than a phone's screen")
	}
	b.run(phone, "back to the responder's case", chromedp.Navigate(fmt.Sprintf("%s/cases/%d", base, caseID)),
		waitJS(`document.querySelector("#timeline li") !== null`))
	if !value(b, phone, "responder's nav", js[bool](`document.querySelector('a[href="/problems"]').hidden`)) {
		t.Error("the responder's header links to the problem list")
	}
	// The buttons are exactly what the API allows this account now.
	b.run(phone, "responder's buttons settle", waitJS(actionsSettled))
	got := value(b, phone, "responder's buttons", js[string](caseButtons))
	if want := strings.Join(s.getCase(chuzhi, caseID).AllowedActions, ","); got != want {
		t.Errorf("responder's case page offers %q, want the allowed_actions %q", got, want)
	}
	for _, a := range []string{"dispatch", "merge", "reclassify", "reopen", "supervise"} {
		if slices.Contains(strings.Split(got, ","), a) {
			t.Errorf("responder's case page offers %s, a center or leader action", a)
		}
	}
	if !strings.Contains(got, "resolve") {
		t.Errorf("responder's case page offers %q, without 处置完毕", got)
	}
	b.screenshot(phone, "case-phone")

	// 处置完毕 from the phone: the form asks for the outcome first.
	b.run(phone, "resolve without an outcome",
		chromedp.Click(css(`#case-actions button[data-action="resolve"]`)),
		chromedp.WaitVisible(css("#a-outcome")),
		chromedp.Click(css("#action-submit")),
		waitJS(`!document.querySelector("#action-error").hidden && document.querySelector("#action-error").textContent.includes("处置结果")`),
	)
	b.run(phone, "resolve on site",
		chromedp.SetValue(css("#a-outcome"), "onsite_resolved"),
		chromedp.SendKeys(css("#a-note"), "经现场调解，企业承诺本周内结清工资"),
		chromedp.Click(css("#action-submit")),
		waitJS(`document.querySelector("#case-status").textContent === "处置完毕"`),
		waitJS(`document.querySelector('#timeline li[data-action="resolve"]')?.textContent.includes("现场化解")`),
	)

	b.checkErrors()
	t.Logf("browser test took %s", time.Since(started).Round(time.Millisecond))
}

// TestCaseWorkInBrowser works cases as the center does beyond the daily
// steps: merge a duplicate by the master's number and undo it, pause and
// resume the clocks, read the system's breach and supervision order, see
// a type of the zone's own taxonomy, a leader's buttons, and log out.
func TestCaseWorkInBrowser(t *testing.T) {
	b := newBrowser(t)
	s := newConsoleServer(t)
	base := s.srv.URL
	zhiban := s.login("zhiban")

	var master, dup caseView
	s.call(zhiban, "POST", "/api/v1/cases", map[string]any{
		"channel": "12345", "text": "菜市场门口有人占道摆摊，堵住了消防通道", "reporter": map[string]string{"name": "孙某", "phone": "13911110001"},
	}, &master)
	s.call(zhiban, "POST", "/api/v1/cases", map[string]any{
		"channel": "phone", "text": "东门口三轮车乱停，行人过不去", "reporter": map[string]string{"name": "周某", "phone": "13922220002"},
	}, &dup)
	if dup.Status == "merged" {
		t.Fatalf("the second report was merged at receipt; the test needs it separate")
	}

	desk := b.tab(false)
	b.loginAs(desk, base, "zhiban", demoPassword)

	// The zone's own type comes from GET /api/v1/taxonomy: the intake form offers it.
	b.run(desk, "the intake form offers the zone's type",
		waitJS(`document.documentElement.dataset.taxonomy === "server"`),
		waitJS(`[...document.querySelectorAll("#i-type option")].some((o) => o.value === "`+zoneType+`" && o.textContent === "`+zoneTypeLabel+`")`),
	)

	// 合并: the dialog takes the master's case number.
	caseURL := fmt.Sprintf("%s/cases/%d", base, dup.ID)
	b.run(desk, "open the duplicate",
		chromedp.Navigate(caseURL),
		waitJS(`document.querySelector("#case-number").textContent === `+jsString(dup.Number)),
		waitJS(`document.querySelector("#live").dataset.state === "on"`),
		waitJS(actionsSettled),
		chromedp.Click(css(`#case-actions button[data-action="merge"]`)),
		chromedp.WaitVisible(css("#a-into_number")),
		chromedp.SendKeys(css("#a-into_number"), "FJ19990101-0001"),
		chromedp.Click(css("#action-submit")),
		waitJS(`!document.querySelector("#action-error").hidden && document.querySelector("#action-error").textContent.includes("FJ19990101-0001")`),
	)
	b.screenshot(desk, "merge-dialog")
	value(b, desk, "clear the number", js[bool](`(document.querySelector("#a-into_number").value = "") === ""`))
	b.run(desk, "merge into the master by its number",
		chromedp.SendKeys(css("#a-into_number"), strings.ToLower(master.Number)),
		chromedp.Click(css("#action-submit")),
		waitJS(`document.querySelector("#case-status").textContent === "已合并"`),
		waitJS(`document.querySelector('#timeline li[data-action="merge"] a')?.textContent === `+jsString(master.Number)),
		waitJS(`document.querySelector("#case-fields").textContent.includes("已并入")`),
	)
	if n := value(b, desk, "master link", js[string](`document.querySelector('#case-fields a[href="/cases/`+fmt.Sprint(master.ID)+`"]')?.textContent || ""`)); n != master.Number {
		t.Errorf("已并入 links to %q, want the master's number %s", n, master.Number)
	}
	if got, want := value(b, desk, "merged case's buttons", js[string](caseButtons)), strings.Join(s.getCase(zhiban, dup.ID).AllowedActions, ","); got != want || want != "unmerge" {
		t.Errorf("merged case offers %q; the API allows %q (want unmerge)", got, want)
	}

	// 撤销合并: the case is back as it was; the master's timeline tells both.
	b.run(desk, "unmerge",
		chromedp.Click(css(`#case-actions button[data-action="unmerge"]`)),
		chromedp.WaitVisible(css("#a-reason")),
		chromedp.SendKeys(css("#a-reason"), "地点不同，不是同一件事"),
		chromedp.Click(css("#action-submit")),
		waitJS(`document.querySelector("#case-status").textContent === "已受理"`),
		waitJS(`document.querySelector('#timeline li[data-action="unmerge"]')?.textContent.includes("地点不同")`),
	)
	b.run(desk, "the master shows the duplicate added and removed",
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", base, master.ID)),
		waitJS(`document.querySelector('#timeline li[data-action="duplicate_added"]')?.textContent.includes(`+jsString(dup.Number)+`)`),
		waitJS(`document.querySelector('#timeline li[data-action="duplicate_added"]')?.textContent.includes("13922220002")`),
		waitJS(`document.querySelector('#timeline li[data-action="duplicate_removed"]')?.textContent.includes("撤销合并移出")`),
		waitJS(`document.querySelector("#live").dataset.state === "on"`),
	)

	// 挂起 and 恢复: the buttons follow the paused flag.
	b.run(desk, "pause",
		waitJS(actionsSettled),
		chromedp.Click(css(`#case-actions button[data-action="pause"]`)),
		chromedp.WaitVisible(css("#a-reason")),
		chromedp.SendKeys(css("#a-reason"), "等待当事人到场"),
		chromedp.Click(css("#action-submit")),
		waitJS(`document.querySelector("#case-flags").textContent.includes("已挂起")`),
		waitJS(`!!document.querySelector('#case-actions button[data-action="resume"]') && !document.querySelector('#case-actions button[data-action="pause"]')`),
		waitJS(`document.querySelector('#timeline li[data-action="pause"]')?.textContent.includes("等待当事人到场")`),
	)
	b.run(desk, "resume",
		chromedp.Click(css(`#case-actions button[data-action="resume"]`)),
		chromedp.WaitVisible(css("#action-submit")),
		chromedp.Click(css("#action-submit")),
		waitJS(`!document.querySelector("#case-flags").textContent.includes("已挂起")`),
		waitJS(`!!document.querySelector('#case-actions button[data-action="pause"]') && !document.querySelector('#case-actions button[data-action="resume"]')`),
	)

	// Reclassified elsewhere to the zone's own type: the page shows its label live.
	s.act(s.login("zhiban2"), master.ID, map[string]any{"action": "reclassify", "type": zoneType})
	b.run(desk, "the zone's type on the case page",
		waitJS(`document.querySelector("#case-fields").textContent.includes("其他纠纷 · `+zoneTypeLabel+`")`),
		waitJS(`document.querySelector('#timeline li[data-action="reclassify"]')?.textContent.includes("`+zoneTypeLabel+`")`),
		waitJS(actionsSettled),
	)

	// A demo case the scheduler found late: the breach and the system's
	// supervision order addressed to the leader on duty, 李某.
	late := lateCase(t, s, zhiban)
	b.run(desk, "a late case",
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", base, late)),
		waitJS(`document.querySelector('#timeline li[data-action="deadline_breach"][data-kind="alarm"]')?.textContent.includes("应于")`),
		waitJS(`document.querySelector('#timeline li[data-action="supervise"][data-automatic="true"][data-kind="alarm"]')?.textContent.includes("带班领导 李某")`),
	)
	b.screenshot(desk, "case-breached")

	// The leader sees the leader's buttons, and only those.
	lead := b.tab(true)
	b.loginAs(lead, base, "lingdao", demoPassword)
	b.run(lead, "the leader opens the late case",
		chromedp.Navigate(fmt.Sprintf("%s/cases/%d", base, late)),
		waitJS(`document.querySelectorAll("#timeline li").length > 0`),
		waitJS(actionsSettled),
	)
	got := value(b, lead, "leader's buttons", js[string](caseButtons))
	if want := strings.Join(s.getCase(s.login("lingdao"), late).AllowedActions, ","); got != want || !strings.Contains(got, "supervise") || strings.Contains(got, "dispatch") {
		t.Errorf("leader's case page offers %q; the API allows %q", got, want)
	}

	// 退出 ends the session on the server: the token no longer works.
	token := value(b, desk, "session token", js[string](`JSON.parse(sessionStorage.getItem("yizhan.session")).token`))
	if code := s.status(token, "GET", "/api/v1/me"); code != 200 {
		t.Fatalf("before logout: GET /api/v1/me answers %d", code)
	}
	b.run(desk, "log out",
		chromedp.Click(css("#logout")),
		waitJS(`location.pathname === "/login" && sessionStorage.getItem("yizhan.session") === null`),
	)
	if code := s.status(token, "GET", "/api/v1/me"); code != 401 {
		t.Errorf("after logout: GET /api/v1/me with the old token answers %d, want 401", code)
	}
	b.checkErrors()
}

// lateCase finds an open demo case on which the scheduler wrote an
// automatic supervision order.
func lateCase(t *testing.T, s *consoleServer, token string) int64 {
	t.Helper()
	var list struct {
		Items []caseView `json:"items"`
	}
	s.call(token, "GET", "/api/v1/cases?status=received,dispatched,accepted,on_site,mediating&limit=100", nil, &list)
	for _, c := range list.Items {
		for _, ev := range s.getCase(token, c.ID).Events {
			if ev.Action == "supervise" && ev.Details["automatic"] == true && ev.Details["leader_name"] == "李某" {
				return c.ID
			}
		}
	}
	t.Fatal("no demo case has an automatic supervision order for 李某")
	return 0
}

// TestFirstPasswordChangeInBrowser: an account that must change its first
// password is asked for a new one at login and then reaches the desk.
func TestFirstPasswordChangeInBrowser(t *testing.T) {
	b := newBrowser(t)
	s := newConsoleServer(t)
	hash, err := account.HashPassword("first-pass-123")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.st.CreateUser(context.Background(), account.NewUser{Username: "admin2", Name: "管理员", Role: casework.RoleAdmin}, hash, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	tab := b.tab(false)
	b.loginAs(tab, s.srv.URL, "admin2", "first-pass-123")
	b.run(tab, "asked for a new password", chromedp.WaitVisible(css("#new-password")))
	b.screenshot(tab, "first-password")
	b.run(tab, "change the first password",
		chromedp.SendKeys(css("#new-password"), "new-pass-4567"),
		chromedp.SendKeys(css("#new-password2"), "new-pass-4567"),
		chromedp.Click(css(`#password-form button[type=submit]`)),
		waitJS(`location.pathname === "/" && document.querySelector("#case-list li") !== null`),
	)
	// The old password no longer works, and the page says so in the API's words.
	b.run(tab, "log in with the old password",
		chromedp.Click(css("#logout")),
		chromedp.WaitVisible(css("#username")),
		chromedp.SendKeys(css("#username"), "admin2"),
		chromedp.SendKeys(css("#password"), "first-pass-123"),
		chromedp.Click(css(`#login-form button[type=submit]`)),
		chromedp.WaitVisible(css("#login-error")),
	)
	if msg := value(b, tab, "login error", chromedp.Text(css("#login-error"))); msg != "用户名或密码错误" {
		t.Errorf("login error %q", msg)
	}
	b.run(tab, "an unknown page",
		chromedp.Navigate(s.srv.URL+"/no/such/page"),
		waitJS(`document.querySelector("h1")?.textContent === "页面不存在"`),
	)
	b.checkErrors()
}

// caseButtons lists the case page's action buttons, comma-separated.
const caseButtons = `[...document.querySelectorAll("#case-actions button")].map((b) => b.dataset.action).join(",")`

// actionsSettled is true once the case page's buttons are the API's
// answer for this account, not waiting for a re-read after a live event.
const actionsSettled = `document.querySelector("#case-actions")?.getAttribute("aria-busy") === "false"`

func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}

// problemPage is the part of GET /api/v1/problem-list the test compares.
type problemPage struct {
	Items []struct {
		Number     string `json:"number"`
		State      string `json:"state"`
		Loop       string `json:"loop"`
		Enterprise *struct {
			Name string `json:"name"`
		} `json:"enterprise"`
	} `json:"items"`
	NextCursor *string `json:"next_cursor"`
}

func (p problemPage) numbers() string {
	out := make([]string, len(p.Items))
	for i, it := range p.Items {
		out[i] = it.Number
	}
	return strings.Join(out, ",")
}

// fitsScreen is true when nothing widens the page past the screen. On an
// emulated phone the browser zooms out to show a page that overflows, so
// window.innerWidth grows with it; the layout viewport (clientWidth) stays
// the screen's.
const fitsScreen = `document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1`

// problemRows are the numbers the problem list's table shows, in order.
const problemRows = `[...document.querySelectorAll("#p-table tbody tr")].map((r) => r.dataset.number).join(",")`

// problems reads the problem list (企业问题清单) as the leader: the first
// page is the API's, overdue and 待回访 rows are marked, and each office
// day held this year lists its demands with the day's counts. Then the
// enterprise account, on a phone, sees only the demands it raised.
func problems(t *testing.T, b *browser, s *consoleServer, lead context.Context, base string) {
	t.Helper()
	lingdao := s.login("lingdao")
	var want problemPage
	s.call(lingdao, "GET", "/api/v1/problem-list?limit=50", nil, &want)
	if len(want.Items) == 0 {
		t.Fatal("the demo gives the leader no problem-list items")
	}
	b.run(lead, "problem list",
		chromedp.Navigate(base+"/problems"),
		waitJS(`document.querySelectorAll("#p-table tbody tr").length > 0`),
	)
	if got := value(b, lead, "problem rows", js[string](problemRows)); got != want.numbers() {
		t.Errorf("problem list shows %s, want the API's %s", got, want.numbers())
	}
	if banner := value(b, lead, "problem list errors", js[string](`document.querySelector("#p-error").hidden ? "" : document.querySelector("#p-error").textContent`)); banner != "" {
		t.Errorf("problem list shows an error: %s", banner)
	}
	if more := value(b, lead, "more button", js[bool](`!document.querySelector("#p-more").hidden`)); more != (want.NextCursor != nil) {
		t.Errorf("加载更多 shown %v, want %v", more, want.NextCursor != nil)
	}
	for _, it := range want.Items {
		if it.State == "overdue" && !value(b, lead, "overdue row", js[bool](`document.querySelector(`+jsString(`#p-table tr[data-number="`+it.Number+`"]`)+`)?.classList.contains("breached") === true`)) {
			t.Errorf("overdue item %s is not marked", it.Number)
		}
	}
	b.screenshot(lead, "problems")

	// The office days held so far this year, each with its demands.
	var days struct {
		Items []struct {
			Date   string `json:"date"`
			Past   bool   `json:"past"`
			Counts struct {
				Total            int `json:"total"`
				AwaitingFollowUp int `json:"awaiting_follow_up"`
			} `json:"counts"`
		} `json:"items"`
	}
	s.call(lingdao, "GET", "/api/v1/office-days", nil, &days)
	demands, followUps := 0, 0
	for _, d := range days.Items {
		if !d.Past {
			continue
		}
		demands += d.Counts.Total
		followUps += d.Counts.AwaitingFollowUp
		var day problemPage
		s.call(lingdao, "GET", "/api/v1/problem-list?office_day="+d.Date+"&from=2000-01-01", nil, &day)
		if len(day.Items) != d.Counts.Total {
			t.Errorf("office day %s: the API lists %d demands, counts %d", d.Date, len(day.Items), d.Counts.Total)
		}
		date, err := time.Parse(time.DateOnly, d.Date)
		if err != nil {
			t.Fatalf("office day %q: %v", d.Date, err)
		}
		b.run(lead, "office day "+d.Date,
			chromedp.SetValue(css("#p-day"), d.Date),
			chromedp.Click(css(`#p-form button[type=submit]`)),
			waitJS(`document.querySelector("#p-loading").hidden && document.querySelector("#p-label").textContent.startsWith(`+jsString(date.Format("2006年1月2日"))+`)`),
			waitJS(`document.querySelector("#p-kpis .kpi.main .value")?.textContent === "`+fmt.Sprint(d.Counts.Total)+`"`),
		)
		if got := value(b, lead, "office day rows", js[string](problemRows)); got != day.numbers() {
			t.Errorf("office day %s shows %q, want %q", d.Date, got, day.numbers())
		}
		if d.Counts.AwaitingFollowUp > 0 && !value(b, lead, "待回访 marked", js[bool](`document.querySelector('#p-table tr[data-loop="awaiting_follow_up"] .badge.warning') !== null`)) {
			t.Errorf("office day %s: no 待回访 row is marked", d.Date)
		}
	}
	// Narrowed to one enterprise, picked by name, the list is the API's
	// for that enterprise; a name that is no enterprise is refused.
	const mine = "某五金制品有限公司"
	var ents struct {
		Items []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"items"`
	}
	s.call(lingdao, "GET", "/api/v1/enterprises", nil, &ents)
	var entID int64
	for _, e := range ents.Items {
		if e.Name == mine {
			entID = e.ID
		}
	}
	var ofMine problemPage
	s.call(lingdao, "GET", fmt.Sprintf("/api/v1/problem-list?enterprise_id=%d&limit=50", entID), nil, &ofMine)
	if len(ofMine.Items) == 0 || len(ofMine.Items) >= len(want.Items) {
		t.Errorf("the demo's %s has %d of the leader's %d items; the filter would show nothing", mine, len(ofMine.Items), len(want.Items))
	}
	b.run(lead, "the problem list of one enterprise",
		chromedp.SetValue(css("#p-day"), ""),
		chromedp.SetValue(css("#p-ent"), mine),
		chromedp.Click(css(`#p-form button[type=submit]`)),
		waitJS(`document.querySelector("#p-loading").hidden && document.querySelector("#p-label").textContent.startsWith(`+jsString(mine)+`)`),
	)
	if got := value(b, lead, "one enterprise's rows", js[string](problemRows)); got != ofMine.numbers() {
		t.Errorf("narrowed to %s the list shows %q, want the API's %q", mine, got, ofMine.numbers())
	}
	b.run(lead, "an enterprise that does not exist",
		chromedp.SetValue(css("#p-ent"), "不存在的公司"),
		chromedp.Click(css(`#p-form button[type=submit]`)),
		waitJS(`!document.querySelector("#p-error").hidden && document.querySelector("#p-error").textContent.includes("不存在的公司")`),
	)
	b.run(lead, "all enterprises again",
		waitJS(`(document.querySelector("#p-ent").value = "") === ""`),
		chromedp.Click(css(`#p-form button[type=submit]`)),
		waitJS(`document.querySelector("#p-loading").hidden && document.querySelector("#p-error").hidden`),
	)

	// The workbook of the list shown comes with the leader's token.
	b.run(lead, "download the problem list",
		chromedp.Click(css("#p-xlsx")),
		waitJS(`!document.querySelector("#p-xlsx").disabled`),
	)
	if banner := value(b, lead, "problem list errors", js[string](`document.querySelector("#p-error").hidden ? "" : document.querySelector("#p-error").textContent`)); banner != "" {
		t.Errorf("problem list download shows an error: %s", banner)
	}

	// The demo's six demands fall on the last three office days, two of
	// them awaiting the call; in the first months of a year some of those
	// days are last year's, which the select leaves out.
	if demands < 1 || demands > 6 || demands == 6 && followUps != 2 {
		t.Errorf("this year's office days list %d demands (%d awaiting the call), want the demo's six (two)", demands, followUps)
	}

	// The enterprise account, on a phone, sees only the demands it raised.
	qiye := s.login("qiye")
	var own problemPage
	s.call(qiye, "GET", "/api/v1/problem-list", nil, &own)
	// Its own: those it raised and those about its enterprise (its
	// micro-center is among the case's units), none of another's.
	for _, it := range own.Items {
		if it.Enterprise != nil && it.Enterprise.Name != mine {
			t.Errorf("the enterprise account's list has %s of %s", it.Number, it.Enterprise.Name)
		}
	}
	if len(own.Items) >= len(want.Items) {
		t.Errorf("the enterprise account's list has %d items, the leader's %d", len(own.Items), len(want.Items))
	}
	ent := b.tab(true)
	b.run(ent, "phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	b.loginAs(ent, base, "qiye", demoPassword)
	b.run(ent, "the enterprise's problem list",
		chromedp.Navigate(base+"/problems"),
		waitJS(`!document.querySelector('a[href="/problems"]').hidden`),
		waitJS(`document.querySelector("#p-loading").hidden && document.querySelector("#p-kpis .kpi") !== null`),
	)
	if got := value(b, ent, "enterprise rows", js[string](problemRows)); got != own.numbers() || len(own.Items) == 0 {
		t.Errorf("the enterprise account sees %q, want its own %q", got, own.numbers())
	}
	if !value(b, ent, "fits", js[bool](fitsScreen)) {
		t.Error("/problems is wider than a phone's screen")
	}
	if !value(b, ent, "no enterprise or unit picker", js[bool](`document.querySelector("#p-ent-wrap").hidden && document.querySelector("#p-unit-wrap").hidden`)) {
		t.Error("the enterprise account is offered filters by enterprise or unit")
	}
	b.screenshot(ent, "problems-phone")
}

// reportValues checks 报送数据 on the indicators page: the leader sees it;
// the department account laobao (劳动监察, responsible for P05) downloads
// its template and uploads a sheet the API refuses row by row; a grid
// account, responsible for no indicator, does not see the section.
func reportValues(t *testing.T, b *browser, lead context.Context, base string) {
	t.Helper()
	const ready = `document.querySelector("#k-report").dataset.ready === "true" && document.querySelectorAll("#k-table tbody tr").length === 35`
	b.run(lead, "the leader's reporting section", waitJS(ready+` && !document.querySelector("#k-report").hidden`))

	dept := b.tab(true)
	b.loginAs(dept, base, "laobao", demoPassword)
	b.run(dept, "the department's reporting section",
		chromedp.Navigate(base+"/indicators"),
		waitJS(ready+` && !document.querySelector("#k-report").hidden`),
	)
	// The download is caught at save's link: its name comes from the API.
	b.run(dept, "download the template",
		waitJS(`(() => {
			window.saved = [];
			HTMLAnchorElement.prototype.click = function () { window.saved.push(this.download); };
			return true;
		})()`),
		chromedp.Click(css("#k-template")),
		waitJS(`window.saved.includes("indicator-values.xlsx") && !document.querySelector("#k-template").disabled`),
	)
	if got := value(b, dept, "template result", chromedp.Text(css("#k-result"))); got != "" {
		t.Errorf("template download shows %q", got)
	}

	sheet := filepath.Join(t.TempDir(), "values.csv")
	csv := "指标代码,区域,期别,本期值\nNO-SUCH,某某经济开发区,2026-10,1\nP05,某某经济开发区,2026-10,abc\n"
	if err := os.WriteFile(sheet, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}
	b.run(dept, "upload a sheet with bad rows",
		chromedp.SetUploadFiles(css("#k-file"), []string{sheet}),
		chromedp.Click(css("#k-upload")),
		waitJS(`document.querySelectorAll("#k-result .row-errors li").length === 2 && !document.querySelector("#k-upload").disabled`),
	)
	rows := value(b, dept, "row errors", js[string](`[...document.querySelectorAll("#k-result li")].map((li) => li.textContent).join("\n")`))
	if !strings.HasPrefix(rows, "第 2 行：") || !strings.Contains(rows, "第 3 行：本期值“abc”不是数值") {
		t.Errorf("upload shows the rows\n%s\nwant 第 2 行 and 第 3 行's errors", rows)
	}
	if msg := value(b, dept, "upload message", chromedp.Text(css("#k-result .banner.error > p"))); !strings.Contains(msg, "未导入任何数据") {
		t.Errorf("upload message %q", msg)
	}
	b.run(dept, "scroll to the section", chromedp.ScrollIntoView(css("#k-report")))
	b.screenshot(dept, "indicators-report")

	grid := b.tab(true)
	b.loginAs(grid, base, "wangge", demoPassword)
	b.run(grid, "the grid account's indicators",
		chromedp.Navigate(base+"/indicators"),
		waitJS(ready),
	)
	if !value(b, grid, "the grid account's reporting section", js[bool](`document.querySelector("#k-report").hidden`)) {
		t.Error("the grid account, responsible for no indicator, sees 报送数据")
	}
}
