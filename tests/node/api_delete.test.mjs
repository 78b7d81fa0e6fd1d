// api_delete.test.mjs -- delete a passkey (seed, first half) through the API:
// every path, every refusal, the race, the hold, the mail and the freeze link.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, newAccount, sql, origin, mails, codeMail, smsFor, waitFor, totp, base32Decode, serviceToken, DEMO_PASSWORD } from "./stack.mjs";
import { SoftAuthenticator } from "./authenticator.mjs";

async function addPasskey(c, auth, name) {
  const opts = await c.post("/api/passkeys/registration/options", {});
  const r = await c.post("/api/passkeys/registration", { response: auth.create(opts.json), name });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

// An account signed in with `passkeys` passkeys (each on its own authenticator), and optionally TOTP and a phone.
async function account({ passkeys = 2, withTotp = false, withPhone = false } = {}) {
  const { email, id } = newAccount("del");
  const c = new Client();
  assert.equal((await c.signIn(email)).status, 200);
  const keys = [];
  for (let i = 0; i < passkeys; i++) {
    const auth = new SoftAuthenticator({ origin });
    keys.push({ auth, id: await addPasskey(c, auth, `Key ${i + 1}`) });
  }
  let secret = null, phone = null;
  if (withTotp) {
    const s = await c.post("/api/totp/setup", {});
    secret = base32Decode(s.json.secret);
    assert.equal((await c.post("/api/totp/confirm", { code: totp(secret) })).status, 200);
  }
  if (withPhone) {
    phone = "+4176" + String(Date.now()).slice(-7);
    await c.post("/api/phone/setup", { phone });
    const sms = await waitFor(() => smsFor(phone).find((t) => /code: \d{6}/.test(t)), "SMS");
    assert.equal((await c.post("/api/phone/confirm", { code: sms.match(/code: (\d{6})/)[1] })).status, 200);
  }
  return { c, email, id, keys, secret, phone };
}

// start -> next -> email code: the flow is at the second factor
async function toSecondFactor(a, target = a.keys[0].id) {
  const mailsBefore = mails(a.email).length;
  const start = await a.c.post(`/api/passkeys/${target}/delete`, {});
  assert.equal(start.status, 201, start.text);
  const flow = start.json.id;
  const next = await a.c.post(`/api/delete-flows/${flow}/next`, {});
  assert.equal(next.status, 200, next.text);
  assert.equal(next.json.state, "email_code");
  const code = await codeMail(a.email, mailsBefore);
  const r = await a.c.post(`/api/delete-flows/${flow}/email-code`, { code });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, "second_factor");
  return { flow, methods: r.json.methods, code };
}

// the passkeys that still sign: a deleted one is suspended for the dispute window (#18), then swept
const passkeyCount = (id) => Number(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${id} AND suspended_until IS NULL`)[0][0]);

test("email code + another passkey deletes the passkey, holds withdrawals 24 h, mails a freeze link", async () => {
  const a = await account({ passkeys: 2 });
  const start = await a.c.post(`/api/passkeys/${a.keys[0].id}/delete`, {});
  assert.equal(start.json.state, "confirm");
  assert.equal(start.json.hold_hours, 24);
  assert.match(start.json.warning, /withdrawals for 24 hours/);
  assert.equal(start.json.passkey.name, "Key 1");
  const { flow, methods } = await toSecondFactor(a, a.keys[0].id).catch(async () => { throw new Error("setup"); });
  assert.deepEqual(methods, [{ method: "passkey", count: 1 }]);
  const opts = await a.c.post(`/api/delete-flows/${flow}/passkey-options`, {});
  assert.equal(opts.json.allowCredentials.length, 1, "the passkey being deleted is not offered");
  const r = await a.c.post(`/api/delete-flows/${flow}/verify`, { method: "passkey", response: a.keys[1].auth.get(opts.json) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.state, "deleted");
  assert.equal(r.json.no_passkey_protection, false);
  assert.equal(passkeyCount(a.id), 1);
  const until = Date.parse(r.json.withdrawal_hold.until);
  assert.ok(Math.abs(until - (Date.now() + 24 * 3600e3)) < 120e3);
  const h = await new Client().get(`/api/holds/withdrawal?account=${a.id}`, { headers: { Authorization: `Bearer ${serviceToken()}` } });
  assert.equal(h.json.held, true);
  assert.equal(h.json.holds[0].reason, "passkey_deleted");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${a.id} AND event = 'passkey_deleted'`)[0][0], "1");
  const mail = await waitFor(() => mails(a.email).find((m) => /Subject: Passkey deleted/.test(m)), "the deletion mail");
  assert.match(mail, /Your passkey "Key 1" was deleted/);
  assert.match(mail, /another passkey/);
  assert.match(mail, /withdrawals are held until \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC\./); // as people read it (issue #16)
  assert.match(mail, new RegExp(`${origin}/freeze\\.html\\?token=[A-Za-z0-9_-]{43}`));
  // the flow is over: a replayed completion is refused
  const again = await a.c.post(`/api/delete-flows/${flow}/verify`, { method: "passkey", response: a.keys[1].auth.get(opts.json) });
  assert.equal(again.status, 410);
  assert.equal(again.json.error?.code, "flow_finished");
});

test("email code + TOTP deletes the last passkey; the account shows no passkey protection", async () => {
  const a = await account({ passkeys: 1, withTotp: true });
  const { flow, methods } = await toSecondFactor(a);
  assert.deepEqual(methods, [{ method: "totp" }]);
  const r = await a.c.post(`/api/delete-flows/${flow}/verify`, { method: "totp", code: totp(a.secret, 1) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.no_passkey_protection, true);
  assert.equal((await a.c.get("/api/me")).json.no_passkey_protection, true);
  assert.equal(passkeyCount(a.id), 0);
});

test("email code + SMS code deletes the passkey", async () => {
  const a = await account({ passkeys: 1, withPhone: true });
  const { flow, methods } = await toSecondFactor(a);
  assert.equal(methods[0].method, "sms");
  const before = smsFor(a.phone).length;
  assert.equal((await a.c.post(`/api/delete-flows/${flow}/sms`, {})).status, 202);
  const sms = await waitFor(() => smsFor(a.phone).slice(before).find((t) => /code: \d{6}/.test(t)), "the SMS code");
  const r = await a.c.post(`/api/delete-flows/${flow}/verify`, { method: "sms", code: sms.match(/code: (\d{6})/)[1] });
  assert.equal(r.status, 200, r.text);
  assert.equal(passkeyCount(a.id), 0);
});

test("the email code cannot also be the second factor, and the passkey cannot verify its own deletion", async () => {
  const a = await account({ passkeys: 2, withPhone: true });
  const { flow, code } = await toSecondFactor(a);
  let r = await a.c.post(`/api/delete-flows/${flow}/verify`, { method: "sms", code });
  assert.equal(r.status, 400);
  assert.equal(r.json.error?.code, "code_wrong");
  const opts = (await a.c.post(`/api/delete-flows/${flow}/passkey-options`, {})).json;
  r = await a.c.post(`/api/delete-flows/${flow}/verify`, { method: "passkey", response: a.keys[0].auth.get(opts) });
  assert.equal(r.status, 400);
  assert.equal(r.json.error?.code, "flow_self_verification");
  assert.equal(passkeyCount(a.id), 2);
});

test("the last second factor cannot be deleted", async () => {
  const a = await account({ passkeys: 1 });
  const start = await a.c.post(`/api/passkeys/${a.keys[0].id}/delete`, {});
  const r = await a.c.post(`/api/delete-flows/${start.json.id}/next`, {});
  assert.equal(r.status, 400);
  assert.equal(r.json.error?.code, "flow_last_factor");
  assert.match(r.json.error.message, /bind another one first/);
  assert.equal(passkeyCount(a.id), 1);
});

test("steps out of order are refused and change nothing", async () => {
  const a = await account({ passkeys: 2, withTotp: true });
  const start = await a.c.post(`/api/passkeys/${a.keys[0].id}/delete`, {});
  const flow = start.json.id;
  let r = await a.c.post(`/api/delete-flows/${flow}/verify`, { method: "totp", code: totp(a.secret) });
  assert.equal(r.status, 409);
  assert.equal(r.json.error?.code, "flow_step_not_allowed");
  r = await a.c.post(`/api/delete-flows/${flow}/email-code`, { code: "123456" });
  assert.equal(r.json.error?.code, "flow_step_not_allowed");
  r = await a.c.post(`/api/delete-flows/${flow}/unavailable`, {});
  assert.equal(r.json.error?.code, "flow_step_not_allowed");
  assert.equal(sql(`SELECT state FROM delete_flows WHERE id = ${flow}`)[0][0], "confirm");
  assert.equal(passkeyCount(a.id), 2);
});

test("an expired flow is refused", async () => {
  const a = await account({ passkeys: 2 });
  const { flow } = await toSecondFactor(a);
  sql(`UPDATE delete_flows SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = ${flow}`);
  const r = await a.c.post(`/api/delete-flows/${flow}/passkey-options`, {});
  assert.equal(r.status, 410);
  assert.equal(r.json.error?.code, "flow_expired");
  assert.equal(sql(`SELECT state FROM delete_flows WHERE id = ${flow}`)[0][0], "expired");
  assert.equal(passkeyCount(a.id), 2);
});

test("five wrong email codes end the flow", async () => {
  const a = await account({ passkeys: 2 });
  const start = await a.c.post(`/api/passkeys/${a.keys[0].id}/delete`, {});
  const flow = start.json.id;
  const before = mails(a.email).length;
  await a.c.post(`/api/delete-flows/${flow}/next`, {});
  const code = await codeMail(a.email, before);
  const wrong = code === "000000" ? "111111" : "000000";
  for (let left = 4; left >= 1; left--) {
    const r = await a.c.post(`/api/delete-flows/${flow}/email-code`, { code: wrong });
    assert.equal(r.json.error?.code, "code_wrong");
    assert.equal(r.json.error.tries_left, left);
  }
  let r = await a.c.post(`/api/delete-flows/${flow}/email-code`, { code: wrong });
  assert.equal(r.status, 410);
  assert.equal(r.json.error?.code, "flow_dead");
  r = await a.c.post(`/api/delete-flows/${flow}/email-code`, { code });
  assert.equal(r.json.error?.code, "flow_finished");
  assert.equal(passkeyCount(a.id), 2);
});

test("five wrong TOTP codes end the flow", async () => {
  const a = await account({ passkeys: 1, withTotp: true });
  const { flow } = await toSecondFactor(a);
  const good = totp(a.secret);
  const wrong = good === "000000" ? "111111" : "000000";
  for (let i = 0; i < 4; i++) assert.equal((await a.c.post(`/api/delete-flows/${flow}/verify`, { method: "totp", code: wrong })).json.error?.tries_left, 4 - i, "tries_left after a wrong code");
  const r = await a.c.post(`/api/delete-flows/${flow}/verify`, { method: "totp", code: wrong });
  assert.equal(r.json.error?.code, "flow_dead");
  assert.equal(passkeyCount(a.id), 1);
});

test("five refused passkeys end the flow too: a refused assertion counts a try like a wrong code", async () => {
  const a = await account({ passkeys: 2 });
  const { flow } = await toSecondFactor(a);
  const answers = [];
  for (let i = 0; i < 5; i++) {
    const o = await a.c.post(`/api/delete-flows/${flow}/passkey-options`, {});
    assert.equal(o.status, 200, o.text);
    // the other passkey, with a signature that does not verify
    const r = await a.c.post(`/api/delete-flows/${flow}/verify`, { method: "passkey", response: a.keys[1].auth.get(o.json, { badSignature: true }) });
    answers.push([r.status, r.json.error?.code, r.json.error.tries_left]);
  }
  assert.deepEqual(answers.slice(0, 4), [4, 3, 2, 1].map((n) => [400, "signature_invalid", n]));
  assert.equal(answers[4][1], "flow_dead");
  assert.equal(passkeyCount(a.id), 2, "nothing deleted");
  const r = await a.c.post(`/api/delete-flows/${flow}/verify`, { method: "passkey", response: a.keys[1].auth.get((await a.c.post(`/api/delete-flows/${flow}/passkey-options`, {})).json) });
  assert.ok(r.status >= 400, "a dead flow takes no good answer either");
  assert.equal(passkeyCount(a.id), 2);
});

test("another session's or another account's flow, and another account's passkey, are not found", async () => {
  const a = await account({ passkeys: 2 });
  const b = await account({ passkeys: 2 });
  const start = await a.c.post(`/api/passkeys/${a.keys[0].id}/delete`, {});
  const flow = start.json.id;
  const sameAccount = new Client();
  await sameAccount.signIn(a.email);
  const opts = await sameAccount.post("/api/passkeys/authentication/options", {});
  await sameAccount.post("/api/passkeys/authentication", { response: a.keys[1].auth.get(opts.json, { userHandle: undefined }) });
  assert.equal((await sameAccount.get(`/api/delete-flows/${flow}`)).status, 404);
  assert.equal((await sameAccount.post(`/api/delete-flows/${flow}/next`, {})).status, 404);
  assert.equal((await b.c.get(`/api/delete-flows/${flow}`)).status, 404);
  assert.equal((await b.c.post(`/api/passkeys/${a.keys[0].id}/delete`, {})).status, 404);
  assert.equal((await a.c.get(`/api/delete-flows/${flow}`)).status, 200);
});

test("20 parallel completions delete once and answer one success", async () => {
  const a = await account({ passkeys: 1, withTotp: true });
  const { flow } = await toSecondFactor(a);
  const code = totp(a.secret, 1);
  const rs = await Promise.all(Array.from({ length: 20 }, () => a.c.post(`/api/delete-flows/${flow}/verify`, { method: "totp", code })));
  assert.equal(rs.filter((r) => r.status === 200).length, 1, rs.map((r) => r.status).join(","));
  assert.ok(rs.every((r) => r.status < 500));
  assert.equal(passkeyCount(a.id), 0);
  assert.equal(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${a.id} AND reason = 'passkey_deleted'`)[0][0], "1");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${a.id} AND event = 'passkey_deleted'`)[0][0], "1");
});

test("security verification unavailable leaves for the reset without deleting", async () => {
  const a = await account({ passkeys: 2 });
  const { flow } = await toSecondFactor(a);
  const r = await a.c.post(`/api/delete-flows/${flow}/unavailable`, {});
  assert.equal(r.status, 200);
  assert.equal(r.json.state, "to_reset");
  assert.equal(r.json.next, "/reset.html?from=delete_passkey");
  assert.equal(passkeyCount(a.id), 2);
  assert.equal((await a.c.post(`/api/delete-flows/${flow}/verify`, { method: "totp", code: "123456" })).json.error?.code, "flow_finished");
});

test("the 'this was not me' link undoes the deletion once: the passkey is back, the account frozen", async () => {
  const a = await account({ passkeys: 1, withTotp: true });
  const { flow } = await toSecondFactor(a);
  assert.equal((await a.c.post(`/api/delete-flows/${flow}/verify`, { method: "totp", code: totp(a.secret, 1) })).status, 200);
  const mail = await waitFor(() => mails(a.email).find((m) => /Subject: Passkey deleted/.test(m)), "the deletion mail");
  const token = mail.match(/freeze\.html\?token=([A-Za-z0-9_-]{43})/)[1];
  // one character changed (the first: the last one also carries 2 padding bits, and a non-canonical token is a 400)
  assert.equal((await new Client().post("/api/account/freeze", { token: (token[0] === "A" ? "B" : "A") + token.slice(1) })).status, 404);
  const r = await new Client().post("/api/account/freeze", { token });
  assert.equal(r.status, 200);
  assert.equal(r.json.frozen, true);
  assert.equal(r.json.undone, true);
  assert.equal(r.json.restored, 1, "the deleted passkey is back (#18)");
  assert.equal(passkeyCount(a.id), 1);
  assert.equal((await a.c.get("/api/me")).status, 401, "every session revoked");
  assert.equal(sql(`SELECT COUNT(*) FROM sessions WHERE account_id = ${a.id} AND revoked_at IS NULL`)[0][0], "0",
    "every session revoked, not only refused while the account is frozen");
  const s = await new Client().signIn(a.email);
  assert.equal(s.status, 401);
  assert.equal(s.json.error?.code, "invalid_credentials", "sign-in now goes through the reset flow");
  const twice = await new Client().post("/api/account/freeze", { token });
  assert.equal(twice.status, 410);
  assert.equal(twice.json.error?.code, "link_used");
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${a.id}`)[0][0], "1");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${a.id} AND event = 'reset_undone'`)[0][0], "1");
  assert.equal(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${a.id} AND reason = 'account_frozen' AND ends_at > UTC_TIMESTAMP(6) + INTERVAL 20 DAY`)[0][0], "1");
});
