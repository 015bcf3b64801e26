// 领导看板: the zone's figures for a period. The contract's summary (total,
// categories with one-decimal and whole percentages, success rate), the
// 12510 stages' on-time rates, returns per unit, 环比/同比, and the
// reports to download. Charts are Apache ECharts (vendored, global
// `echarts`, loaded by a classic script before this module).

import {blob, get, qs} from "./api.js";
import {$, banner, fill, h, options, save} from "./dom.js";
import {LINE, STAGE, label} from "./labels.js";
import {addDays, dateCN, pct, seconds, zoneToday} from "./format.js";
import {dark, errorText, start, zone} from "./shell.js";

start();
const charts = {pie: null, sla: null};
let data = null;

options($("p-line"), [...Object.entries(LINE), ["all", "全部业务线"]], "incident");
// The default period ends today in the zone: wait for its time.
zone().finally(() => {
  readPeriod();
  load();
});

$("period").addEventListener("submit", (e) => {
  e.preventDefault();
  if ($("p-from").value > $("p-to").value) {
    banner($("dash-error"), "开始日期不能晚于结束日期");
    return;
  }
  writePeriod();
  load();
});
for (const b of document.querySelectorAll("[data-quick]")) {
  b.addEventListener("click", () => {
    quick(b.dataset.quick);
    writePeriod();
    load();
  });
}
$("dl-xlsx").addEventListener("click", downloadXLSX);
$("open-html").addEventListener("click", openHTML);
$("show-text").addEventListener("click", showText);
addEventListener("resize", () => Object.values(charts).forEach((c) => c && c.resize()));
addEventListener("themechange", () => data && drawCharts(data));

function readPeriod() {
  const p = new URLSearchParams(location.search);
  const today = zoneToday();
  $("p-from").value = p.get("from") || today.slice(0, 4) + "-01-01";
  $("p-to").value = p.get("to") || today;
  if (p.get("line")) $("p-line").value = p.get("line");
}

function writePeriod() {
  history.replaceState(null, "", location.pathname + qs({from: $("p-from").value, to: $("p-to").value, line: $("p-line").value}));
}

function quick(kind) {
  const today = zoneToday();
  const first = today.slice(0, 8) + "01";
  switch (kind) {
    case "month":
      $("p-from").value = first;
      $("p-to").value = today;
      break;
    case "last-month": {
      const lastDay = addDays(first, -1);
      $("p-from").value = lastDay.slice(0, 8) + "01";
      $("p-to").value = lastDay;
      break;
    }
    case "year":
      $("p-from").value = today.slice(0, 4) + "-01-01";
      $("p-to").value = today;
      break;
    case "30d":
      $("p-from").value = addDays(today, -29);
      $("p-to").value = today;
      break;
  }
}

/** period is the API's [from, to): the end date is shown inclusive. */
function period() {
  const line = $("p-line").value;
  return {from: $("p-from").value, to: addDays($("p-to").value, 1), line};
}

async function load() {
  banner($("dash-error"), "");
  const p = period();
  const lineQ = p.line === "all" ? "" : p.line;
  $("period-label").textContent = `${dateCN($("p-from").value)}至${dateCN($("p-to").value)} · ${p.line === "all" ? "全部业务线" : label(LINE, p.line)}`;
  try {
    const [summary, sla, returns, trend] = await Promise.all([
      get("/api/v1/stats/summary" + qs(p)),
      get("/api/v1/stats/sla" + qs({from: p.from, to: p.to, line: lineQ})),
      get("/api/v1/stats/returns" + qs(p)),
      get("/api/v1/stats/trend" + qs(p)),
    ]);
    data = {summary, sla, returns, trend};
    render(data);
  } catch (err) {
    banner($("dash-error"), err.status === 403 ? `${errorText(err)}，您的账号无权查看。` : errorText(err));
    if (err.status === 403) {
      $("period").hidden = true;
      for (const el of document.querySelectorAll(".dash-grid, #kpis")) el.hidden = true;
    }
  }
}

function kpi(labelText, value, unit, cls, id) {
  return h("div", {class: "kpi " + (cls || ""), id},
    h("div", {class: "label"}, labelText),
    h("div", {class: "value"}, String(value), unit ? h("span", {class: "unit"}, unit) : null));
}

function render(d) {
  const sm = d.summary;
  fill($("kpis"),
    kpi("实际流转纠纷", sm.total, "起", "main", "kpi-total"),
    kpi("成功调处", sm.success, "起", "", "kpi-success"),
    kpi("成功调处率", pct(sm.success_rate), "", "main", "kpi-rate"),
    kpi("办理中", sm.open, "起"),
    kpi("移交仲裁、诉讼", sm.referred ?? 0, "起"),
    kpi("未化解", sm.unresolved ?? 0, "起"),
    kpi("移交公安（另计）", sm.referred_police, "起"),
    kpi("合并重复报警（另计）", sm.merged, "起"),
  );
  renderCategories(sm);
  renderSLA(d.sla);
  renderTrend(d.trend);
  renderReturns(d.returns);
  drawCharts(d);
  $("report-text").hidden = true;
  $("report-note").textContent = "";
}

function renderCategories(sm) {
  const cats = sm.by_category || [];
  fill($("cat-table"),
    h("thead", {}, h("tr", {}, h("th", {}, "类别"), h("th", {class: "num"}, "件数"), h("th", {class: "num"}, "占比"), h("th", {class: "num"}, "占比（取整）"))),
    h("tbody", {}, cats.map((c) => h("tr", {dataset: {category: c.category}},
      h("td", {}, c.label),
      h("td", {class: "num"}, `${c.count} 起`),
      h("td", {class: "num"}, pct(c.percent)),
      h("td", {class: "num"}, `${c.percent_whole}%`)))),
    h("tfoot", {}, h("tr", {}, h("th", {}, "合计"), h("th", {class: "num"}, `${sm.total} 起`), h("th", {class: "num"}, sm.total ? "100%" : "—"), h("th", {class: "num"}, sm.total ? "100%" : "—"))),
  );
  if (sm.method) $("cat-table").title = sm.method;
}

function renderSLA(sla) {
  const stages = sla.stages || [];
  fill($("sla-table"),
    h("thead", {}, h("tr", {}, h("th", {}, "环节"), h("th", {class: "num"}, "计时件数"), h("th", {class: "num"}, "按时"), h("th", {class: "num"}, "超时"), h("th", {class: "num"}, "按时率"), h("th", {class: "num"}, "中位用时"), h("th", {class: "num"}, "90%用时"))),
    h("tbody", {}, stages.map((st) => h("tr", {},
      h("td", {}, st.label || label(STAGE, st.stage)),
      h("td", {class: "num"}, st.count),
      h("td", {class: "num"}, st.on_time),
      h("td", {class: "num"}, st.breached),
      h("td", {class: "num"}, st.count ? pct(st.on_time_rate) : "—"),
      h("td", {class: "num"}, seconds(st.median_seconds)),
      h("td", {class: "num"}, seconds(st.p90_seconds))))),
  );
}

function delta(v, unit, base) {
  if (v === null || v === undefined) return h("span", {class: "muted"}, base ? "无可比数据" : "上期无数据");
  const cls = v > 0 ? "up" : v < 0 ? "down" : "";
  const sign = v > 0 ? "↑ +" : v < 0 ? "↓ " : "";
  return h("span", {class: "delta " + cls}, `${sign}${Number(v).toFixed(1)}${unit}`);
}

function periodText(p) {
  if (!p || !p.from) return "";
  return `${dateCN(p.from)}至${dateCN(addDays(p.to.slice(0, 10), -1))}`;
}

function renderTrend(t) {
  const cur = t.current || {};
  const side = (title, other, totalChange, rateChange) => h("div", {class: "kpi"},
    h("div", {class: "label"}, title, " · ", periodText(other)),
    h("p", {}, `纠纷 ${other?.total ?? 0} 起 → ${cur.total ?? 0} 起　`, delta(totalChange, "%")),
    h("p", {}, `成功调处率 ${other && other.total ? pct(other.success_rate) : "—"} → ${pct(cur.success_rate)}　`, delta(rateChange, " 个百分点")),
  );
  fill($("trend"),
    h("div", {class: "trend-grid"},
      side("环比", t.previous, t.total_mom, t.success_rate_mom),
      side("同比", t.last_year, t.total_yoy, t.success_rate_yoy)),
    t.compared_periods ? h("p", {class: "small muted"}, t.compared_periods) : null,
  );
}

function renderReturns(r) {
  const rows = (r.units || []).slice().sort((a, b) => (b.returns - a.returns) || (b.transfers - a.transfers));
  if (!rows.length) {
    fill($("returns"), h("p", {class: "muted"}, "本期没有退单或转办。"));
    return;
  }
  fill($("returns"), h("table", {class: "table"},
    h("thead", {}, h("tr", {}, h("th", {}, "单位"), h("th", {class: "num"}, "退单"), h("th", {class: "num"}, "转办"))),
    h("tbody", {}, rows.map((u) => h("tr", {},
      h("td", {}, u.unit_name || `单位#${u.unit_id}`),
      h("td", {class: "num"}, u.returns),
      h("td", {class: "num"}, u.transfers)))),
  ));
}

const PALETTE = ["#2563eb", "#f59e0b", "#10b981", "#8b5cf6", "#ef4444", "#14b8a6"];

function chart(key, el) {
  if (charts[key]) charts[key].dispose();
  charts[key] = window.echarts.init(el, dark() ? "dark" : null, {locale: "ZH", renderer: "canvas"});
  return charts[key];
}

function drawCharts(d) {
  if (!window.echarts) {
    banner($("dash-error"), "图表组件未能加载，数字仍可查看。");
    return;
  }
  const bg = "transparent";
  const text = getComputedStyle(document.documentElement).getPropertyValue("--text").trim();
  // The canvas needs the family spelled out: "inherit" means nothing to it.
  const font = getComputedStyle(document.body).fontFamily;
  const cats = (d.summary.by_category || []).map((c) => ({
    name: c.label, value: c.count, percent: c.percent, percent_whole: c.percent_whole,
  }));
  const fmt = (p) => `${p.name}\n${p.value}起 · ${Number(p.data.percent).toFixed(1)}%（${p.data.percent_whole}%）`;
  const narrow = $("pie").clientWidth < 480;
  const counts = new Map(cats.map((c) => [c.name, c.value]));
  chart("pie", $("pie")).setOption({
    backgroundColor: bg,
    color: PALETTE,
    textStyle: {fontFamily: font, fontSize: 13},
    tooltip: {trigger: "item", formatter: (p) => fmt(p).replace("\n", "：")},
    // On a phone the labels beside the ring would be cut off: the share
    // goes inside each slice and the legend carries names and counts.
    legend: narrow
      ? {bottom: 0, textStyle: {color: text, fontSize: 13}, formatter: (name) => `${name} ${counts.get(name) ?? ""}起`}
      : {bottom: 0, textStyle: {color: text, fontSize: 13}},
    series: [{
      type: "pie",
      radius: narrow ? ["30%", "60%"] : ["35%", "62%"],
      center: ["50%", "45%"],
      avoidLabelOverlap: true,
      label: narrow
        ? {position: "inside", formatter: (p) => `${p.data.percent_whole}%`, color: "#fff", fontSize: 12}
        : {formatter: fmt, color: text, fontSize: 13, lineHeight: 18},
      data: cats,
    }],
  });
  const stages = d.sla.stages || [];
  chart("sla", $("sla-chart")).setOption({
    backgroundColor: bg,
    textStyle: {fontFamily: font, fontSize: 13},
    grid: {left: 48, right: 16, top: 32, bottom: 32},
    tooltip: {trigger: "axis", valueFormatter: (v) => `${Number(v).toFixed(1)}%`},
    xAxis: {type: "category", data: stages.map((st) => st.label || label(STAGE, st.stage)), axisLabel: {color: text, fontSize: 13}},
    yAxis: {type: "value", min: 0, max: 100, axisLabel: {formatter: "{value}%", color: text, fontSize: 12}},
    series: [{
      type: "bar",
      name: "按时率",
      barMaxWidth: 48,
      data: stages.map((st) => ({
        value: st.on_time_rate,
        itemStyle: {color: st.on_time_rate >= 95 ? "#16a34a" : st.on_time_rate >= 80 ? "#f59e0b" : "#dc2626"},
      })),
      label: {show: true, position: "top", color: text, fontSize: 13, fontWeight: "bold", formatter: (p) => `${Number(p.value).toFixed(1)}%`},
    }],
  });
}

function reportQuery() {
  const p = period();
  return qs({from: p.from, to: p.to, line: p.line});
}

async function downloadXLSX() {
  const btn = $("dl-xlsx");
  btn.disabled = true;
  $("report-note").textContent = "正在生成 Excel 报表…";
  try {
    const ans = await blob("/api/v1/reports/summary.xlsx" + reportQuery());
    const name = ans.filename || `summary-${$("p-from").value}.xlsx`;
    save(ans.blob, name);
    $("report-note").textContent = `已下载 ${name}`;
  } catch (err) {
    $("report-note").textContent = "";
    banner($("dash-error"), errorText(err));
  } finally {
    btn.disabled = false;
  }
}

async function openHTML() {
  // Open the window while the click still counts as the user's, then fill it.
  const win = window.open("", "_blank");
  $("report-note").textContent = "正在生成 HTML 报表…";
  try {
    const ans = await blob("/api/v1/reports/summary.html" + reportQuery());
    const url = URL.createObjectURL(new Blob([ans.blob], {type: "text/html;charset=utf-8"}));
    if (win) {
      win.location.href = url;
      $("report-note").textContent = "报表已在新窗口打开。";
    } else {
      fill($("report-note"), "浏览器拦截了新窗口，", h("a", {href: url, target: "_blank", rel: "noopener"}, "点此打开报表"), "。");
    }
  } catch (err) {
    if (win) win.close();
    $("report-note").textContent = "";
    banner($("dash-error"), errorText(err));
  }
}

async function showText() {
  const pre = $("report-text");
  try {
    const ans = await blob("/api/v1/reports/summary.txt" + reportQuery());
    pre.textContent = await ans.blob.text();
    pre.hidden = false;
  } catch (err) {
    banner($("dash-error"), errorText(err));
  }
}
