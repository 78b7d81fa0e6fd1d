// api_me_round_trip.test.mjs -- issue #21: GET /api/me checks the session in
// the statement that reads the summary (STMT_ME_SIGNED_IN): one prepared
// statement per request (two before: the session's lookup, then the
// summary), and every check the separate lookup made still holds at once --
// revoked, idle, past its absolute end, a frozen account, a partial session,
// a forged token -- with each account seeing only its own holds and sign-ins.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Client, newAccount, sql, sqlAs, ctl, ctlStatus } from "./stack.mjs";

const executed = () => Number(sql("SHOW GLOBAL STATUS LIKE 'Com_stmt_execute'")[0][1]);

// Statements the server executed per request of fn, N requests a round: the
// delivery process and the sweep run statements of their own all the time,
// so their rate is measured with no request in between and taken off; the
// least of three rounds is the figure.
async function perRequest(fn, N) {
  const t0 = Date.now(), e0 = executed();
  await new Promise((r) => setTimeout(r, 2000));
  const background = (executed() - e0) / (Date.now() - t0);
  let least = Infinity;
  for (let round = 0; round < 3; round++) {
    const a = Date.now(), before = executed();
    for (let i = 0; i < N; i++) await fn();
    least = Math.min(least, (executed() - before - background * (Date.now() - a)) / N);
  }
  return least;
}

test("GET /api/me is one statement per request (the session checked by the summary's own statement)", async () => {
  const { email } = newAccount("rt");
  const c = new Client();
  await c.signIn(email);
  assert.equal((await c.get("/api/me")).status, 200); // the first request of a minute may touch the idle clock
  const n = await perRequest(async () => assert.equal((await c.get("/api/me")).status, 200), 40);
  assert.ok(n > 0.7 && n < 1.5, `one statement a request, not two: ${n.toFixed(2)}`);
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
  assert.equal(r.status, 401, "the revoked session still reads the summary");
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
  assert.equal(r.json.error?.code, "second_factor_required");
  assert.equal(r.status, 401);
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

// ---- the review queue: the reviewer's session checked by the counts' statement ----
test("GET /api/review/queue is two statements (session + counts, then the page), three before", async () => {
  const { reviewer } = await import("./review-helpers.mjs");
  const { c } = await reviewer("reviewer");
  assert.equal((await c.get("/api/review/queue")).status, 200);
  const n = await perRequest(async () => assert.equal((await c.get("/api/review/queue?limit=5")).status, 200), 30);
  assert.ok(n > 1.7 && n < 2.5, `two statements a request, not three: ${n.toFixed(2)}`);
});

test("the review queue: counts agree with the page's cases; a disabled, revoked or missing session gets 401 and no counts", async () => {
  const { reviewer, documentsCase } = await import("./review-helpers.mjs");
  await documentsCase();
  const { c, email } = await reviewer("reviewer");
  const q = await c.get("/api/review/queue?limit=200&status=under_review");
  assert.equal(q.status, 200);
  // the queue's cases: under review, waiting for more information, disputed (#18)
  const open = Number(sql("SELECT COUNT(*) FROM reset_cases WHERE status IN ('under_review', 'needs_more_info', 'disputed') AND submitted_at IS NOT NULL")[0][0]);
  assert.equal(q.json.counts.total, open);
  assert.ok(q.json.counts.kind.documents >= 1);
  // a bad limit is still refused after the session (and before, a missing session is 401)
  assert.equal((await c.get("/api/review/queue?limit=0")).json.error.code, "invalid_limit");
  for (const cookie of [null, "rk_review=" + "A".repeat(43)]) {
    const x = new Client();
    if (cookie) x.cookie = cookie;
    const r = await x.get("/api/review/queue?limit=0");
    assert.equal(r.status, 401, String(cookie));
    assert.equal(r.json.counts, undefined);
  }
  // disabled (its sessions not yet ended: the statement's own condition), then disabled the usual way
  sql(`UPDATE reviewers SET disabled_at = UTC_TIMESTAMP(6) WHERE email = '${email}'`);
  const d = await c.get("/api/review/queue");
  assert.equal(d.status, 401, "a disabled reviewer still reads the queue");
  assert.equal(d.json.cases, undefined);
  sql(`UPDATE reviewers SET disabled_at = NULL WHERE email = '${email}'`);
  assert.equal((await c.get("/api/review/queue")).status, 200);
  ctl("reviewer", "disable", email);
  const r = await c.get("/api/review/queue");
  assert.equal(r.status, 401, "a disabled reviewer still reads the queue");
  assert.equal(r.json.cases, undefined);
});

// ---- the account summary the database keeps (schema/031) ----
const summary = (id) => sql(`SELECT totp, passkeys, phone, freeze_at IS NOT NULL, freeze_used, case_id, holds, signins FROM account_summaries WHERE account_id = ${id}`)[0];
const check = () => ctlStatus("summaries", "check");

test("the summary follows each change of what it is made of, in the change's own transaction", async () => {
  const { email, id } = newAccount("sum");
  const c = new Client();
  await c.signIn(email);
  const me = async () => { const r = await c.get("/api/me"); assert.equal(r.status, 200); return r.json; };
  let m = await me();
  assert.deepEqual(m.tools, { totp: false, passkeys: 0, phone: null });
  assert.equal(m.recent_signins.length, 1);
  // sign-ins: the newest five, newest first
  for (let i = 0; i < 6; i++) await new Client().signIn(email);
  m = await me();
  assert.equal(m.recent_signins.length, 5);
  const newest = sql(`SELECT DATE_FORMAT(MAX(at), '%Y-%m-%dT%H:%i:%s.%fZ') FROM signins WHERE account_id = ${id}`)[0][0];
  assert.equal(m.recent_signins[0].at, newest);
  assert.deepEqual(Object.keys(m.recent_signins[0]), ["at", "ip", "country", "device"]);
  // tools: a confirmed TOTP app, a confirmed phone, two passkeys of which one is suspended
  sql(`INSERT INTO totp_bindings (account_id, secret_sealed, confirmed_at, created_at) VALUES (${id}, 'x', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  sql(`INSERT INTO phones (account_id, number, confirmed_at, created_at) VALUES (${id}, '+41791234567', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  for (const n of [1, 2])
    sql(`INSERT INTO passkeys (account_id, credential_id, cose_alg, public_key, cose_key, sign_count, uv_initialized, backup_eligible,
      backup_state, aaguid, attestation_fmt, name, created_at) SELECT ${id}, CONCAT('sum-${id}-', ${n}), -7, 'k', 'k', 0, 1, 0, 0,
      REPEAT(CHAR(0), 16), 'none', 'Key ${n}', UTC_TIMESTAMP(6)`);
  m = await me();
  assert.equal(m.tools.totp, true);
  assert.equal(m.tools.passkeys, 2);
  assert.match(m.tools.phone, /^\+41\S+67$/);
  sql(`UPDATE passkeys SET suspended_until = UTC_TIMESTAMP(6) + INTERVAL 1 DAY WHERE account_id = ${id} ORDER BY id LIMIT 1`);
  assert.equal((await me()).tools.passkeys, 1);
  // a sign-in's counter is not a change of the summary (no refresh on it), and changes nothing shown
  sql(`UPDATE passkeys SET sign_count = sign_count + 5 WHERE account_id = ${id}`);
  assert.equal((await me()).tools.passkeys, 1);
  // holds, latest-ending first
  ctl("hold", String(id), "5", "operator_review");
  ctl("hold", String(id), "50", "operator_review");
  m = await me();
  assert.equal(m.withdrawal_hold.held, true);
  assert.equal(m.withdrawal_hold.holds.length, 2);
  assert.equal(m.withdrawal_hold.until, m.withdrawal_hold.holds[0].ends_at);
  assert.ok(m.withdrawal_hold.holds[0].ends_at > m.withdrawal_hold.holds[1].ends_at);
  // a freeze code (its time, never the code), then used
  sql(`INSERT INTO freeze_codes (account_id, code_hash, created_at) VALUES (${id}, REPEAT('x', 32), UTC_TIMESTAMP(6))`);
  assert.equal((await me()).freeze_code.used, false);
  sql(`UPDATE freeze_codes SET used_at = UTC_TIMESTAMP(6) WHERE account_id = ${id}`);
  assert.equal((await me()).freeze_code.used, true);
  // a change rolled back leaves the summary as it was (the refresh is in the change's transaction)
  const before = summary(id);
  sql(`START TRANSACTION; DELETE FROM phones WHERE account_id = ${id}; DELETE FROM holds WHERE account_id = ${id}; ROLLBACK`);
  assert.deepEqual(summary(id), before);
  // removed: the summary follows
  sql(`DELETE FROM phones WHERE account_id = ${id}`);
  sql(`DELETE FROM totp_bindings WHERE account_id = ${id}`);
  m = await me();
  assert.equal(m.tools.phone, null);
  assert.equal(m.tools.totp, false);
  const v = check();
  assert.equal(v.code, 0, v.out);
});

// schema/035: the account's own values are in the summary's document too,
// remade in the transaction that changes them
test("the account's values follow each change (name, status, language, value tier, frozen); a password change leaves the row alone", async () => {
  const { email, id } = newAccount("sumacct");
  const c = new Client();
  await c.signIn(email);
  const me = async () => (await c.get("/api/me")).json;
  let m = await me();
  assert.deepEqual([m.display_name, m.identity_status, m.language, m.value_tier], ["", "unverified", null, "low"]);
  sql(`UPDATE accounts SET display_name = 'Ada L', identity_status = 'verified', language = 'de', asset_value_cents = 500000000 WHERE id = ${id}`);
  m = await me();
  assert.deepEqual([m.display_name, m.identity_status, m.language, m.value_tier], ["Ada L", "verified", "de", "high"]);
  assert.equal(m.created_at, sql(`SELECT DATE_FORMAT(created_at, '%Y-%m-%dT%H:%i:%s.%fZ') FROM accounts WHERE id = ${id}`)[0][0]);
  // the API's own change of language
  const put = await c.req("PUT", "/api/account/language", { language: "es" });
  assert.equal(put.status, 200, put.text);
  assert.equal((await me()).language, "es");
  // a password change is not a change of the page: the row is not written
  const doc = () => sql(`SELECT doc FROM account_summaries WHERE account_id = ${id}`)[0][0];
  const before = doc();
  sql(`UPDATE accounts SET password_hash = CONCAT(password_hash, '') , user_handle = user_handle WHERE id = ${id}`);
  assert.equal(doc(), before);
  // frozen: no row for the session's statement, at once
  sql(`UPDATE accounts SET frozen = 1 WHERE id = ${id}`);
  assert.equal((await c.get("/api/me")).status, 401);
  sql(`UPDATE accounts SET frozen = 0 WHERE id = ${id}`);
  assert.equal((await c.get("/api/me")).status, 200);
  const v = check();
  assert.equal(v.code, 0, v.out);
});

test("a summary document not exactly as schema/035 (036) makes it is refused (500, nothing shown), never guessed at", async () => {
  const { email, id } = newAccount("sumdoc");
  const c = new Client();
  await c.signIn(email);
  const good = sql(`SELECT doc FROM account_summaries WHERE account_id = ${id}`)[0][0];
  const g = JSON.parse(good);
  // the trigger remakes the document on every write: set aside while the bad ones are written
  const [[name, timing, event, table, body]] = sql(`SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_STATEMENT
    FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'rekey' AND TRIGGER_NAME = 'account_summary_doc_set'`);
  const put = (text) => sql(`UPDATE account_summaries SET doc = '${text.replace(/\\/g, "\\\\").replace(/'/g, "''")}' WHERE account_id = ${id}`);
  sql(`DROP TRIGGER ${name}`);
  try {
    put(good);
    assert.equal((await c.get("/api/me")).status, 200, "the same document written back");
    const bad = { "not JSON": "{", "empty": "{}", "a number as a string": JSON.stringify({ ...g, passkeys: "0" }),
      "a member more": JSON.stringify({ ...g, admin: true }), "a member less": JSON.stringify({ ...g, email: undefined }),
      "holds not a list": JSON.stringify({ ...g, holds: {} }), "a hold of another shape": JSON.stringify({ ...g, holds: [{ ends_at: "9999" }] }),
      "an email that is null": JSON.stringify({ ...g, email: null }) };
    for (const [what, text] of Object.entries(bad)) {
      put(text);
      const r = await c.get("/api/me");
      assert.equal(r.status, 500, what);
      assert.equal(r.json.email, undefined, what);
    }
  } finally {
    sql(`CREATE TRIGGER ${name} ${timing} ${event} ON ${table} FOR EACH ROW ${body.replace(/\\n/g, "\n")}`);
    sql(`CALL account_summaries_rebuild()`);
  }
  assert.equal((await c.get("/api/me")).status, 200);
  const v = check();
  assert.equal(v.code, 0, v.out);
});

test("a hold that ends after its summary was made is gone from GET /api/me with no write at all", async () => {
  const { email, id } = newAccount("sumend");
  const c = new Client();
  await c.signIn(email);
  sql(`INSERT INTO holds (account_id, reason, source_event, starts_at, ends_at) VALUES
    (${id}, 'operator_review', 'test', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1500000 MICROSECOND),
    (${id}, 'passkey_deleted', 'test', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1 HOUR)`);
  let h = (await c.get("/api/me")).json.withdrawal_hold;
  assert.equal(h.holds.length, 2);
  await new Promise((r) => setTimeout(r, 2000));
  h = (await c.get("/api/me")).json.withdrawal_hold;
  assert.equal(h.holds.length, 1, "the ended hold is still shown");
  assert.equal(h.holds[0].reason, "passkey_deleted");
  assert.equal(h.until, h.holds[0].ends_at);
  assert.equal(JSON.parse(summary(id)[6]).length, 2, "the kept row still lists both: the reader dropped the ended one");
  sql(`UPDATE holds SET ends_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE account_id = ${id}`);
  h = (await c.get("/api/me")).json.withdrawal_hold;
  assert.deepEqual(h, { held: false, until: null, holds: [] });
});

test("rekeyctl summaries check names a summary that differs from its tables, and rebuild makes it again", () => {
  const { id } = newAccount("sumbad");
  let v = check();
  assert.equal(v.code, 0, v.out);
  sql(`UPDATE account_summaries SET passkeys = passkeys + 3 WHERE account_id = ${id}`);
  v = check();
  assert.equal(v.code, 1);
  assert.match(v.out, new RegExp(`account ${id}: the kept summary differs`));
  sql(`DELETE FROM account_summaries WHERE account_id = ${id}`);
  v = check();
  assert.equal(v.code, 1, "a missing row is a difference too");
  assert.match(v.out, new RegExp(`account ${id}:`));
  assert.match(ctl("summaries", "rebuild"), /made again/);
  v = check();
  assert.equal(v.code, 0, v.out);
});

test("rekeyd's database users read the summary and cannot write it or its triggers", () => {
  assert.match(sqlAs("rekey_app", "SELECT COUNT(*) FROM account_summaries"), /^\d+$/);
  for (const q of ["UPDATE account_summaries SET passkeys = 9 WHERE account_id = 0", "DELETE FROM account_summaries WHERE account_id = 0",
    "INSERT INTO account_summaries (account_id) VALUES (0)", "CALL account_summary_refresh(1)", "DROP TRIGGER account_summary_signins_in",
    "SELECT * FROM account_summaries_made LIMIT 1", "SELECT * FROM account_summaries_whole LIMIT 1", "DROP TRIGGER account_summary_doc_set",
    "SELECT account_summary_doc_of('a@b.c', 'verified', '', 0, NULL, NULL, 0, 0, NULL, NULL, 0, NULL, NULL, '[]', '[]')",
    "CALL account_summary_fill(1, 0, 0, NULL, NULL, 0, NULL, NULL, '[]', '[]', @f, @v, @d)",
    "CALL reset_case_queue('under_review', UTC_TIMESTAMP(6), 'documents', 0, NULL, 1, @c, @s, @v)"])
    assert.throws(() => sqlAs("rekey_app", q), /denied/, q);
  assert.throws(() => sqlAs("rekey_review", "SELECT COUNT(*) FROM account_summaries"), /denied/);
});

// schema/036 builds the document from the account's columns, read once by the
// summary's trigger (035 read the account three times): the same bytes as
// 035's function, which is made again here from 035's own text to compare
test("schema/036's document is byte for byte what schema/035's function made, for every account", () => {
  const text = readFileSync(new URL("../../schema/035-me-document.sql", import.meta.url), "utf8");
  const fn = text.match(/CREATE FUNCTION account_summary_doc\(.*?WHERE a\.id = acc\);/s)[0]
    .replace("account_summary_doc(", "test_doc_035(").replace(/;$/, "");
  sql("DROP FUNCTION IF EXISTS test_doc_035");
  sql(fn);
  try {
    // every member set: beyond ASCII, quotes and a backslash; a verified identity with the no-passkey
    // protection; a language; TOTP, a passkey, a phone, a freeze code, an open case, a hold, sign-ins
    const a = newAccount("doc036", "verified");
    sql(`UPDATE accounts SET display_name = 'Zoë 李 "q" \\\\ x', language = 'de', no_passkey_protection = 1 WHERE id = ${a.id}`);
    sql(`INSERT INTO totp_bindings (account_id, secret_sealed, confirmed_at, created_at) VALUES (${a.id}, 'x', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
    sql(`INSERT INTO passkeys (account_id, credential_id, cose_alg, public_key, cose_key, sign_count, uv_initialized, backup_eligible,
      backup_state, aaguid, attestation_fmt, name, created_at) VALUES (${a.id}, 'doc036-${a.id}', -7, 'k', 'k', 0, 1, 0, 0,
      REPEAT(CHAR(0), 16), 'none', 'Clé 1', UTC_TIMESTAMP(6))`);
    sql(`INSERT INTO phones (account_id, number, confirmed_at, created_at) VALUES (${a.id}, '+41790000036', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
    sql(`INSERT INTO freeze_codes (account_id, code_hash, created_at) VALUES (${a.id}, REPEAT('x', 32), UTC_TIMESTAMP(6))`);
    sql(`INSERT INTO reset_cases (account_id, open_account_id, route, status, questions_attempts, status_token_hash, route_rule, created_at, updated_at)
      VALUES (${a.id}, ${a.id}, 'documents', 'awaiting_evidence', 0, RANDOM_BYTES(32), 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
    sql(`INSERT INTO holds (account_id, reason, source_event, starts_at, ends_at) VALUES (${a.id}, 'passkey_deleted', 'test', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1 HOUR)`);
    sql(`INSERT INTO signins (account_id, at, ip, country, device) VALUES (${a.id}, UTC_TIMESTAMP(6), '203.0.113.36', 'CH', 'Firefox "Nightly"')`);
    const doc = JSON.parse(sql(`SELECT doc FROM account_summaries WHERE account_id = ${a.id}`)[0][0].replace(/\\\\/g, "\\"));
    for (const k of ["totp", "passkeys", "phone", "freeze_at", "case_id", "case_status", "language"])
      assert.notEqual(doc[k], null, `${k} set in the test's account`);
    assert.equal(doc.holds.length, 1);
    assert.equal(doc.signins.length, 1);
    assert.equal(sql(`SELECT LOCATE(CHAR(92), display_name) > 0 AND CHAR_LENGTH(display_name) = 13 FROM accounts WHERE id = ${a.id}`)[0][0], "1");
    const [[n, same]] = sql(`SELECT COUNT(*), SUM(BINARY s.doc = BINARY test_doc_035(s.account_id, s.totp, s.passkeys, s.phone,
      s.freeze_at, s.freeze_used, s.case_id, s.case_status, s.holds, s.signins)) FROM account_summaries s`);
    assert.ok(Number(n) > 1, n);
    assert.equal(same, n, "documents that differ from 035's");
  } finally {
    sql("DROP FUNCTION IF EXISTS test_doc_035");
  }
});
