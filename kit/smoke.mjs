#!/usr/bin/env node
// rekey-smoke -- checks a Rekey deployment from the outside, the way a
// browser and an operator's CI see it. One line per check, a summary, exit
// code 0 (every check passed), 1 (a check failed), 2 (bad arguments).
// docs/node.md describes the checks and the options.
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { RekeyClient, RekeyError, ROUTES } from "./client.mjs";
import { SoftAuthenticator } from "./authenticator.mjs";

const USAGE = `usage: rekey-smoke --url URL [--origin ORIGIN] [--json]
                   [--account EMAIL --password P --mail-dir DIR [--state FILE]]
  --url       where the deployment answers (http://127.0.0.1:8080)
  --origin    its configured public origin, if not the URL's own
  --account, --password, --mail-dir
              a test account and the Maildir its mail reaches: registers two
              passkeys with the software authenticator, signs in with one and
              deletes it through the whole flow (email code + the other passkey)
  --state     a JSON file that keeps the authenticator's credentials between
              runs (the passkey left on the account signs the next run in)
  --timeout   seconds to wait for a code mail (default 20)
  --json      one JSON document instead of lines
exit: 0 every check passed, 1 a check failed, 2 bad arguments`;

let args;
try {
  args = parseArgs({
    options: {
      url: { type: "string" }, origin: { type: "string" }, json: { type: "boolean" },
      account: { type: "string" }, password: { type: "string" }, "mail-dir": { type: "string" },
      state: { type: "string" }, timeout: { type: "string" }, help: { type: "boolean", short: "h" },
    },
  }).values;
} catch (e) {
  console.error(`rekey-smoke: ${e.message}\n${USAGE}`);
  process.exit(2);
}
if (args.help) { console.log(USAGE); process.exit(0); }
if (!args.url || !/^https?:\/\//.test(args.url)) { console.error(`rekey-smoke: --url http(s)://... is required\n${USAGE}`); process.exit(2); }
const withAccount = args.account || args.password || args["mail-dir"];
if (withAccount && !(args.account && args.password && args["mail-dir"])) {
  console.error(`rekey-smoke: --account, --password and --mail-dir go together\n${USAGE}`);
  process.exit(2);
}
const url = args.url.replace(/\/+$/, "");
const origin = args.origin ?? new URL(url).origin;
const mailWait = Math.max(1, Number(args.timeout ?? 20)) * 1000;
const newClient = () => new RekeyClient({ baseUrl: url, origin });

// A RekeyError as one line: what was asked, what came back, and a hint.
function explain(e) {
  if (!(e instanceof RekeyError)) return String(e && e.message || e);
  const where = e.status && e.method ? `${e.method} ${e.path} answered ` : "";
  let s = `${where}${e.message}${e.code && e.status ? ` (${e.status} ${e.code})` : ""}`;
  if (e.requestId) s += ` [request ${e.requestId}]`;
  if (e.status === 403 && /origin/i.test(`${e.code} ${e.message}`))
    s += ` -- the deployment does not accept Origin ${origin}: is its configured origin ${origin}? (--origin)`;
  return s;
}

const results = [];
async function check(name, fn, { skip } = {}) {
  const t = Date.now();
  if (skip) { results.push({ name, ok: true, skipped: true, detail: skip, ms: 0 }); return null; }
  try {
    const detail = await fn();
    results.push({ name, ok: true, detail: typeof detail === "string" ? detail : detail?.detail ?? "", ms: Date.now() - t });
    return detail ?? true;
  } catch (e) {
    results.push({ name, ok: false, detail: explain(e), ms: Date.now() - t });
    return null;
  }
}
const fail = (msg) => { throw new Error(msg); };

// ---- checks that need nothing but the URL ----

await check("health", async () => {
  const h = await newClient().system.health();
  if (h?.status !== "ok" || h.db !== "ok") fail(`/api/health: ${JSON.stringify(h)}`);
  return `/api/health: status ok, db ok, schema ${h.schema}`;
});

await check("openapi", async () => {
  const o = await newClient().system.openapi();
  if (!o || typeof o.openapi !== "string" || !/^3\./.test(o.openapi) || !o.paths) fail("/api/openapi.json is not an OpenAPI 3 document");
  const theirs = new Set();
  for (const [p, ops] of Object.entries(o.paths)) for (const m of Object.keys(ops)) if (/^(get|post|put|patch|delete)$/.test(m)) theirs.add(`${m.toUpperCase()} ${p}`);
  const ours = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
  const missing = [...ours].filter((k) => !theirs.has(k));
  const unknown = [...theirs].filter((k) => !ours.has(k));
  let s = `OpenAPI ${o.openapi}, ${o.info?.title ?? "?"} ${o.info?.version ?? "?"}, ${theirs.size} routes`;
  if (missing.length) fail(`${s}; this client's routes missing there: ${missing.join(", ")}`);
  if (unknown.length) s += `; ${unknown.length} unknown to this client: ${unknown.join(", ")}`;
  return s;
});

// What a browser gets with each page: Rekey's nginx sends these (cgi/ops/nginx.conf.in).
await check("headers", async () => {
  const pages = ["/", "/reset.html", "/account/passkeys.html", "/review/"];
  const problems = [];
  for (const p of pages) {
    let res;
    try { res = await fetch(url + p, { redirect: "manual" }); } catch (e) { fail(`GET ${p}: no answer (${e.cause?.code || e.cause?.message || e.message})`); }
    await res.arrayBuffer();
    if (res.status !== 200) { problems.push(`${p}: ${res.status}`); continue; }
    const h = (k) => res.headers.get(k) || "";
    const csp = h("content-security-policy");
    const directive = (d) => (csp.split(";").map((x) => x.trim()).find((x) => x.startsWith(d + " ")) || "");
    if (!csp) problems.push(`${p}: no Content-Security-Policy`);
    else {
      const script = directive("script-src") || directive("default-src");
      if (!script) problems.push(`${p}: CSP without script-src or default-src`);
      if (/'unsafe-inline'|'unsafe-eval'|\*/.test(script)) problems.push(`${p}: CSP script-src allows ${script}`);
      if (!/frame-ancestors 'none'/.test(csp) && h("x-frame-options").toUpperCase() !== "DENY") problems.push(`${p}: may be framed`);
      if (!/object-src 'none'/.test(csp)) problems.push(`${p}: CSP without object-src 'none'`);
    }
    if (h("x-content-type-options").toLowerCase() !== "nosniff") problems.push(`${p}: no X-Content-Type-Options nosniff`);
    if (!h("referrer-policy")) problems.push(`${p}: no Referrer-Policy`);
    if (url.startsWith("https:") && !/max-age=\d+/.test(h("strict-transport-security"))) problems.push(`${p}: no Strict-Transport-Security`);
    for (const c of typeof res.headers.getSetCookie === "function" ? res.headers.getSetCookie() : [])
      if (!/HttpOnly/i.test(c) || (url.startsWith("https:") && !/Secure/i.test(c))) problems.push(`${p}: cookie without HttpOnly/Secure: ${c.split(";")[0].split("=")[0]}`);
  }
  if (problems.length) fail(problems.join("; "));
  return `${pages.length} pages: CSP, nosniff, Referrer-Policy, framing refused`;
});

// Signed out, a reset asks for an email and a password; the answer must not
// say whether the address has an account (seed: enumeration-safe answers).
const madeUp = () => `smoke-${randomBytes(6).toString("hex")}@example.invalid`;
async function resetAnswer(email, password) {
  const c = newClient();
  const s = await c.reset.start({ entry: "direct" });
  await c.reset.agree(s.id, { agree: true });
  let r;
  try {
    r = { status: 200, body: await c.reset.credentials(s.id, { email, password }) };
  } catch (e) {
    if (!(e instanceof RekeyError) || e.status === 0 || e.status === 403 || e.status >= 500) throw e;
    r = { status: e.status, body: { error: { code: e.code, message: e.message } } };
  }
  const { id, ...rest } = r.body || {};
  return JSON.stringify({ status: r.status, ...rest });
}
await check("reset-enumeration", async () => {
  const a = await resetAnswer(madeUp(), "smoke-" + randomBytes(8).toString("hex"));
  const b = args.account ? await resetAnswer(args.account, "wrong-" + randomBytes(8).toString("hex"))
    : await resetAnswer(madeUp(), "smoke-" + randomBytes(8).toString("hex"));
  if (a !== b) fail(`a made-up address and ${args.account ? "the account with a wrong password" : "another made-up address"} get different answers: ${a} vs ${b}`);
  return `a made-up address gets the same answer as ${args.account ? "the account with a wrong password" : "another one"}: ${a}`;
});

// ---- with a test account: a passkey registered, used, and deleted ----

// Maildir files (new/, cur/, or the folder itself) by path.
function mailFiles(dir) {
  const out = [];
  for (const sub of ["new", "cur", "."]) {
    let names = [];
    try { names = readdirSync(`${dir}/${sub}`); } catch { continue; }
    for (const n of names) out.push(`${dir}/${sub}/${n}`);
  }
  return out;
}
// The code in a mail to `email` that was not there before (`seen`).
function codeFrom(dir, email, seen) {
  const found = [];
  for (const p of mailFiles(dir)) {
    if (seen.has(p.replace(/\/(new|cur)\//, "/").replace(/:2,[A-Z]*$/, ""))) continue;
    let st;
    try { st = statSync(p); } catch { continue; }
    if (!st.isFile()) continue;
    const text = readFileSync(p, "utf8");
    if (!text.toLowerCase().includes(email.toLowerCase())) continue;
    const m = text.match(/verification code is:?\s*(\d{6})/i) || text.match(/code[^0-9\n]{0,40}(\d{6})/i);
    if (m) found.push({ at: st.mtimeMs, code: m[1] });
  }
  found.sort((x, y) => x.at - y.at);
  return found.length ? found[found.length - 1].code : null;
}
const mailSnapshot = (dir) => new Set(mailFiles(dir).map((p) => p.replace(/\/(new|cur)\//, "/").replace(/:2,[A-Z]*$/, "")));
async function waitCode(email, seen) {
  const end = Date.now() + mailWait;
  for (;;) {
    const c = codeFrom(args["mail-dir"], email, seen);
    if (c) return c;
    if (Date.now() > end) fail(`no new code mail for ${email} in ${args["mail-dir"]} within ${mailWait / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const auth = new SoftAuthenticator({ origin, rpId: new URL(origin).hostname });
if (args.state && existsSync(args.state)) auth.importCredentials(readFileSync(args.state, "utf8"));
const skipAccount = withAccount ? undefined : "no --account/--password/--mail-dir";
const user = newClient();
let first = null, second = null;

const registered = await check("passkey-register", async () => {
  const s = await user.session.signIn({ email: args.account, password: args.password });
  if (s.status === "second_factor_required") {
    if (!s.factors.includes("passkey") || !auth.creds.length)
      fail(`the account asks for a second factor (${s.factors.join(", ")}); give --state FILE from the previous run, or a fresh account`);
    await user.passkeys.signIn(auth);
  }
  first = await user.passkeys.register(auth, "rekey-smoke A");
  second = await user.passkeys.register(auth, "rekey-smoke B");
  return `two passkeys registered (ids ${first.id}, ${second.id}; alg ${first.alg})`;
}, { skip: skipAccount });

const firstCred = () => auth.creds[auth.creds.length - 2];
const secondCred = () => auth.creds[auth.creds.length - 1];
const signedIn = await check("passkey-signin", async () => {
  if (!registered) fail("no passkey to sign in with (passkey-register failed)");
  const c = newClient();
  const opts = await c.passkeys.authenticationOptions();
  const r = await c.passkeys.authenticate({ response: auth.get(opts, { credential: firstCred() }) });
  if (r.status !== "signed_in" || r.passkey !== first.id) fail(`sign-in answered ${JSON.stringify(r)}`);
  const me = await c.account.me();
  if (me.email.toLowerCase() !== args.account.toLowerCase()) fail(`signed in as ${me.email}`);
  return `signed in as ${me.email} with passkey ${r.passkey} (first factor, no password)`;
}, { skip: skipAccount });

await check("passkey-delete", async () => {
  if (!signedIn) fail("not signed in with the passkey (passkey-signin failed)");
  const flow = await user.passkeys.startDelete(first.id);
  const seen = mailSnapshot(args["mail-dir"]);
  await user.deleteFlow.next(flow.id);
  const at = await user.deleteFlow.emailCode(flow.id, { code: await waitCode(args.account, seen) });
  if (!at.methods.some((m) => m.method === "passkey")) fail(`no passkey offered as the second factor: ${JSON.stringify(at.methods)}`);
  const opts = await user.deleteFlow.passkeyOptions(flow.id);
  const done = await user.deleteFlow.verify(flow.id, { method: "passkey", response: auth.get(opts, { credential: secondCred() }) });
  if (done.state !== "deleted") fail(`the flow ended in ${done.state}`);
  // a deleted passkey stays listed as removed until the dispute window ends (then the sweep deletes it)
  const left = (await user.passkeys.list()).passkeys.filter((p) => !p.removed).map((p) => p.id);
  if (left.includes(first.id)) fail(`passkey ${first.id} is still listed as active`);
  const gone = firstCred();
  auth.creds = auth.creds.filter((c) => c !== gone);
  return `passkey ${first.id} deleted (email code + passkey ${second.id}); withdrawals held until ${done.withdrawal_hold?.until ?? "?"}`;
}, { skip: skipAccount });

if (args.state && withAccount) writeFileSync(args.state, JSON.stringify(auth.exportCredentials(), null, 1), { mode: 0o600 });

const failed = results.filter((r) => !r.ok).length;
const passed = results.filter((r) => r.ok && !r.skipped).length;
const skipped = results.filter((r) => r.skipped).length;
if (args.json) {
  console.log(JSON.stringify({ url, origin, ok: failed === 0, passed, failed, skipped, checks: results }, null, 1));
} else {
  for (const r of results) console.log(`${r.skipped ? "skip" : r.ok ? "ok  " : "FAIL"} ${r.name.padEnd(18)} ${r.detail}`);
  console.log(`rekey-smoke: ${failed ? "FAILED" : "passed"}: ${passed} passed, ${failed} failed, ${skipped} skipped (${url})`);
}
process.exit(failed ? 1 : 0);
