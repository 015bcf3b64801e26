// 值班台: the dispatcher's desk. The list of cases, newest first, kept
// current by the live stream; the intake form (受理) beside it.

import {get, qs} from "./api.js";
import {$, banner, options} from "./dom.js";
import {LINE, STATUS_FILTERS, actionLabel, taxonomy} from "./labels.js";
import {errorText, start, toast} from "./shell.js";
import {caseRow} from "./caserow.js";
import {units} from "./units.js";
import {setupIntake} from "./intake.js";

const PAGE = 50;
const FRESH_MS = 60000;

const list = $("case-list");
const moreBtn = $("more");
const newPill = $("new-count");
const form = $("filters");

const state = {
  filter: readFilter(),
  items: new Map(), // id → case, in list order via list's children
  cursor: null,
  fresh: new Map(), // id → time it arrived or changed
  unseen: 0,
  loading: 0,
  unitMap: new Map(),
};

const s = start({onCase, onResync: () => reload(false)});

options($("f-status"), STATUS_FILTERS, state.filter.status);
options($("f-line"), [["", "全部业务线"], ...Object.entries(LINE)], state.filter.line);
$("f-q").value = state.filter.q;

// A leader's desk is for reading: it has no intake form (the API would
// take a report from any account).
if (s.user?.role !== "leader") {
  setupIntake({role: s.user?.role, onCreated: (c) => upsert(c, true)});
} else {
  $("intake").hidden = true;
  document.querySelector(".intake-jump").hidden = true;
  document.querySelector(".desk").classList.add("no-intake");
}

units().then((m) => {
  state.unitMap = m;
  rerender();
}).catch(() => {});
taxonomy().then(rerender);

reload(false);
setInterval(rerender, 30000);

form.addEventListener("submit", (e) => {
  e.preventDefault();
  applyFilter();
});
for (const id of ["f-status", "f-line"]) $(id).addEventListener("change", applyFilter);
moreBtn.addEventListener("click", () => reload(true));
newPill.addEventListener("click", () => {
  state.unseen = 0;
  showUnseen();
  list.firstElementChild?.querySelector("a")?.focus();
});

// "/" jumps to the search box, as in most consoles; "n" (or the 受理新报告
// link, the first stop of the Tab order) to the report's text, wherever
// the intake panel is on the screen.
addEventListener("keydown", (e) => {
  const t = e.target;
  if (e.ctrlKey || e.metaKey || e.altKey || t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return;
  if (e.key === "/") {
    e.preventDefault();
    $("f-q").focus();
  } else if (e.key === "n" && $("i-text")) {
    e.preventDefault();
    $("i-text").focus();
  }
});
document.querySelector(".intake-jump").addEventListener("click", (e) => {
  if (!$("i-text")) return;
  e.preventDefault();
  $("i-text").focus();
});

function readFilter() {
  const p = new URLSearchParams(location.search);
  return {status: p.get("status") || "", line: p.get("line") || "", q: p.get("q") || ""};
}

function applyFilter() {
  state.filter = {status: $("f-status").value, line: $("f-line").value, q: $("f-q").value.trim()};
  history.replaceState(null, "", location.pathname + qs(state.filter));
  reload(false);
}

/** reload fetches the first page again, or the next one when more is true. */
async function reload(more) {
  const ticket = ++state.loading;
  banner($("list-error"), "");
  $("list-loading").hidden = more || state.items.size > 0;
  moreBtn.disabled = true;
  try {
    const ans = await get("/api/v1/cases" + qs({...state.filter, limit: PAGE, cursor: more ? state.cursor : ""}));
    if (ticket !== state.loading) return;
    if (!more) {
      state.items.clear();
      list.replaceChildren();
    }
    for (const c of ans.items || []) {
      state.items.set(c.id, c);
      list.append(row(c));
    }
    state.cursor = ans.next_cursor;
    moreBtn.hidden = !ans.next_cursor;
    $("list-empty").hidden = state.items.size > 0;
  } catch (err) {
    if (ticket === state.loading) banner($("list-error"), errorText(err));
  } finally {
    if (ticket === state.loading) {
      $("list-loading").hidden = true;
      moreBtn.disabled = false;
    }
  }
}

function row(c) {
  const t = state.fresh.get(c.id);
  const fresh = t !== undefined && Date.now() - t < FRESH_MS;
  if (t !== undefined && !fresh) state.fresh.delete(c.id);
  return caseRow(c, state.unitMap, {fresh});
}

function rerender() {
  for (const li of [...list.children]) {
    const c = state.items.get(Number(li.dataset.id));
    if (c) replace(li, row(c));
  }
}

/** replace swaps a row for its new rendering, keeping the keyboard focus on it. */
function replace(old, el) {
  const focused = old.contains(document.activeElement);
  old.replaceWith(el);
  if (focused) el.querySelector("a")?.focus({preventScroll: true});
}

/** matches reports whether a case belongs in the list as filtered now. */
function matches(c) {
  const f = state.filter;
  if (f.status && !f.status.split(",").includes(c.status)) return false;
  if (f.line && c.line !== f.line) return false;
  // A search is the server's to answer: only cases already listed change.
  return !f.q;
}

/** upsert puts a new or changed case in its place and highlights it. */
function upsert(c, fresh) {
  const known = state.items.has(c.id);
  if (!known && !matches(c)) return false;
  if (known && !matches(c)) {
    // It changed out of the filter (dispatched while the desk shows 待派单).
    state.items.delete(c.id);
    $("case-" + c.id)?.remove();
    $("list-empty").hidden = state.items.size > 0;
    return false;
  }
  if (fresh) state.fresh.set(c.id, Date.now());
  state.items.set(c.id, c);
  const el = row(c);
  const old = $("case-" + c.id);
  if (old) {
    replace(old, el);
  } else {
    // Newest first: before the first listed case created earlier.
    const created = Date.parse(c.created_at);
    let before = null;
    for (const li of list.children) {
      const other = state.items.get(Number(li.dataset.id));
      if (other && Date.parse(other.created_at) <= created) {
        before = li;
        break;
      }
    }
    if (before) list.insertBefore(el, before);
    else if (!state.cursor) list.append(el);
    else {
      state.items.delete(c.id);
      return false;
    }
  }
  $("list-empty").hidden = true;
  setTimeout(() => {
    const li = $("case-" + c.id);
    const at = state.fresh.get(c.id);
    if (li && at !== undefined && Date.now() - at >= FRESH_MS - 100) replace(li, row(state.items.get(c.id)));
  }, FRESH_MS);
  return !known;
}

// The stream's case is shaped as the list's (labels, clocks as of the
// event, phones masked as for this account), so a row is redrawn from the
// message itself. A message older than the row (a page read meanwhile) is
// dropped.
function onCase(msg) {
  const c = msg.case;
  const ev = msg.event || {};
  if (!c || !c.id) return;
  const known = state.items.get(c.id);
  if (known && (known.version ?? 0) > (c.version ?? 0)) return;
  const isNew = upsert(c, true);
  if (isNew && ev.action === "receive") {
    // What this dispatcher just received is not news to them (the stream
    // may bring it before the form's answer does).
    if (ev.actor === s.user?.username) return;
    state.unseen++;
    showUnseen();
    toast(`新受理 ${c.number}：${(c.text || "").slice(0, 40)}`, "info");
    return;
  }
  if (LOUD.has(ev.action) && state.items.has(c.id)) loud(c, ev);
}

// The events a dispatcher is told of at once. A breach comes with the
// system's supervision order, and a restart may fire many cases at once:
// the toasts of a burst are gathered, one per case, a summary for many.
const LOUD = new Set(["deadline_breach", "return", "escalate", "supervise"]);
const loudQueue = new Map(); // case id → {c, ev, breach}
let loudTimer = 0;

function loud(c, ev) {
  const prev = loudQueue.get(c.id);
  loudQueue.set(c.id, {c, ev: prev && prev.ev.action === "deadline_breach" ? prev.ev : ev, breach: !!prev?.breach || ev.action === "deadline_breach"});
  clearTimeout(loudTimer);
  loudTimer = setTimeout(() => {
    const items = [...loudQueue.values()];
    loudQueue.clear();
    if (items.length > 3) {
      const breaches = items.filter((x) => x.breach).length;
      toast(`${items.length} 件工单有新动态${breaches ? `，其中 ${breaches} 件超时` : ""}`, breaches ? "error" : "info");
      return;
    }
    for (const {c: x, ev: e, breach} of items) {
      toast(`${x.number}：${actionLabel(e.action)}${e.reason ? "，" + e.reason : ""}`, breach ? "error" : "info");
    }
  }, 200);
}

function showUnseen() {
  newPill.hidden = state.unseen === 0;
  newPill.textContent = `新到 ${state.unseen} 件`;
  document.title = (state.unseen ? `(${state.unseen}) ` : "") + "值班台 · 一站指挥平台";
}
