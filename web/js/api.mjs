// api.mjs -- the JSON API with the CSRF header. The server decides; this
// only carries requests and turns error bodies into ApiError.
import { t, problem, adopt } from "./i18n.mjs";

let csrf = "";
// The page's own "who am I" (/api/me, /api/review/me) carries the CSRF token;
// while it is on its way, a state change waits for it (a click can come first).
const WHO = new Set(["/api/me", "/api/review/me"]);
let whoPending = null;
let whoPath = "";

export class ApiError extends Error {
  constructor(status, code, message, extra = {}) {
    super(message);
    this.status = status;
    this.code = code;
    Object.assign(this, extra);
  }
}

export function setCsrf(token) {
  if (token) csrf = token;
}

async function tokenFirst(method) {
  if (method !== "GET" && !csrf && whoPending) await whoPending.then(() => {}, () => {});
}

export async function api(method, path, body) {
  if (method === "GET" && WHO.has(path)) {
    // one "who am I" at a time: the header (nav.mjs) and the page share it
    // (decided before any await, so that two scripts of one page see each other)
    if (whoPending && whoPath === path) return whoPending;
    const p = send(method, path, body);
    whoPending = p;
    whoPath = path;
    const done = () => { if (whoPending === p) whoPending = null; };
    p.then(done, done);
    // the reviewer's saved language wins; a reviewer without one saves what the console shows (#20)
    if (path === "/api/review/me") p.then((who) => adopt(who.language, (language) => api("PUT", "/api/review/language", { language })), () => {});
    return p;
  }
  await tokenFirst(method);
  return send(method, path, body);
}

async function send(method, path, body) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrf) headers["X-CSRF-Token"] = csrf;
  let res;
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "network", problem("network"));
  }
  return answer(res.status, await res.text());
}

// The body as JSON (a new CSRF token taken along), or the error it carries.
function answer(status, text) {
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (json && json.csrf) setCsrf(json.csrf);
  if (status < 200 || status > 299) {
    const e = json && json.error;
    // the catalogue's words for the code (the server's message is English, for API clients)
    const code = e ? e.code : "http_" + status;
    const message = e ? problem(e.code) : t("problem.http_status", { status });
    throw new ApiError(status, code, message, { ...(e || {}), message });
  }
  return json;
}

// The signed-in account, or a redirect to sign-in.
export async function requireAccount() {
  try {
    const me = await api("GET", "/api/me");
    // the account's language wins; an account without one saves what it reads (#20)
    if (!adopt(me.language, (language) => api("PUT", "/api/account/language", { language }))) return new Promise(() => {});
    return me;
  } catch (e) {
    if (e.status === 401) {
      location.assign("/?next=" + encodeURIComponent(location.pathname));
      return new Promise(() => {});
    }
    throw e;
  }
}

// A file body with upload progress (fetch has none): same headers, same
// errors as api(). onProgress gets a fraction 0..1.
export async function upload(path, file, onProgress) {
  await tokenFirst("POST");
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", path);
    xhr.setRequestHeader("Content-Type", file.type);
    if (csrf) xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = (e) => { if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total); };
    xhr.onerror = () => reject(new ApiError(0, "network", problem("network")));
    xhr.onload = () => {
      try { resolve(answer(xhr.status, xhr.responseText)); } catch (e) { reject(e); }
    };
    xhr.send(file);
  });
}
