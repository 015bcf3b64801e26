// What every page of the console shares: the header (who is logged in,
// the live indicator, the night theme, logging out), toasts, the zone's
// time (GET /api/v1/info), the server's labels (GET /api/v1/taxonomy),
// and the live stream wired to the page's handlers.

import {cachedInfo, info, logout, requireSession} from "./api.js";
import {$, h} from "./dom.js";
import {connect} from "./live.js";
import {ROLE, label, taxonomy} from "./labels.js";
import {setZone} from "./format.js";

const THEME_KEY = "yizhan.theme";

const LIVE_TEXT = {on: "实时", retry: "重连中…", off: "未连接"};

// The roles each header link marked data-needs is shown to. The API has
// no way to ask this, so the header follows these lists.
const NAV_ROLES = {
  // The roles the API gives the zone's figures to (GET /api/v1/stats/*
  // answers 403 to the others); the dashboard itself shows the API's
  // refusal to anyone else.
  stats: new Set(["admin", "leader", "dispatcher"]),
  // The problem list (企业问题清单) is for those who lead, dispatch or work
  // enterprise demands, and for the enterprises themselves. The API
  // answers anyone, scoped; the others have no enterprise work to list.
  problems: new Set(["admin", "leader", "dispatcher", "department", "enterprise"]),
};

let zoneLoading = null;

/**
 * zone answers once the zone's offset and the server's time are known:
 * at once from this session's last GET /api/v1/info, else when it
 * answers. It asks again once per page, so a long shift stays in step.
 */
export function zone() {
  if (!zoneLoading) {
    const cached = cachedInfo();
    if (cached) setZone(cached.utc_offset);
    const fresh = info().then((ans) => {
      setZone(ans.utc_offset, ans.now);
      return ans;
    }, () => cached);
    zoneLoading = cached ? Promise.resolve(cached) : fresh;
  }
  return zoneLoading;
}

/** applyTheme sets the stored theme before the page paints much. */
export function applyTheme() {
  const t = localStorage.getItem(THEME_KEY);
  if (t === "dark" || t === "light") document.documentElement.dataset.theme = t;
}

/** dark reports whether the page is showing its dark theme. */
export function dark() {
  const t = document.documentElement.dataset.theme;
  if (t) return t === "dark";
  return matchMedia("(prefers-color-scheme: dark)").matches;
}

/**
 * start prepares a page that needs a login and answers the session.
 * live, when given, receives the stream: {onCase, onResync}.
 */
export function start(live) {
  applyTheme();
  const s = requireSession();
  zone();
  taxonomy();
  const u = s.user || {};
  const who = $("who");
  if (who) who.replaceChildren(u.name || u.username || "", h("span", {class: "role"}, label(ROLE, u.role)));
  for (const a of document.querySelectorAll("[data-needs]")) a.hidden = !NAV_ROLES[a.dataset.needs]?.has(u.role);

  const toggle = $("theme-toggle");
  if (toggle) {
    const sync = () => {
      toggle.setAttribute("aria-pressed", String(dark()));
      toggle.textContent = dark() ? "日间" : "夜间";
    };
    sync();
    toggle.addEventListener("click", () => {
      const t = dark() ? "light" : "dark";
      localStorage.setItem(THEME_KEY, t);
      document.documentElement.dataset.theme = t;
      sync();
      dispatchEvent(new CustomEvent("themechange"));
    });
  }
  let stream = null;
  const out = $("logout");
  if (out) {
    out.addEventListener("click", async () => {
      out.disabled = true;
      if (stream) stream.close();
      await logout();
      location.assign("/login");
    });
  }
  if (live) {
    stream = connect({
      onCase: live.onCase || (() => {}),
      onResync: live.onResync || (() => {}),
      onState: (st) => {
        const el = $("live");
        if (!el) return;
        el.dataset.state = st;
        el.textContent = LIVE_TEXT[st] || st;
      },
    });
  } else {
    const el = $("live");
    if (el) el.hidden = true;
  }
  return s;
}

/** toast shows a short message for a few seconds (kind: ok, error, info). */
export function toast(message, kind = "info", ms = 5000) {
  const box = $("toasts");
  if (!box) return;
  const el = h("div", {class: "toast " + kind}, message);
  box.append(el);
  setTimeout(() => el.remove(), ms);
}

/** errorText is what a user reads about a failed request. */
export function errorText(err) {
  return err && err.message ? err.message : "操作失败，请重试";
}
