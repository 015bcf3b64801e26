// 受理: the form that receives a new report. While the dispatcher types,
// it shows the triage suggestion (POST /api/v1/triage, hidden when the
// server has none) and where routing would send the case
// (POST /api/v1/routing/preview).

import {get, post} from "./api.js";
import {$, banner, fill, h, options} from "./dom.js";
import {CATEGORY, CHANNEL, LINE, RISK, TYPE, categoryOf, label, taxonomy, typeOptions} from "./labels.js";
import {errorText} from "./shell.js";
import {unitName, units} from "./units.js";

const TRIAGE_DELAY = 400;
const PREVIEW_DELAY = 600;

/** newKey makes an Idempotency-Key for one report, so a double click or a retry after a timeout never files it twice. */
function newKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return "console-" + [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
}

// Grid workers, enterprises and stations report through their own
// channel and line; the center takes most of its reports from 110.
const DEFAULTS = {
  grid: {channel: "grid", line: "incident"},
  enterprise: {channel: "enterprise", line: "enterprise"},
  station: {channel: "station", line: "worker"},
};

// DRAFT_KEY keeps the report being typed in the tab's session storage.
const DRAFT_KEY = "yizhan.intake.draft";

/** toastDraft says that a report typed earlier was put back. */
function toastDraft() {
  const done = $("intake-done");
  fill(done, "已恢复未提交的报告内容，请核对后受理。");
  done.hidden = false;
}

/**
 * outcome says what became of a new case at receipt: merged into an open
 * case of the same incident (which one), suspected to repeat others (which,
 * how alike), or simply received.
 */
async function outcome(c) {
  if (c.status === "merged" && c.duplicate_of) {
    let number = "#" + c.duplicate_of;
    try {
      number = (await get("/api/v1/cases/" + c.duplicate_of)).number;
    } catch {
      // The link still leads there.
    }
    return [h("strong", {}, "同一事件重复报告，已并入 "), h("a", {href: "/cases/" + c.duplicate_of}, number), "。"];
  }
  const cands = c.duplicate_candidates || [];
  if (cands.length) {
    return [h("strong", {}, "疑似重复："),
      cands.slice(0, 3).map((d, i) => [i ? "、" : "", h("a", {href: "/cases/" + d.id}, d.number || "#" + d.id),
        `（相似度 ${Math.round(d.score * 100)}%）`]),
      "，请核对后合并或排除。"];
  }
  return (c.status_label || "已受理") + "。";
}

/** setupIntake wires the form for an account's role; onCreated receives each new case. */
export function setupIntake({role, onCreated}) {
  const form = $("intake-form");
  const text = $("i-text");
  const triageBox = $("triage");
  const routeBox = $("routing");
  let key = newKey();
  let triageOn = true;
  let triageTimer = 0, previewTimer = 0;
  let triageAbort = null, previewAbort = null;
  let suggestion = null;

  const def = DEFAULTS[role] || {channel: "110", line: "incident"};
  // The choices follow the server's taxonomy once it arrives (a zone's
  // own types included); what was picked meanwhile stays picked.
  const fillChoices = () => {
    const ch = $("i-channel").value || def.channel;
    const type = $("i-type").value;
    options($("i-channel"), Object.entries(CHANNEL).filter(([k]) => k !== "open311"), def.channel);
    $("i-channel").value = ch;
    options($("i-type"), typeOptions("按系统研判"), "");
    $("i-type").value = TYPE[type] ? type : "";
  };
  options($("i-line"), Object.entries(LINE), def.line);
  fillChoices();
  taxonomy().then(fillChoices);

  const body = () => {
    const b = {
      text: text.value.trim(),
      channel: $("i-channel").value,
      line: $("i-line").value,
    };
    const name = $("i-name").value.trim();
    const phone = $("i-phone").value.trim();
    if (name || phone) b.reporter = {name, phone};
    const address = $("i-address").value.trim();
    if (address) b.address = address;
    const lat = $("i-lat").value.trim();
    const lon = $("i-lon").value.trim();
    if (lat !== "" && lon !== "") b.location = {lat: Number(lat), lon: Number(lon)};
    const type = $("i-type").value;
    if (type) {
      b.type = type;
      b.category = categoryOf(type);
    }
    const ext = $("i-external").value.trim();
    if (ext) b.external_id = ext;
    return b;
  };

  const triage = async () => {
    const t = text.value.trim();
    if (!triageOn || t.length < 4) {
      triageBox.hidden = true;
      return;
    }
    if (triageAbort) triageAbort.abort();
    triageAbort = new AbortController();
    try {
      const ans = await post("/api/v1/triage", {text: t}, {signal: triageAbort.signal});
      suggestion = ans;
      showTriage(ans);
    } catch (err) {
      if (err.name === "AbortError") return;
      if (err.status === 404) triageOn = false; // no triage on this server yet
      triageBox.hidden = true;
    }
  };

  const showTriage = (t) => {
    const conf = typeof t.confidence === "number" ? Math.round(t.confidence * (t.confidence <= 1 ? 100 : 1)) : null;
    const words = (list) => (list || []).map((c) => (typeof c === "string" ? c : c.text || c.label || "")).filter(Boolean);
    const cues = words(t.cues);
    const reasons = words(t.risk_reasons);
    const kind = [t.category_label || label(CATEGORY, t.category), t.type_label || label(TYPE, t.type)].filter(Boolean).join(" · ");
    fill(triageBox,
      h("span", {class: "title"}, "研判建议"),
      h("span", {class: "chips"},
        h("span", {class: "badge plain"}, kind || "未能分类"),
        t.police ? h("span", {class: "badge police"}, "涉警") : null,
        t.risk ? h("span", {class: t.risk === "high" ? "badge risk" : "badge plain"}, label(RISK, t.risk)) : null,
        conf !== null ? h("span", {class: "badge plain"}, `置信度 ${conf}%`) : null,
      ),
      t.police ? h("p", {class: "small"}, "疑似治安类警情：应移交公安（退回110）。" + (cues.length ? "依据：" + cues.slice(0, 6).join("、") : "")) : null,
      reasons.length ? h("p", {class: "small muted"}, "风险依据：" + reasons.slice(0, 6).join("；")) : null,
      t.type && $("i-type").value !== t.type && [...$("i-type").options].some((o) => o.value === t.type)
        ? h("button", {type: "button", class: "btn small", onclick: () => {
          $("i-type").value = t.type;
          schedulePreview();
          showTriage(t);
        }}, "采用此类型")
        : null,
    );
    triageBox.hidden = false;
  };

  const preview = async () => {
    const b = body();
    if (!b.text) {
      routeBox.hidden = true;
      return;
    }
    if (previewAbort) previewAbort.abort();
    previewAbort = new AbortController();
    try {
      const [ans, unitMap] = await Promise.all([
        post("/api/v1/routing/preview", b, {signal: previewAbort.signal}),
        units().catch(() => new Map()),
      ]);
      const r = ans.routing || {};
      if (!r.unit_id) {
        fill(routeBox, h("span", {class: "title"}, "流转建议"), "没有匹配的流转规则，请人工派单。");
      } else {
        fill(routeBox,
          h("span", {class: "title"}, "流转建议"),
          h("span", {id: "routing-unit"}, "派往 " + unitName(unitMap, r.unit_id)),
          (r.co_unit_ids || []).length ? "；协办：" + r.co_unit_ids.map((id) => unitName(unitMap, id)).join("、") : "",
          (r.notify_unit_ids || []).length ? "；同时告知：" + r.notify_unit_ids.map((id) => unitName(unitMap, id)).join("、") : "",
          r.dispatch ? "（受理后自动派单）" : "",
          r.rule ? h("p", {class: "small muted"}, "依据规则：" + r.rule) : null,
        );
      }
      routeBox.hidden = false;
    } catch (err) {
      if (err.name === "AbortError") return;
      // A half-typed form (say, one coordinate) is not worth an error here.
      routeBox.hidden = true;
    }
  };

  const schedulePreview = () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(preview, PREVIEW_DELAY);
  };

  text.addEventListener("input", () => {
    text.removeAttribute("aria-invalid");
    clearTimeout(triageTimer);
    triageTimer = setTimeout(triage, TRIAGE_DELAY);
    schedulePreview();
  });
  for (const id of ["i-channel", "i-line", "i-type", "i-address", "i-lat", "i-lon"]) {
    $(id).addEventListener("change", schedulePreview);
  }
  // Ctrl+Enter files the report from anywhere in the form; a plain Enter
  // in a one-line field does not (the browser would file a half-typed
  // report while the caller is still talking).
  form.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    } else if (e.key === "Enter" && e.target instanceof HTMLInputElement) {
      e.preventDefault();
    }
  });
  // Some keyboards (and input methods) file on the key press instead.
  form.addEventListener("keypress", (e) => {
    if (e.key === "Enter" && !e.ctrlKey && !e.metaKey && e.target instanceof HTMLInputElement) e.preventDefault();
  });
  // The draft survives leaving the page (a session that ended mid-call
  // leads to the login page and back), with its idempotency key, so that
  // filing it again after a lost answer makes no second case.
  const typed = ["i-text", "i-name", "i-phone", "i-address", "i-lat", "i-lon", "i-external"];
  const fields = [...typed, "i-channel", "i-line", "i-type"];
  const saveDraft = () => {
    const d = {key};
    for (const id of fields) d[id] = $(id).value;
    if (typed.some((id) => d[id].trim() !== "")) {
      sessionStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    } else {
      sessionStorage.removeItem(DRAFT_KEY);
    }
  };
  const restoreDraft = () => {
    let d;
    try {
      d = JSON.parse(sessionStorage.getItem(DRAFT_KEY) || "null");
    } catch {
      d = null;
    }
    if (!d) return;
    for (const id of fields) if (typeof d[id] === "string") $(id).value = d[id];
    if (d.key) key = d.key;
    banner($("intake-error"), "");
    toastDraft();
    schedulePreview();
    triageTimer = setTimeout(triage, TRIAGE_DELAY);
  };
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
  taxonomy().then(restoreDraft, restoreDraft);

  form.addEventListener("reset", () => {
    sessionStorage.removeItem(DRAFT_KEY);
    setTimeout(() => {
      triageBox.hidden = true;
      routeBox.hidden = true;
      banner($("intake-error"), "");
      suggestion = null;
      key = newKey();
    });
  });

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    banner($("intake-error"), "");
    $("intake-done").hidden = true;
    const b = body();
    if (!b.text) {
      text.setAttribute("aria-invalid", "true");
      banner($("intake-error"), "请填写报告内容");
      text.focus();
      return;
    }
    const lat = $("i-lat").value.trim(), lon = $("i-lon").value.trim();
    if ((lat === "") !== (lon === "")) {
      banner($("intake-error"), "位置须同时填写纬度和经度");
      (lat === "" ? $("i-lat") : $("i-lon")).focus();
      return;
    }
    const btn = $("intake-submit");
    btn.disabled = true;
    try {
      const c = await post("/api/v1/cases", b, {headers: {"Idempotency-Key": key}});
      form.reset();
      key = newKey();
      const done = $("intake-done");
      fill(done, "已受理 ", h("a", {href: "/cases/" + c.id, id: "intake-link"}, c.number), "，", await outcome(c), "可继续受理下一件。");
      done.hidden = false;
      done.scrollIntoView({block: "nearest"});
      onCreated(c);
      text.focus();
    } catch (err) {
      banner($("intake-error"), errorText(err));
    } finally {
      btn.disabled = false;
    }
  });

  return {suggestion: () => suggestion};
}
