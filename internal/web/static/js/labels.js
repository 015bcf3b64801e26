// The Chinese a user reads for every code the API sends. The server's
// own labels (GET /api/v1/taxonomy: categories and types in force,
// including a --taxonomy file's, and the labels of statuses, actions and
// channels) replace the tables below once they arrive; the tables are
// the fallback when the request fails, and the labels the API has none
// for (lines, risks, stages, roles…). Pages redraw on taxonomy().

import {get} from "./api.js";

export const STATUS = {
  received: "已受理",
  dispatched: "已派单",
  accepted: "已签收",
  on_site: "已到场",
  mediating: "带回调处",
  resolved: "处置完毕",
  closed: "已办结",
  referred_police: "已移交公安",
  merged: "已合并",
};

/** STATUS_FILTERS are the desk's status choices: value sent as ?status=. */
export const STATUS_FILTERS = [
  ["", "全部"],
  ["received", "待派单（已受理）"],
  ["dispatched,accepted,on_site,mediating", "处置中"],
  ["dispatched", "已派单待签收"],
  ["resolved", "处置完毕待回访"],
  ["closed", "已办结"],
  ["referred_police", "已移交公安"],
  ["merged", "已合并"],
];

export const LINE = {
  incident: "非警务警情",
  enterprise: "企业诉求",
  worker: "职工诉求",
};

export const CHANNEL = {
  "110": "110分流",
  "12345": "12345热线",
  phone: "电话",
  walk_in: "来访",
  grid: "网格员上报",
  enterprise: "企业上报",
  station: "驿站",
  open311: "Open311",
};

export const CATEGORY = {
  civil: "民事纠纷",
  labor: "劳资纠纷",
  contract: "合同纠纷",
  other: "其他纠纷",
};

/** TYPES lists the types under each category, in the contract's order. */
export const TYPES = {
  civil: [
    ["marriage_family", "婚姻家庭"], ["neighbor", "邻里纠纷"], ["housing_land", "房屋宅基地及土地"],
    ["property_mgmt", "物业纠纷"], ["injury", "损害赔偿"], ["traffic", "交通事故"],
    ["medical", "医疗纠纷"], ["inheritance", "继承纠纷"],
  ],
  labor: [["wage_arrears", "欠薪讨薪"], ["work_injury", "工伤赔偿"], ["labor_contract", "劳动合同及社保"]],
  contract: [
    ["sales_payment", "买卖及货款"], ["loan_debt", "借贷债务"], ["consumer", "消费纠纷"],
    ["lease", "租赁纠纷"], ["construction", "建设工程款"], ["business", "合伙经营"],
  ],
  other: [["environment", "环境污染"], ["school", "校园纠纷"], ["land_requisition", "征地拆迁"], ["other", "其他"]],
};

export const TYPE = Object.fromEntries(Object.values(TYPES).flat());

const CACHE_KEY = "yizhan.taxonomy";
let loading = null;

/**
 * taxonomy loads the server's labels into the tables once per page and
 * answers true when they came from the server, false when the built-in
 * ones stay. <html data-taxonomy> says which ("server" or "fallback").
 * This session's last answer is applied at once meanwhile, so that a
 * zone's own types show from the first paint.
 */
export function taxonomy() {
  if (!loading) {
    loading = get("/api/v1/taxonomy").then((t) => {
      applyTaxonomy(t);
      try {
        sessionStorage.setItem(CACHE_KEY, JSON.stringify(t));
      } catch {
        // Storage full or refused: the labels still apply to this page.
      }
      document.documentElement.dataset.taxonomy = "server";
      return true;
    }, () => {
      document.documentElement.dataset.taxonomy = "fallback";
      return false;
    });
  }
  return loading;
}

/** applyTaxonomy replaces the tables' contents with the server's labels. */
function applyTaxonomy(t) {
  const types = (t.types || []).map((x) => ({
    // Types come with capitalised keys (Code, Label, Category, CategoryLabel).
    code: x.code ?? x.Code,
    label: x.label ?? x.Label,
    category: x.category ?? x.Category,
    categoryLabel: x.category_label ?? x.CategoryLabel,
  })).filter((x) => x.code && x.category);
  if (types.length) {
    for (const k of Object.keys(TYPES)) delete TYPES[k];
    for (const k of Object.keys(TYPE)) delete TYPE[k];
    for (const x of types) {
      (TYPES[x.category] ||= []).push([x.code, x.label || x.code]);
      TYPE[x.code] = x.label || x.code;
      if (x.categoryLabel && !CATEGORY[x.category]) CATEGORY[x.category] = x.categoryLabel;
    }
  }
  for (const c of t.categories || []) {
    if (c.code && c.label) CATEGORY[c.code] = c.label;
  }
  merge(STATUS, t.statuses);
  merge(ACTION, t.actions);
  merge(CHANNEL, t.channels);
}

function merge(table, labels) {
  for (const [k, v] of Object.entries(labels || {})) {
    if (v) table[k] = v;
  }
}

/** categoryOf answers the category a type belongs to. */
export function categoryOf(type) {
  for (const [cat, list] of Object.entries(TYPES)) {
    if (list.some(([t]) => t === type)) return cat;
  }
  return "";
}

/** typeOptions are grouped options for a type select, with a first empty choice. */
export function typeOptions(emptyLabel) {
  return [["", emptyLabel], ...Object.entries(TYPES).map(([cat, items]) => ({group: CATEGORY[cat] || cat, items}))];
}

export const RISK = {low: "低风险", medium: "中风险", high: "高风险"};
export const PRIORITY = {urgent: "紧急", high: "较急", normal: "一般"};

export const OUTCOME = {
  onsite_resolved: "现场化解",
  taken_back_resolved: "带回化解",
  referred: "移交仲裁、诉讼等",
  unresolved: "未化解",
};

export const ACTION = {
  receive: "受理",
  dispatch: "派单",
  accept: "签收",
  arrive: "到场",
  take_back: "带回调处",
  resolve: "处置完毕",
  close: "办结",
  reopen: "重办",
  return: "退单",
  transfer: "转办",
  refer_police: "移交公安",
  merge: "合并重复件",
  unmerge: "撤销合并",
  dismiss_duplicates: "排除疑似重复",
  follow_up: "回访评价",
  reclassify: "改类",
  escalate: "升级上报",
  supervise: "督办",
  note: "备注",
  extend: "延期申请",
  pause: "挂起",
  resume: "恢复",
  approve_extension: "批准延期",
  refuse_extension: "驳回延期",
  duplicate_added: "重复报警并入",
  duplicate_removed: "撤销合并移出",
  repeat_linked: "关联重复纠纷",
  deadline_warning: "时限预警",
  deadline_breach: "超时",
};

/** actionLabel names an action, falling back to its code for new ones. */
export function actionLabel(a) {
  return ACTION[a] || a;
}

export const DIRECTION = {down: "下派", up: "上报", across: "转办"};

export const STAGE = {
  respond: "响应",
  dispatch: "派单",
  accept: "签收",
  arrive: "到场",
  resolve: "处置",
  follow_up: "回访",
};

export const CLOCK_STATUS = {
  pending: "计时中",
  warning: "预警",
  breached: "超时",
  met: "按时完成",
  met_late: "超时完成",
  paused: "已挂起",
  cancelled: "已取消",
};

export const ROLE = {
  admin: "系统管理员",
  leader: "领导",
  dispatcher: "值班调度员",
  responder: "先期处置队员",
  department: "部门承办人",
  grid: "网格员",
  enterprise: "企业联络人",
  station: "驿站工作人员",
};

export const INDUSTRY = {
  vehicle: "车业",
  door: "门业",
  power_tool: "电动工具",
  cup: "杯壶",
  metal: "金属材料",
  cookware: "炊具厨具",
  leisure: "休闲运动器材",
  appliance: "小家电",
};

export const UNIT_KIND = {
  center: "指挥中心",
  response_team: "先期处置队",
  department: "职能部门",
  grid: "网格",
  enterprise: "企业微中心",
  station: "驿站",
};

/** label answers table[code], or the code itself when the table lacks it. */
export function label(table, code) {
  if (code === null || code === undefined || code === "") return "";
  return table[code] || String(code);
}

// This session's last taxonomy, once every table above exists.
try {
  const cached = JSON.parse(sessionStorage.getItem(CACHE_KEY) || "null");
  if (cached) applyTaxonomy(cached);
} catch {
  // A damaged cache: the built-in labels stay until the server answers.
}
