// Times as the zone reads them. The API writes every time in the zone's
// own offset (Asia/Shanghai by default), so the wall-clock digits are
// shown as sent, whatever the browser's time zone.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/;

// zoneMinutes is the zone's offset from UTC, as GET /api/v1/info says
// (setZone); a time in another offset, such as UTC, is moved into it
// before it is shown, and times the console sends are written in it.
let zoneMinutes = 480;
let zoneText = "+08:00";
// skewMs is how far the browser's clock is behind the server's; the
// countdowns use the server's time (see now).
let skewMs = 0;

/** setZone takes the zone's offset ("+08:00") and the server's time from GET /api/v1/info. */
export function setZone(offset, serverNow, received = Date.now()) {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(offset || "");
  if (m) {
    zoneText = m[0];
    zoneMinutes = (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  }
  const t = Date.parse(serverNow || "");
  if (!Number.isNaN(t)) {
    // The server's time has whole seconds and the answer took a while to
    // come: a few seconds apart is noise, not a wrong clock.
    const skew = t - received;
    skewMs = Math.abs(skew) >= 5000 ? skew : 0;
  }
}

/** zoneOffset is the zone's "+08:00", for times the console sends. */
export function zoneOffset() {
  return zoneText;
}

/** now is the time in milliseconds by the server's clock. */
export function now() {
  return Date.now() + skewMs;
}

/** zoneToday is today's date (YYYY-MM-DD) in the zone. */
export function zoneToday() {
  return new Date(now() + zoneMinutes * 60000).toISOString().slice(0, 10);
}

/** inZone rewrites an RFC 3339 time in the zone's offset. */
function inZone(iso) {
  if (!iso || iso.endsWith(zoneText)) return iso;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms + zoneMinutes * 60000).toISOString().replace(/\.\d+Z$/, "").replace("Z", "") + zoneText;
}

/** when shows "2026-11-27 09:02" (or with seconds). */
export function when(iso, withSeconds) {
  if (!iso) return "";
  const m = RFC3339.exec(inZone(iso));
  if (!m) return iso;
  const t = `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}`;
  return withSeconds && m[6] ? `${t}:${m[6]}` : t;
}

/** short shows "11-27 09:02", or "09:02" for today. */
export function short(iso) {
  const m = RFC3339.exec(inZone(iso || ""));
  if (!m) return iso || "";
  if (`${m[1]}-${m[2]}-${m[3]}` === zoneToday()) return `${m[4]}:${m[5]}`;
  return `${m[2]}-${m[3]} ${m[4]}:${m[5]}`;
}

/** dateCN shows "2026年1月1日" for "2026-01-01". */
export function dateCN(ymd) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd || "");
  if (!m) return ymd || "";
  return `${Number(m[1])}年${Number(m[2])}月${Number(m[3])}日`;
}

/**
 * localInput is a time as an <input type="datetime-local"> value on the
 * zone's wall clock; fromLocalInput reads one back as RFC 3339.
 */
export function localInput(ms) {
  return new Date(ms + zoneMinutes * 60000).toISOString().slice(0, 16);
}

export function fromLocalInput(v) {
  return v ? v + ":00" + zoneText : "";
}

/** localDate formats a Date as YYYY-MM-DD in the browser's time zone (date arithmetic only). */
function localDate(d) {
  const p = (n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** addDays moves a YYYY-MM-DD date by n days. */
export function addDays(ymd, n) {
  const [y, m, d] = ymd.split("-").map(Number);
  return localDate(new Date(y, m - 1, d + n));
}

/** minutes shows a duration in minutes, hours or days, in Chinese. */
export function duration(ms) {
  const min = Math.floor(Math.abs(ms) / 60000);
  if (min < 1) return "不到1分钟";
  if (min < 60) return `${min}分钟`;
  const hours = Math.floor(min / 60);
  if (hours < 48) return `${hours}小时${min % 60 ? (min % 60) + "分" : ""}`;
  const days = Math.floor(hours / 24);
  return `${days}天${hours % 24 ? (hours % 24) + "小时" : ""}`;
}

/** seconds shows a number of seconds as a duration. */
export function seconds(s) {
  if (s === null || s === undefined) return "—";
  if (s < 60) return `${Math.round(s)}秒`;
  return duration(s * 1000);
}

/** pct shows a percentage with one decimal, as the zone publishes it. */
export function pct(v) {
  if (v === null || v === undefined) return "—";
  return `${Number(v).toFixed(1)}%`;
}

/** meters shows a distance. */
export function meters(m) {
  if (m === null || m === undefined) return "";
  return m < 1000 ? `${Math.round(m)}米` : `${(m / 1000).toFixed(1)}公里`;
}
