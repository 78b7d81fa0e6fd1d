// api_me_round_trip.test.mjs -- issue #21: GET /api/me checks the session in
// the statement that reads the summary (STMT_ME_SIGNED_IN): one prepared
// statement per request (two before: the session's lookup, then the
// summary), and every check the separate lookup made still holds at once --
// revoked, idle, past its absolute end, a frozen account, a partial session,
// a forged token -- with each account seeing only its own holds and sign-ins.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdtempSync, cpSync, rmSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Client, newAccount, sql, sqlAs, ctl, ctlStatus, conf } from "./stack.mjs";

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

// schema/037: rekeyd sends the document's bytes as they are, with the
// session's members appended; it checks the bytes' frame (an object with a
// member, no NUL) and leaves the rest to the one writer (the trigger) and to
// `rekeyctl summaries check`, which names any document the function would
// not make
test("a summary document that is not an object as schema/037 makes it is refused (500, nothing shown); any other change is named by summaries check", async () => {
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
    const same = await c.get("/api/me");
    assert.equal(same.status, 200, "the same document written back");
    assert.equal(same.json.email, g.email);
    const bad = { "not JSON": "{", "an empty object": "{}", "a list": JSON.stringify([g]), "a string": JSON.stringify(good),
      "cut short": good.slice(0, -1), "a space before it": " " + good };
    for (const [what, text] of Object.entries(bad)) {
      put(text);
      const r = await c.get("/api/me");
      assert.equal(r.status, 500, what);
      assert.equal(r.json.email, undefined, what);
      assert.equal(r.json.error.code, "internal", what);
    }
    // a NUL inside, the object's frame whole
    put(good);
    sql(`UPDATE account_summaries SET doc = INSERT(doc, 3, 0, CHAR(0)) WHERE account_id = ${id}`);
    assert.equal(sql(`SELECT LOCATE(CHAR(0), doc) = 3 AND RIGHT(doc, 1) = '}' FROM account_summaries WHERE account_id = ${id}`)[0][0], "1");
    assert.equal((await c.get("/api/me")).status, 500, "a NUL inside");
    // an object, but not the function's: sent (the frame holds), and named by the check
    put(JSON.stringify({ ...g, display_name: "changed by hand" }));
    assert.equal((await c.get("/api/me")).json.display_name, "changed by hand");
    const v = check();
    assert.equal(v.code, 1, v.out);
    assert.match(v.out, new RegExp(`account ${id}: the kept summary differs`));
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

// schema/037: the document is the page's own members as GET /api/me sends
// them, and rekeyd appends the session's; every byte of the stored document
// is the start of the body, no member twice, each value as the tables hold it
// (036's page, member for member: the same values the parsed document gave)
function topLevelKeys(text) {
  const keys = [];
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      if (depth === 1 && text[j + 1] === ":") keys.push(JSON.parse(text.slice(i, j + 1)));
      i = j;
    } else if (ch === "{" || ch === "[") depth++;
    else if (ch === "}" || ch === "]") depth--;
  }
  return keys;
}

test("schema/037's document is the start of GET /api/me's body, byte for byte, with the session's members after it, none twice", async () => {
  // every member set: beyond ASCII, quotes, a backslash and control characters; a verified identity with the
  // no-passkey protection; a language; TOTP, a passkey, a phone, a freeze code, an open case, a hold, sign-ins
  const a = newAccount("doc037", "verified");
  const c = new Client();
  await c.signIn(a.email); // before the second factors are bound: a full session with the password alone
  sql(`UPDATE accounts SET display_name = CONCAT('Zoë 李 "q" ', CHAR(92), ' x', CHAR(9), CHAR(1), '</script>'), language = 'de', no_passkey_protection = 1 WHERE id = ${a.id}`);
  sql(`INSERT INTO totp_bindings (account_id, secret_sealed, confirmed_at, created_at) VALUES (${a.id}, 'x', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  sql(`INSERT INTO passkeys (account_id, credential_id, cose_alg, public_key, cose_key, sign_count, uv_initialized, backup_eligible,
    backup_state, aaguid, attestation_fmt, name, created_at) VALUES (${a.id}, 'doc037-${a.id}', -7, 'k', 'k', 0, 1, 0, 0,
    REPEAT(CHAR(0), 16), 'none', 'Clé 1', UTC_TIMESTAMP(6))`);
  sql(`INSERT INTO phones (account_id, number, confirmed_at, created_at) VALUES (${a.id}, '+41790000037', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  sql(`INSERT INTO freeze_codes (account_id, code_hash, created_at) VALUES (${a.id}, REPEAT('x', 32), UTC_TIMESTAMP(6))`);
  sql(`INSERT INTO reset_cases (account_id, open_account_id, route, status, questions_attempts, status_token_hash, route_rule, created_at, updated_at)
    VALUES (${a.id}, ${a.id}, 'documents', 'awaiting_evidence', 0, RANDOM_BYTES(32), 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  sql(`INSERT INTO holds (account_id, reason, source_event, starts_at, ends_at) VALUES (${a.id}, 'passkey_deleted', 'test', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1 HOUR)`);
  sql(`INSERT INTO signins (account_id, at, ip, country, device) VALUES (${a.id}, UTC_TIMESTAMP(6) + INTERVAL 1 SECOND, '203.0.113.37', 'CH',
    CONCAT('Firefox "Nightly" ', CHAR(92), CHAR(10), CHAR(31)))`);
  const r = await c.get("/api/me");
  assert.equal(r.status, 200, r.text);
  const doc = Buffer.from(sql(`SELECT HEX(doc) FROM account_summaries WHERE account_id = ${a.id}`)[0][0], "hex").toString("utf8");
  assert.ok(r.text.startsWith(doc.slice(0, -1) + ","), "the body starts with the stored document's bytes");
  assert.deepEqual(topLevelKeys(r.text), ["email", "display_name", "identity_status", "no_passkey_protection", "created_at",
    "recent_signins", "open_case", "language", "freeze_code", "id", "value_tier", "frozen", "csrf", "operator", "tools", "withdrawal_hold"]);
  const m = r.json;
  const [[name, device, created, freezeAt, caseId]] = sql(`SELECT HEX(a.display_name), HEX(s.device), DATE_FORMAT(a.created_at, '%Y-%m-%dT%H:%i:%s.%fZ'),
    DATE_FORMAT(f.created_at, '%Y-%m-%dT%H:%i:%s.%fZ'), c.id FROM accounts a JOIN signins s ON s.account_id = a.id AND s.ip = '203.0.113.37'
    JOIN freeze_codes f ON f.account_id = a.id JOIN reset_cases c ON c.open_account_id = a.id WHERE a.id = ${a.id}`);
  assert.equal(m.display_name, Buffer.from(name, "hex").toString("utf8"));
  assert.match(m.display_name, /^Zoë 李 "q" \\ x\t\u0001<\/script>$/);
  assert.equal(m.recent_signins[0].device, Buffer.from(device, "hex").toString("utf8"));
  assert.deepEqual(Object.keys(m.recent_signins[0]), ["at", "ip", "country", "device"]);
  assert.equal(m.recent_signins.length, 2);
  assert.deepEqual([m.email, m.identity_status, m.no_passkey_protection, m.created_at, m.language], [a.email, "verified", true, created, "de"]);
  assert.deepEqual(m.open_case, { id: Number(caseId), status: "awaiting_evidence" });
  assert.deepEqual(m.freeze_code, { issued_at: freezeAt, used: false });
  assert.deepEqual(m.tools, { totp: true, passkeys: 1, phone: "+41•••••37" });
  assert.equal(m.withdrawal_hold.held, true);
  assert.deepEqual(m.withdrawal_hold.holds.map((h) => h.reason), ["passkey_deleted"]);
  assert.deepEqual([m.id, m.frozen, m.value_tier, typeof m.csrf, m.operator], [a.id, false, "low", "string", (await c.get("/api/settings")).json.operator]);
  // an account with none of them: the nulls and falses the page shows
  const b = newAccount("doc037none");
  sql(`UPDATE accounts SET language = '' WHERE id = ${b.id}`);
  const cb = new Client();
  await cb.signIn(b.email);
  const n = (await cb.get("/api/me")).json;
  assert.deepEqual([n.no_passkey_protection, n.open_case, n.language, n.freeze_code, n.tools, n.withdrawal_hold],
    [false, null, null, null, { totp: false, passkeys: 0, phone: null }, { held: false, until: null, holds: [] }]);
  const v = check();
  assert.equal(v.code, 0, v.out);
});

// Upgrading across schema/037: a document in 036's shape (made here by 036's
// own function, from its file) holds the phone unmasked and other members the
// page does not send; this rekeyd refuses it rather than send it. 037's remake
// (its procedure, from its file) then makes every document anew, in chunks.
const fromSchema = (file, re, from, to) => readFileSync(new URL(`../../schema/${file}`, import.meta.url), "utf8").match(re)[0].replace(from, to);
test("a document in schema/036's shape is refused, its unmasked phone never sent; 037's remake makes every document anew", async () => {
  const fn036 = fromSchema("036-one-trigger-body.sql", /CREATE OR REPLACE FUNCTION account_summary_doc_of\(.*?'signins', JSON_EXTRACT\(signins, '\$'\)\);/s,
    "account_summary_doc_of(", "test_doc_036(").replace(/;$/, "");
  const remake = fromSchema("037-me-page-document.sql", /CREATE OR REPLACE PROCEDURE account_summaries_remake_docs\(\)\nBEGIN.*?\nEND;/s,
    "account_summaries_remake_docs(", "test_remake_037(").replace(/;$/, "").replaceAll("5000", "7"); // chunks of 7 here: many of them
  assert.equal(remake.match(/\+ 7\b/g)?.length, 2, "037's chunk size read from its file");
  const { email, id } = newAccount("doc036");
  const c = new Client();
  await c.signIn(email);
  sql(`INSERT INTO phones (account_id, number, confirmed_at, created_at) VALUES (${id}, '+41790000360', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  assert.equal((await c.get("/api/me")).json.tools.phone, "+41•••••60");
  const [[name, timing, event, table, body]] = sql(`SELECT TRIGGER_NAME, ACTION_TIMING, EVENT_MANIPULATION, EVENT_OBJECT_TABLE, ACTION_STATEMENT
    FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'rekey' AND TRIGGER_NAME = 'account_summary_doc_set'`);
  sql("DROP FUNCTION IF EXISTS test_doc_036");
  sql("DROP PROCEDURE IF EXISTS test_remake_037");
  sql(fn036);
  sql(`DELIMITER //\n${remake}//\nDELIMITER ;`);
  sql(`DROP TRIGGER ${name}`);
  let dropped = true;
  try {
    // every account's document as 036 made it
    sql(`UPDATE account_summaries s JOIN accounts a ON a.id = s.account_id SET s.doc = test_doc_036(a.email, a.identity_status, a.display_name,
      a.no_passkey_protection, a.created_at, a.language, s.totp, s.passkeys, s.phone, s.freeze_at, s.freeze_used, s.case_id, s.case_status,
      s.holds, s.signins)`);
    const old = sql(`SELECT doc FROM account_summaries WHERE account_id = ${id}`)[0][0];
    assert.ok(old.startsWith('{"email": "') && old.includes("+41790000360"), old);
    const r = await c.get("/api/me");
    assert.ok(!r.text.includes("790000360"), "the unmasked phone is not sent");
    assert.equal(r.status, 500, r.text);
    assert.ok(check().code === 1, "summaries check names the old documents");
    sql(`CREATE TRIGGER ${name} ${timing} ${event} ON ${table} FOR EACH ROW ${body.replace(/\\n/g, "\n")}`);
    dropped = false;
    sql("CALL test_remake_037()");
    const v = check();
    assert.equal(v.code, 0, v.out);
    assert.equal(sql(`SELECT COUNT(*) FROM account_summaries WHERE doc NOT LIKE '{"email":"%'`)[0][0], "0");
    const m = await c.get("/api/me");
    assert.equal(m.status, 200, m.text);
    assert.equal(m.json.tools.phone, "+41•••••60");
    assert.equal(m.json.phone, undefined);
  } finally {
    if (dropped) sql(`CREATE TRIGGER ${name} ${timing} ${event} ON ${table} FOR EACH ROW ${body.replace(/\\n/g, "\n")}`);
    sql("DROP FUNCTION IF EXISTS test_doc_036");
    sql("DROP PROCEDURE IF EXISTS test_remake_037");
    sql("CALL account_summaries_rebuild()");
  }
});

// rekeyctl's statements may run for minutes at a million accounts (037's
// remake took 55 s there): its connection must not give up at rekeyd's 10 s
// read timeout, which left such a migration unrecorded, to run again and be
// cut again. A migration of one 11-second statement, from a copy of the
// schema folder, is applied and recorded.
test("rekeyctl migrate waits for a statement longer than rekeyd's 10 s read timeout", { timeout: 60000 }, () => {
  const tmp = mkdtempSync("/tmp/rekey-slow-migration.");
  try {
    const schema = `${tmp}/schema`;
    cpSync(new URL("../../schema", import.meta.url), schema, { recursive: true });
    writeFileSync(`${schema}/999-slow.sql`, "DO SLEEP(11);\n");
    writeFileSync(`${tmp}/rekey.conf`, `${readFileSync(conf, "utf8")}\nschema_dir = ${schema}\n`);
    const out = execFileSync(fileURLToPath(new URL("../../build/rekeyctl", import.meta.url)), ["-c", `${tmp}/rekey.conf`, "migrate"], { encoding: "utf8" });
    assert.match(out, /applied 999-slow\.sql/);
    assert.equal(sql("SELECT COUNT(*) FROM schema_migrations WHERE version = 999")[0][0], "1");
  } finally {
    sql("DELETE FROM schema_migrations WHERE version = 999");
    rmSync(tmp, { recursive: true, force: true });
  }
});
