// api_auth.test.mjs -- sign-in, enumeration, lockout, CSRF, sessions.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, newAccount, sql, uniqueEmail, DEMO_PASSWORD, ctl, dir, withoutRequestId } from "./stack.mjs";

test("health answers ok with the schema version and the database node it uses", async () => {
  const r = await new Client().get("/api/health");
  assert.equal(r.status, 200);
  // one server, not Galera (make cluster's nodes answer wsrep: true, name, state: tests/reliability --cluster)
  assert.deepEqual(r.json, { status: "ok", db: "ok", schema: Number(sql("SELECT MAX(version) FROM schema_migrations")[0][0]),
    node: { endpoint: `${dir}/run/mysqld.sock`, wsrep: false }, support: "support@rekey.test" });
});

test("the OpenAPI document lists exactly the routes in the table", async () => {
  const r = await new Client().get("/api/openapi.json");
  assert.equal(r.status, 200);
  assert.equal(r.json.openapi, "3.1.0");
  const table = ctl("routes").trim().split("\n").map((l) => l.split(" ").slice(0, 2).join(" "));
  const doc = [];
  for (const [path, ops] of Object.entries(r.json.paths)) for (const m of Object.keys(ops)) doc.push(`${m.toUpperCase()} ${path}`);
  assert.deepEqual(doc.sort(), table.sort());
});

test("sign-in succeeds, sets a strict HttpOnly cookie and returns a CSRF token", async () => {
  const c = new Client();
  const r = await c.signIn("demo@rekey.test");
  assert.equal(r.status, 200);
  assert.equal(r.json.status, "signed_in");
  assert.match(r.json.csrf, /^[A-Za-z0-9_-]{32}$/);
  const cookie = r.headers.get("set-cookie");
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.match(cookie, /rk_session=[A-Za-z0-9_-]{43};/);
  const me = await c.get("/api/me");
  assert.equal(me.status, 200);
  assert.equal(me.json.email, "demo@rekey.test");
  assert.equal(me.json.csrf, r.json.csrf);
  assert.ok(Array.isArray(me.json.recent_signins) && me.json.recent_signins.length > 0);
  // the stored value is a keyed hash, never the token
  const token = c.cookie.split("=")[1];
  assert.equal(sql(`SELECT COUNT(*) FROM sessions WHERE token_hash = '${token}' OR HEX(token_hash) = HEX('${token}')`)[0][0], "0");
});

test("a wrong password and an unknown email get the same status and body", async () => {
  const a = await new Client().signIn("demo@rekey.test", "not-the-password-1");
  const b = await new Client().signIn(uniqueEmail("nobody"), "not-the-password-1");
  assert.equal(a.status, 401);
  assert.equal(a.status, b.status);
  assert.equal(withoutRequestId(a.text), withoutRequestId(b.text));
  assert.equal(a.json.error?.code, "invalid_credentials");
});

test("after 10 attempts an email is locked out, known or unknown, even with the right password", async () => {
  const { email } = newAccount("lock");
  const ghost = uniqueEmail("ghost");
  for (let i = 0; i < 10; i++) {
    assert.equal((await new Client().signIn(email, "wrong-password-" + i)).status, 401);
    assert.equal((await new Client().signIn(ghost, "wrong-password-" + i)).status, 401);
  }
  const real = await new Client().signIn(email, DEMO_PASSWORD);
  const fake = await new Client().signIn(ghost, DEMO_PASSWORD);
  assert.equal(real.status, 429);
  assert.equal(real.json.error?.code, "too_many_attempts");
  assert.equal(withoutRequestId(real.text), withoutRequestId(fake.text));
});

test("parallel wrong attempts cannot count past the limit", async () => {
  const { email } = newAccount("race");
  const rs = await Promise.all(Array.from({ length: 20 }, (_, i) => new Client().signIn(email, "wrong-password-" + i)));
  assert.equal(rs.filter((r) => r.status === 401).length, 10);
  assert.equal(rs.filter((r) => r.status === 429).length, 10);
});

test("CSRF: state changes need our Origin, and with a session the token header", async () => {
  const c = new Client();
  await c.signIn("demo@rekey.test");
  const before = sql("SELECT COUNT(*) FROM codes")[0][0];
  let r = await c.post("/api/codes/email", { purpose: "step_up" }, { headers: { Origin: null } });
  assert.equal(r.status, 403);
  assert.equal(r.json.error?.code, "csrf_origin");
  r = await c.post("/api/codes/email", { purpose: "step_up" }, { headers: { Origin: "https://evil.example" } });
  assert.equal(r.json.error?.code, "csrf_origin");
  r = await c.post("/api/codes/email", { purpose: "step_up" }, { headers: { "X-CSRF-Token": null } });
  assert.equal(r.json?.error?.code, "csrf_token", `${r.status}`);
  assert.equal(r.status, 403);
  r = await c.post("/api/codes/email", { purpose: "step_up" }, { headers: { "X-CSRF-Token": c.csrf.slice(0, -1) + (c.csrf.endsWith("A") ? "B" : "A") } });
  assert.equal(r.json.error?.code, "csrf_token");
  const other = new Client();
  await other.signIn("demo@rekey.test");
  r = await c.post("/api/codes/email", { purpose: "step_up" }, { headers: { "X-CSRF-Token": other.csrf } });
  assert.equal(r.json.error?.code, "csrf_token");
  r = await new Client().post("/api/session", { email: "demo@rekey.test", password: DEMO_PASSWORD }, { headers: { Origin: null } });
  assert.equal(r.json.error?.code, "csrf_origin");
  assert.equal(sql("SELECT COUNT(*) FROM codes")[0][0], before);
});

test("no session, a forged cookie, or a partial session gets 401", async () => {
  assert.equal((await new Client().get("/api/me")).status, 401);
  const c = new Client();
  c.cookie = "rk_session=" + "A".repeat(43);
  assert.equal((await c.get("/api/me")).json.error?.code, "unauthenticated");
  c.cookie = "rk_session=not*base64";
  assert.equal((await c.get("/api/me")).status, 401);
});

// issue #24: by path, not by the route table (a route marked public there
// would answer a signed-out request with the data of account 0)
test("signed out, the account's own reads answer unauthenticated", async () => {
  for (const p of ["/api/me", "/api/passkeys", "/api/sessions", "/api/delete-flows/1"]) {
    const r = await new Client().get(p);
    assert.equal(r.json?.error?.code, "unauthenticated", `GET ${p}: ${r.text}`);
    assert.equal(r.status, 401);
  }
});

test("sessions expire when idle and at their absolute end", async () => {
  const c = new Client();
  await c.signIn("demo@rekey.test");
  const id = sql("SELECT MAX(id) FROM sessions")[0][0];
  assert.equal((await c.get("/api/me")).status, 200);
  sql(`UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 31 MINUTE WHERE id = ${id}`);
  assert.equal((await c.get("/api/me")).status, 401);
  const d = new Client();
  await d.signIn("demo@rekey.test");
  const id2 = sql("SELECT MAX(id) FROM sessions")[0][0];
  sql(`UPDATE sessions SET absolute_expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = ${id2}`);
  assert.equal((await d.get("/api/me")).status, 401);
});

test("sessions are listed and revocable; sign-out ends the session", async () => {
  const { email } = newAccount("sess");
  const a = new Client(), b = new Client();
  await a.signIn(email);
  await b.signIn(email);
  const list = await a.get("/api/sessions");
  assert.equal(list.status, 200);
  assert.equal(list.json.sessions.length, 2);
  const other = list.json.sessions.find((s) => !s.current);
  assert.equal((await a.del(`/api/sessions/${other.id}`)).status, 204);
  assert.equal((await b.get("/api/me")).status, 401);
  assert.equal((await a.del(`/api/sessions/${other.id}`)).status, 404);
  // another account's session id is not found either
  const demo = new Client();
  await demo.signIn("demo@rekey.test");
  const mine = (await a.get("/api/sessions")).json.sessions[0].id;
  assert.equal((await demo.del(`/api/sessions/${mine}`)).status, 404);
  assert.equal((await a.get("/api/me")).status, 200);
  assert.equal((await a.del("/api/session")).status, 204);
  assert.equal((await a.get("/api/me")).status, 401);
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE event = 'session_revoked'`)[0][0]) >= 1);
});

test("every sign-in gets a new token", async () => {
  const c = new Client();
  await c.signIn("demo@rekey.test");
  const first = c.cookie;
  await c.signIn("demo@rekey.test");
  assert.notEqual(c.cookie, first);
});

test("the per-IP limit stops a spray across many emails (then the counters are cleared)", async () => {
  let limited = null, n = 0;
  for (; n < 400 && !limited; n += 10) {
    const rs = await Promise.all(Array.from({ length: 10 }, () => new Client().signIn(uniqueEmail("spray"), "wrong-password-x")));
    limited = rs.find((r) => r.status === 429);
    assert.ok(rs.every((r) => r.status === 401 || r.status === 429));
  }
  assert.ok(limited, "no 429 after 400 attempts from one IP");
  assert.equal(limited.json.error?.code, "too_many_attempts");
  sql("DELETE FROM rate_limits");
  assert.equal((await new Client().signIn("demo@rekey.test")).status, 200);
});
