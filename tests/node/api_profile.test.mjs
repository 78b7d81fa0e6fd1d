// api_profile.test.mjs -- the operator's profile (#18): reset_questions and
// sms_as_second_factor. The main stack runs the default (on, on: the
// article), tests/run.sh's second stack the strict profile (off, off: NIST
// SP 800-63A-4 and OWASP ASVS 6.4.2 / 6.6.1). Each test asks which profile
// it runs with (setting()) and asserts that side; the core's decision table
// (the same C, in wasm here) must give the server's route and row.
import { test } from "node:test";
import assert from "node:assert/strict";
import { loadCore } from "@rekey/kit/core";
import { Client, newAccount, sql, setting, origin, mails, codeMail } from "./stack.mjs";
import { SoftAuthenticator } from "./authenticator.mjs";
import { subject, routed } from "./reset-helpers.mjs";

const core = await loadCore();
const questions = setting("reset_questions") === "on";
const sms = setting("sms_as_second_factor") === "on";

// the core's verdict for the same facts, the profile included
function coreRoute(facts) {
  const r = core.flow.next("reset_passkeys:route", "decide", { questions_off: questions ? 0 : 1, sms_off: sms ? 0 : 1, ...facts });
  return { route: r.route, row: r.routeRule };
}

test("GET /api/settings says the profile", async () => {
  const r = await new Client().get("/api/settings");
  assert.equal(r.json.reset_questions, questions);
  assert.equal(r.json.sms_as_second_factor, sms);
});

test("the core's table has the strict profile's rows, before the default", () => {
  const rules = core.flow.describe("reset_passkeys").routeRules;
  const strict = rules.filter((r) => r.questions_off === true);
  assert.deepEqual(strict.map((r) => r.route), ["face", "documents"]);
  assert.equal(rules.at(-1).route, "questions");
  assert.equal(rules.at(-1).questions_off, null);
});

test("an account with history, a password and another tool: questions by default, face or documents in the strict profile", async () => {
  for (const identity of ["unverified", "verified"]) {
    const a = subject(identity); // a phone and a TOTP app: another tool either way
    sql(`INSERT INTO totp_bindings (account_id, secret_sealed, confirmed_at, last_step, created_at) VALUES (${a.id}, x'00', UTC_TIMESTAMP(6), 0, UTC_TIMESTAMP(6))`);
    const f = await routed(a);
    const want = coreRoute({ identity, high_value: 0, password_confirmed: 1, tool_available: 1, phone_only: 0, attempts_left: 3 });
    assert.equal(f.routed.route, questions ? "questions" : identity === "verified" ? "face" : "documents", identity);
    assert.deepEqual({ route: f.routed.route, row: f.routed.route_rule }, want, "the core and the server agree");
    if (!questions) {
      // no question set is ever shown, whatever the flow asks
      const q = await f.c.post(`/api/reset/${f.id}/questions`, {});
      assert.equal(q.status, 409, q.text);
      assert.equal(sql(`SELECT COUNT(*) FROM question_sets WHERE case_id = ${f.routed.case}`)[0][0], "0");
    }
  }
});

test("a phone as the only other tool counts only while SMS is a second factor", async () => {
  const a = subject("unverified"); // a phone, no TOTP app
  const f = await routed(a);
  const want = coreRoute({ identity: "unverified", high_value: 0, password_confirmed: 1, tool_available: 1, phone_only: 1, attempts_left: 3 });
  assert.deepEqual({ route: f.routed.route, row: f.routed.route_rule }, want);
  assert.equal(f.routed.route, questions && sms ? "questions" : "documents");
});

// An account signed in with passkeys and a bound phone, its deletion at step 6.
async function deletion(npasskeys) {
  const { email, id } = newAccount("prf");
  sql(`INSERT INTO phones (account_id, number, confirmed_at, created_at) VALUES (${id}, '+4179${String(id).padStart(7, "0").slice(-7)}', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  const c = new Client();
  assert.equal((await c.signIn(email)).status, 200);
  const keys = [];
  for (let i = 0; i < npasskeys; i++) {
    const auth = new SoftAuthenticator({ origin });
    const o = await c.post("/api/passkeys/registration/options", {});
    const r = await c.post("/api/passkeys/registration", { response: auth.create(o.json) });
    keys.push(r.json.id);
  }
  const before = mails(email).length;
  const start = await c.post(`/api/passkeys/${keys[0]}/delete`, {});
  const next = await c.post(`/api/delete-flows/${start.json.id}/next`, {});
  return { c, email, id, flow: start.json.id, next, before };
}

test("deleting a passkey: an SMS code is a second factor only with sms_as_second_factor = on", async () => {
  const one = await deletion(1); // the phone is the only other tool
  if (sms) {
    assert.equal(one.next.status, 200, one.next.text);
  } else {
    assert.equal(one.next.status, 400);
    assert.equal(one.next.json.error?.code, "flow_last_factor", "a phone alone is no second factor: bind another first");
  }
  const two = await deletion(2);
  assert.equal(two.next.status, 200, two.next.text);
  const code = await codeMail(two.email, two.before);
  const r = await two.c.post(`/api/delete-flows/${two.flow}/email-code`, { code });
  assert.deepEqual(r.json.methods.map((m) => m.method), sms ? ["passkey", "sms"] : ["passkey"]);
  const send = await two.c.post(`/api/delete-flows/${two.flow}/sms`, {});
  assert.equal(send.status, sms ? 202 : 409, send.text);
  const v = await two.c.post(`/api/delete-flows/${two.flow}/verify`, { method: "sms", code: "123456" });
  if (sms) assert.equal(v.json.error?.code, "code_wrong");
  else {
    assert.equal(v.json.error?.code, "flow_sms_not_a_factor");
    assert.equal(sql(`SELECT factor_tries FROM delete_flows WHERE id = ${two.flow}`)[0][0], "0", "refused before any code is looked at");
  }
});
