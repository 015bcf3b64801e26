// 高质量发展指标晾晒: the zone's rank on every indicator among the city's
// zones for a month or a week, the review in the zone's words, and the
// one-table report (一表清) to download or print. Everything comes from
// GET /api/v1/indicators/{ranking,review,export.*}. Accounts that may
// report figures also get 报送数据: the template to fill in and its upload
// (GET /api/v1/indicators/values/template, POST …/values/import).

import {blob, get, qs, upload} from "./api.js";
import {$, banner, fill, h, save} from "./dom.js";
import {errorText, start} from "./shell.js";
import {zoneToday} from "./format.js";

const me = start().user || {};

const TIER = {advantage: "优势", general: "一般", weak: "薄弱"};
const TIER_CLASS = {advantage: "ok", general: "plain", weak: "breached"};

$("k-form").addEventListener("submit", (e) => {
  e.preventDefault();
  load();
});
for (const b of document.querySelectorAll("[data-quick]")) {
  b.addEventListener("click", () => {
    $("k-period").value = b.dataset.quick === "week" ? lastWeek() : lastMonth();
    load();
  });
}
$("k-xlsx").addEventListener("click", downloadXLSX);
$("k-html").addEventListener("click", openHTML);
$("k-template").addEventListener("click", downloadTemplate);
$("k-upload-form").addEventListener("submit", (e) => {
  e.preventDefault();
  uploadValues();
});
showReporting();

const params = new URLSearchParams(location.search);
$("k-period").value = params.get("period") || lastMonth();
load();

/** lastMonth is the month before the zone's today, as 2026-10. */
function lastMonth() {
  const [y, m] = zoneToday().split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 2, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** lastWeek is the ISO week before the zone's today, as 2026-W47. */
function lastWeek() {
  const [y, m, day] = zoneToday().split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1, day - 7));
  // The ISO week's Thursday decides its year and number.
  d.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7));
  const week = Math.ceil(((d - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

function period() {
  return $("k-period").value.trim();
}

/**
 * progressCell shows completion beside the time schedule, with as many
 * decimals as it takes for two different figures not to read the same
 * (83.33% against 83.29%, not 83.3% against 83.3% while flagged behind).
 */
function progressCell(row) {
  if (row.progress === null || row.progress === undefined) return "—";
  if (row.schedule === null || row.schedule === undefined) return num(row.progress, 1) + "%";
  let d = 1;
  while (d < 4 && row.progress !== row.schedule && num(row.progress, d) === num(row.schedule, d)) d++;
  return `${num(row.progress, d)}%（时序 ${num(row.schedule, d)}%）`;
}

function num(v, digits = 2) {
  if (v === null || v === undefined) return "—";
  return Number.isInteger(v) ? String(v) : v.toFixed(digits).replace(/\.?0+$/, "");
}

function kpi(label, value, cls) {
  return h("div", {class: "kpi" + (cls ? " " + cls : "")}, h("div", {class: "label"}, label), h("div", {class: "value"}, String(value)));
}

function move(row) {
  if (row.rank_change === null || row.rank_change === undefined) return "";
  if (row.rank_change > 0) return `↑${row.rank_change}`;
  if (row.rank_change < 0) return `↓${-row.rank_change}`;
  return "持平";
}

function warning(row) {
  const out = [];
  for (const f of row.flags || []) {
    if (f === "not_reported") out.push("未报送");
    if (f === "weak") out.push("薄弱");
    if (f === "behind_schedule") out.push(row.indicator.aggregation === "sum" ? "落后时序进度" : "未达目标");
  }
  return out.join("、");
}

// schedules names the time schedules the totals are judged against: each
// one's data period's (in a week's ranking, its month's, not the week's).
function schedules(rk) {
  const seen = new Map();
  for (const row of rk.items) {
    if (row.schedule !== null && row.schedule !== undefined) seen.set(row.data_period, row.schedule);
  }
  if (seen.size === 0) return "";
  const parts = [...seen].sort((a, b) => a[0].localeCompare(b[0])).map(([p, v]) => `${p} 末 ${num(v, 1)}%`);
  return `时序进度（累计指标按数据期）${parts.join("、")}，`;
}

async function load() {
  banner($("k-error"), "");
  const q = qs({period: period()});
  history.replaceState(null, "", "/indicators" + q);
  try {
    const [rk, rv] = await Promise.all([get("/api/v1/indicators/ranking" + q), get("/api/v1/indicators/review" + q)]);
    $("k-label").textContent = `${rk.label}（${rk.start} 至 ${rk.end}），${schedules(rk)}${rk.zone.name}与全市 ${rk.zones.length} 个区域比拼`;
    const s = rk.summary;
    fill($("k-kpis"),
      kpi("指标", s.indicators, "main"), kpi("已报送", s.reported), kpi("排名第一", s.first), kpi("优势指标", s.advantage),
      kpi("一般指标", s.general), kpi("薄弱指标", s.weak), kpi("落后时序或目标", s.behind_schedule),
      kpi("较上期上升", s.improved), kpi("较上期下降", s.fell));
    fill($("k-review"), (rv.sentences || []).map((t) => h("p", {}, t)));
    drawTable(rk);
  } catch (err) {
    fill($("k-kpis"));
    fill($("k-review"));
    fill($("k-table"));
    banner($("k-error"), errorText(err));
  }
}

function drawTable(rk) {
  const head = h("thead", {}, h("tr", {},
    ["维度", "指标", "数据期", "本区值", "年度目标", "完成进度", "排名", "档次", "较上期", "预警"].map((t, i) =>
      h("th", {scope: "col", class: i >= 3 && i <= 6 ? "num" : ""}, t))));
  let group = "";
  const rows = rk.items.map((row) => {
    const ind = row.indicator;
    const first = ind.group !== group;
    group = ind.group;
    return h("tr", {class: row.flags.length ? "breached" : ""},
      h("td", {}, first ? ind.group : ""),
      h("td", {}, h("span", {class: "muted small"}, ind.code + " "), ind.name, ind.measure ? h("span", {class: "muted small"}, `（${ind.measure}）`) : null),
      h("td", {}, row.data_period),
      h("td", {class: "num"}, row.pending && !row.reported ? h("span", {class: "muted small"}, "未到报送期") : num(row.value, 6)),
      h("td", {class: "num"}, num(ind.target, 6)),
      h("td", {class: "num"}, progressCell(row)),
      h("td", {class: "num"}, row.rank ? `${row.rank}/${row.ranked}` : "—"),
      h("td", {}, row.tier ? h("span", {class: "badge " + TIER_CLASS[row.tier]}, TIER[row.tier]) : ""),
      h("td", {}, move(row)),
      h("td", {}, warning(row)));
  });
  fill($("k-table"), head, h("tbody", {}, rows));
}

async function downloadXLSX() {
  const btn = $("k-xlsx");
  btn.disabled = true;
  try {
    const ans = await blob("/api/v1/indicators/export.xlsx" + qs({period: period()}));
    save(ans.blob, ans.filename || `indicators-${period()}.xlsx`);
  } catch (err) {
    banner($("k-error"), errorText(err));
  } finally {
    btn.disabled = false;
  }
}

async function openHTML() {
  // Open the window while the click still counts as the user's, then fill it.
  const win = window.open("", "_blank");
  try {
    const ans = await blob("/api/v1/indicators/export.html" + qs({period: period()}));
    const url = URL.createObjectURL(new Blob([ans.blob], {type: "text/html;charset=utf-8"}));
    if (win) win.location.href = url;
    else banner($("k-error"), "浏览器拦截了新窗口，请允许本站弹出窗口后重试。");
  } catch (err) {
    if (win) win.close();
    banner($("k-error"), errorText(err));
  }
}

/**
 * showReporting shows 报送数据 to an account with indicators to report,
 * then marks the section data-ready, shown or not. It follows the API's
 * rule (api.mayReportIndicator): leaders and administrators report any
 * figure, an account of a responsible unit (责任单位) those of the
 * indicators whose unit_id is its unit.
 */
async function showReporting() {
  const section = $("k-report");
  try {
    let may = me.role === "admin" || me.role === "leader";
    if (!may && me.unit_id != null) {
      const list = await get("/api/v1/indicators?active=true");
      may = (list.items || []).some((ind) => ind.unit_id === me.unit_id);
    }
    section.hidden = !may;
  } catch {
    // Without the catalogue the section stays hidden; the ranking shows the error.
  } finally {
    section.dataset.ready = "true";
  }
}

async function downloadTemplate() {
  const btn = $("k-template");
  btn.disabled = true;
  fill($("k-result"));
  try {
    const ans = await blob("/api/v1/indicators/values/template?format=xlsx");
    save(ans.blob, ans.filename || "indicator-values.xlsx");
  } catch (err) {
    result("error", errorText(err));
  } finally {
    btn.disabled = false;
  }
}

// formatOf names a file's format by its extension; anything else is left
// to the server, which reads the Content-Type and the first bytes.
function formatOf(file) {
  const m = /\.(csv|xlsx)$/i.exec(file.name);
  return m ? m[1].toLowerCase() : "";
}

async function uploadValues() {
  const input = $("k-file");
  const file = input.files[0];
  if (!file) {
    input.setAttribute("aria-invalid", "true");
    input.focus();
    result("error", "请先选择填好的文件");
    return;
  }
  input.removeAttribute("aria-invalid");
  const controls = [$("k-upload"), $("k-template"), input];
  for (const c of controls) c.disabled = true;
  $("k-report").setAttribute("aria-busy", "true");
  result("", "正在上传…");
  try {
    const ans = await upload("/api/v1/indicators/values/import" + qs({format: formatOf(file)}), file);
    result("ok", `已导入 ${ans.imported} 条`);
    input.value = "";
    load();
  } catch (err) {
    result("error", errorText(err), err.rows);
  } finally {
    for (const c of controls) c.disabled = false;
    $("k-report").removeAttribute("aria-busy");
  }
}

/** result shows the upload's outcome, with the rows refused, if any. */
function result(kind, text, rows) {
  const list = rows && rows.length
    ? h("ul", {class: "row-errors"}, rows.map((r) => h("li", {}, r.row > 0 ? `第 ${r.row} 行：${r.message}` : r.message)))
    : null;
  fill($("k-result"), h("div", {class: "banner" + (kind ? " " + kind : "")}, h("p", {}, text), list));
}
