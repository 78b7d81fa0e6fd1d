// api_step_up.test.mjs -- step-up (issue #17 item 6; OWASP ASVS 5.0 7.5.1):
// a second factor used in this session within step_up_seconds, before the
// tools (TOTP, phone, a new passkey) change. GET/POST /api/step-up,
// POST /api/step-up/options; who starts stepped up; what refuses.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, newAccount, sql, origin, totp, base32Decode } from "./stack.mjs";
import { SoftAuthenticator } from "./authenticator.mjs";

const window = async () => (await new Client().get("/api/settings")).json.step_up_seconds;
// the session's step-up moved into the past by `ago` seconds (a session of this account, the newest)
const age = (account, ago) =>
  sql(`UPDATE sessions SET stepped_up_at = NOW(6) - INTERVAL ${ago} SECOND WHERE account_id = ${account} AND revoked_at IS NULL`);

async function withPasskey() {
  const acct = newAccount("stepup");
  const c = new Client();
  assert.equal((await c.signIn(acct.email)).status, 200);
  const auth = new SoftAuthenticator({ origin });
  const opts = await c.post("/api/passkeys/registration/options", {});
  assert.equal(opts.status, 200, "the first factor needs no step-up");
  assert.equal((await c.post("/api/passkeys/registration", { response: auth.create(opts.json) })).status, 201);
  return { ...acct, c, auth };
}

async function passkeySignIn(auth) {
  const b = new Client();
  const opts = await b.post("/api/passkeys/authentication/options", {});
  assert.equal((await b.post("/api/passkeys/authentication", { response: auth.get(opts.json) })).status, 200);
  return b;
}

test("settings state the window; a password-only session is not stepped up and has no factor", async () => {
  const s = (await new Client().get("/api/settings")).json;
  assert.equal(s.step_up_seconds, 300);
  assert.equal(s.texts.step_up, "5 minutes");
  const { email } = newAccount("stepup");
  const c = new Client();
  await c.signIn(email);
  const r = await c.get("/api/step-up");
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { fresh: false, until: null, methods: [], step_up_seconds: 300 });
  // no TOTP bound: a code cannot step up
  const t = await c.post("/api/step-up", { method: "totp", code: "123456" });
  assert.equal(t.status, 400);
  assert.equal(t.json.error.code, "code_wrong");
  assert.equal((await c.get("/api/step-up")).json.fresh, false);
});

test("a passkey sign-in starts stepped up; a stale one is refused at the tools and a passkey steps it up again", async () => {
  const { id, auth } = await withPasskey();
  const b = await passkeySignIn(auth);
  let st = (await b.get("/api/step-up")).json;
  assert.equal(st.fresh, true);
  assert.deepEqual(st.methods, ["passkey"]);
  assert.ok(Date.parse(st.until) > Date.now() + 200e3, st.until);

  const w = await window();
  age(id, w - 5);
  assert.equal((await b.get("/api/step-up")).json.fresh, true, "inside the window");
  age(id, w + 1);
  assert.equal((await b.get("/api/step-up")).json.fresh, false, "past the window");
  for (const [path, body] of [["/api/totp/setup", {}], ["/api/phone/setup", { phone: "+41791234567" }], ["/api/passkeys/registration/options", {}]]) {
    const r = await b.post(path, body);
    assert.equal(r.json.error?.code, "step_up_required", `${path}: step_up_required`);
    assert.equal(r.status, 403, path);
    assert.match(r.json.error.message, /5 minutes/);
  }
  // the registration itself checks too (options taken while fresh, used after)
  age(id, 0);
  const ropts = await b.post("/api/passkeys/registration/options", {});
  assert.equal(ropts.status, 200);
  age(id, w + 1);
  const reg = await b.post("/api/passkeys/registration", { response: new SoftAuthenticator({ origin }).create(ropts.json) });
  assert.equal(reg.json.error?.code, "step_up_required");
  assert.equal(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${id}`)[0][0], "1");

  const opts = await b.post("/api/step-up/options", {});
  assert.equal(opts.status, 200);
  assert.equal(opts.json.allowCredentials.length, 1, "this account's passkeys only");
  const r = await b.post("/api/step-up", { method: "passkey", response: auth.get(opts.json) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.fresh, true);
  assert.equal((await b.get("/api/step-up")).json.fresh, true);
  assert.equal((await b.post("/api/totp/setup", {})).status, 200);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id} AND event = 'stepped_up'`)[0][0], "1");
});

test("another account's passkey, a replayed assertion and a missing CSRF token do not step up", async () => {
  const mine = await withPasskey();
  const other = await withPasskey();
  const b = await passkeySignIn(mine.auth);
  age(mine.id, 10000);
  let opts = await b.post("/api/step-up/options", {});
  // the other account's authenticator answers this session's challenge with its own credential
  const forged = other.auth.get({ ...opts.json, allowCredentials: [] });
  let r = await b.post("/api/step-up", { method: "passkey", response: forged });
  assert.equal(r.status, 400, r.text);
  assert.equal((await b.get("/api/step-up")).json.fresh, false);

  opts = await b.post("/api/step-up/options", {});
  const good = mine.auth.get(opts.json);
  assert.equal((await b.post("/api/step-up", { method: "passkey", response: good })).status, 200);
  age(mine.id, 10000);
  r = await b.post("/api/step-up", { method: "passkey", response: good });
  assert.notEqual(r.status, 200, "a challenge is used once");
  assert.equal((await b.get("/api/step-up")).json.fresh, false);

  opts = await b.post("/api/step-up/options", {});
  r = await b.req("POST", "/api/step-up", { method: "passkey", response: mine.auth.get(opts.json) }, { headers: { "X-CSRF-Token": "x" } });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.code, "csrf_token");
  assert.equal((await b.get("/api/step-up")).json.fresh, false);
  // a body that names neither factor's proof is refused before any handler
  assert.equal((await b.post("/api/step-up", { method: "passkey" })).status, 400);
  assert.equal((await b.post("/api/step-up", { method: "sms", code: "123456" })).status, 400);
});

test("TOTP steps up once per code; five tries per session and window end them", async () => {
  const { email, id } = newAccount("stepup");
  const c = new Client();
  await c.signIn(email);
  const setup = await c.post("/api/totp/setup", {});
  assert.equal(setup.status, 200, "the first factor needs no step-up");
  const secret = base32Decode(setup.json.secret);
  // codes are accepted one step either side, and each step once, moving forward
  assert.equal((await c.post("/api/totp/confirm", { code: totp(secret, -1) })).status, 200);
  assert.equal((await c.get("/api/step-up")).json.fresh, true, "binding the first factor steps the session up");

  const s = new Client();
  await s.signIn(email);
  assert.equal((await s.post("/api/session/totp", { code: totp(secret) })).status, 200);
  assert.equal((await s.get("/api/step-up")).json.fresh, true, "a TOTP second factor at sign-in counts");
  assert.deepEqual((await s.get("/api/step-up")).json.methods, ["totp"]);
  age(id, 10000);
  assert.equal((await s.get("/api/step-up")).json.fresh, false);
  let r = await s.post("/api/step-up", { method: "totp", code: totp(secret, 1) });
  assert.equal(r.status, 200, r.text);
  assert.equal((await s.get("/api/step-up")).json.fresh, true);
  age(id, 10000);
  r = await s.post("/api/step-up", { method: "totp", code: totp(secret, 1) });
  assert.equal(r.json.error?.code, "code_wrong", "a code steps up once");
  r = await s.post("/api/step-up", { method: "totp", code: totp(secret) });
  assert.equal(r.json.error?.code, "code_wrong", "an older step than the last used is refused");
  for (let i = 0; i < 2; i++) assert.equal((await s.post("/api/step-up", { method: "totp", code: "000000" })).status, 400);
  r = await s.post("/api/step-up", { method: "totp", code: "000000" });
  assert.equal(r.status, 429, "five tries per session and window, right or wrong");
  assert.equal(r.json.error.code, "too_many_attempts");
  assert.equal((await s.get("/api/step-up")).json.fresh, false);
});

test("a partial session cannot step up or ask", async () => {
  const { email } = newAccount("stepup");
  const c = new Client();
  await c.signIn(email);
  const s = await c.post("/api/totp/setup", {});
  const secret = base32Decode(s.json.secret);
  await c.post("/api/totp/confirm", { code: totp(secret) });
  const p = new Client();
  assert.equal((await p.signIn(email)).json.status, "second_factor_required");
  assert.equal((await p.get("/api/step-up")).json.error.code, "second_factor_required");
  assert.equal((await p.post("/api/step-up", { method: "totp", code: totp(secret, 1) })).json.error.code, "second_factor_required");
});
