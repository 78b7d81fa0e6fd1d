// client.mjs -- Rekey's HTTP API from Node: a cookie jar, the Origin and
// X-CSRF-Token headers the server asks of every state change, errors as
// RekeyError, and one method per route of cgi/openapi.json, grouped as the
// API is (ROUTES below is the one list; a test compares it with OpenAPI).
// No dependency outside Node's standard library (fetch, node:http/https).
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";

/** An answer outside 2xx, or no answer at all (status 0, code "network"). */
export class RekeyError extends Error {
  constructor({ status, code, message, requestId, details = {}, body = null, method, path, cause } = {}) {
    super(message || code, cause ? { cause } : undefined);
    this.name = "RekeyError";
    if (method) this.method = method;
    if (path) this.path = path;
    this.status = status;
    this.code = code;
    if (requestId) this.requestId = requestId;
    this.details = details;
    this.body = body;
  }
}

// [group, method name, HTTP method, path, body] -- body: "json" (an object,
// {} when the route takes no fields), "none", "image" (evidence bytes).
// Query fields go in the options' `query`. Path parameters come first, in order.
export const ROUTES = Object.freeze([
  ["system", "health", "GET", "/api/health", "none"],
  ["system", "openapi", "GET", "/api/openapi.json", "none"],
  ["system", "settings", "GET", "/api/settings", "none"],
  ["system", "metrics", "GET", "/metrics", "none"],
  ["session", "signIn", "POST", "/api/session", "json"],
  ["session", "signOut", "DELETE", "/api/session", "none"],
  ["session", "totp", "POST", "/api/session/totp", "json"],
  ["session", "list", "GET", "/api/sessions", "none"],
  ["session", "revoke", "DELETE", "/api/sessions/{id}", "none"],
  ["session", "revokeOthers", "POST", "/api/sessions/revoke-others", "json"],
  ["session", "stepUpState", "GET", "/api/step-up", "none"],
  ["session", "stepUpOptions", "POST", "/api/step-up/options", "json"],
  ["session", "stepUp", "POST", "/api/step-up", "json"],
  ["account", "me", "GET", "/api/me", "none"],
  ["account", "freeze", "POST", "/api/account/freeze", "json"],
  ["account", "setLanguage", "PUT", "/api/account/language", "json"],
  ["account", "recoveryCodes", "GET", "/api/recovery-codes", "none"],
  ["account", "makeRecoveryCodes", "POST", "/api/recovery-codes", "json"],
  ["account", "contacts", "GET", "/api/account/contacts", "none"],
  ["account", "addContact", "POST", "/api/account/contacts", "json"],
  ["account", "confirmContact", "POST", "/api/account/contacts/{id}/confirm", "json"],
  ["account", "removeContact", "DELETE", "/api/account/contacts/{id}", "none"],
  ["account", "antiPhishing", "GET", "/api/account/anti-phishing", "none"],
  ["account", "setAntiPhishing", "PUT", "/api/account/anti-phishing", "json"],
  ["account", "freezeNow", "POST", "/api/account/freeze-now", "json"],
  ["account", "newFreezeCode", "POST", "/api/account/freeze-code", "json"],
  ["account", "freezeByCode", "POST", "/api/account/freeze-by-code", "json"],
  ["account", "changePassword", "POST", "/api/account/password", "json"],
  ["passwordReset", "start", "POST", "/api/password-reset", "json"],
  ["passwordReset", "code", "POST", "/api/password-reset/code", "json"],
  ["passwordReset", "factorOptions", "POST", "/api/password-reset/factor/options", "json"],
  ["passwordReset", "factor", "POST", "/api/password-reset/factor", "json"],
  ["passwordReset", "password", "POST", "/api/password-reset/password", "json"],
  ["codes", "sendEmail", "POST", "/api/codes/email", "json"],
  ["codes", "verifyEmail", "POST", "/api/codes/email/verify", "json"],
  ["tools", "totpSetup", "POST", "/api/totp/setup", "json"],
  ["tools", "totpConfirm", "POST", "/api/totp/confirm", "json"],
  ["tools", "phoneSetup", "POST", "/api/phone/setup", "json"],
  ["tools", "phoneConfirm", "POST", "/api/phone/confirm", "json"],
  ["holds", "withdrawal", "GET", "/api/holds/withdrawal", "none"],
  ["dev", "mail", "GET", "/api/dev/mail", "none"],
  ["passkeys", "registrationOptions", "POST", "/api/passkeys/registration/options", "json"],
  ["passkeys", "completeRegistration", "POST", "/api/passkeys/registration", "json"],
  ["passkeys", "authenticationOptions", "POST", "/api/passkeys/authentication/options", "json"],
  ["passkeys", "authenticate", "POST", "/api/passkeys/authentication", "json"],
  ["passkeys", "list", "GET", "/api/passkeys", "none"],
  ["passkeys", "rename", "PATCH", "/api/passkeys/{id}", "json"],
  ["passkeys", "startDelete", "POST", "/api/passkeys/{id}/delete", "json"],
  ["deleteFlow", "get", "GET", "/api/delete-flows/{id}", "none"],
  ["deleteFlow", "next", "POST", "/api/delete-flows/{id}/next", "json"],
  ["deleteFlow", "emailCode", "POST", "/api/delete-flows/{id}/email-code", "json"],
  ["deleteFlow", "resendEmailCode", "POST", "/api/delete-flows/{id}/email-code/resend", "json"],
  ["deleteFlow", "sendSms", "POST", "/api/delete-flows/{id}/sms", "json"],
  ["deleteFlow", "passkeyOptions", "POST", "/api/delete-flows/{id}/passkey-options", "json"],
  ["deleteFlow", "verify", "POST", "/api/delete-flows/{id}/verify", "json"],
  ["deleteFlow", "unavailable", "POST", "/api/delete-flows/{id}/unavailable", "json"],
  ["deleteFlow", "cancel", "POST", "/api/delete-flows/{id}/cancel", "json"],
  ["reset", "start", "POST", "/api/reset", "json"],
  ["reset", "get", "GET", "/api/reset/{id}", "none"],
  ["reset", "agree", "POST", "/api/reset/{id}/agree", "json"],
  ["reset", "credentials", "POST", "/api/reset/{id}/credentials", "json"],
  ["reset", "forgotPassword", "POST", "/api/reset/{id}/forgot-password", "json"],
  ["reset", "emailCodeResend", "POST", "/api/reset/{id}/email-code/resend", "json"],
  ["reset", "emailCode", "POST", "/api/reset/{id}/email-code", "json"],
  ["reset", "questions", "POST", "/api/reset/{id}/questions", "json"],
  ["reset", "answers", "POST", "/api/reset/{id}/answers", "json"],
  ["reset", "documents", "POST", "/api/reset/{id}/documents", "json"],
  ["reset", "recoveryCode", "POST", "/api/reset/{id}/recovery-code", "json"],
  ["reset", "skipRecoveryCode", "POST", "/api/reset/{id}/recovery-code/skip", "json"],
  ["reset", "faceHandoff", "POST", "/api/reset/{id}/face/handoff", "json"],
  ["reset", "handoff", "POST", "/api/reset/handoff", "json"],
  ["reset", "moreInfo", "POST", "/api/reset/more-info", "json"],
  ["evidence", "upload", "POST", "/api/reset/{id}/evidence", "image"],
  ["evidence", "list", "GET", "/api/reset/{id}/evidence", "none"],
  ["evidence", "submit", "POST", "/api/reset/{id}/evidence/submit", "json"],
  ["cases", "status", "GET", "/api/cases/status", "none"],
  ["cases", "uploadLink", "POST", "/api/cases/upload-link", "json"],
  ["face", "webhook", "POST", "/api/face/webhook", "json"],
  ["review", "enrolOptions", "POST", "/api/review/enrol/options", "json"],
  ["review", "enrol", "POST", "/api/review/enrol", "json"],
  ["review", "signInOptions", "POST", "/api/review/session/options", "json"],
  ["review", "signIn", "POST", "/api/review/session", "json"],
  ["review", "signOut", "DELETE", "/api/review/session", "none"],
  ["review", "me", "GET", "/api/review/me", "none"],
  ["review", "reasons", "GET", "/api/review/reasons", "none"],
  ["review", "queue", "GET", "/api/review/queue", "none"],
  ["review", "getCase", "GET", "/api/review/cases/{id}", "none"],
  ["review", "claim", "POST", "/api/review/cases/{id}/claim", "json"],
  ["review", "release", "POST", "/api/review/cases/{id}/release", "json"],
  ["review", "evidence", "GET", "/api/review/evidence/{id}", "none"],
  ["review", "identityPhoto", "GET", "/api/review/cases/{id}/identity-photo", "none"],
  ["review", "decide", "POST", "/api/review/cases/{id}/decision", "json"],
  ["review", "setLanguage", "PUT", "/api/review/language", "json"],
  ["admin", "reviewers", "GET", "/api/review/admin/reviewers", "none"],
  ["admin", "addReviewer", "POST", "/api/review/admin/reviewers", "json"],
  ["admin", "setRoles", "POST", "/api/review/admin/reviewers/{id}/roles", "json"],
  ["admin", "disable", "POST", "/api/review/admin/reviewers/{id}/disable", "json"],
  ["admin", "enable", "POST", "/api/review/admin/reviewers/{id}/enable", "json"],
  ["admin", "enrolLink", "POST", "/api/review/admin/reviewers/{id}/enrol-link", "json"],
  ["admin", "policy", "GET", "/api/review/admin/policy", "none"],
  ["admin", "audit", "GET", "/api/review/admin/audit", "none"],
  ["admin", "checkpoint", "POST", "/api/review/admin/audit/checkpoint", "json"],
  ["admin", "health", "GET", "/api/review/admin/health", "none"],
].map(([group, name, method, path, body]) => Object.freeze({ group, name, method, path, body })));

/** Methods built on the routes (several requests each), per group. */
export const HELPERS = Object.freeze({
  passkeys: ["register", "signIn"],
  review: ["enrolWith", "signInWith"],
  deleteFlow: ["run"],
});

const paramsOf = (path) => [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);

function sniffImageType(bytes) {
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return "image/png";
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  return "application/octet-stream";
}

export class RekeyClient {
  /**
   * baseUrl: where the deployment answers (http://127.0.0.1:8080).
   * origin: its configured origin, sent as Origin on state changes and by
   * default the same as baseUrl's. fetch: another fetch (tests, proxies).
   */
  constructor({ baseUrl, origin, fetch: fetchImpl, headers = {} } = {}) {
    if (!baseUrl) throw new TypeError("RekeyClient: baseUrl is required");
    this.baseUrl = String(baseUrl).replace(/\/+$/, "");
    this.origin = origin ?? new URL(this.baseUrl).origin;
    this.jar = new Map(); // cookie name -> value: one site, like a browser's store for it
    this.csrf = "";
    this.defaultHeaders = { ...headers };
    this.fetch = fetchImpl ?? globalThis.fetch.bind(globalThis);
    for (const r of ROUTES) {
      this[r.group] ??= {};
      this[r.group][r.name] = (...args) => this.#route(r, args);
    }
    const c = this;
    Object.assign(this.passkeys, {
      // options -> authenticator.create() -> registration; the new passkey's answer
      async register(authenticator, name, createKnobs) {
        const opts = await c.passkeys.registrationOptions();
        const response = authenticator.create(opts, createKnobs);
        return c.passkeys.completeRegistration(name === undefined ? { response } : { response, name });
      },
      // first factor (no session) or second factor (after a password)
      async signIn(authenticator, getKnobs) {
        const opts = await c.passkeys.authenticationOptions();
        return c.passkeys.authenticate({ response: authenticator.get(opts, getKnobs) });
      },
    });
    Object.assign(this.review, {
      async enrolWith(authenticator, token) {
        const o = await c.review.enrolOptions({ token });
        return c.review.enrol({ token, response: authenticator.create(o.options) });
      },
      async signInWith(authenticator) {
        const o = await c.review.signInOptions();
        return c.review.signIn({ response: authenticator.get(o) });
      },
    });
    Object.assign(this.deleteFlow, {
      // confirm -> email code -> second factor, for one passkey
      async run(passkeyId, { emailCode, secondFactor }) {
        const flow = await c.passkeys.startDelete(passkeyId);
        await c.deleteFlow.next(flow.id);
        const code = await emailCode();
        const at = await c.deleteFlow.emailCode(flow.id, { code });
        if (secondFactor.method === "passkey") {
          const opts = await c.deleteFlow.passkeyOptions(flow.id);
          return c.deleteFlow.verify(flow.id, { method: "passkey", response: secondFactor.authenticator.get(opts) });
        }
        if (secondFactor.method === "sms") await c.deleteFlow.sendSms(flow.id);
        return c.deleteFlow.verify(flow.id, { method: secondFactor.method, code: await secondFactor.code(at) });
      },
    });
  }

  /** The Cookie header this client sends; assigning replaces the jar. */
  get cookie() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join("; ");
  }
  set cookie(v) {
    this.jar.clear();
    for (const part of String(v).split(/;\s*/)) {
      const i = part.indexOf("=");
      if (i > 0) this.jar.set(part.slice(0, i), part.slice(i + 1));
    }
  }

  #headers(method, headers) {
    const h = { ...this.defaultHeaders, ...headers };
    if (!("Origin" in h) && method !== "GET") h.Origin = this.origin;
    if (this.jar.size) h.Cookie = this.cookie;
    if (this.csrf && !("X-CSRF-Token" in h) && method !== "GET") h["X-CSRF-Token"] = this.csrf;
    return h;
  }

  #takeCookies(list) {
    for (const set of list) {
      const m = set.match(/^([^=;\s]+)=([^;]*)/);
      if (!m) continue;
      if (m[2] === "" || /Max-Age=0/i.test(set)) this.jar.delete(m[1]);
      else this.jar.set(m[1], m[2]);
    }
  }

  /**
   * One request as given, whatever the status: { status, json, text, headers, bytes }.
   * body: an object sent as JSON; raw: bytes or a string sent as they are.
   * A header set to null is left out (e.g. { Origin: null }).
   * Throws RekeyError (status 0, code "network") only when nothing answered.
   */
  async request(method, path, { body, raw, headers = {}, query } = {}) {
    const h = this.#headers(method, headers);
    let payload;
    if (raw !== undefined) payload = raw;
    else if (body !== undefined) {
      payload = JSON.stringify(body);
      if (!("Content-Type" in h)) h["Content-Type"] = "application/json";
    }
    for (const k of Object.keys(h)) if (h[k] === null || h[k] === undefined) delete h[k];
    const qs = query ? "?" + new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)])) : "";
    let res;
    try {
      res = await this.fetch(this.baseUrl + path + (qs === "?" ? "" : qs), { method, headers: h, body: payload, redirect: "manual" });
    } catch (e) {
      throw new RekeyError({ status: 0, code: "network", message: `${method} ${path}: no answer from ${this.baseUrl} (${e.cause?.code || e.cause?.message || e.message})`, method, path, cause: e });
    }
    this.#takeCookies(typeof res.headers.getSetCookie === "function" ? res.headers.getSetCookie() : []);
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (json && typeof json.csrf === "string" && json.csrf) this.csrf = json.csrf;
    return { status: res.status, json, text, headers: res.headers, bytes };
  }

  /** The JSON answer of a 2xx (undefined for 204), or a RekeyError. */
  async call(method, path, options = {}) {
    const r = await this.request(method, path, options);
    return this.#unwrap(method, path, r);
  }

  #unwrap(method, path, r) {
    if (r.status >= 200 && r.status <= 299) return r.status === 204 ? undefined : r.json;
    const e = r.json && typeof r.json.error === "object" && r.json.error ? r.json.error : null;
    const { code, message, request_id: rid, ...details } = e || {};
    throw new RekeyError({
      status: r.status,
      code: e ? code : "http_" + r.status,
      message: e ? message : `${method} ${path}: the server answered ${r.status}`,
      requestId: rid || r.headers.get("x-request-id") || undefined,
      details, body: r.json ?? r.text, method, path,
    });
  }

  async #route(route, args) {
    const names = paramsOf(route.path);
    if (route.group === "evidence" && route.name === "upload") return this.#upload(...args);
    const path = names.reduce((p, n, i) => {
      const v = args[i];
      if (v === undefined || v === null || v === "") throw new TypeError(`${route.group}.${route.name}: ${n} is required`);
      return p.replace(`{${n}}`, encodeURIComponent(String(v)));
    }, route.path);
    let i = names.length;
    const body = route.body === "json" ? (args[i++] ?? {}) : undefined;
    const options = args[i] ?? {};
    const r = await this.request(route.method, path, { body, headers: options.headers, query: options.query });
    const out = this.#unwrap(route.method, path, r);
    // Prometheus' text format, not JSON (to loopback or metrics_allow only)
    if (route.group === "system" && route.name === "metrics") return r.text;
    // a reviewer's CSRF token comes inside the reviewer object
    if (route.group === "review" && out && out.reviewer && out.reviewer.csrf) this.csrf = out.reviewer.csrf;
    if (route.group === "review" && (route.name === "evidence" || route.name === "identityPhoto"))
      return { contentType: r.headers.get("content-type") || "", bytes: r.bytes };
    return out;
  }

  // POST /api/reset/{id}/evidence: the image as the body, the typed fields in
  // the query string; onProgress(fraction) as the bytes leave (node:http).
  async #upload(file, fields = {}, { onProgress, headers = {} } = {}) {
    const { flow, type, ...query } = fields;
    if (flow === undefined || flow === null) throw new TypeError("evidence.upload: fields.flow (the reset flow id) is required");
    let bytes;
    let mime = type;
    if (file instanceof Uint8Array) bytes = file;
    else if (file instanceof ArrayBuffer) bytes = new Uint8Array(file);
    else if (file && typeof file.arrayBuffer === "function") { bytes = new Uint8Array(await file.arrayBuffer()); mime ??= file.type || undefined; }
    else throw new TypeError("evidence.upload: file must be a Uint8Array, an ArrayBuffer or a Blob");
    mime ??= sniffImageType(bytes);
    const path = `/api/reset/${encodeURIComponent(String(flow))}/evidence`;
    const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, String(v)]));
    const url = new URL(this.baseUrl + path + "?" + qs);
    const h = this.#headers("POST", { "Content-Type": mime, "Content-Length": String(bytes.length), ...headers });
    for (const k of Object.keys(h)) if (h[k] === null || h[k] === undefined) delete h[k];
    const r = await new Promise((resolve, reject) => {
      const send = url.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send(url, { method: "POST", headers: h }, (res) => {
        const chunks = [];
        res.on("data", (c) => chunks.push(c));
        res.on("error", reject);
        res.on("end", () => {
          const buf = Buffer.concat(chunks);
          const text = buf.toString("utf8");
          let json = null;
          try { json = text ? JSON.parse(text) : null; } catch { json = null; }
          const hs = new Headers();
          for (const [k, v] of Object.entries(res.headers)) for (const x of [].concat(v)) hs.append(k, x);
          this.#takeCookies([].concat(res.headers["set-cookie"] || []));
          resolve({ status: res.statusCode, json, text, headers: hs, bytes: new Uint8Array(buf) });
        });
      });
      req.on("error", (e) => reject(new RekeyError({ status: 0, code: "network", message: `POST ${path}: no answer from ${this.baseUrl} (${e.code || e.message})`, method: "POST", path, cause: e })));
      const step = 64 * 1024;
      let sent = 0;
      const pump = () => {
        while (sent < bytes.length) {
          const chunk = bytes.subarray(sent, sent + step);
          sent += chunk.length;
          const done = sent;
          const more = req.write(chunk, () => { if (onProgress) onProgress(done / bytes.length); });
          if (!more) { req.once("drain", pump); return; }
        }
        req.end();
      };
      if (bytes.length === 0) { if (onProgress) onProgress(1); req.end(); } else pump();
    });
    return this.#unwrap("POST", path, r);
  }
}
