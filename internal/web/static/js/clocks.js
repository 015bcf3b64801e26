// Deadlines (the 12510 clocks) as the console shows them. The API computes
// each clock's status when the case is read; a page open for a while moves
// running clocks on by itself, from warn_at and due_at, by the server's
// clock (format.now), not the browser's.

import {STAGE, label} from "./labels.js";
import {duration, now as serverNow} from "./format.js";

const FINISHED = new Set(["met", "met_late", "cancelled"]);

/** running reports whether a clock still counts. */
export function running(d) {
  return !FINISHED.has(d.status) && !d.met_at && d.status !== "paused" && !d.paused;
}

/** stateOf is the clock's status now: pending, warning or breached while it runs. */
export function stateOf(d, now = serverNow()) {
  if (!running(d)) return d.paused && !FINISHED.has(d.status) ? "paused" : d.status;
  if (d.status === "breached" || now >= Date.parse(d.due_at)) return "breached";
  if (d.status === "warning" || (d.warn_at && now >= Date.parse(d.warn_at))) return "warning";
  return "pending";
}

/** alarms sums up a case's clocks: the worst state and the stages in each. */
export function alarms(c, now = serverNow()) {
  const out = {breached: [], warning: [], worst: ""};
  for (const d of c.deadlines || []) {
    const s = stateOf(d, now);
    if (s === "breached") out.breached.push(d);
    else if (s === "warning") out.warning.push(d);
  }
  out.worst = out.breached.length ? "breached" : out.warning.length ? "warning" : "";
  return out;
}

/** next is the running clock due soonest, or null. */
export function next(c) {
  let best = null;
  for (const d of c.deadlines || []) {
    if (!running(d)) continue;
    if (!best || Date.parse(d.due_at) < Date.parse(best.due_at)) best = d;
  }
  return best;
}

/** countdown says how long a running clock has left, or how late it is. */
export function countdown(d, now = serverNow()) {
  const left = Date.parse(d.due_at) - now;
  const stage = label(STAGE, d.stage);
  if (left >= 0) return {text: `${stage}剩${duration(left)}`, state: stateOf(d, now)};
  return {text: `${stage}超时${duration(left)}`, state: "breached"};
}

/** minutesLeft is the whole minutes left on a clock (negative when late). */
export function minutesLeft(d, now = serverNow()) {
  const ms = Date.parse(d.due_at) - now;
  return ms >= 0 ? Math.floor(ms / 60000) : -Math.ceil(-ms / 60000);
}
