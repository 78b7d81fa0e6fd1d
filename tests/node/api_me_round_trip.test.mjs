// api_me_round_trip.test.mjs -- issue #21: GET /api/me checks the session in
// the statement that reads the summary (STMT_ME_SIGNED_IN): one prepared
// statement per request (two before: the session's lookup, then the
// summary), and every check the separate lookup made still holds at once --
// revoked, idle, past its absolute end, a frozen account, a partial session,
// a forged token -- with each account seeing only its own holds and sign-ins.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, newAccount, sql, ctl } from "./stack.mjs";

const executed = () => Number(sql("SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'")[0][1]);

test("GET /api/me is one statement per request (the session checked by the summary's own statement)", async () => {
  const { email } = newAccount("rt");
  const c = new Client();
  await c.signIn(email);
  assert.equal((await c.get("/api/me")).status, 200); // the first request of a minute may touch the idle clock
  const N = 40;
  // the delivery process and the other workers run statements too: the
  // least of three rounds is this route's own count (plus their noise)
  let least = Infinity;
  for (let round = 0; round < 3; round++) {
    const before = executed();
    for (let i = 0; i < N; i++) assert.equal((await c.get("/api/me")).status, 200);
    least = Math.min(least, executed() - before);
  }
  assert.ok(least >= N, `at least one statement a request (${least} for ${N})`);
  assert.ok(least < 1.5 * N, `one statement a request, not two: ${least} statements for ${N} requests`);
});

test("a revoked session ends at the next GET /api/me; the other session of the account goes on", async () => {
  const { email } = newAccount("rt");
  const a = new Client(), b = new Client();
  await a.signIn(email);
  await b.signIn(email);
  assert.equal((await b.get("/api/me")).status, 200);
  const other = (await a.get("/api/sessions")).json.sessions.find((s) => !s.current);
  assert.equal((await a.del(`/api/sessions/${other.id}`)).status, 204);
  const r = await b.get("/api/me");
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, "unauthenticated");
  assert.equal((await a.get("/api/me")).status, 200);
});

test("idle, past its absolute end, or a frozen account: 401 from the same statement", async () => {
  const { email, id } = newAccount("rt");
  const c = new Client();
  await c.signIn(email);
  const sid = sql(`SELECT MAX(id) FROM sessions WHERE account_id = ${id}`)[0][0];
  sql(`UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 31 MINUTE WHERE id = ${sid}`);
  assert.equal((await c.get("/api/me")).status, 401, "idle");
  const d = new Client();
  await d.signIn(email);
  const sid2 = sql(`SELECT MAX(id) FROM sessions WHERE account_id = ${id}`)[0][0];
  sql(`UPDATE sessions SET absolute_expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = ${sid2}`);
  assert.equal((await d.get("/api/me")).status, 401, "past its absolute end");
  const e = new Client();
  await e.signIn(email);
  assert.equal((await e.get("/api/me")).status, 200);
  sql(`UPDATE accounts SET frozen = 1 WHERE id = ${id}`);
  const r = await e.get("/api/me");
  assert.equal(r.status, 401, "frozen");
  assert.equal(r.json.error.code, "unauthenticated");
});

test("a partial session (password only, a second factor bound) is told to finish signing in", async () => {
  const c = new Client();
  const s = await c.signIn("totp@rekey.test");
  assert.equal(s.status, 200);
  const r = await c.get("/api/me");
  assert.equal(r.status, 401);
  assert.equal(r.json.error.code, "second_factor_required");
});

test("no cookie, a forged token, a malformed one: 401 without a summary", async () => {
  for (const cookie of [null, "rk_session=" + "A".repeat(43), "rk_session=not*base64", "rk_session="]) {
    const c = new Client();
    if (cookie) c.cookie = cookie;
    const r = await c.get("/api/me");
    assert.equal(r.status, 401, String(cookie));
    assert.equal(r.json.error.code, "unauthenticated");
    assert.equal(r.json.email, undefined);
  }
});

test("each session reads its own account's holds and sign-ins, and the idle clock still moves", async () => {
  const x = newAccount("rtx"), y = newAccount("rty");
  ctl("hold", String(x.id), "30", "operator_review");
  const cx = new Client(), cy = new Client();
  await cx.signIn(x.email);
  await cy.signIn(y.email);
  await cy.signIn(y.email);
  const mx = (await cx.get("/api/me")).json, my = (await cy.get("/api/me")).json;
  assert.equal(mx.email, x.email);
  assert.equal(my.email, y.email);
  assert.equal(mx.withdrawal_hold.held, true);
  assert.equal(mx.withdrawal_hold.holds[0].reason, "operator_review");
  assert.equal(my.withdrawal_hold.held, false);
  assert.equal(mx.recent_signins.length, 1);
  assert.equal(my.recent_signins.length, 2);
  assert.match(mx.csrf, /^[A-Za-z0-9_-]{32}$/);
  // a session idle for 5 minutes is touched (once a minute at most)
  const sid = sql(`SELECT MAX(id) FROM sessions WHERE account_id = ${x.id}`)[0][0];
  sql(`UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 5 MINUTE WHERE id = ${sid}`);
  assert.equal((await cx.get("/api/me")).status, 200);
  const idle = Number(sql(`SELECT TIMESTAMPDIFF(SECOND, last_seen_at, UTC_TIMESTAMP(6)) FROM sessions WHERE id = ${sid}`)[0][0]);
  assert.ok(idle < 60, `touched (${idle} s idle)`);
});
