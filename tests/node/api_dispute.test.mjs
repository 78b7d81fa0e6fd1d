// api_dispute.test.mjs -- a fraudulent reset can be undone (#18): a reset or
// a deletion suspends passkeys for the dispute window; the mail's "this was
// not me" link undoes it in one transaction (restores them, revokes what was
// bound since, freezes, reopens the case as disputed); two reviewers decide
// the dispute; the link after the window, twice, racing a reviewer's second
// approval; suspended passkeys refused everywhere; the sweep after the
// window; Freeze my account and the freeze code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, newAccount, sql, ctl, origin, mails, smsFor, codeMail, waitFor, totp, base32Decode } from "./stack.mjs";
import { SoftAuthenticator } from "./authenticator.mjs";
import { subject, correct, routed, corpus, EMAIL, TX, upload } from "./reset-helpers.mjs";
import { reviewer, decide } from "./review-helpers.mjs";

const active = (id) => Number(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${id} AND suspended_until IS NULL`)[0][0]);
const suspended = (id) => Number(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${id} AND suspended_until IS NOT NULL`)[0][0]);
const caseRow = (id) => sql(`SELECT status, open_account_id IS NOT NULL FROM reset_cases WHERE id = ${id}`)[0];
const audits = (id, event) => Number(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id} AND event = '${event}'`)[0][0]);

async function register(c, name) {
  const auth = new SoftAuthenticator({ origin });
  const o = await c.post("/api/passkeys/registration/options", {});
  const r = await c.post("/api/passkeys/registration", { response: auth.create(o.json), name });
  assert.equal(r.status, 201, r.text);
  return { auth, id: r.json.id };
}

// A first-factor passkey sign-in from a new browser.
async function passkeySignIn(auth) {
  const c = new Client();
  const o = await c.post("/api/passkeys/authentication/options", {});
  assert.equal(o.status, 200, o.text);
  const r = await c.post("/api/passkeys/authentication", { response: auth.get(o.json) });
  return { c, r };
}

// The "this was not me" token of the newest mail with this subject.
async function undoToken(email, subjectRe) {
  const mail = await waitFor(() => mails(email).filter((m) => subjectRe.test(m)).at(-1), "the mail with the undo link");
  return mail.match(/freeze\.html\?token=([A-Za-z0-9_-]{43})/)[1];
}

// An account with a history (Case 1) and the owner's passkey, reset through
// the security questions by someone with the password and the mailbox, who
// then binds a passkey and an authenticator app of their own.
async function hijacked() {
  const a = subject();
  const owner = new Client();
  assert.equal((await owner.signIn(a.email)).status, 200);
  const old = await register(owner, "Owner's key");
  const f = await routed(a);
  assert.equal(f.routed.state, "questions_attention");
  const q = await f.c.post(`/api/reset/${f.id}/questions`, {});
  const done = await f.c.post(`/api/reset/${f.id}/answers`, { answers: q.json.questions.map((x) => correct(a.id, x)) });
  assert.equal(done.json.state, "reset_done", done.text);
  const attacker = f.c; // the reset's fresh session
  const mine = await register(attacker, "Attacker's key");
  const s = await attacker.post("/api/totp/setup", {});
  assert.equal((await attacker.post("/api/totp/confirm", { code: totp(base32Decode(s.json.secret)) })).status, 200);
  return { a, owner, old, attacker, mine, caseId: f.routed.case, f };
}

test("reset, then 'this was not me' within the window: the old passkey is back, what was bound since is gone, frozen, disputed", async () => {
  const h = await hijacked();
  const { a } = h;
  // during the window: the owner's passkey is suspended, listed as removed, and refused without a "forget it" signal
  assert.equal(active(a.id), 1);
  assert.equal(suspended(a.id), 1);
  const list = (await h.attacker.get("/api/passkeys")).json;
  assert.deepEqual(list.passkeys.map((p) => [p.name, p.removed]), [["Owner's key", true], ["Attacker's key", false]]);
  assert.ok(Date.parse(list.passkeys[0].removed_until) > Date.now() + 23 * 3600e3);
  assert.deepEqual(list.signal.allAcceptedCredentialIds, [h.mine.auth.creds[0].id.toString("base64url")], "only the active passkey is accepted");
  const during = await passkeySignIn(h.old.auth);
  assert.equal(during.r.status, 403);
  assert.equal(during.r.json.error?.code, "passkey_suspended", "never unknown_credential: the page must not make the provider forget it");
  // the mail to every channel carries the undo link: the SMS too, for an owner whose mailbox was taken
  const token = await undoToken(a.email, /Subject: Your passkeys were reset/);
  const phone = sql(`SELECT number FROM phones WHERE account_id = ${a.id}`)[0][0];
  await waitFor(() => smsFor(phone).some((t) => /passkeys were reset/.test(t) && t.includes(`/freeze.html?token=${token}`)), "the SMS with the undo link");
  const bad = await new Client().post("/api/account/freeze", { token: (token[0] === "A" ? "B" : "A") + token.slice(1) });
  assert.equal(bad.status, 404);
  const r = await new Client().post("/api/account/freeze", { token });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { frozen: true, undone: true, restored: 1, revoked: { passkeys: 1, totp: 1, phones: 0 }, case: h.caseId },
    "restored: the owner's passkey; revoked: the attacker's passkey (then unknown_credential) and TOTP app");
  // the old passkey signs again (into the frozen account: its state), the new one is unknown
  const back = await passkeySignIn(h.old.auth);
  assert.equal(back.r.status, 403, back.r.text);
  assert.equal(back.r.json.error?.code, "account_frozen_dispute");
  assert.match(back.r.json.error.message, /frozen while we review a reset you did not make/);
  const gone = await passkeySignIn(h.mine.auth);
  assert.equal(gone.r.status, 400);
  assert.equal(gone.r.json.error?.code, "unknown_credential");
  // revoked: sessions, the attacker's passkey and TOTP; the owner's phone (bound before) stays
  assert.equal((await h.attacker.get("/api/me")).status, 401);
  assert.equal(sql(`SELECT COUNT(*) FROM sessions WHERE account_id = ${a.id} AND revoked_at IS NULL`)[0][0], "0");
  assert.equal(sql(`SELECT COUNT(*) FROM totp_bindings WHERE account_id = ${a.id}`)[0][0], "0");
  assert.equal(sql(`SELECT COUNT(*) FROM phones WHERE account_id = ${a.id}`)[0][0], "1");
  assert.equal(active(a.id), 1);
  assert.equal(suspended(a.id), 0);
  assert.equal(sql(`SELECT frozen, no_passkey_protection FROM accounts WHERE id = ${a.id}`)[0].join(), "1,0");
  // the hold stays and grows by the freeze's; the case is back in the queue as disputed
  assert.equal(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${a.id} AND reason = 'account_frozen' AND ends_at > UTC_TIMESTAMP(6) + INTERVAL 20 DAY`)[0][0], "1");
  assert.equal(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${a.id} AND reason = 'passkey_reset'`)[0][0], "1");
  assert.deepEqual(caseRow(h.caseId), ["disputed", "1"]);
  assert.match(sql(`SELECT detail FROM case_events WHERE case_id = ${h.caseId} AND event = 'disputed'`)[0][0], /1 passkeys restored, 1 passkeys, 1 authenticator apps/);
  assert.equal(audits(a.id, "reset_undone"), 1);
  await waitFor(() => mails(a.email).some((m) => /Subject: Account frozen, withdrawals on hold/.test(m) && /we undid it and froze your account/.test(m)), "the undo mail");
  // the reviewers: the disputed case is in the queue; four eyes decide who keeps the account
  const r1 = await reviewer("reviewer"), s1 = await reviewer("reviewer,senior");
  const queue = await r1.c.get("/api/review/queue?status=disputed");
  assert.ok(queue.json.cases.some((c) => c.id === h.caseId), queue.text);
  assert.equal((await r1.c.post(`/api/review/cases/${h.caseId}/claim`, {})).status, 200);
  const view = await r1.c.get(`/api/review/cases/${h.caseId}`);
  assert.equal(view.json.four_eyes.needed, true);
  assert.ok(view.json.timeline.some((e) => e.event === "disputed"));
  assert.equal((await decide(r1.c, h.caseId, "more_info", "other_transaction", "x")).json.error?.code, "dispute_decision_invalid");
  const first = await decide(r1.c, h.caseId, "reject", "suspected_fraud", "The reset was not made by the account's owner.");
  assert.equal(first.json.status, "awaiting_second_decision", first.text);
  assert.equal((await r1.c.post(`/api/review/cases/${h.caseId}/claim`, {})).status, 200);
  assert.equal((await decide(r1.c, h.caseId, "reject", "suspected_fraud", "again")).json.error?.code, "four_eyes_same_reviewer");
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${a.id}`)[0][0], "1", "one reviewer decides nothing");
  assert.equal((await r1.c.post(`/api/review/cases/${h.caseId}/release`, {})).status, 200);
  assert.equal((await s1.c.post(`/api/review/cases/${h.caseId}/claim`, {})).status, 200);
  const second = await decide(s1.c, h.caseId, "reject", "suspected_fraud", "The reset was not made by the account's owner.");
  assert.equal(second.json.status, "owner_keeps", second.text);
  assert.deepEqual(caseRow(h.caseId), ["rejected", "0"]);
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${a.id}`)[0][0], "0");
  // the owner signs in with the old passkey again
  const again = await passkeySignIn(h.old.auth);
  assert.equal(again.r.status, 200, again.r.text);
  assert.equal(audits(a.id, "dispute_decided"), 1);
});

test("a dispute the reviewers decide for the claimant: the reset stands, the passkeys go for good", async () => {
  const h = await hijacked();
  const token = await undoToken(h.a.email, /Subject: Your passkeys were reset/);
  assert.equal((await new Client().post("/api/account/freeze", { token })).status, 200);
  const r1 = await reviewer("reviewer"), s1 = await reviewer("reviewer,senior");
  assert.equal((await r1.c.post(`/api/review/cases/${h.caseId}/claim`, {})).status, 200);
  assert.equal((await decide(r1.c, h.caseId, "approve", "records_match")).json.status, "awaiting_second_decision");
  // a different second decision decides nothing: the case starts over
  assert.equal((await s1.c.post(`/api/review/cases/${h.caseId}/claim`, {})).status, 200);
  assert.equal((await decide(s1.c, h.caseId, "reject", "suspected_fraud", "x")).json.status, "decisions_differ");
  assert.deepEqual(caseRow(h.caseId), ["disputed", "1"]);
  assert.equal((await s1.c.post(`/api/review/cases/${h.caseId}/claim`, {})).status, 200);
  assert.equal((await decide(s1.c, h.caseId, "approve", "records_match")).json.status, "awaiting_second_decision");
  assert.equal((await r1.c.post(`/api/review/cases/${h.caseId}/claim`, {})).status, 200);
  assert.equal((await decide(r1.c, h.caseId, "approve", "records_match")).json.error?.code, "senior_required");
  assert.equal((await r1.c.post(`/api/review/cases/${h.caseId}/release`, {})).status, 200);
  const s2 = await reviewer("reviewer,senior");
  assert.equal((await s2.c.post(`/api/review/cases/${h.caseId}/claim`, {})).status, 200);
  assert.equal((await decide(s2.c, h.caseId, "approve", "records_match")).json.status, "reset_stands");
  assert.deepEqual(caseRow(h.caseId), ["completed", "0"]);
  assert.equal(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${h.a.id}`)[0][0], "0", "deleted, not suspended: no second undo");
  assert.equal(sql(`SELECT frozen, no_passkey_protection FROM accounts WHERE id = ${h.a.id}`)[0].join(), "0,1");
  assert.equal((await passkeySignIn(h.old.auth)).r.json.error?.code, "unknown_credential");
});

test("the link works once: a second use answers link_used and changes nothing", async () => {
  const h = await hijacked();
  const token = await undoToken(h.a.email, /Subject: Your passkeys were reset/);
  const [x, y] = await Promise.all([new Client().post("/api/account/freeze", { token }), new Client().post("/api/account/freeze", { token })]);
  assert.deepEqual([x.status, y.status].sort(), [200, 410], `${x.text} ${y.text}`);
  assert.equal((x.status === 410 ? x : y).json.error?.code, "link_used");
  const third = await new Client().post("/api/account/freeze", { token });
  assert.equal(third.status, 410);
  assert.equal(audits(h.a.id, "reset_undone"), 1);
  assert.equal(Number(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${h.a.id} AND reason = 'account_frozen'`)[0][0]), 1);
});

test("after the window the link answers link_expired, and the sweep deletes the suspended passkey", async () => {
  const h = await hijacked();
  const token = await undoToken(h.a.email, /Subject: Your passkeys were reset/);
  // the window ends (dispute_hours after the reset): the link and the suspension end together
  sql(`UPDATE freeze_links SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE account_id = ${h.a.id} AND kind = 'undo'`);
  sql(`UPDATE passkeys SET suspended_until = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE account_id = ${h.a.id} AND suspended_until IS NOT NULL`);
  const r = await new Client().post("/api/account/freeze", { token });
  assert.equal(r.status, 410);
  assert.equal(r.json.error?.code, "link_expired");
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${h.a.id}`)[0][0], "0");
  ctl("sweep"); // (the delivery process sweeps too, every sweep_seconds)
  await waitFor(() => suspended(h.a.id) === 0, "the sweep");
  assert.equal(active(h.a.id), 1, "the sweep takes only what the window ended for");
  assert.equal((await passkeySignIn(h.old.auth)).r.json.error?.code, "unknown_credential");
});

test("a suspended passkey still in its window is not swept", async () => {
  const h = await hijacked();
  ctl("sweep");
  assert.equal(suspended(h.a.id), 1);
});

// The delete flow to its second step, for an account signed in with passkeys.
async function deleteToSecondFactor(c, email, target) {
  const before = mails(email).length;
  const start = await c.post(`/api/passkeys/${target}/delete`, {});
  assert.equal(start.status, 201, start.text);
  const flow = start.json.id;
  assert.equal((await c.post(`/api/delete-flows/${flow}/next`, {})).status, 200);
  const code = await codeMail(email, before);
  assert.equal((await c.post(`/api/delete-flows/${flow}/email-code`, { code })).json.state, "second_factor");
  return flow;
}

test("a deleted passkey is suspended and refused everywhere: sign-in, step 6 of another deletion, rename, delete", async () => {
  const { email, id } = newAccount("dsp");
  const c = new Client();
  assert.equal((await c.signIn(email)).status, 200);
  const k = [await register(c, "A"), await register(c, "B"), await register(c, "C")];
  let flow = await deleteToSecondFactor(c, email, k[0].id);
  let opts = (await c.post(`/api/delete-flows/${flow}/passkey-options`, {})).json;
  assert.equal((await c.post(`/api/delete-flows/${flow}/verify`, { method: "passkey", response: k[1].auth.get(opts) })).json.state, "deleted");
  assert.equal(active(id), 2);
  assert.equal(suspended(id), 1);
  assert.equal(sql(`SELECT suspended_source FROM passkeys WHERE id = ${k[0].id}`)[0][0], `delete_flow:${flow}`);
  // sign-in
  const s = await passkeySignIn(k[0].auth);
  assert.equal(s.r.json.error?.code, "passkey_suspended");
  // another deletion's step 6: not offered, and refused (a wrong try) when sent anyway
  flow = await deleteToSecondFactor(c, email, k[2].id);
  opts = (await c.post(`/api/delete-flows/${flow}/passkey-options`, {})).json;
  assert.deepEqual(opts.allowCredentials.map((x) => x.id), [k[1].auth.creds[0].id.toString("base64url")]);
  const v = await c.post(`/api/delete-flows/${flow}/verify`, { method: "passkey", response: k[0].auth.get(opts) });
  assert.equal(v.status, 403, v.text);
  assert.equal(v.json.error?.code, "passkey_suspended");
  assert.equal(v.json.error?.tries_left, 4);
  assert.equal(active(id), 2);
  // the list says removed; it can be neither renamed nor deleted again; the methods count only active passkeys
  assert.equal((await c.req("PATCH", `/api/passkeys/${k[0].id}`, { name: "x" })).status, 404);
  assert.equal((await c.post(`/api/passkeys/${k[0].id}/delete`, {})).status, 404);
  assert.equal((await c.get("/api/me")).json.tools.passkeys, 2);
  // the deletion's mail link undoes it: the passkey is back
  const token = await undoToken(email, /Subject: Passkey deleted/);
  const u = await new Client().post("/api/account/freeze", { token });
  assert.equal(u.status, 200, u.text);
  assert.equal(u.json.restored, 1);
  assert.equal(u.json.case, null);
  assert.equal(active(id), 3);
});

test("racing 'this was not me' against a reviewer's second approval: one order wins, the state is the same", async () => {
  for (let round = 0; round < 2; round++) {
    const h = await hijacked();
    const token = await undoToken(h.a.email, /Subject: Your passkeys were reset/);
    // the attacker (password and mailbox) opens a second reset, by documents, on a high-value account: two approvals
    const g = await routed(h.a);
    const d = await g.c.post(`/api/reset/${g.id}/documents`, {});
    assert.equal(d.status, 200, d.text);
    sql(`UPDATE accounts SET asset_value_cents = 100000000000 WHERE id = ${h.a.id}`);
    assert.equal((await upload(g, corpus("email-1080x2400.png"), EMAIL)).status, 201);
    assert.equal((await upload(g, corpus("tx-1080x2400.jpg"), TX, "image/jpeg")).status, 201);
    assert.equal((await g.c.post(`/api/reset/${g.id}/evidence/submit`, {})).status, 200);
    const caseId = g.routed.case;
    assert.notEqual(caseId, h.caseId);
    const r1 = await reviewer("reviewer"), s1 = await reviewer("reviewer,senior");
    assert.equal((await r1.c.post(`/api/review/cases/${caseId}/claim`, {})).status, 200);
    assert.equal((await decide(r1.c, caseId, "approve", "records_match")).json.status, "awaiting_second_approval");
    assert.equal((await s1.c.post(`/api/review/cases/${caseId}/claim`, {})).status, 200);
    const [undo, second] = round === 0
      ? await Promise.all([new Client().post("/api/account/freeze", { token }), decide(s1.c, caseId, "approve", "records_match")])
      : (await Promise.all([decide(s1.c, caseId, "approve", "records_match"), new Client().post("/api/account/freeze", { token })])).reverse();
    assert.equal(undo.status, 200, undo.text);
    // the approval either came first (and was undone) or found the case disputed and its claim gone
    assert.ok(second.status === 200 && second.json.status === "completed" || second.json.error?.code === "claim_required", second.text);
    // either way: frozen, the owner's passkey back, nothing of the attacker's, the newest case disputed and open
    assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${h.a.id}`)[0][0], "1");
    assert.equal(active(h.a.id), 1);
    assert.equal(suspended(h.a.id), 0);
    assert.equal(sql(`SELECT name FROM passkeys WHERE account_id = ${h.a.id}`)[0][0], "Owner's key");
    assert.deepEqual(caseRow(caseId), ["disputed", "1"]);
    assert.equal(Number(sql(`SELECT COUNT(*) FROM reset_cases WHERE open_account_id = ${h.a.id}`)[0][0]), 1);
    assert.equal(audits(h.a.id, "reset_undone"), 1);
    assert.equal((await passkeySignIn(h.old.auth)).r.json.error?.code, "account_frozen_dispute");
  }
});

test("Freeze my account in settings: a confirmation, no second factor, every session out, audited, notified", async () => {
  const { email, id } = newAccount("frz");
  const c = new Client(), other = new Client();
  assert.equal((await c.signIn(email)).status, 200);
  assert.equal((await other.signIn(email)).status, 200);
  assert.equal((await c.post("/api/account/freeze-now", {})).json.error?.code, "missing_field");
  const no = await c.post("/api/account/freeze-now", { confirm: false });
  assert.equal(no.status, 400);
  assert.equal(no.json.error?.code, "confirmation_required");
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${id}`)[0][0], "0");
  assert.equal((await new Client().post("/api/account/freeze-now", { confirm: true })).status, 401, "signed in only");
  const r = await c.post("/api/account/freeze-now", { confirm: true });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.frozen, true);
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${id}`)[0][0], "1");
  assert.equal((await other.get("/api/me")).status, 401);
  assert.equal(sql(`SELECT COUNT(*) FROM sessions WHERE account_id = ${id} AND revoked_at IS NULL`)[0][0], "0");
  assert.equal(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${id} AND reason = 'account_frozen'`)[0][0], "1");
  assert.match(sql(`SELECT detail FROM audit_log WHERE chain_id = ${id} AND event = 'account_frozen'`)[0][0], /"by":"settings"/);
  await waitFor(() => mails(email).some((m) => /Subject: Account frozen/.test(m)), "the freeze mail");
  assert.equal((await new Client().signIn(email)).json.error?.code, "invalid_credentials");
});

test("the freeze code: shown once, freezes from /freeze.html with the email, same answer for a wrong code and an unknown email", async () => {
  const { email, id } = newAccount("fzc");
  const c = new Client();
  assert.equal((await c.signIn(email)).status, 200);
  assert.equal((await c.get("/api/me")).json.freeze_code, null);
  const first = await c.post("/api/account/freeze-code", {});
  assert.equal(first.status, 201, first.text);
  assert.match(first.json.code, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$/);
  const me = (await c.get("/api/me")).json;
  assert.equal(me.freeze_code.used, false);
  assert.ok(!JSON.stringify(me).includes(first.json.code), "never shown again");
  assert.equal(sql(`SELECT LENGTH(code_hash) FROM freeze_codes WHERE account_id = ${id}`)[0][0], "32", "a keyed hash, not the code");
  // a new code retires the old one
  const code = (await c.post("/api/account/freeze-code", {})).json.code;
  assert.notEqual(code, first.json.code);
  const anon = new Client();
  const old = await anon.post("/api/account/freeze-by-code", { email, code: first.json.code });
  const wrong = await anon.post("/api/account/freeze-by-code", { email, code: code.replace(/^./, (ch) => (ch === "A" ? "B" : "A")) });
  const nobody = await anon.post("/api/account/freeze-by-code", { email: `nobody-${id}@rekey.test`, code });
  const junk = await anon.post("/api/account/freeze-by-code", { email, code: "not a code" });
  for (const x of [old, wrong, nobody, junk]) {
    assert.equal(x.status, 403, `freeze_code_wrong expected: ${x.text}`);
    assert.deepEqual(x.json.error.code, "freeze_code_wrong");
    assert.equal(x.json.error.message, old.json.error.message);
  }
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${id}`)[0][0], "0");
  // as printed, or typed in lower case without dashes
  const r = await anon.post("/api/account/freeze-by-code", { email: email.toUpperCase(), code: code.replace(/-/g, "").toLowerCase() });
  assert.equal(r.status, 200, r.text);
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${id}`)[0][0], "1");
  assert.equal((await c.get("/api/me")).status, 401);
  assert.match(sql(`SELECT detail FROM audit_log WHERE chain_id = ${id} AND event = 'account_frozen'`)[0][0], /"by":"freeze_code"/);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id} AND event = 'freeze_code_issued'`)[0][0], "2");
  // once
  assert.equal((await anon.post("/api/account/freeze-by-code", { email, code })).json.error?.code, "freeze_code_wrong");
});

test("a new freeze code needs a recent second factor (step-up): a stolen session cannot replace the owner's code", async () => {
  const { email, id } = newAccount("fzs");
  const c = new Client();
  assert.equal((await c.signIn(email)).status, 200);
  await register(c, "Key"); // the first factor steps the session up
  assert.equal((await c.post("/api/account/freeze-code", {})).status, 201);
  sql(`UPDATE sessions SET stepped_up_at = UTC_TIMESTAMP(6) - INTERVAL 1 HOUR WHERE account_id = ${id}`);
  const r = await c.post("/api/account/freeze-code", {});
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error?.code, "step_up_required");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id} AND event = 'freeze_code_issued'`)[0][0], "1");
});

test("freeze codes are limited per address like sign-ins", async () => {
  const { email } = newAccount("fzl");
  const limit = Number(ctl("config").match(/^signin_limit_account\s+(\d+)/m)[1]);
  const anon = new Client();
  const codes = [];
  for (let i = 0; i <= limit; i++) codes.push((await anon.post("/api/account/freeze-by-code", { email, code: "AAAA-AAAA-AAAA-AAAA-AAAA-AAAA" })).status);
  assert.deepEqual(codes.slice(0, limit), Array(limit).fill(403));
  assert.equal(codes[limit], 429);
});

test("a legacy freeze link (no undo) only freezes", async () => {
  const { email, id } = newAccount("fzl2");
  const c = new Client();
  assert.equal((await c.signIn(email)).status, 200);
  const k = [await register(c, "A"), await register(c, "B")];
  const flow = await deleteToSecondFactor(c, email, k[0].id);
  const opts = (await c.post(`/api/delete-flows/${flow}/passkey-options`, {})).json;
  assert.equal((await c.post(`/api/delete-flows/${flow}/verify`, { method: "passkey", response: k[1].auth.get(opts) })).status, 200);
  const token = await undoToken(email, /Subject: Passkey deleted/);
  sql(`UPDATE freeze_links SET kind = 'freeze', event_at = NULL WHERE account_id = ${id}`); // as rows made before schema/018
  const r = await new Client().post("/api/account/freeze", { token });
  assert.deepEqual(r.json, { frozen: true });
  assert.equal(active(id), 1, "nothing restored");
  assert.equal(audits(id, "account_frozen"), 1);
});
