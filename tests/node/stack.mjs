// stack.mjs -- helpers for the API suites: the running stack that tests/run.sh
// started (REKEY_TEST_DIR, REKEY_TEST_PORT, REKEY_TEST_MAIL), the packaged HTTP
// client (cookie jar, CSRF header) with raw answers, SQL through the mariadb client,
// rekeyctl, mail and SMS readers, RFC 6238 TOTP.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createHmac } from "node:crypto";
import { RekeyClient } from "@rekey/kit/client";
import { root } from "./vectors.mjs";

export const dir = process.env.REKEY_TEST_DIR;
export const port = process.env.REKEY_TEST_PORT;
export const mailDir = process.env.REKEY_TEST_MAIL;
if (!dir || !port) throw new Error("run the API suites through tests/run.sh (make test)");
// REKEY_TEST_TLS_PORT: a stack with TLS (make run TLS=1; tests/ops/tls.test.mjs): the
// site is HTTPS there and the plain port only redirects (Node trusts the stack's
// local CA through NODE_EXTRA_CA_CERTS)
export const tlsPort = process.env.REKEY_TEST_TLS_PORT;
export const base = tlsPort ? `https://127.0.0.1:${tlsPort}` : `http://127.0.0.1:${port}`;
export const origin = tlsPort ? `https://localhost:${tlsPort}` : `http://localhost:${port}`; // the configured origin (WebAuthn needs a domain: localhost)
// GET /metrics is served on its own loopback port (REKEY_METRICS_PORT of stack.sh)
export const metricsPort = process.env.REKEY_TEST_METRICS_PORT;
export const site = origin; // what a browser opens
export const conf = `${dir}/rekey.conf`;
export const DEMO_PASSWORD = "rekey-demo-2026";

export function sql(query) {
  const out = execFileSync("mariadb", ["--socket", `${dir}/run/mysqld.sock`, "-uroot", "-N", "-B", "rekey", "-e", query], { encoding: "utf8" });
  return out.trim() === "" ? [] : out.trim().split("\n").map((l) => l.split("\t"));
}

// One query as rekeyd's own database users (rekey_app, rekey_review), with
// the password from the stack's config; a refusal throws ("... denied ...").
export function sqlAs(user, query) {
  const key = { rekey_app: "db_app_password", rekey_review: "db_review_password" }[user];
  const pw = readFileSync(conf, "utf8").match(new RegExp(`^${key} = (\\S+)$`, "m"))[1];
  return execFileSync("mariadb", [`--socket=${dir}/run/mysqld.sock`, `-u${user}`, `-p${pw}`, "-N", "-B", "rekey", "-e", query],
    { stdio: ["ignore", "pipe", "pipe"] }).toString().trim();
}

export function ctl(...args) {
  return execFileSync(`${root}build/rekeyctl`, ["-c", conf, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

// The SQL array as rekeyd prepares it (`rekeyctl sql`): [{ name, n, text }]
// in the order of cgi/base/db_sql.h; one statement's text by its name.
export function sqlStatements() {
  return execFileSync(`${root}build/rekeyctl`, ["sql"], { encoding: "utf8" }).trim().split("\n").map((l) => {
    const [name, n, text] = l.split("\t");
    return { name, n: Number(n), text };
  });
}
export function sqlStatement(name) {
  const s = sqlStatements().find((x) => x.name === name);
  if (!s) throw new Error(`${name} is not in the SQL array`);
  return s.text;
}

export function ctlStatus(...args) {
  try {
    return { code: 0, out: ctl(...args) };
  } catch (e) {
    return { code: e.status, out: String(e.stdout) + String(e.stderr) };
  }
}

// One setting of this stack, as `rekeyctl config` reads it: the same
// rekey.conf and REKEY_* environment as the stack's rekeyd (tests/run.sh runs
// both with one environment). Values hold no spaces; "" when empty.
let configLines;
export function setting(key) {
  configLines ??= ctl("config").split("\n");
  const line = configLines.find((l) => l.split(" ")[0] === key);
  if (!line) throw new Error(`no setting ${key}`);
  const rest = line.slice(Math.max(26, key.length) + 1); // printed as "%-26s %-28s %s"
  return rest.startsWith(" ") ? "" : rest.split(" ")[0];
}

// An error body without its request_id (issue #22): the one part of an answer
// that differs for every request by design (a random id, the same for every
// account), so that "the same answer" compares the rest byte for byte.
export function withoutRequestId(text) {
  return text.replace(/,"request_id":"[A-Za-z0-9._-]{1,64}"/, "");
}

export function serviceToken() {
  return readFileSync(conf, "utf8").match(/^service_token = (.*)$/m)[1];
}

let counter = 0;
export function uniqueEmail(tag = "u") {
  return `${tag}${process.pid}x${Date.now().toString(36)}${counter++}@rekey.test`;
}

export function newAccount(tag, identity = "unverified", cents = "0") {
  const email = uniqueEmail(tag);
  const id = Number(ctl("account-add", email, DEMO_PASSWORD, identity, cents).trim());
  return { email, id };
}

// The packaged client (@rekey/kit/client) with the suites' raw calls: every
// answer as { status, json, text, headers }, whatever its status.
export class Client extends RekeyClient {
  constructor() {
    super({ baseUrl: base, origin });
  }
  req(method, path, body, { headers = {}, raw } = {}) {
    return this.request(method, path, { body, raw, headers });
  }
  get(p, o) { return this.req("GET", p, undefined, o); }
  post(p, b, o) { return this.req("POST", p, b ?? {}, o); }
  del(p, o) { return this.req("DELETE", p, undefined, o); }
  async signIn(email, password = DEMO_PASSWORD) {
    return this.post("/api/session", { email, password });
  }
}

// Messages delivered by SMTP to the loopback server's Maildir, newest last.
export function mails(to) {
  const out = [];
  for (const sub of ["new", "cur"]) {
    let names = [];
    try { names = readdirSync(`${mailDir}/${sub}`); } catch { continue; }
    for (const n of names) {
      const p = `${mailDir}/${sub}/${n}`;
      const text = readFileSync(p, "utf8");
      if (!to || text.includes(`To: <${to}>`)) out.push({ text, mtime: statSync(p).mtimeMs });
    }
  }
  return out.sort((a, b) => a.mtime - b.mtime).map((m) => m.text);
}

export function smsFor(number) {
  const out = [];
  let names = [];
  try { names = readdirSync(`${dir}/sms/new`); } catch { return out; }
  for (const n of names.sort()) {
    const t = readFileSync(`${dir}/sms/new/${n}`, "utf8");
    if (t.startsWith(`To: ${number}\n`)) out.push(t);
  }
  return out;
}

export async function waitFor(fn, what, ms = 8000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function codeMail(email, after = 0) {
  return waitFor(() => {
    const m = mails(email).slice(after).reverse().find((t) => /verification code is: (\d{6})/.test(t));
    return m && m.match(/verification code is: (\d{6})/)[1];
  }, `a code mail to ${email}`);
}

// RFC 6238 TOTP (SHA-1, 30 s, 6 digits); step offset for tests of the window and replay.
export function totp(secret, offsetSteps = 0) {
  const step = Math.floor(Date.now() / 1000 / 30) + offsetSteps;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac("sha1", secret).update(msg).digest();
  const o = h[h.length - 1] & 15;
  const v = (h.readUInt32BE(o) & 0x7fffffff) % 1000000;
  return String(v).padStart(6, "0");
}

export function base32Decode(s) {
  const A = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0, val = 0;
  const out = [];
  for (const c of s.replace(/=+$/, "")) {
    val = (val << 5) | A.indexOf(c);
    bits += 5;
    if (bits >= 8) { out.push((val >>> (bits - 8)) & 255); bits -= 8; }
  }
  return Buffer.from(out);
}

export function stackCmd(cmd) {
  return execFileSync(`${root}cgi/ops/stack.sh`, [cmd, dir], { encoding: "utf8" });
}

// A request exactly as given (any body, content type and headers; the Origin
// unless overridden): for the hostile-input suites.
export async function raw(method, path, { body, type = "application/json", headers = {} } = {}) {
  const h = { Origin: origin, ...headers };
  if (type) h["Content-Type"] = type;
  const res = await fetch(base + path, { method, headers: h, body });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, text, json };
}
