// The small form each case action needs, in a modal dialog: a unit picker
// for dispatch and transfer (the routing suggestion preselected), the
// outcome for resolve, satisfaction for close, a reason where the API
// asks for one, stage and time for an extension, and so on.

import {post} from "./api.js";
import {$, banner, fill, h, options} from "./dom.js";
import {OUTCOME, RISK, STAGE, actionLabel, categoryOf, label, typeOptions} from "./labels.js";
import {errorText} from "./shell.js";
import {running} from "./clocks.js";
import {fromLocalInput, localInput} from "./format.js";
import {unitOptions} from "./units.js";

// Which fields each action asks for. The reason is required where the
// API refuses an action without one.
const REASON_REQUIRED = {
  return: "退单原因",
  reopen: "重办原因",
  refer_police: "移交公安的原因",
  pause: "挂起原因（如：等待当事人到场）",
  escalate: "升级原因",
  supervise: "督办意见",
  unmerge: "撤销合并的原因",
};
const CONFIRM_ONLY = new Set(["accept", "arrive", "take_back", "resume"]);
const DANGER = new Set(["refer_police", "return", "refuse_extension"]);

/** Field builders: each returns the field's element and how to read it. */
function textField(name, text, {required = false, rows = 3, value = ""} = {}) {
  const input = h("textarea", {name, id: "a-" + name, rows, maxlength: 4000, required});
  input.value = value;
  return h("label", {}, head(text, required), input);
}

/** head is a label's text, with a star when the field is required. */
function head(text, required) {
  return h("span", {class: "label-text"}, text, required ? h("span", {class: "req", "aria-hidden": "true"}, " *") : null);
}

function selectField(name, text, items, selected, required) {
  const sel = h("select", {name, id: "a-" + name, required});
  options(sel, items, selected);
  return h("label", {}, head(text, required), sel);
}

/** below reports whether unit id lies under unit top in the directory. */
function below(unitMap, id, top) {
  for (let u = unitMap.get(id); u && u.parent_id; u = unitMap.get(u.parent_id)) {
    if (u.parent_id === top) return true;
  }
  return false;
}

function unitField(c, unitMap, {exclude, under} = {}) {
  const allowed = (id) => Number(id) !== exclude && (under === undefined || below(unitMap, Number(id), under));
  const suggested = c.routing && c.routing.unit_id && allowed(c.routing.unit_id) ? String(c.routing.unit_id) : "";
  const groups = unitOptions(unitMap).map((g) => ({
    group: g.group,
    items: g.items.filter(([id]) => allowed(id)).map(([id, name]) => [id, id === suggested ? `${name}（系统建议）` : name]),
  })).filter((g) => g.items.length);
  return selectField("unit_id", "承办单位", [["", "请选择承办单位"], ...groups], suggested, true);
}

/**
 * fieldsFor builds the dialog's fields for an action on case c and
 * answers a function that reads them into the action's body, or throws
 * an Error with a message for the user.
 */
function fieldsFor(action, c, unitMap, preset) {
  const box = $("action-fields");
  const els = [];
  const reason = REASON_REQUIRED[action];
  switch (action) {
    case "dispatch":
      els.push(unitField(c, unitMap), textField("note", "派单说明（选填）", {rows: 2}));
      break;
    case "transfer":
      els.push(
        preset?.downOnly ? h("p", {class: "small muted"}, "首接负责单位只能下派至本单位的下属单位；确需改派请联系指挥中心。") : null,
        unitField(c, unitMap, preset?.downOnly ? {exclude: c.unit_id, under: c.unit_id} : {exclude: c.unit_id}),
        textField("reason", preset?.downOnly ? "下派说明" : "转办原因", {required: true, rows: 2}),
      );
      break;
    case "resolve":
      els.push(
        selectField("outcome", "处置结果", [["", "请选择"], ...Object.entries(OUTCOME)], "", true),
        textField("note", "处置情况（选填）"),
      );
      break;
    case "close":
      // The rating is the reporter's: the unit that handled the case
      // closes without one (the API says who may: can_rate).
      els.push(
        c.can_rate
          ? selectField("satisfaction", "回访满意度（选填）", [["", "未评价"], ["5", "5 分 · 非常满意"], ["4", "4 分 · 满意"], ["3", "3 分 · 基本满意"], ["2", "2 分 · 不满意"], ["1", "1 分 · 非常不满意"]], "")
          : h("p", {class: "small muted"}, "满意度由诉求人评价：办结后由指挥中心回访录入。"),
        textField("note", c.can_rate ? "回访情况（选填）" : "办结说明（选填）", {rows: 2}),
      );
      break;
    case "follow_up":
      els.push(
        selectField("satisfaction", "回访满意度", [["", "请选择"], ["5", "5 分 · 非常满意"], ["4", "4 分 · 满意"], ["3", "3 分 · 基本满意"], ["2", "2 分 · 不满意"], ["1", "1 分 · 非常不满意"]], "", true),
        textField("note", "回访情况（选填）", {rows: 2}),
      );
      break;
    case "merge":
      els.push(
        h("label", {}, head("并入的主工单编号", true),
          h("input", {name: "into_number", id: "a-into_number", required: true, autocomplete: "off", spellcheck: "false",
            value: preset?.into_number || "", placeholder: "如 FJ20261127-0001"})),
        h("p", {class: "small muted"}, "本工单将标为“已合并”，报告人和内容记入主工单。"),
        textField("note", "说明（选填）", {rows: 2}),
      );
      break;
    case "dismiss_duplicates": {
      const cands = (c.duplicate_candidates || []).map((d) => [String(d.id), `${d.number || "#" + d.id}（相似度 ${percent(d.score)}）`]);
      els.push(selectField("into", "排除的疑似重复件", [["", "全部排除"], ...cands], preset?.into ? String(preset.into) : "", false),
        textField("note", "说明（选填）", {rows: 2}));
      break;
    }
    case "reclassify":
      els.push(
        selectField("type", "纠纷类型", typeOptions("请选择"), c.type || "", true),
        selectField("risk", "风险等级", [["", "不变"], ...Object.entries(RISK)], "", false),
        selectField("police", "是否涉警", [["", "不变"], ["true", "涉警"], ["false", "不涉警"]], "", false),
        textField("note", "说明（选填）", {rows: 2}),
      );
      break;
    case "extend": {
      const stages = (c.deadlines || []).filter(running).map((d) => [d.stage, `${label(STAGE, d.stage)}（现到期 ${d.due_at.slice(5, 16).replace("T", " ")}）`]);
      const first = (c.deadlines || []).find(running);
      const until = h("input", {type: "datetime-local", name: "until", id: "a-until", required: true});
      if (first) until.value = localInput(Date.parse(first.due_at) + 24 * 3600 * 1000);
      els.push(
        selectField("stage", "延期环节", stages.length ? stages : [["", "没有正在计时的环节"]], stages[0]?.[0] || "", true),
        h("label", {}, head("延至", true), until),
        textField("reason", "延期理由", {required: true, rows: 2}),
      );
      break;
    }
    case "approve_extension":
    case "refuse_extension": {
      const stages = (c.deadlines || []).filter((d) => d.extension_pending).map((d) => [d.stage, label(STAGE, d.stage)]);
      els.push(selectField("stage", "环节", stages, stages[0]?.[0] || "", true));
      els.push(action === "refuse_extension" ? textField("reason", "驳回理由", {required: true, rows: 2}) : textField("note", "审批意见（选填）", {rows: 2}));
      break;
    }
    case "note":
      els.push(textField("note", "备注内容", {required: true}));
      break;
    default:
      if (reason) els.push(textField("reason", reason, {required: true}));
      else if (CONFIRM_ONLY.has(action)) els.push(h("p", {}, `确认对工单 ${c.number} 执行“${actionLabel(action)}”？`), textField("note", "备注（选填）", {rows: 2}));
      else els.push(textField("reason", "原因（选填）", {rows: 2}), textField("note", "备注（选填）", {rows: 2}));
  }
  fill(box, els);

  return async () => {
    const form = $("action-form");
    const val = (n) => (form.elements.namedItem(n)?.value ?? "").trim();
    for (const el of form.querySelectorAll("[required]")) {
      el.removeAttribute("aria-invalid");
      if (!el.value.trim()) {
        el.setAttribute("aria-invalid", "true");
        el.focus();
        const text = el.closest("label")?.querySelector(".label-text")?.firstChild?.textContent || "必填项";
        throw new Error(`请填写“${text.trim()}”`);
      }
    }
    const b = {action};
    for (const n of ["note", "reason", "outcome", "stage"]) {
      if (val(n)) b[n] = val(n);
    }
    if (val("unit_id")) b.unit_id = Number(val("unit_id"));
    if (val("satisfaction")) b.satisfaction = Number(val("satisfaction"));
    if (action === "reclassify") {
      b.type = val("type");
      b.category = categoryOf(b.type);
      if (val("risk")) b.risk = val("risk");
      if (val("police")) b.police = val("police") === "true";
    }
    if (action === "extend") b.until = fromLocalInput(val("until"));
    if (action === "merge") {
      b.into_number = val("into_number").toUpperCase();
      if (b.into_number === c.number) throw new Error("不能把工单并入它自己");
    }
    if (action === "dismiss_duplicates" && val("into")) b.into = Number(val("into"));
    return b;
  };
}

/** percent shows a similarity score (0–1, or already a percentage). */
export function percent(score) {
  const v = Number(score) || 0;
  return `${Math.round(v <= 1 ? v * 100 : v)}%`;
}

/**
 * openAction shows the dialog for an action on case c; done(answer) runs
 * after the API accepted it.
 */
export function openAction(action, c, unitMap, done, preset) {
  const dialog = $("action-dialog");
  const form = $("action-form");
  banner($("action-error"), "");
  $("action-title").textContent = `${actionLabel(action)} · ${c.number}`;
  const submit = $("action-submit");
  submit.textContent = "确定" + actionLabel(action);
  submit.className = "btn " + (DANGER.has(action) ? "danger" : "primary");
  const read = fieldsFor(action, c, unitMap, preset);

  form.onsubmit = async (e) => {
    e.preventDefault();
    banner($("action-error"), "");
    submit.disabled = true;
    try {
      const body = await read();
      const ans = await post(`/api/v1/cases/${c.id}/actions`, body);
      dialog.close();
      done(ans, body);
    } catch (err) {
      banner($("action-error"), errorText(err));
    } finally {
      submit.disabled = false;
    }
  };
  $("action-cancel").onclick = () => dialog.close();
  dialog.showModal();
  const first = form.querySelector("select, input, textarea");
  if (first) first.focus();
}
