// 工单详情: every field of one case, its clocks counting down, the full
// timeline, the actions this account may take now (exactly the case's
// allowed_actions, which the API computes for the account asking),
// possible duplicates and who can go. The live stream keeps it current.

import {get, qs} from "./api.js";
import {$, banner, fill, h} from "./dom.js";
import {
  CATEGORY, CHANNEL, CLOCK_STATUS, DIRECTION, INDUSTRY, LINE, OUTCOME, PRIORITY, RISK, STAGE, STATUS, TYPE,
  actionLabel, label, taxonomy,
} from "./labels.js";
import {duration, meters, now as serverNow, short, when} from "./format.js";
import {errorText, start, toast} from "./shell.js";
import {minutesLeft, running, stateOf} from "./clocks.js";
import {flags, statusBadge} from "./caserow.js";
import {unitName, units} from "./units.js";
import {openAction, percent} from "./actions.js";

const id = decodeURIComponent(location.pathname.split("/")[2] || "");
const state = {
  c: null,
  unitMap: new Map(),
  lastSeq: 0,
  freshSeq: 0,
  recommendFor: undefined,
  timer: 0,
  // stale: the case shown came from the stream, whose allowed_actions are
  // null (they depend on the account): the buttons wait for the re-read.
  stale: false,
  enterprises: new Map(), // id → enterprise, or null while it loads
};

// The statuses in which a case is still open (the API's Open()).
const ENDED = new Set(["closed", "merged", "referred_police"]);

// The button drawn as the main one: the next step of the work, in this
// order of preference, when the account may take it.
const PRIMARY = ["dispatch", "accept", "arrive", "resolve", "close", "resume", "approve_extension", "unmerge", "supervise"];

const s = start({
  onCase: (msg) => {
    const mc = msg.case;
    if (!state.c || !mc || mc.id !== state.c.id) return;
    const ev = msg.event || {};
    if (ev.actor !== s.user?.username) {
      const who = ev.actor_name ? "（" + ev.actor_name + "）" : "";
      toast(`工单有新动态：${actionLabel(ev.action)}${who}`, ev.action === "deadline_breach" ? "error" : "info");
    }
    if ((mc.version ?? 0) <= (state.c.version ?? 0)) return; // already shown
    // Show what the message says at once; re-read for the buttons (and
    // for any event the stream did not bring).
    const events = state.c.events || [];
    const known = !ev.seq || events.some((e) => e.seq === ev.seq);
    show({...mc, events: known ? events : [...events, ev], allowed_actions: state.c.allowed_actions}, true);
    scheduleLoad();
  },
  onResync: () => scheduleLoad(),
});

units().then((m) => {
  state.unitMap = m;
  if (state.c) render();
}).catch(() => {});
taxonomy().then(() => state.c && render());
load();
setInterval(() => state.c && renderDeadlines(state.c), 15000);

function scheduleLoad() {
  clearTimeout(state.timer);
  state.timer = setTimeout(load, 250);
}

/** show puts a newer version of the case on the page, marking the events it adds. */
function show(c, stale) {
  const prev = state.lastSeq;
  state.c = c;
  state.stale = stale;
  state.lastSeq = Math.max(0, ...(c.events || []).map((e) => e.seq));
  if (prev && state.lastSeq > prev) state.freshSeq = prev;
  document.title = `${c.number} · 工单详情 · 一站指挥平台`;
  render();
}

async function load() {
  if (!/^\d+$/.test(id)) return findByNumber();
  try {
    const c = await get("/api/v1/cases/" + encodeURIComponent(id));
    banner($("case-error"), "");
    // An action answered meanwhile may have shown a newer version.
    if (state.c && !state.stale && (c.version ?? 0) < (state.c.version ?? 0)) return;
    show(c, false);
    if (state.recommendFor !== (c.routing?.unit_id ?? c.unit_id ?? null) + ":" + c.status) loadRecommend(c);
  } catch (err) {
    banner($("case-error"), err.status === 404 ? "找不到该工单，或您无权查看。" : errorText(err));
    $("case-body").hidden = !state.c;
  }
}

/** findByNumber lets /cases/FJ20261127-0001 work: it looks the number up. */
async function findByNumber() {
  try {
    const ans = await get("/api/v1/cases" + qs({q: id, limit: 5}));
    const hit = (ans.items || []).find((x) => x.number.toLowerCase() === id.toLowerCase());
    if (hit) {
      location.replace("/cases/" + hit.id);
      return;
    }
    banner($("case-error"), `找不到工单“${id}”，或您无权查看。`);
  } catch (err) {
    banner($("case-error"), errorText(err));
  }
}

function render() {
  const c = state.c;
  $("case-body").hidden = false;
  $("case-number").textContent = c.number;
  fill($("case-status"), statusBadge(c));
  fill($("case-flags"), flags(c));
  $("case-text").textContent = c.text;
  renderKey(c);
  renderActions(c);
  renderFields(c);
  renderDeadlines(c);
  renderDuplicates(c);
  renderTimeline(c);
}

/** renderKey puts what a responder on the way needs first: where, and whom to call. */
function renderKey(c) {
  const items = [];
  if (c.address) items.push(h("span", {}, h("span", {class: "k"}, "地址"), c.address));
  if (c.reporter?.name || c.reporter?.phone) {
    items.push(h("span", {}, h("span", {class: "k"}, "报告人"), c.reporter.name || "", c.reporter.name && c.reporter.phone ? " " : "", tel(c.reporter.phone)));
  }
  items.push(h("span", {}, h("span", {class: "k"}, "承办"), c.unit_id ? unitName(state.unitMap, c.unit_id) : "未派单"));
  fill($("case-key"), items);
}

/** renderActions offers exactly the case's allowed_actions, in the API's order. */
function renderActions(c) {
  const acts = c.allowed_actions || [];
  const box = $("case-actions");
  box.setAttribute("aria-busy", String(state.stale));
  if (!acts.length) {
    fill(box, h("span", {class: "muted"}, state.stale ? "正在更新…" : ENDED.has(c.status) ? "该工单已结束，无可执行的操作。" : "您的账号在此状态下没有可执行的操作。"));
    return;
  }
  const primary = PRIMARY.find((a) => acts.includes(a));
  fill(box, acts.map((a) => h("button", {
    type: "button",
    class: "btn" + (a === primary ? " primary" : ""),
    "data-action": a,
    disabled: state.stale,
    onclick: () => act(a),
  }, actionLabel(a))));
}

function act(action, preset) {
  // A first receiver (首接负责) that is no center passes the case only
  // down: its transfer form lists its sub-units alone.
  const down = action === "transfer" && state.c.first_receiver && !["admin", "dispatcher"].includes(s.user?.role);
  openAction(action, state.c, state.unitMap, (ans) => {
    toast(`已${actionLabel(action)}：${ans.number}`, "ok");
    // The answer is the case as this account now sees it, with the new
    // event: no need to read it again.
    if (ans.event && ans.event.seq) {
      const events = (state.c.events || []).filter((e) => e.seq !== ans.event.seq);
      const {event, ...c} = ans;
      show({...c, events: [...events, event]}, false);
    } else {
      scheduleLoad();
    }
    // The button that opened the dialog was redrawn: keyboard focus goes to
    // the next thing to do (the first action now offered), not the page top.
    requestAnimationFrame(() => {
      const next = $("case-actions").querySelector("button:not([disabled])");
      if (next) next.focus();
      else $("timeline").lastElementChild?.focus?.();
    });
  }, down ? {...preset, downOnly: true} : preset);
}

function row(term, ...value) {
  const v = value.filter((x) => x !== null && x !== undefined && x !== "");
  if (!v.length) return null;
  return [h("dt", {}, term), h("dd", {}, v)];
}

function tel(phone) {
  if (!phone) return null;
  return phone.includes("*") ? phone : h("a", {class: "tel", href: "tel:" + phone.replace(/[\s-]/g, "")}, phone);
}

function caseLink(cid, number) {
  return h("a", {href: "/cases/" + cid}, number || `#${cid}`);
}

function renderFields(c) {
  const m = state.unitMap;
  const r = c.routing;
  const kind = [label(CATEGORY, c.category), label(TYPE, c.type)].filter(Boolean).join(" · ");
  fill($("case-fields"),
    row("状态", c.status_label || label(STATUS, c.status), c.paused ? "（已挂起）" : ""),
    row("业务线", label(LINE, c.line)),
    row("来源渠道", label(CHANNEL, c.channel)),
    row("纠纷类别", kind),
    row("涉警", c.police ? "是（治安类，应移交公安）" : "否"),
    row("风险等级", label(RISK, c.risk)),
    row("优先级", label(PRIORITY, c.priority)),
    row("承办单位", c.unit_id ? unitName(m, c.unit_id) : "未派单", c.first_receiver ? "（首接负责）" : ""),
    r && r.unit_id ? row("流转建议",
      unitName(m, r.unit_id),
      (r.co_unit_ids || []).length ? "；协办：" + r.co_unit_ids.map((x) => unitName(m, x)).join("、") : "",
      (r.notify_unit_ids || []).length ? "；告知：" + r.notify_unit_ids.map((x) => unitName(m, x)).join("、") : "",
      r.rule ? h("div", {class: "small muted"}, "依据：" + r.rule) : "",
    ) : null,
    row("报告人", c.reporter?.name),
    row("联系电话", tel(c.reporter?.phone)),
    (c.callers || []).length ? row("其他来电", c.callers.map((p, i) => [i ? "、" : "", tel(p)])) : null,
    row("地址", c.address),
    c.location ? row("位置", `${c.location.lat.toFixed(5)}, ${c.location.lon.toFixed(5)}`) : null,
    row("发生时间", when(c.occurred_at)),
    row("受理时间", when(c.created_at, true)),
    row("最后更新", when(c.updated_at, true)),
    row("外部编号", c.external_id),
    c.outcome ? row("处置结果", label(OUTCOME, c.outcome)) : null,
    c.satisfaction ? row("满意度", `${c.satisfaction} 分`) : null,
    c.returns ? row("退单次数", `${c.returns} 次`) : null,
    c.repeats ? row("重复报警", `${c.repeats} 次`, c.last_report_at ? `，最近一次 ${short(c.last_report_at)}` : "") : null,
    c.duplicate_of ? row("已并入", caseLink(c.duplicate_of, numberOf(c, c.duplicate_of)), "（本件为重复报警）") : null,
    c.repeat_of ? row("重复纠纷", "前案 ", caseLink(c.repeat_of, numberOf(c, c.repeat_of)), "（同一当事人的纠纷再次发生）") : null,
    c.grid_id ? row("所在网格", unitName(m, c.grid_id)) : null,
    c.enterprise_id ? row("涉及企业", enterprise(c.enterprise_id)) : null,
  );
}

/**
 * numberOf finds another case's number in this case's timeline (the
 * merge, the repeat link, a duplicate): the case itself has only ids.
 */
function numberOf(c, other) {
  for (const ev of (c.events || []).slice().reverse()) {
    const d = ev.details || {};
    if (d.into === other && d.into_number) return d.into_number;
    if (d.from === other && d.from_number) return d.from_number;
    if (d.case_id === other && d.number) return d.number;
    for (const x of d.history || []) {
      if (x.id === other && x.number) return x.number;
    }
  }
  return "";
}

/** enterprise names the enterprise a report names, read once. */
function enterprise(eid) {
  const e = state.enterprises.get(eid);
  if (e === undefined) {
    state.enterprises.set(eid, null);
    get("/api/v1/enterprises/" + eid)
      .then((x) => state.enterprises.set(eid, x))
      .catch(() => state.enterprises.set(eid, {id: eid}))
      .finally(() => state.c && renderFields(state.c));
  }
  if (!e || !e.name) return `企业#${eid}`;
  return [e.name, e.industry ? `（${label(INDUSTRY, e.industry)}）` : ""].join("");
}

function renderDeadlines(c) {
  const box = $("deadlines");
  const ds = c.deadlines || [];
  if (!ds.length) {
    fill(box, h("p", {class: "muted"}, "该工单不适用时限规则。"));
    return;
  }
  const now = serverNow();
  fill(box, h("div", {class: "table-wrap"}, h("table", {class: "table", id: "deadline-table"},
    h("thead", {}, h("tr", {}, h("th", {}, "环节"), h("th", {}, "状态"), h("th", {}, "时限"), h("th", {}, "到期时间"), h("th", {}, "剩余 / 完成"))),
    h("tbody", {}, ds.map((d) => {
      const st = stateOf(d, now);
      let left;
      if (running(d)) {
        const min = minutesLeft(d, now);
        const text = min >= 0
          ? (min < 120 ? `剩 ${min} 分钟` : `剩 ${duration(Date.parse(d.due_at) - now)}`)
          : (-min < 120 ? `已超时 ${-min} 分钟` : `已超时 ${duration(now - Date.parse(d.due_at))}`);
        left = h("span", {class: "countdown " + st, dataset: {minutes: String(min)}}, text);
      } else if (d.met_at) {
        left = "完成于 " + short(d.met_at);
      } else if (d.cancelled_at) {
        left = "取消于 " + short(d.cancelled_at);
      } else {
        left = "—";
      }
      const marks = [
        d.extended ? h("span", {class: "badge plain"}, "已延期") : null,
        d.extension_pending ? h("span", {class: "badge warning"}, "延期待批") : null,
      ];
      return h("tr", {class: st === "breached" || st === "warning" ? st : "", dataset: {stage: d.stage, status: st}},
        h("td", {}, label(STAGE, d.stage)),
        h("td", {}, label(CLOCK_STATUS, st), " ", marks),
        h("td", {}, targetText(d.target)),
        h("td", {}, short(d.due_at)),
        h("td", {}, left));
    })),
  )));
}

function targetText(t) {
  if (!t) return "";
  const m = /^(\d+)(wd|m|h|d|s)$/.exec(t);
  if (!m) return t;
  return m[1] + {wd: "个工作日", m: "分钟", h: "小时", d: "天", s: "秒"}[m[2]];
}

function renderDuplicates(c) {
  const cands = c.duplicate_candidates || [];
  $("dups-card").hidden = !cands.length;
  if (!cands.length) return;
  const acts = new Set(c.allowed_actions || []);
  fill($("dups"), cands.map((d) => h("li", {dataset: {id: String(d.id)}},
    h("div", {class: "person"},
      h("span", {}, caseLink(d.id, d.number), `　相似度 ${percent(d.score)}`),
      h("span", {class: "form-actions"},
        acts.has("merge") && d.number ? h("button", {type: "button", class: "btn small", disabled: state.stale, onclick: () => act("merge", {into_number: d.number})}, "并入该件") : null,
        acts.has("dismiss_duplicates") ? h("button", {type: "button", class: "btn small ghost", disabled: state.stale, onclick: () => act("dismiss_duplicates", {into: d.id})}, "不是重复") : null,
      ),
    ),
    d.reason ? h("div", {class: "small muted"}, d.reason) : null,
  )));
}

async function loadRecommend(c) {
  state.recommendFor = (c.routing?.unit_id ?? c.unit_id ?? null) + ":" + c.status;
  const card = $("rec-card");
  if (!["received", "dispatched", "accepted", "on_site", "mediating"].includes(c.status)) {
    card.hidden = true;
    return;
  }
  try {
    const ans = await get(`/api/v1/cases/${c.id}/recommend`);
    card.hidden = false;
    const people = ans.items || [];
    fill($("rec-h"), "可出动人员", ans.unit_id ? h("span", {class: "muted small"}, "　" + unitName(state.unitMap, ans.unit_id)) : "");
    fill($("recommend"), people.length
      ? people.map((it) => h("li", {},
        h("div", {class: "person"},
          h("span", {class: "name"}, it.person.name),
          tel(it.person.phone),
        ),
        h("div", {class: "small muted"}, [
          it.person.role,
          (it.person.skills || []).length ? "擅长 " + it.person.skills.join("、") : "",
          it.distance_m !== null && it.distance_m !== undefined ? "距现场 " + meters(it.distance_m) : it.person.location ? "" : "未上报位置",
          it.shift ? "值班至 " + short(it.shift.end) : "",
        ].filter(Boolean).join(" · ")),
      ))
      : h("li", {class: "muted"}, "该单位当前无人在岗，", h("a", {href: "/roster"}, "查看值班表"), "。"));
  } catch {
    card.hidden = true;
  }
}

// The changes of classification a timeline shows, for the events that
// make them (a duplicate or a repeat raises the risk).
const CLASS_CHANGES = new Set(["reclassify", "escalate", "duplicate_added", "duplicate_removed", "repeat_linked"]);

// How an event's reason is introduced; the system's own events say it all.
const REASON_HEAD = {
  supervise: "督办意见：",
  pause: "挂起原因：",
  refuse_extension: "驳回理由：",
  extend: "申请理由：",
  deadline_warning: "",
  deadline_breach: "",
  repeat_linked: "",
};

/** eventBody answers the lines that tell what an event did, and its marks. */
function eventBody(c, ev) {
  const m = state.unitMap;
  const d = ev.details || {};
  const ch = ev.changes || {};
  const lines = [];
  const tags = [];
  let kind = "";
  switch (ev.action) {
    case "receive":
      if (d.channel) lines.push("来源：" + label(CHANNEL, d.channel));
      break;
    case "dispatch":
      lines.push("派往 " + (d.unit_name || unitName(m, ev.unit_id)) + (d.routing === "accepted" ? "（采纳系统建议）" : d.routing === "overridden" ? "（未采纳系统建议，改派）" : ""));
      if (d.first_receiver) lines.push("退单次数已满，该单位为首接负责单位，不得再退单");
      break;
    case "transfer":
      lines.push(`${d.direction_label || label(DIRECTION, d.direction) || "转办"}：${d.from_unit_name || ""} → ${d.unit_name || unitName(m, ev.unit_id)}`);
      break;
    case "merge":
      if (d.into) lines.push(["并入 ", caseLink(d.into, d.into_number)]);
      if (d.automatic) {
        tags.push("系统自动");
        lines.push(`相似度 ${percent(d.score)}` + ((d.reasons || []).length ? "：" + d.reasons.join("；") : ""));
      }
      break;
    case "unmerge":
      if (d.from) lines.push(["从 ", caseLink(d.from, d.from_number), " 撤回，恢复为独立工单"]);
      break;
    case "duplicate_added":
      if (d.case_id) lines.push(["重复报警 ", caseLink(d.case_id, d.number), d.text ? "：" + d.text : ""]);
      if (d.reporter && (d.reporter.name || d.reporter.phone)) lines.push(["报告人 ", d.reporter.name || "", " ", tel(d.reporter.phone)]);
      if (d.repeats) lines.push(`累计重复报警 ${d.repeats} 次`);
      break;
    case "duplicate_removed":
      if (d.case_id) lines.push(["撤销合并：", caseLink(d.case_id, d.number), " 已移出，不再算作本件的重复报警"]);
      break;
    case "repeat_linked":
      kind = "warn";
      lines.push("同一当事人 30 天内再次发生纠纷，前案：");
      for (const x of d.history || []) {
        lines.push(["　", caseLink(x.id, x.number), x.reason ? "　" + x.reason : ""]);
      }
      break;
    case "dismiss_duplicates": {
      const before = ch.duplicate_candidates?.from || [];
      if (d.case_id) {
        const cand = before.find((x) => x.id === d.case_id);
        lines.push(["排除疑似重复件 ", caseLink(d.case_id, cand?.number)]);
      } else {
        lines.push(`排除全部疑似重复件（${d.dismissed ?? before.length} 件）`);
      }
      break;
    }
    case "deadline_warning":
    case "deadline_breach":
      kind = ev.action === "deadline_breach" ? "alarm" : "warn";
      if (d.stage) lines.push(`环节：${d.stage_label || label(STAGE, d.stage)}${d.due_at ? "，应于 " + when(d.due_at) + " 前完成" : ""}`);
      break;
    case "supervise":
      if (d.automatic) {
        kind = "alarm";
        tags.push("系统自动");
        if (d.stage) lines.push(`超时环节：${d.stage_label || label(STAGE, d.stage)}`);
        lines.push(d.leader_name ? `督办对象：带班领导 ${d.leader_name}` : "此时没有排带班领导，请指挥中心跟进");
      }
      break;
    case "pause":
      lines.push("各环节时限暂停计时");
      break;
    case "resume":
      lines.push("各环节时限恢复计时，到期时间顺延");
      break;
    case "extend":
      lines.push(`${label(STAGE, d.stage)}环节申请延至 ${when(d.until)}`);
      break;
    case "approve_extension":
    case "refuse_extension":
      if (d.stage) lines.push(`${label(STAGE, d.stage)}环节的延期申请${ev.action === "approve_extension" ? "已批准" : "未获批准"}`);
      break;
  }
  if (ch.outcome && ch.outcome.to) lines.push("处置结果：" + label(OUTCOME, ch.outcome.to));
  if (ch.satisfaction && ch.satisfaction.to) lines.push(`满意度：${ch.satisfaction.to} 分`);
  if (CLASS_CHANGES.has(ev.action)) {
    for (const [f, tbl, name] of [["category", CATEGORY, "类别"], ["type", TYPE, "类型"], ["risk", RISK, "风险"], ["priority", PRIORITY, "优先级"]]) {
      if (ch[f]) lines.push(`${name}：${label(tbl, ch[f].from) || "—"} → ${label(tbl, ch[f].to)}`);
    }
    if (ch.police) lines.push(`涉警：${ch.police.to ? "是" : "否"}`);
  }
  if (ch.status && ev.action !== "receive") lines.push(`状态：${label(STATUS, ch.status.from)} → ${label(STATUS, ch.status.to)}`);
  if (ev.reason) lines.push((REASON_HEAD[ev.action] ?? "原因：") + ev.reason);
  if (ev.note) lines.push("备注：" + ev.note);
  return {lines, tags, kind};
}

function renderTimeline(c) {
  const m = state.unitMap;
  fill($("timeline"), (c.events || []).map((ev) => {
    const {lines, tags, kind} = eventBody(c, ev);
    const actor = ev.actor_name || ev.actor || "";
    const unit = ev.unit_id && !["dispatch", "transfer"].includes(ev.action) ? unitName(m, ev.unit_id) : "";
    return h("li", {class: state.freshSeq && ev.seq > state.freshSeq ? "fresh" : "", dataset: {seq: String(ev.seq), action: ev.action, kind, ...(ev.details?.automatic ? {automatic: "true"} : {})}},
      h("div", {class: "tl-head"},
        h("span", {class: "tl-action"}, actionLabel(ev.action)),
        tags.map((t) => h("span", {class: "badge plain"}, t)),
        h("time", {class: "tl-time", datetime: ev.at}, when(ev.at, true)),
        h("span", {class: "tl-actor"}, [actor, unit ? `（${unit}）` : ""].join("")),
      ),
      lines.length ? h("div", {class: "tl-body"}, lines.map((l) => h("p", {}, l))) : null,
    );
  }));
}
