// api_password.test.mjs -- issue #23: change the password (POST
// /api/account/password), the forgotten password (/api/password-reset: start,
// code, factor, password), sign out everywhere else (POST
// /api/sessions/revoke-others). What each refuses, and what a change does:
// sessions revoked, the withdrawal hold, the notice with the freeze link, audit.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, newAccount, sql, origin, totp, base32Decode, mails, waitFor, codeMail, uniqueEmail, DEMO_PASSWORD } from "./stack.mjs";
import { SoftAuthenticator } from "./authenticator.mjs";

const NEW_PASSWORD = "a fresh passphrase 23";
const audits = (id, event) => Number(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id} AND event = '${event}'`)[0][0]);
const holds = (id, reason) => Number(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${id} AND reason = '${reason}' AND ends_at > NOW(6)`)[0][0]);
const fresh = () => sql("DELETE FROM rate_limits"); // a window per test

async function signedIn(email, password = DEMO_PASSWORD) {
  const c = new Client();
  const r = await c.signIn(email, password);
  assert.equal(r.status, 200, r.text);
  return c;
}

// an account with a passkey; the client that added it is stepped up
async function withPasskey(tag) {
  const acct = newAccount(tag);
  const c = await signedIn(acct.email);
  const auth = new SoftAuthenticator({ origin });
  const opts = await c.post("/api/passkeys/registration/options", {});
  assert.equal((await c.post("/api/passkeys/registration", { response: auth.create(opts.json) })).status, 201);
  return { ...acct, c, auth };
}

// an account with a confirmed TOTP (bound in the current 30 s step)
async function withTotp(tag) {
  const acct = newAccount(tag);
  const c = await signedIn(acct.email);
  const setup = await c.post("/api/totp/setup", {});
  assert.equal(setup.status, 200, setup.text);
  const secret = base32Decode(setup.json.secret);
  assert.equal((await c.post("/api/totp/confirm", { code: totp(secret) })).status, 200);
  return { ...acct, c, secret };
}

test("change password: the current password, a fresh second factor, the policy; then other sessions end, a hold, a notice, audit", async () => {
  fresh();
  const { id, email, c, auth } = await withPasskey("pwchange");
  const other = new Client();
  const o = await other.post("/api/passkeys/authentication/options", {});
  assert.equal((await other.post("/api/passkeys/authentication", { response: auth.get(o.json) })).status, 200);
  // no second factor in this session at all, then a stale one: refused before anything else is looked at
  sql(`UPDATE sessions SET stepped_up_at = NULL WHERE account_id = ${id}`);
  let r = await c.post("/api/account/password", { current_password: DEMO_PASSWORD, new_password: NEW_PASSWORD });
  assert.equal(r.status, 403, "step_up_required without a second factor: " + r.text);
  assert.equal(r.json.error.code, "step_up_required", "a missing second factor");
  sql(`UPDATE sessions SET stepped_up_at = NOW(6) - INTERVAL 1 HOUR WHERE account_id = ${id}`);
  r = await other.post("/api/account/password", { current_password: DEMO_PASSWORD, new_password: NEW_PASSWORD });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error?.code, "step_up_required", "a stale second factor");
  const opts = await c.post("/api/step-up/options", {});
  assert.equal((await c.post("/api/step-up", { method: "passkey", response: auth.get(opts.json) })).status, 200);

  r = await c.post("/api/account/password", { current_password: "not-the-password-9", new_password: NEW_PASSWORD });
  assert.equal(r.status, 400, "password_wrong: a wrong current password is refused: " + r.text);
  assert.equal(r.json.error.code, "password_wrong");
  for (const [pw, code] of [["Password123", "password_common"], ["WEIHNACHTEN", "password_common"], ["short1!", "password_too_short"],
    ["aaaaaaaaaaaa", "password_too_simple"]]) {
    r = await c.post("/api/account/password", { current_password: DEMO_PASSWORD, new_password: pw });
    assert.equal(r.status, 400, `${pw}: ${code} expected, got ${r.text}`);
    assert.equal(r.json.error.code, code, pw);
  }
  assert.equal((await other.get("/api/me")).status, 200, "nothing changed by the refusals");
  assert.equal(audits(id, "password_changed"), 0);
  assert.equal((await new Client().signIn(email)).status, 200, "the old password still works");

  r = await c.post("/api/account/password", { current_password: DEMO_PASSWORD, new_password: NEW_PASSWORD });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.changed, true);
  assert.ok(r.json.sessions_revoked >= 2, "the other session and the partial sign-in above");
  assert.equal(r.json.withdrawal_hold.held, true, "a password change holds withdrawals");
  assert.ok(r.json.withdrawal_hold.holds.some((h) => h.reason === "password_changed"));
  assert.equal((await other.get("/api/me")).status, 401, "every other session ended");
  assert.equal((await c.get("/api/me")).status, 200, "this one stays");
  assert.equal((await new Client().signIn(email)).status, 401, "the old password no longer works");
  assert.equal((await new Client().signIn(email, NEW_PASSWORD)).status, 200);
  assert.match(sql(`SELECT password_hash FROM accounts WHERE id = ${id}`)[0][0], /^\$argon2id\$/);
  assert.equal(holds(id, "password_changed"), 1);
  assert.equal(audits(id, "password_changed"), 1);
  const mail = await waitFor(() => mails(email).find((m) => /Subject: Password changed, withdrawals on hold/.test(m)), "the notice");
  assert.match(mail, /freeze\.html\?token=/);
});

test("change password: wrong current passwords are limited per account, across sessions", async () => {
  fresh();
  const { email, c } = await withPasskey("pwlimit");
  let last;
  for (let i = 0; i < 6; i++) last = await c.post("/api/account/password", { current_password: `wrong-password-${i}x`, new_password: NEW_PASSWORD });
  assert.equal(last.status, 429);
  assert.equal(last.json.error.code, "too_many_attempts");
  // the right one is refused too while the window lasts: no guessing past the limit
  const r = await c.post("/api/account/password", { current_password: DEMO_PASSWORD, new_password: NEW_PASSWORD });
  assert.equal(r.status, 429);
  assert.equal((await new Client().signIn(email)).status, 200, "unchanged");
  fresh();
});

test("change password: an account with no passkey and no TOTP changes it with the current password alone", async () => {
  fresh();
  const { id, email } = newAccount("pwnofactor");
  const c = await signedIn(email);
  const r = await c.post("/api/account/password", { current_password: DEMO_PASSWORD, new_password: NEW_PASSWORD });
  assert.equal(r.status, 200, r.text);
  assert.equal(audits(id, "password_changed"), 1);
  assert.equal((await new Client().signIn(email, NEW_PASSWORD)).status, 200);
});

test("sign out everywhere else: one call ends every other session; the list shows this one; audited and told", async () => {
  const { id, email } = newAccount("revoke");
  const c = await signedIn(email);
  const others = [await signedIn(email), await signedIn(email)];
  assert.equal((await c.get("/api/sessions")).json.sessions.length, 3);
  // CSRF as on every state change
  const noCsrf = new Client();
  noCsrf.cookie = c.cookie;
  assert.equal((await noCsrf.post("/api/sessions/revoke-others", {})).json.error?.code, "csrf_token");
  assert.equal((await c.get("/api/sessions")).json.sessions.length, 3, "nothing revoked without the token");
  const r = await c.post("/api/sessions/revoke-others", {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.revoked, 2, "the two others, not this one: this session stays");
  const list = (await c.get("/api/sessions")).json.sessions;
  assert.equal(list.length, 1);
  assert.equal(list[0].current, true);
  for (const o of others) assert.equal((await o.get("/api/me")).status, 401);
  assert.equal(audits(id, "sessions_revoked_others"), 1);
  await waitFor(() => mails(email).some((m) => /Subject: Signed out of every other session/.test(m)), "the notice");
  // again: none left to end
  assert.equal((await c.post("/api/sessions/revoke-others", {})).json.revoked, 0);
  assert.equal((await new Client().post("/api/sessions/revoke-others", {})).status, 401, "signed out");
});

test("forgotten password: an unknown email gets the same answers as a known one, and no mail", async () => {
  fresh();
  const { email } = newAccount("pwenum");
  const unknown = uniqueEmail("pwnobody");
  const known = new Client(), blind = new Client();
  const a = await known.post("/api/password-reset", { email });
  const b = await blind.post("/api/password-reset", { email: unknown });
  assert.equal(a.status, 202, a.text);
  assert.equal(b.status, a.status, "enumeration: an unknown email answers with another status");
  assert.deepEqual(b.json, a.json, "enumeration: an unknown email answers with another body");
  assert.ok(known.jar.has("rk_pwreset") && blind.jar.has("rk_pwreset"), "both browsers hold a flow");
  await codeMail(email);
  assert.equal(mails(unknown).length, 0);
  // a wrong code to a known account and any code to an unknown one: the same refusal
  const wa = await known.post("/api/password-reset/code", { code: "000000" });
  const wb = await blind.post("/api/password-reset/code", { code: "000000" });
  assert.equal(wa.status, 400);
  assert.equal(wb.status, wa.status);
  assert.deepEqual(wb.json.error.code, wa.json.error.code);
  assert.deepEqual(wb.json.error.tries_left, wa.json.error.tries_left);
  assert.equal(wb.json.error.message, wa.json.error.message);
  // no flow on this browser, or a state that is not next
  assert.equal((await new Client().post("/api/password-reset/code", { code: "123456" })).json.error?.code, "not_found");
  assert.equal((await known.post("/api/password-reset/password", { password: NEW_PASSWORD })).status, 409);
});

test("forgotten password: 20 parallel wrong codes count at most 5 tries; then the flow is dead, the right code too", async () => {
  fresh();
  const { email } = newAccount("pwrace");
  const c = new Client();
  assert.equal((await c.post("/api/password-reset", { email })).status, 202);
  const code = await codeMail(email);
  const wrong = code === "111111" ? "222222" : "111111";
  const rs = await Promise.all(Array.from({ length: 20 }, () => c.post("/api/password-reset/code", { code: wrong })));
  const tries = Number(sql(`SELECT code_tries FROM password_resets WHERE email = '${email}'`)[0][0]);
  assert.ok(tries <= 5, `tries counted: ${tries}`);
  assert.equal(rs.filter((r) => r.json.error?.code === "code_wrong").length, 4, "the fifth try ends the flow (flow_dead): " + rs.map((r) => r.json.error?.code).join(","));
  assert.equal(rs.filter((r) => r.json.error?.code === "flow_dead").length, 16);
  const late = await c.post("/api/password-reset/code", { code });
  assert.equal(late.status, 410);
  assert.equal(late.json.error.code, "flow_dead");
});

test("forgotten password: starts are limited per email (20 in parallel: at most the limit get through, as many codes mailed)", async () => {
  fresh();
  const { email } = newAccount("pwflood");
  const limit = 10; // signin_limit_account
  const rs = await Promise.all(Array.from({ length: 20 }, () => new Client().post("/api/password-reset", { email })));
  assert.equal(rs.filter((r) => r.status === 202).length, limit, "at most the per-email limit; too_many_attempts for the rest");
  assert.equal(rs.filter((r) => r.status === 429 && r.json.error.code === "too_many_attempts").length, 20 - limit);
  await waitFor(() => mails(email).length >= limit, "the codes");
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(mails(email).length, limit);
  fresh();
});

test("forgotten password with TOTP: code, a wrong then the right TOTP, the policy; every session ends, a hold, a notice, audit", async () => {
  fresh();
  const { id, email, secret, c: before } = await withTotp("pwtotp");
  const c = new Client();
  assert.equal((await c.post("/api/password-reset", { email })).status, 202);
  assert.equal((await c.post("/api/password-reset/factor", { method: "totp", code: "123456" })).status, 409, "the code first");
  let r = await c.post("/api/password-reset/code", { code: await codeMail(email) });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { state: "factor", methods: ["totp"] });
  assert.equal((await c.post("/api/password-reset/password", { password: NEW_PASSWORD })).status, 409, "the factor first");
  const wrong = totp(secret, 1) === "000000" ? "000001" : "000000";
  r = await c.post("/api/password-reset/factor", { method: "totp", code: wrong });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, "code_wrong");
  assert.equal(r.json.error.tries_left, 4);
  r = await c.post("/api/password-reset/factor", { method: "totp", code: totp(secret, 1) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, "password");
  r = await c.post("/api/password-reset/password", { password: "qwertyuiop123" });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, "password_common");
  assert.equal((await before.get("/api/me")).status, 200, "nothing changed yet");
  r = await c.post("/api/password-reset/password", { password: NEW_PASSWORD });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, "done");
  assert.equal(r.json.withdrawal_hold.held, true);
  assert.equal((await before.get("/api/me")).status, 401, "every session ended");
  assert.equal((await new Client().signIn(email)).status, 401);
  assert.equal((await new Client().signIn(email, NEW_PASSWORD)).status, 200);
  assert.equal(holds(id, "password_changed"), 1);
  assert.equal(audits(id, "password_reset"), 1);
  assert.equal(audits(id, "password_reset_started"), 1);
  const mail = await waitFor(() => mails(email).find((m) => /Subject: Password reset, withdrawals on hold/.test(m)), "the notice");
  const token = mail.match(/freeze\.html\?token=([A-Za-z0-9_-]+)/)[1];
  // the flow is over: used once
  assert.equal((await c.post("/api/password-reset/password", { password: "another passphrase 77" })).status, 404);
  // "this was not me" freezes the account
  assert.equal((await new Client().post("/api/account/freeze", { token })).status, 200);
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${id}`)[0][0], "1");
});

test("forgotten password with a passkey: another account's passkey is refused, the account's own is taken", async () => {
  fresh();
  const { id, email, auth } = await withPasskey("pwpk");
  const stranger = await withPasskey("pwpk2");
  const c = new Client();
  assert.equal((await c.post("/api/password-reset", { email })).status, 202);
  const r0 = await c.post("/api/password-reset/code", { code: await codeMail(email) });
  assert.deepEqual(r0.json.methods, ["passkey"]);
  let opts = await c.post("/api/password-reset/factor/options", {});
  assert.equal(opts.status, 200, opts.text);
  assert.equal(opts.json.allowCredentials.length, 1, "the account's passkeys");
  let r = await c.post("/api/password-reset/factor", { method: "passkey", response: stranger.auth.get({ ...opts.json, allowCredentials: [] }) });
  assert.equal(r.status, 400, "wrong_credential: another account's passkey is refused: " + r.text);
  assert.equal(r.json.error.code, "wrong_credential");
  assert.equal(Number(sql(`SELECT factor_tries FROM password_resets WHERE account_id = ${id}`)[0][0]), 1);
  opts = await c.post("/api/password-reset/factor/options", {});
  r = await c.post("/api/password-reset/factor", { method: "passkey", response: auth.get(opts.json) });
  assert.equal(r.status, 200, r.text);
  r = await c.post("/api/password-reset/password", { password: NEW_PASSWORD });
  assert.equal(r.status, 200, r.text);
  assert.equal(audits(id, "password_reset"), 1);
});

test("forgotten password: an account with neither passkey nor TOTP goes to the passkey reset's documents route", async () => {
  fresh();
  const { id, email } = newAccount("pwdocs");
  const c = new Client();
  assert.equal((await c.post("/api/password-reset", { email })).status, 202);
  const r = await c.post("/api/password-reset/code", { code: await codeMail(email) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, "documents");
  assert.equal(r.json.next, "/reset.html?from=signin");
  assert.equal((await c.post("/api/password-reset/factor", { method: "totp", code: "123456" })).status, 409);
  assert.equal((await c.post("/api/password-reset/password", { password: NEW_PASSWORD })).status, 409);
  assert.equal(audits(id, "password_reset_to_documents"), 1);
  assert.equal((await new Client().signIn(email)).status, 200, "the password is unchanged");
});

test("the header's My case: /api/me names the open case, and the case page answers it signed in without the mail's link", async () => {
  const { id, email } = newAccount("opencase");
  const c = await signedIn(email);
  assert.equal((await c.get("/api/me")).json.open_case, null);
  assert.equal((await c.get("/api/cases/status")).status, 404, "no open case");
  sql(`INSERT INTO reset_cases (account_id, open_account_id, route, status, questions_attempts, status_token_hash, route_rule, created_at, updated_at)
       VALUES (${id}, ${id}, 'documents', 'under_review', 0, RANDOM_BYTES(32), 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  const caseId = Number(sql(`SELECT id FROM reset_cases WHERE open_account_id = ${id}`)[0][0]);
  assert.deepEqual((await c.get("/api/me")).json.open_case, { id: caseId, status: "under_review" });
  const r = await c.get("/api/cases/status");
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.case, caseId);
  assert.equal(r.json.status, "under_review");
  // signed out, or another account: no link, no case
  assert.equal((await new Client().get("/api/cases/status")).status, 404);
  const other = await signedIn(newAccount("opencase2").email);
  assert.equal((await other.get("/api/cases/status")).status, 404);
  // a closed case is no longer "open"
  sql(`UPDATE reset_cases SET open_account_id = NULL, status = 'rejected' WHERE id = ${caseId}`);
  assert.equal((await c.get("/api/me")).json.open_case, null);
  assert.equal((await c.get("/api/cases/status")).status, 404);
});
