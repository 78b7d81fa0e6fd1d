// api_recovery.test.mjs -- recovery prepared before loss (issue #17): saved
// recovery codes (made after a step-up, stored as keyed hashes, single use,
// 20 parallel uses one success), a reset completed with one (the decision
// table's first row; a new set at once), second notification addresses
// (confirmed by a code, every notice to every address, removal told to the
// removed one too), the anti-phishing code on the first line of every mail,
// and the one table of notices (each with time, device, network, support and
// a single-use "this was not me" link).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Client, newAccount, sql, origin, mails, waitFor, codeMail, uniqueEmail, DEMO_PASSWORD } from "./stack.mjs";
import { SoftAuthenticator } from "./authenticator.mjs";
import { history, toEmailCode, bindPhone } from "./reset-helpers.mjs";
import { root, sourceFiles } from "./vectors.mjs";

const CODE = /^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/;
const stale = (account) =>
  sql(`UPDATE sessions SET stepped_up_at = NOW(6) - INTERVAL 301 SECOND WHERE account_id = ${account} AND revoked_at IS NULL`);
const put = (c, path, body) => c.req("PUT", path, body);
// the mail with this subject to this address, after `after` mails (its text, headers and body)
const mailTo = (email, subject, after = 0) =>
  waitFor(() => mails(email).slice(after).find((m) => m.includes(`Subject: ${subject}`)), `"${subject}" to ${email}`);
const body = (m) => m.slice(m.indexOf("\n\n") + 2).replace(/=\r?\n/g, "");

// A signed-in account with one passkey, stepped up (adding the first passkey does it).
async function holder(tag = "rc") {
  const acct = newAccount(tag);
  history(acct.id);
  const c = new Client();
  assert.equal((await c.signIn(acct.email)).status, 200);
  const auth = new SoftAuthenticator({ origin });
  const opts = await c.post("/api/passkeys/registration/options", {});
  assert.equal((await c.post("/api/passkeys/registration", { response: auth.create(opts.json) })).status, 201);
  return { ...acct, c, auth };
}

async function makeCodes(h) {
  const r = await h.c.post("/api/recovery-codes", {});
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// A reset flow of this account through email + password + email code.
async function toRecoveryStep(email) {
  const f = await toEmailCode(email);
  const code = await codeMail(email, f.before);
  const r = await f.c.post(`/api/reset/${f.id}/email-code`, { code });
  assert.equal(r.status, 200, r.text);
  return { ...f, routed: r.json };
}

test("recovery codes: no factor -> step_up_no_factor; a stale step-up -> step_up_required; nothing made", async () => {
  const { id, email } = newAccount("rc");
  const c = new Client();
  await c.signIn(email);
  const r = await c.post("/api/recovery-codes", {});
  assert.equal(r.status, 409);
  assert.equal(r.json.error.code, "step_up_no_factor");
  const h = await holder();
  stale(h.id);
  const s = await h.c.post("/api/recovery-codes", {});
  assert.equal(s.status, 403);
  assert.equal(s.json.error.code, "step_up_required");
  assert.equal(sql(`SELECT COUNT(*) FROM recovery_codes WHERE account_id IN (${id}, ${h.id})`)[0][0], "0");
  assert.deepEqual((await h.c.get("/api/recovery-codes")).json, { remaining: 0, created_at: null, total: 10 });
});

test("recovery codes: 10 codes of 80 bits shown once, only keyed hashes stored, the count, a notice; a new set voids the old", async () => {
  const h = await holder();
  const before = mails(h.email).length;
  const set = await makeCodes(h);
  assert.equal(set.codes.length, 10);
  assert.equal(new Set(set.codes).size, 10);
  for (const code of set.codes) assert.match(code, CODE);
  const stored = sql(`SELECT HEX(code_hash) FROM recovery_codes WHERE account_id = ${h.id} AND voided_at IS NULL`).map((r) => r[0]);
  assert.equal(stored.length, 10);
  for (const code of set.codes) {
    const hex = Buffer.from(code.replace(/-/g, "")).toString("hex").toUpperCase();
    assert.ok(stored.every((s) => !s.includes(hex)), "the code itself is never stored");
  }
  const st = (await h.c.get("/api/recovery-codes")).json;
  assert.equal(st.remaining, 10);
  assert.equal(st.created_at, set.created_at);
  assert.equal(JSON.stringify(st).includes(set.codes[0]), false, "GET never answers the codes");
  const notice = await mailTo(h.email, "New recovery codes made", before);
  assert.match(body(notice), /^Anti-phishing code: not set/);
  assert.equal(notice.includes(set.codes[0]), false, "the codes are not mailed");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${h.id} AND event = 'recovery_codes_made'`)[0][0], "1");

  const again = await makeCodes(h);
  assert.equal(sql(`SELECT COUNT(*) FROM recovery_codes WHERE account_id = ${h.id} AND voided_at IS NULL`)[0][0], "10");
  assert.equal(sql(`SELECT COUNT(*) FROM recovery_codes WHERE account_id = ${h.id} AND voided_at IS NOT NULL`)[0][0], "10");
  assert.notDeepEqual(again.codes, set.codes);
});

test("reset with a recovery code: offered first (rule 0), wrong/old codes cost tries, the right one resets and shows a new set", async () => {
  const h = await holder();
  const old = await makeCodes(h);
  const set = await makeCodes(h);
  const f = await toRecoveryStep(h.email);
  assert.equal(f.routed.state, "recovery_code");
  assert.equal(f.routed.route, "recovery_code");
  assert.equal(f.routed.route_rule, 0);
  assert.equal(sql(`SELECT route, status FROM reset_cases WHERE account_id = ${h.id}`)[0].join(), "recovery_code,verifying");

  const tries = Number(sql(`SELECT email_tries FROM reset_flows WHERE id = ${f.id}`)[0][0]);
  const wrong = await f.c.post(`/api/reset/${f.id}/recovery-code`, { code: "AAAA-BBBB-CCCC-DDDD" });
  assert.equal(wrong.status, 400);
  assert.equal(wrong.json.error.code, "recovery_code_wrong");
  assert.equal(wrong.json.error.tries_left, 5 - tries - 1);
  const voided = await f.c.post(`/api/reset/${f.id}/recovery-code`, { code: old.codes[0] });
  assert.equal(voided.json.error.code, "recovery_code_wrong", "a code of the replaced set does not work");
  assert.equal(sql(`SELECT email_tries FROM reset_flows WHERE id = ${f.id}`)[0][0], String(tries + 2));
  assert.equal(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${h.id}`)[0][0], "1", "nothing changed yet");

  const before = mails(h.email).length;
  // typed as people type: lower case, spaces instead of dashes
  const ok = await f.c.post(`/api/reset/${f.id}/recovery-code`, { code: set.codes[3].toLowerCase().replace(/-/g, " ") });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.state, "reset_done");
  assert.equal(ok.json.reset, true);
  assert.equal(ok.json.recovery_codes.codes.length, 10);
  for (const code of ok.json.recovery_codes.codes) assert.match(code, CODE);
  // one transaction: passkeys, sessions, the hold, the case closed with its route, audit
  // (#18) the passkeys are suspended for the dispute window, not deleted: none signs anything
  assert.equal(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${h.id} AND suspended_until IS NULL`)[0][0], "0");
  assert.ok(Number(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${h.id} AND suspended_until > NOW(6)`)[0][0]) >= 1);
  assert.equal((await h.c.get("/api/me")).status, 401, "the old session is signed out");
  assert.equal(sql(`SELECT route, status FROM reset_cases WHERE account_id = ${h.id}`)[0].join(), "recovery_code,completed");
  assert.equal(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${h.id} AND reason = 'passkey_reset' AND ends_at > NOW(6)`)[0][0], "1");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${h.id} AND event IN ('recovery_code_used', 'passkeys_reset')`)[0][0], "2");
  // NIST: the used set is void; the new one is live at once, in the new session
  const st = await f.c.get("/api/recovery-codes");
  assert.equal(st.status, 200);
  assert.equal(st.json.remaining, 10);
  assert.equal(st.json.created_at, ok.json.recovery_codes.created_at);
  await mailTo(h.email, "A recovery code was used", before);
  await mailTo(h.email, "Your passkeys were reset, withdrawals on hold", before);

  // the spent code and the rest of its set are refused in a new flow; a new code works
  const g = await toRecoveryStep(h.email);
  assert.equal(g.routed.state, "recovery_code");
  for (const code of [set.codes[3], set.codes[4]])
    assert.equal((await g.c.post(`/api/reset/${g.id}/recovery-code`, { code })).json.error.code, "recovery_code_wrong");
});

test("reset: the password is needed for the recovery-code row; 'I don't have my codes' goes to the table's cases", async () => {
  const h = await holder();
  bindPhone(h.id); // another tool: without codes, the table's default (questions)
  await makeCodes(h);
  const forgot = await toEmailCode(h.email, DEMO_PASSWORD, { forgot: true });
  const code = await codeMail(h.email, forgot.before);
  const r = await forgot.c.post(`/api/reset/${forgot.id}/email-code`, { code });
  assert.equal(r.json.route, "documents", "without the password, no code is offered");
  assert.equal((await forgot.c.post(`/api/reset/${forgot.id}/recovery-code`, { code: "AAAA-BBBB-CCCC-DDDD" })).status, 409);
  sql(`UPDATE reset_cases SET open_account_id = NULL, status = 'expired' WHERE account_id = ${h.id}`);

  const f = await toRecoveryStep(h.email);
  assert.equal(f.routed.state, "recovery_code");
  const skip = await f.c.post(`/api/reset/${f.id}/recovery-code/skip`, {});
  assert.equal(skip.status, 200, skip.text);
  assert.equal(skip.json.route, "questions");
  assert.equal(skip.json.state, "questions_attention");
  assert.equal(skip.json.route_rule, 12);
  assert.equal((await f.c.post(`/api/reset/${f.id}/recovery-code/skip`, {})).status, 409, "once");
  assert.equal((await f.c.post(`/api/reset/${f.id}/recovery-code`, { code: "AAAA-BBBB-CCCC-DDDD" })).status, 409, "no code after the skip");
});

test("reset: wrong recovery codes use up the flow's tries (dead) and the account's budget over every flow (429)", async () => {
  const h = await holder();
  await makeCodes(h);
  const f = await toRecoveryStep(h.email);
  let last;
  for (let i = 0; i < 5; i++) last = await f.c.post(`/api/reset/${f.id}/recovery-code`, { code: `AAAA-BBBB-CCCC-DDD${"A234567"[i]}` });
  assert.equal(last.json.error.code, "flow_dead");
  assert.equal(sql(`SELECT state FROM reset_flows WHERE id = ${f.id}`)[0][0], "dead");
  // the other flows share the account's 10 per sign-in window
  const g = await toRecoveryStep(h.email);
  for (let i = 0; i < 4; i++) await g.c.post(`/api/reset/${g.id}/recovery-code`, { code: "AAAA-BBBB-CCCC-DDDD" });
  const k = await toRecoveryStep(h.email);
  const r = await k.c.post(`/api/reset/${k.id}/recovery-code`, { code: "AAAA-BBBB-CCCC-DDDD" });
  assert.equal(r.status, 400, "9 wrong so far, the 10th is still counted");
  const t = await k.c.post(`/api/reset/${k.id}/recovery-code`, { code: "AAAA-BBBB-CCCC-DDDD" });
  assert.equal(t.status, 429, "the 11th wrong code of the window: too_many_attempts");
  assert.equal(t.json.error.code, "too_many_attempts");
});

test("20 parallel uses of one recovery code in 20 flows: one reset, one code spent", async () => {
  const h = await holder();
  const set = await makeCodes(h);
  const f = await toRecoveryStep(h.email);
  const caseId = sql(`SELECT case_id FROM reset_flows WHERE id = ${f.id}`)[0][0];
  // 19 more flows of this browser kind at the same step (the credentials step's per-email limit is not what is raced here)
  const flows = [f];
  for (let i = 0; i < 19; i++) {
    const c = new Client();
    const s = await c.post("/api/reset", {});
    sql(`UPDATE reset_flows SET state = 'recovery_code', email = '${h.email}', account_id = ${h.id}, password_confirmed = 1, case_id = ${caseId} WHERE id = ${s.json.id}`);
    flows.push({ c, id: s.json.id });
  }
  const rs = await Promise.all(flows.map((x) => x.c.post(`/api/reset/${x.id}/recovery-code`, { code: set.codes[0] })));
  const ok = rs.filter((r) => r.status === 200);
  assert.equal(ok.length, 1, `one use wins: ${rs.map((r) => r.status).join(",")}`);
  for (const r of rs.filter((x) => x.status !== 200)) assert.ok(["recovery_code_wrong", "too_many_attempts"].includes(r.json.error.code), r.text);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${h.id} AND event = 'passkeys_reset'`)[0][0], "1");
  assert.equal(sql(`SELECT COUNT(*) FROM recovery_codes WHERE account_id = ${h.id} AND used_at IS NOT NULL`)[0][0], "1");
});

test("contacts: step-up to add, a code to the address, confirmed; notices then reach it; another account's is 404", async () => {
  const h = await holder();
  const second = uniqueEmail("second");
  // no factor, stale: refused
  const bare = newAccount("rc");
  const b = new Client();
  await b.signIn(bare.email);
  assert.equal((await b.post("/api/account/contacts", { email: second })).json.error.code, "step_up_no_factor");
  stale(h.id);
  const refused = await h.c.post("/api/account/contacts", { email: second });
  assert.equal(refused.status, 403);
  assert.equal(refused.json.error.code, "step_up_required");
  sql(`UPDATE sessions SET stepped_up_at = NOW(6) WHERE account_id = ${h.id} AND revoked_at IS NULL`);
  assert.equal((await h.c.post("/api/account/contacts", { email: h.email.toUpperCase() })).json.error.code, "contact_exists", "the account's own address");

  const add = await h.c.post("/api/account/contacts", { email: second });
  assert.equal(add.status, 202, add.text);
  assert.equal(add.json.confirmed, false);
  const code = await codeMail(second);
  assert.match(body(mails(second).at(-1)), /^Anti-phishing code: /, "the code mail starts with the anti-phishing line");
  // not yet confirmed: no notice goes there
  const wrong = await h.c.post(`/api/account/contacts/${add.json.id}/confirm`, { code: code === "000000" ? "111111" : "000000" });
  assert.equal(wrong.status, 400, "a wrong code: code_wrong");
  assert.equal(wrong.json.error.code, "code_wrong");
  // another account cannot see, confirm or remove it
  const other = await holder();
  assert.equal((await other.c.post(`/api/account/contacts/${add.json.id}/confirm`, { code })).status, 404);
  assert.equal((await other.c.del(`/api/account/contacts/${add.json.id}`)).status, 404);
  assert.deepEqual((await other.c.get("/api/account/contacts")).json.contacts, []);

  const beforePrimary = mails(h.email).length;
  const ok = await h.c.post(`/api/account/contacts/${add.json.id}/confirm`, { code });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.confirmed, true);
  await mailTo(h.email, "Notification address added", beforePrimary);
  await mailTo(second, "Notification address added");
  assert.equal((await h.c.post(`/api/account/contacts/${add.json.id}/confirm`, { code })).json.error.code, "contact_confirmed");
  const list = (await h.c.get("/api/account/contacts")).json;
  assert.deepEqual(list.contacts.map((x) => [x.email, x.confirmed]), [[second, true]]);
  // every security notice now reaches it too
  const n = mails(second).length;
  assert.equal((await h.c.req("PATCH", `/api/passkeys/${sql(`SELECT id FROM passkeys WHERE account_id = ${h.id}`)[0][0]}`, { name: "Laptop" })).status, 200);
  await mailTo(second, "Passkey renamed", n);
});

test("contacts: removal needs a step-up and is told to every address, the removed one too; then it hears nothing", async () => {
  const h = await holder();
  const second = uniqueEmail("second");
  const add = await h.c.post("/api/account/contacts", { email: second });
  const code = await codeMail(second);
  assert.equal((await h.c.post(`/api/account/contacts/${add.json.id}/confirm`, { code })).status, 200);
  stale(h.id);
  const refused = await h.c.del(`/api/account/contacts/${add.json.id}`);
  assert.equal(refused.status, 403);
  assert.equal(refused.json.error.code, "step_up_required");
  sql(`UPDATE sessions SET stepped_up_at = NOW(6) WHERE account_id = ${h.id} AND revoked_at IS NULL`);
  const n1 = mails(h.email).length, n2 = mails(second).length;
  const del = await h.c.del(`/api/account/contacts/${add.json.id}`);
  assert.equal(del.status, 204);
  await mailTo(h.email, "Notification address removed", n1);
  const told = await mailTo(second, "Notification address removed", n2);
  assert.ok(body(told).includes(`${second} no longer receives`));
  assert.equal((await h.c.del(`/api/account/contacts/${add.json.id}`)).status, 404);
  await makeCodes(h);
  await mailTo(h.email, "New recovery codes made", n1);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(mails(second).slice(n2).some((m) => m.includes("Subject: New recovery codes made")), false);
});

test("anti-phishing code: 4-20 printable characters, step-up, notified; on the first line of every mail after", async () => {
  const h = await holder();
  for (const bad of ["abc", "x".repeat(21), "ab\ncd", "    ", "<b>hi</b>"]) {
    const r = await put(h.c, "/api/account/anti-phishing", { code: bad });
    assert.equal(r.status, 400, `${JSON.stringify(bad)}: anti_phishing_invalid`);
    assert.ok(["anti_phishing_invalid", "field_too_long", "invalid_field"].includes(r.json.error.code), r.text);
  }
  const bare = newAccount("rc");
  const b = new Client();
  await b.signIn(bare.email);
  assert.equal((await put(b, "/api/account/anti-phishing", { code: "blue-otter-7" })).json.error.code, "step_up_no_factor");
  stale(h.id);
  assert.equal((await put(h.c, "/api/account/anti-phishing", { code: "blue-otter-7" })).json.error.code, "step_up_required");
  assert.equal((await h.c.get("/api/account/anti-phishing")).json.code, null);
  sql(`UPDATE sessions SET stepped_up_at = NOW(6) WHERE account_id = ${h.id} AND revoked_at IS NULL`);
  const n = mails(h.email).length;
  const ok = await put(h.c, "/api/account/anti-phishing", { code: "blue-otter-7" });
  assert.equal(ok.status, 200, ok.text);
  assert.equal((await h.c.get("/api/account/anti-phishing")).json.code, "blue-otter-7");
  assert.match(body(await mailTo(h.email, "Anti-phishing code changed", n)), /^Anti-phishing code: blue-otter-7\n/);
  // a code mail (the reset's) and a case mail carry it in the same place
  const f = await toRecoveryStep(h.email);
  const after = mails(h.email).slice(n);
  const codeMailText = after.find((m) => /verification code is/.test(m));
  assert.match(body(codeMailText), /^Anti-phishing code: blue-otter-7\n/);
  assert.match(body(await mailTo(h.email, "Passkey reset started", n)), /^Anti-phishing code: blue-otter-7\n/);
  assert.notEqual(f.routed.state, "recovery_code", "no codes made: the table's cases");
});

// The one table of notices (cgi/base/mail.h), walked: every row is sent
// somewhere in cgi/, no notice is sent but through it; then each event a test
// can cause is caused, and its mail has every part.
const table = [...readFileSync(root + "cgi/base/mail.h", "utf8").matchAll(/X\((NOTICE_\w+), "(\w+)", "([^"]+)", ([01]), ([01])\)/g)]
  .map((m) => ({ id: m[1], event: m[2], subject: m[3], sms: m[4] === "1", notMe: m[5] === "1" }));

const cgiSources = () => sourceFiles("cgi", /\.c$/).map((p) => readFileSync(p, "utf8")).join("\n");

test("the notice table: every row is sent from cgi/, and mail_notice() is the only way a notice is sent", () => {
  assert.ok(table.length >= 18, `${table.length} rows`);
  const src = cgiSources();
  for (const row of table) assert.ok(src.includes(row.id), `${row.id} is sent somewhere`);
  assert.equal(/mail_notify\s*\(/.test(src), false, "no notice outside the table");
  // the outbox is written in base/mail.c only (codes by mail_queue, notices by mail_notice)
  const mailC = readFileSync(root + "cgi/base/mail.c", "utf8");
  for (const stmt of ["STMT_OUTBOX_INSERT", "STMT_OUTBOX_NOTIFY"])
    assert.equal(src.split(stmt).length - 1, mailC.split(stmt).length - 1, `${stmt} outside base/mail.c`);
});

test("notices on every event a holder causes: each has the anti-phishing code, time and zone, device, network, support and a not-me link", async () => {
  const h = await holder();
  await mailTo(h.email, "Passkey added");
  const start = mails(h.email).length; // after the first passkey's notice
  sql(`UPDATE sessions SET stepped_up_at = NOW(6) WHERE account_id = ${h.id} AND revoked_at IS NULL`);
  assert.equal((await put(h.c, "/api/account/anti-phishing", { code: "Quiet Harbor 42" })).status, 200);
  const second = uniqueEmail("second");
  const add = await h.c.post("/api/account/contacts", { email: second });
  assert.equal((await h.c.post(`/api/account/contacts/${add.json.id}/confirm`, { code: await codeMail(second) })).status, 200);
  await makeCodes(h);
  const pk = sql(`SELECT id FROM passkeys WHERE account_id = ${h.id}`)[0][0];
  assert.equal((await h.c.req("PATCH", `/api/passkeys/${pk}`, { name: "Phone" })).status, 200);
  // a second passkey; a sign-in from another device
  const opts = await h.c.post("/api/passkeys/registration/options", {});
  assert.equal((await h.c.post("/api/passkeys/registration", { response: new SoftAuthenticator({ origin }).create(opts.json) })).status, 201);
  const other = new Client();
  other.req = function (method, path, body, o = {}) {
    return this.request(method, path, { body, headers: { ...(o.headers || {}), "User-Agent": "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36" } });
  };
  assert.equal((await other.signIn(h.email)).status, 200);
  // the password, then the passkey: the sign-in is complete (and recorded) after the second factor
  const o2 = await other.post("/api/passkeys/authentication/options", {});
  assert.equal((await other.post("/api/passkeys/authentication", { response: h.auth.get(o2.json) })).status, 200);
  const subjects = ["Anti-phishing code changed", "Notification address added", "New recovery codes made", "Passkey renamed",
    "Passkey added", "Sign-in from a new device"];
  for (const s of subjects) {
    const m = await mailTo(h.email, s, start);
    const text = body(m);
    assert.match(text, /^Anti-phishing code: Quiet Harbor 42\n/, s);
    assert.match(text, /\nWhen: \d{1,2} [A-Z][a-z]+ \d{4}, \d{2}:\d{2} UTC\n/, s);
    assert.match(text, /\nDevice: .+\n/, s);
    assert.match(text, /\nWhere: network \d+\.\d+\.\d+\.0\/24\n/, s);
    assert.match(text, new RegExp(`${origin}/freeze\\.html\\?token=[A-Za-z0-9_-]{43}`), s);
    assert.match(text, /Need help\? Contact support: support@rekey\.test/, s);
    // the second address gets the same message (it was confirmed before these but the first)
    if (s !== "Anti-phishing code changed") assert.match(body(await mailTo(second, s)), /^Anti-phishing code: Quiet Harbor 42\n/, `${s} to the second address`);
  }
  assert.match(body(await mailTo(h.email, "Sign-in from a new device", start)), /\nDevice: Chrome on Windows\n/);
  // the not-me link of a notice freezes the account, once
  const link = body(await mailTo(h.email, "Passkey renamed", start)).match(/freeze\.html\?token=([A-Za-z0-9_-]{43})/)[1];
  const fr = await new Client().post("/api/account/freeze", { token: link });
  assert.equal(fr.status, 200, fr.text);
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${h.id}`)[0][0], "1");
  assert.equal((await new Client().post("/api/account/freeze", { token: link })).json.error.code, "link_used");
});
