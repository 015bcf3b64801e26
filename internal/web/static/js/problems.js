// 企业问题清单: the enterprise demands the account may see, one row each
// with its owner, deadline, latest progress and how far its loop has come
// (闭环), filtered by state and by the office day (现场办公日) they were
// raised at, by enterprise and by unit (lead or co-unit), and the same
// list as a workbook. Everything comes from GET /api/v1/problem-list,
// /problem-list/export.xlsx, /office-days, /enterprises and /units.

import {blob, get, qs} from "./api.js";
import {$, banner, fill, h, save} from "./dom.js";
import {errorText, start, zone} from "./shell.js";
import {dateCN, short, when, zoneToday} from "./format.js";
import {unitOptions, units as loadUnits} from "./units.js";

const session = start();
const role = session.user?.role;
// An enterprise account sees only its own demands, a department only its
// unit's: the filters that would not narrow anything are not offered.
const byEnterprise = role !== "enterprise";
const byUnit = !["enterprise", "department", "station", "grid"].includes(role);

const PAGE = 50;

const STATE_CLASS = {in_progress: "plain", overdue: "breached", done: "ok"};
const LOOP_CLASS = {open: "plain", awaiting_follow_up: "warning", closed: "ok"};

const state = {
  filter: {},
  items: [],
  cursor: null,
  loading: 0,
  // days are this year's office days held so far, by date.
  days: new Map(),
  // enterprises are the zone's enterprises by name, for the filter.
  enterprises: new Map(),
};

$("p-form").addEventListener("submit", (e) => {
  e.preventDefault();
  applyFilter();
});
for (const id of ["p-status", "p-day", "p-recent", "p-unit", "p-ent"]) $(id).addEventListener("change", applyFilter);
$("p-more").addEventListener("click", () => reload(true));
$("p-xlsx").addEventListener("click", downloadXLSX);

const params = new URLSearchParams(location.search);
$("p-status").value = params.get("status") || "";
$("p-recent").value = params.get("recent_days") || "";
init(params.get("office_day") || "", params.get("enterprise_id") || "", params.get("unit_id") || "");

async function init(day, enterpriseID, unitID) {
  // The office days are listed in the zone's year, so its today is needed first.
  await zone();
  await Promise.all([loadDays(day), loadEnterprises(enterpriseID), loadUnitPicker(unitID)]);
  applyFilter();
}

/** loadEnterprises fills the enterprise picker (a searchable list). */
async function loadEnterprises(selectedID) {
  if (!byEnterprise) return;
  try {
    const ans = await get("/api/v1/enterprises");
    const items = (ans.items || []).slice().sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
    for (const e of items) state.enterprises.set(e.name, e);
    fill($("p-ent-list"), items.map((e) => h("option", {value: e.name})));
    const chosen = items.find((e) => String(e.id) === selectedID);
    $("p-ent").value = chosen ? chosen.name : "";
    $("p-ent-wrap").hidden = false;
  } catch (err) {
    banner($("p-error"), errorText(err));
  }
}

/** loadUnitPicker fills the unit select, grouped by kind. */
async function loadUnitPicker(selectedID) {
  if (!byUnit) return;
  try {
    const map = await loadUnits();
    fill($("p-unit"),
      h("option", {value: ""}, "全部单位"),
      unitOptions(map).map((g) => h("optgroup", {label: g.group},
        g.items.map(([id, name]) => h("option", {value: id}, name)))));
    $("p-unit").value = map.has(Number(selectedID)) ? selectedID : "";
    $("p-unit-wrap").hidden = false;
  } catch (err) {
    banner($("p-error"), errorText(err));
  }
}

/**
 * enterpriseID answers the id of the enterprise named in the picker, ""
 * for none, or null when the name matches no enterprise.
 */
function enterpriseID() {
  const name = $("p-ent").value.trim();
  if (!name) return "";
  const e = state.enterprises.get(name);
  return e ? String(e.id) : null;
}

/** loadDays fills the office-day select with this year's days held so far. */
async function loadDays(selected) {
  const today = zoneToday();
  try {
    const ans = await get("/api/v1/office-days" + qs({from: today.slice(0, 4) + "-01-01", to: today}));
    const past = (ans.items || []).filter((d) => d.past).reverse();
    for (const d of past) state.days.set(d.date, d);
    fill($("p-day"),
      h("option", {value: ""}, "全部诉求"),
      past.map((d) => h("option", {value: d.date}, `${dateCN(d.date)}（${d.counts.total} 件）`)));
  } catch (err) {
    banner($("p-error"), errorText(err));
  }
  $("p-day").value = state.days.has(selected) ? selected : "";
}

function applyFilter() {
  const day = $("p-day").value;
  // The range applies to the list without an office day; a day shows all its demands.
  $("p-recent").disabled = day !== "";
  const ent = enterpriseID();
  if (ent === null) {
    banner($("p-error"), `没有名为“${$("p-ent").value.trim()}”的企业，请从列表中选择。`);
    return;
  }
  state.filter = {
    status: $("p-status").value, office_day: day, recent_days: day ? "" : $("p-recent").value,
    enterprise_id: ent, unit_id: $("p-unit").value,
  };
  history.replaceState(null, "", location.pathname + qs(state.filter));
  reload(false);
}

/**
 * query is the API's filter for the page's: an office day is asked with a
 * period starting the day before it, since without a period the API shows
 * only the open items and those settled in the last days, and the API
 * narrows the period to the demands raised at the day anyway.
 */
function query() {
  const f = state.filter;
  const who = {enterprise_id: f.enterprise_id, unit_id: f.unit_id};
  if (!f.office_day) return {status: f.status, recent_days: f.recent_days, ...who};
  const [y, m, d] = f.office_day.split("-").map(Number);
  const before = new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
  return {status: f.status, office_day: f.office_day, from: before, ...who};
}

/** reload fetches the first page again, or the next one when more is true. */
async function reload(more) {
  const ticket = ++state.loading;
  const moreBtn = $("p-more");
  banner($("p-error"), "");
  $("p-loading").hidden = more;
  $("p-empty").hidden = true;
  moreBtn.disabled = true;
  try {
    const ans = await get("/api/v1/problem-list" + qs({...query(), limit: PAGE, cursor: more ? state.cursor : ""}));
    if (ticket !== state.loading) return;
    state.items = more ? state.items.concat(ans.items || []) : ans.items || [];
    state.cursor = ans.next_cursor;
    moreBtn.hidden = !ans.next_cursor;
    $("p-empty").hidden = state.items.length > 0;
    drawSummary();
    drawTable();
  } catch (err) {
    if (ticket !== state.loading) return;
    state.items = [];
    fill($("p-kpis"));
    fill($("p-table"));
    $("p-label").textContent = "";
    banner($("p-error"), errorText(err));
  } finally {
    if (ticket === state.loading) {
      $("p-loading").hidden = true;
      moreBtn.disabled = false;
    }
  }
}

/** count adds up items as the API's problemlist.Count does. */
function count(items) {
  const n = {total: 0, done: 0, in_progress: 0, overdue: 0, closed: 0, awaiting_follow_up: 0};
  for (const it of items) {
    n.total++;
    n[it.state]++;
    if (it.loop === "closed" || it.loop === "awaiting_follow_up") n[it.loop]++;
  }
  return n;
}

function kpi(label, value, cls) {
  return h("div", {class: "kpi" + (cls ? " " + cls : "")}, h("div", {class: "label"}, label), h("div", {class: "value"}, String(value)));
}

// drawSummary shows the counts: an office day's are the API's, for all
// the day's demands the account may see; otherwise, or when narrowed to an
// enterprise or a unit, they are added up from the rows loaded so far, and
// say so.
function drawSummary() {
  const f = state.filter;
  const day = state.days.get(f.office_day);
  const whose = [
    f.enterprise_id ? $("p-ent").value.trim() : "",
    f.unit_id ? $("p-unit").selectedOptions[0].textContent + "主办或协办" : "",
  ].filter(Boolean).join("、");
  let n, note;
  if (day && !whose) {
    n = day.counts;
    note = `${dateCN(day.date)}（${day.weekday}）现场办公日，${day.place}。统计为当日全部诉求（不受状态筛选影响）。`;
  } else {
    n = count(state.items);
    const status = f.status ? `中${$("p-status").selectedOptions[0].textContent}的` : "";
    const range = day ? `${dateCN(day.date)}现场办公日提出的`
      : `未办结及${{"90": "近 90 天", "366": "近一年"}[f.recent_days] || "近 30 天"}内办结或有变化的`;
    note = (whose ? whose + "的" : "") + `${range}企业诉求${status}。统计按已加载的 ${state.items.length} 条计算` +
      (state.cursor ? "，还有更多未加载。" : "，已全部加载。");
  }
  $("p-label").textContent = note;
  fill($("p-kpis"),
    kpi("合计", n.total, "main"), kpi("已办结", n.done), kpi("办理中", n.in_progress),
    kpi("逾期", n.overdue, n.overdue ? "alarm" : ""), kpi("其中已销号", n.closed),
    kpi("待回访", n.awaiting_follow_up, n.awaiting_follow_up ? "attention" : ""));
}

function units(it) {
  const co = (it.co_units || []).map((u) => u.name).join("、");
  return [
    it.lead_unit ? h("div", {}, it.lead_unit.name) : h("div", {class: "muted"}, "未派单"),
    co ? h("div", {class: "muted small"}, "协办：" + co) : null,
  ];
}

function progress(p) {
  if (!p) return "—";
  return [h("div", {}, p.text), h("div", {class: "muted small"}, `${p.actor} ${short(p.at)}`)];
}

function drawTable() {
  const head = h("thead", {}, h("tr", {},
    ["编号", "企业", "问题", "主办/协办", "办理时限", "状态", "最新进展", "满意度", "闭环"].map((t, i) =>
      h("th", {scope: "col", class: i === 7 ? "num" : ""}, t))));
  const rows = state.items.map((it) => h("tr", {
    class: it.state === "overdue" ? "breached" : it.loop === "awaiting_follow_up" ? "warning" : "",
    dataset: {state: it.state, loop: it.loop, number: it.number},
  },
  h("td", {class: "nowrap"}, h("a", {href: `/cases/${it.case_id}`}, it.number),
    it.office_day ? h("div", {class: "muted small"}, "办公日 " + it.office_day.slice(5)) : null),
  h("td", {}, it.enterprise ? it.enterprise.name : h("span", {class: "muted"}, "（未关联企业）"),
    it.reporter ? h("div", {class: "muted small"}, "反映人：" + it.reporter) : null),
  h("td", {class: "problem"}, it.problem),
  h("td", {}, units(it)),
  h("td", {class: "nowrap"}, it.deadline ? when(it.deadline) : "—",
    it.overdue ? h("div", {}, h("span", {class: "badge breached"}, "超时限")) : null),
  h("td", {}, h("span", {class: "badge " + (STATE_CLASS[it.state] || "plain")}, it.state_label),
    h("div", {class: "muted small"}, it.status_label)),
  h("td", {class: "progress"}, progress(it.progress)),
  h("td", {class: "num"}, it.satisfaction ? `${it.satisfaction} 分` : "—"),
  h("td", {}, h("span", {class: "badge " + (LOOP_CLASS[it.loop] || "plain")}, it.loop_label),
    it.closed_without_follow_up ? h("div", {class: "small"}, "已办结未回访") : null)));
  fill($("p-table"), head, h("tbody", {}, rows));
}

async function downloadXLSX() {
  const btn = $("p-xlsx");
  btn.disabled = true;
  banner($("p-error"), "");
  try {
    const ans = await blob("/api/v1/problem-list/export.xlsx" + qs(query()));
    save(ans.blob, ans.filename || `problem-list-${zoneToday()}.xlsx`);
  } catch (err) {
    banner($("p-error"), errorText(err));
  } finally {
    btn.disabled = false;
  }
}
