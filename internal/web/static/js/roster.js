// 值班表: who is on duty now (or at a chosen moment), the leader on duty,
// the warning when the round-the-clock units have gaps, and the coming
// week's shifts.

import {get, qs} from "./api.js";
import {$, banner, fill, h} from "./dom.js";
import {errorText, start} from "./shell.js";
import {fromLocalInput, short, when} from "./format.js";
import {unitName, units} from "./units.js";

start();

$("at-form").addEventListener("submit", (e) => {
  e.preventDefault();
  // The time typed is the zone's wall clock (GET /api/v1/info's offset).
  loadOnDuty(fromLocalInput($("r-at").value));
});
$("r-now").addEventListener("click", () => {
  $("r-at").value = "";
  loadOnDuty("");
});

loadOnDuty("");
loadGaps();
loadShifts();

function tel(phone) {
  return phone ? h("a", {class: "tel", href: "tel:" + phone.replace(/[\s-]/g, "")}, phone) : null;
}

function personItem(p) {
  return h("li", {},
    h("div", {class: "person"},
      h("span", {}, h("span", {class: "name"}, p.person.name), p.shift?.leader ? h("span", {class: "badge warning"}, " 带班领导") : null),
      tel(p.person.phone)),
    h("div", {class: "small muted"}, [
      p.person.role,
      p.shift ? `${short(p.shift.start)} – ${short(p.shift.end)}` : "",
      p.shift?.note || "",
    ].filter(Boolean).join(" · ")));
}

async function loadOnDuty(at) {
  banner($("roster-error"), "");
  try {
    const ans = await get("/api/v1/roster/on-duty" + qs({at}));
    $("on-duty-at").textContent = "（" + when(ans.at) + "）";
    const leaders = ans.leaders || [];
    fill($("leaders"), leaders.length
      ? leaders.map((p) => h("div", {class: "kpi"}, h("div", {class: "label"}, "带班领导"), h("div", {class: "person"}, h("span", {class: "name"}, p.person.name), tel(p.person.phone))))
      : h("p", {class: "banner warn"}, "此时没有排带班领导。"));
    const groups = ans.units || [];
    fill($("on-duty"), groups.length
      ? groups.map((g) => h("section", {class: "card"},
        h("h3", {}, g.unit_name),
        h("ul", {class: "plain"}, (g.people || []).map(personItem))))
      : h("p", {class: "banner warn"}, "此时无人在岗。"));
  } catch (err) {
    banner($("roster-error"), errorText(err));
  }
}

async function loadGaps() {
  try {
    const ans = await get("/api/v1/roster/gaps");
    const gaps = ans.gaps || [];
    if (!gaps.length && !ans.warning) {
      fill($("gaps"), h("p", {class: "banner ok"}, "未来 7 天 24 小时值班单位均已排满。"));
      return;
    }
    fill($("gaps"), h("div", {class: "banner warn", role: "alert"},
      h("strong", {}, ans.warning || "值班表有空档，请补排。"),
      h("ul", {}, gaps.map((g) => h("li", {}, `${g.unit_name}：${when(g.start)} 至 ${when(g.end)}，共 ${g.hours} 小时无人值班`)))));
  } catch (err) {
    banner($("roster-error"), errorText(err));
  }
}

async function loadShifts() {
  try {
    const [ans, people, unitMap] = await Promise.all([
      get("/api/v1/roster/shifts"),
      get("/api/v1/people"),
      units(),
    ]);
    const names = new Map((people.items || []).map((p) => [p.id, p]));
    const byDay = new Map();
    for (const sh of (ans.items || []).slice().sort((a, b) => Date.parse(a.start) - Date.parse(b.start))) {
      const day = sh.start.slice(0, 10);
      if (!byDay.has(day)) byDay.set(day, []);
      byDay.get(day).push(sh);
    }
    if (!byDay.size) {
      fill($("shifts"), h("p", {class: "muted"}, "未来 7 天没有排班。"));
      return;
    }
    fill($("shifts"), h("div", {class: "table-wrap"}, h("table", {class: "table"},
      h("thead", {}, h("tr", {}, h("th", {}, "日期"), h("th", {}, "时段"), h("th", {}, "单位"), h("th", {}, "人员"), h("th", {}, "备注"))),
      h("tbody", {}, [...byDay].flatMap(([day, list]) => list.map((sh, i) => {
        const p = names.get(sh.person_id);
        return h("tr", {},
          h("td", {}, i === 0 ? day : ""),
          h("td", {}, `${when(sh.start).slice(11)} – ${short(sh.end)}`),
          h("td", {}, unitName(unitMap, sh.unit_id)),
          h("td", {}, p ? p.name : `人员#${sh.person_id}`, sh.leader ? "（带班）" : ""),
          h("td", {}, sh.note || ""));
      }))))));
  } catch (err) {
    banner($("roster-error"), errorText(err));
  }
}
