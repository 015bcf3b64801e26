// 工单详情: every field of one case, its clocks counting down, the full
// timeline, the actions this account may take now, possible duplicates
// and who can go. The live stream keeps it current.

import {get, qs} from "./api.js";
import {$, banner, fill, h} from "./dom.js";
import {
  ACTION, CATEGORY, CHANNEL, CLOCK_STATUS, DIRECTION, LINE, OUTCOME, PRIORITY, RISK, STAGE, STATUS, TYPE,
  actionLabel, label,
} from "./labels.js";
import {duration, meters, short, when} from "./format.js";
import {errorText, start, toast} from "./shell.js";
import {minutesLeft, running, stateOf} from "./clocks.js";
import {flags, statusBadge} from "./caserow.js";
import {unitName, units} from "./units.js";
import {actionsFor} from "./perms.js";
import {openAction} from "./actions.js";

const id = decodeURIComponent(location.pathname.split("/")[2] || "");
const state = {c: null, unitMap: new Map(), lastSeq: 0, freshSeq: 0, recommendFor: undefined, timer: 0};

const s = start({
  onCase: (msg) => {
    if (!state.c || msg.case?.id !== state.c.id) return;
    const ev = msg.event || {};
    if (ev.actor !== s.user?.username) {
      toast(`工单有新动态：${actionLabel(ev.action)}${ev.actor_name ? "（" + ev.actor_name + "）" : ""}`, ev.action === "deadline_breach" ? "error" : "info");
    }
    scheduleLoad();
  },
  onResync: () => scheduleLoad(),
});

units().then((m) => {
  state.unitMap = m;
  if (state.c) render();
}).catch(() => {});
load();
setInterval(() => state.c && renderDeadlines(state.c), 15000);

function scheduleLoad() {
  clearTimeout(state.timer);
  state.timer = setTimeout(load, 250);
}

async function load() {
  if (!/^\d+$/.test(id)) return findByNumber();
  try {
    const c = await get("/api/v1/cases/" + encodeURIComponent(id));
    banner($("case-error"), "");
    const prev = state.lastSeq;
    state.c = c;
    const seqs = (c.events || []).map((e) => e.seq);
    state.lastSeq = Math.max(0, ...seqs);
    state.freshSeq = prev && state.lastSeq > prev ? prev : state.freshSeq;
    document.title = `${c.number} · 工单详情 · 一站指挥平台`;
    render();
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

function renderActions(c) {
  const acts = actionsFor(c, s.user?.role);
  const box = $("case-actions");
  if (!acts.length) {
    fill(box, h("span", {class: "muted"}, c.allowed_actions?.length ? "您的账号在此状态下没有可执行的操作。" : "该工单已结束，无可执行的操作。"));
    return;
  }
  fill(box, acts.map((a, i) => h("button", {
    type: "button",
    class: "btn" + (i === 0 ? " primary" : ""),
    "data-action": a,
    onclick: () => act(a),
  }, actionLabel(a))));
}

function act(action, preset) {
  openAction(action, state.c, state.unitMap, (ans) => {
    toast(`已${actionLabel(action)}：${ans.number}`, "ok");
    scheduleLoad();
  }, preset);
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
    c.duplicate_of ? row("已并入", caseLink(c.duplicate_of)) : null,
    c.repeat_of ? row("重复纠纷", "前案 ", caseLink(c.repeat_of)) : null,
  );
}

function renderDeadlines(c) {
  const box = $("deadlines");
  const ds = c.deadlines || [];
  if (!ds.length) {
    fill(box, h("p", {class: "muted"}, "该工单不适用时限规则。"));
    return;
  }
  const now = Date.now();
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
  const acts = new Set(actionsFor(c, s.user?.role));
  fill($("dups"), cands.map((d) => h("li", {},
    h("div", {class: "person"},
      h("span", {}, caseLink(d.id, d.number), `　相似度 ${Math.round((d.score <= 1 ? d.score * 100 : d.score))}%`),
      h("span", {class: "form-actions"},
        acts.has("merge") ? h("button", {type: "button", class: "btn small", onclick: () => act("merge", {into: d.number || String(d.id)})}, "并入该件") : null,
        acts.has("dismiss_duplicates") ? h("button", {type: "button", class: "btn small ghost", onclick: () => act("dismiss_duplicates", {into: d.id})}, "不是重复") : null,
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

function renderTimeline(c) {
  const m = state.unitMap;
  const evs = c.events || [];
  fill($("timeline"), evs.map((ev) => {
    const d = ev.details || {};
    const ch = ev.changes || {};
    const lines = [];
    switch (ev.action) {
      case "receive":
        if (d.channel) lines.push("来源：" + label(CHANNEL, d.channel));
        break;
      case "dispatch":
        lines.push("派往 " + (d.unit_name || unitName(m, ev.unit_id)) + (d.routing === "accepted" ? "（采纳系统建议）" : d.routing === "overridden" ? "（未采纳系统建议，改派）" : ""));
        break;
      case "transfer":
        lines.push(`${label(DIRECTION, d.direction) || "转办"}：${d.from_unit_name || ""} → ${d.unit_name || unitName(m, ev.unit_id)}`);
        break;
      case "merge":
        if (d.into) lines.push(["并入 ", caseLink(d.into, d.into_number)]);
        break;
      case "unmerge":
        if (d.from) lines.push(["从 ", caseLink(d.from, d.from_number), " 撤回"]);
        break;
      case "duplicate_added":
      case "duplicate_removed":
        if (d.case_id) lines.push([ev.action === "duplicate_added" ? "重复报警 " : "移出 ", caseLink(d.case_id, d.number), d.text ? "：" + d.text : ""]);
        if (d.reporter && (d.reporter.name || d.reporter.phone)) lines.push(["报告人 ", d.reporter.name || "", " ", tel(d.reporter.phone)]);
        break;
      case "extend":
        lines.push(`${label(STAGE, d.stage)}环节申请延至 ${when(d.until)}`);
        break;
      case "approve_extension":
      case "refuse_extension":
        if (d.stage) lines.push(label(STAGE, d.stage) + "环节");
        break;
    }
    if (ch.outcome && ch.outcome.to) lines.push("处置结果：" + label(OUTCOME, ch.outcome.to));
    if (ch.satisfaction && ch.satisfaction.to) lines.push(`满意度：${ch.satisfaction.to} 分`);
    if (ev.action === "reclassify" || ev.action === "escalate") {
      for (const [f, tbl, name] of [["category", CATEGORY, "类别"], ["type", TYPE, "类型"], ["risk", RISK, "风险"], ["priority", PRIORITY, "优先级"]]) {
        if (ch[f]) lines.push(`${name}：${label(tbl, ch[f].from) || "—"} → ${label(tbl, ch[f].to)}`);
      }
      if (ch.police) lines.push(`涉警：${ch.police.to ? "是" : "否"}`);
    }
    if (ch.status && ev.action !== "receive") lines.push(`状态：${label(STATUS, ch.status.from)} → ${label(STATUS, ch.status.to)}`);
    if (ev.reason) lines.push((ev.action === "supervise" ? "督办意见：" : "原因：") + ev.reason);
    if (ev.note) lines.push("备注：" + ev.note);
    const kind = ev.action === "deadline_breach" ? "alarm" : ev.action === "deadline_warning" ? "warn" : "";
    const actor = ev.actor_name || ev.actor || "";
    const unit = ev.unit_id && !["dispatch", "transfer"].includes(ev.action) ? unitName(m, ev.unit_id) : "";
    return h("li", {class: state.freshSeq && ev.seq > state.freshSeq ? "fresh" : "", dataset: {seq: String(ev.seq), action: ev.action, kind}},
      h("div", {class: "tl-head"},
        h("span", {class: "tl-action"}, ACTION[ev.action] || actionLabel(ev.action)),
        h("time", {class: "tl-time", datetime: ev.at}, when(ev.at, true)),
        h("span", {class: "tl-actor"}, [actor, unit ? `（${unit}）` : ""].join("")),
      ),
      lines.length ? h("div", {class: "tl-body"}, lines.map((l) => h("p", {}, l))) : null,
    );
  }));
}
