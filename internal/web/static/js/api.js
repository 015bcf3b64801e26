// The console talks to the JSON API only through this module: the session
// token lives in sessionStorage (one tab, one duty shift) and goes out as
// a Bearer header; errors carry the API's Chinese message.

const KEY = "yizhan.session";
const INFO_KEY = "yizhan.info";

/**
 * ApiError is an API answer other than 2xx, with its code and message,
 * and for an import refused for bad rows (invalid_rows) those rows:
 * [{row, column, message}].
 */
export class ApiError extends Error {
  constructor(status, code, message, rows) {
    super(message || `请求失败（HTTP ${status}）`);
    this.status = status;
    this.code = code || "";
    this.rows = rows || [];
  }
}

/** session is the stored login ({token, expires_at, user}) or null. */
export function session() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || "null");
    if (!s || !s.token) return null;
    if (s.expires_at && Date.parse(s.expires_at) <= Date.now()) {
      sessionStorage.removeItem(KEY);
      return null;
    }
    return s;
  } catch {
    return null;
  }
}

export function saveSession(s) {
  sessionStorage.setItem(KEY, JSON.stringify(s));
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(INFO_KEY);
  sessionStorage.removeItem("yizhan.taxonomy");
}

/**
 * logout ends the session on the server (POST /api/v1/auth/logout, so
 * the token stops working at once) and forgets it here. The session is
 * forgotten even when the server cannot be reached.
 */
export async function logout() {
  try {
    // A server that does not answer must not keep the user from leaving.
    if (session()) await api("POST", "/api/v1/auth/logout", undefined, {noRedirect: true, signal: AbortSignal.timeout(3000)});
  } catch {
    // Expired already, or offline: nothing more to end.
  } finally {
    clearSession();
  }
}

/** cachedInfo is the last GET /api/v1/info answer of this session, or null. */
export function cachedInfo() {
  try {
    return JSON.parse(sessionStorage.getItem(INFO_KEY) || "null");
  } catch {
    return null;
  }
}

/** info asks the server for its version, time zone and time, and keeps the answer. */
export async function info() {
  const ans = await get("/api/v1/info");
  sessionStorage.setItem(INFO_KEY, JSON.stringify(ans));
  return ans;
}

/** toLogin leaves for the login page, coming back here afterwards. */
export function toLogin(extra) {
  const next = location.pathname + location.search;
  const q = new URLSearchParams({next});
  if (extra) q.set(extra, "1");
  location.assign("/login?" + q.toString());
}

/** requireSession answers the session or sends the user to log in. */
export function requireSession() {
  const s = session();
  if (!s) {
    toLogin();
    throw new Error("未登录");
  }
  return s;
}

async function request(method, path, body, opts = {}) {
  const headers = {Accept: "application/json", ...(opts.headers || {})};
  const s = session();
  if (s && !opts.anonymous) headers.Authorization = "Bearer " + s.token;
  let payload;
  if (body instanceof Blob) {
    // A file goes as it is, for the server to read (an import).
    headers["Content-Type"] = body.type || "application/octet-stream";
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, {method, headers, body: payload, signal: opts.signal});
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new ApiError(0, "network", "无法连接服务器，请检查网络后重试");
  }
  if (res.ok) return res;
  let code = "", message = "", rows;
  try {
    const j = await res.json();
    code = j.error?.code || "";
    message = j.error?.message || "";
    rows = Array.isArray(j.rows) ? j.rows : undefined;
  } catch {
    // Not JSON: keep the status line.
  }
  if (opts.noRedirect) {
    // The caller handles every failure itself.
  } else if (res.status === 401 && !opts.anonymous) {
    clearSession();
    toLogin();
  } else if (res.status === 403 && code === "password_change_required") {
    toLogin("change");
  }
  throw new ApiError(res.status, code, message, rows);
}

/** api sends a request and answers the JSON body (null for 204). */
export async function api(method, path, body, opts) {
  const res = await request(method, path, body, opts);
  if (res.status === 204) return null;
  return res.json();
}

export const get = (path, opts) => api("GET", path, undefined, opts);
export const post = (path, body, opts) => api("POST", path, body, opts);

/**
 * upload posts a file as the request's body (no form encoding), with its
 * own Content-Type, and answers the JSON reply.
 */
export const upload = (path, file, opts) => api("POST", path, file, opts);

/** blob fetches a file with the token and answers {blob, filename}. */
export async function blob(path) {
  const res = await request("GET", path, undefined, {headers: {Accept: "*/*"}});
  const cd = res.headers.get("Content-Disposition") || "";
  const m = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(cd);
  return {blob: await res.blob(), filename: m ? decodeURIComponent(m[1]) : ""};
}

/** qs builds a query string from the non-empty fields of an object. */
export function qs(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== "") q.set(k, v);
  }
  const s = q.toString();
  return s ? "?" + s : "";
}
