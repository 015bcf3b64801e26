// One case as a row of the desk's list: number, status, what was reported,
// and the markers a dispatcher must not miss (clocks in warning or
// breached, police matters, high risk).

import {h} from "./dom.js";
import {CATEGORY, CHANNEL, LINE, STAGE, STATUS, TYPE, label} from "./labels.js";
import {now as serverNow, short} from "./format.js";
import {alarms, countdown, next} from "./clocks.js";
import {unitName} from "./units.js";

/** flags are the badges of a case, most pressing first. */
export function flags(c, now = serverNow()) {
  const out = [];
  const a = alarms(c, now);
  if (a.breached.length) {
    out.push(h("span", {class: "badge breached", title: "时限已过"}, "超时：" + a.breached.map((d) => label(STAGE, d.stage)).join("、")));
  }
  if (a.warning.length) {
    out.push(h("span", {class: "badge warning", title: "已用去八成时限"}, "预警：" + a.warning.map((d) => label(STAGE, d.stage)).join("、")));
  }
  if (c.police) out.push(h("span", {class: "badge police"}, "涉警"));
  if (c.risk === "high") out.push(h("span", {class: "badge risk"}, "高风险"));
  if (c.priority === "urgent" && c.risk !== "high" && !c.police) out.push(h("span", {class: "badge urgent"}, "紧急"));
  if (c.repeats > 0) out.push(h("span", {class: "badge plain"}, `重复报警${c.repeats}次`));
  if ((c.duplicate_candidates || []).length) out.push(h("span", {class: "badge plain"}, "疑似重复"));
  // A case handed back waits to be sent out again: it must not look new.
  if (c.returns > 0 && c.status === "received") out.push(h("span", {class: "badge warning", title: "承办单位退回，待重新派单"}, `已退单${c.returns}次`));
  if (c.first_receiver) out.push(h("span", {class: "badge plain"}, "首接负责"));
  if (c.paused) out.push(h("span", {class: "badge plain"}, "已挂起"));
  return out;
}

/** statusBadge shows the case's status in Chinese. */
export function statusBadge(c) {
  return h("span", {class: "status", dataset: {status: c.status}}, c.status_label || label(STATUS, c.status));
}

/** caseRow renders one list item. */
export function caseRow(c, unitMap, opts = {}) {
  const now = serverNow();
  const a = alarms(c, now);
  const clock = next(c);
  const cd = clock ? countdown(clock, now) : null;
  const kind = [label(CATEGORY, c.category), label(TYPE, c.type)].filter(Boolean).join(" · ");
  const meta = [
    kind,
    label(CHANNEL, c.channel),
    c.address,
    c.unit_id ? "承办：" + unitName(unitMap, c.unit_id) : "",
  ].filter(Boolean).join("　");
  const li = h("li", {
    class: "case-row" + (opts.fresh ? " fresh" : ""),
    id: "case-" + c.id,
    dataset: {id: String(c.id), status: c.status, alarm: a.worst, open: String(!["closed", "merged", "referred_police"].includes(c.status))},
  },
  h("a", {href: "/cases/" + c.id, "aria-label": `工单 ${c.number}，${c.status_label || label(STATUS, c.status)}`},
    h("div", {class: "case-id"},
      h("span", {class: "case-no"}, c.number),
      statusBadge(c),
      c.line !== "incident" ? h("span", {class: "badge plain"}, label(LINE, c.line)) : null,
      opts.fresh ? h("span", {class: "badge new"}, "新") : null,
    ),
    h("div", {class: "case-main"},
      h("div", {class: "case-text-1"}, c.text),
      h("div", {class: "case-meta"}, meta),
    ),
    h("div", {class: "case-side"},
      h("div", {class: "flags"}, flags(c, now)),
      cd ? h("span", {class: "countdown " + cd.state}, cd.text) : null,
      h("span", {class: "muted"}, "受理 " + short(c.created_at)),
    ),
  ));
  return li;
}
