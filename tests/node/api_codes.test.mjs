// api_codes.test.mjs -- one-time email codes over real SMTP delivery.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, newAccount, sql, mails, codeMail } from "./stack.mjs";

async function signedIn() {
  const acct = newAccount("code");
  const c = new Client();
  assert.equal((await c.signIn(acct.email)).status, 200);
  return { c, ...acct };
}

test("a code is delivered by SMTP, works once, and is stored only as a keyed hash", async () => {
  const { c, email, id } = await signedIn();
  const r = await c.post("/api/codes/email", { purpose: "step_up" });
  assert.equal(r.status, 202);
  assert.deepEqual(r.json, { sent: true, expires_in: 600, resend_after: 60 });
  const code = await codeMail(email);
  const m = mails(email).at(-1);
  assert.match(m, /^Subject: .*verification code/m);
  assert.match(m, /Content-Type: text\/plain; charset=utf-8/);
  assert.equal(sql(`SELECT COUNT(*) FROM codes WHERE account_id = ${id} AND (code_hash LIKE '%${code}%' OR HEX(code_hash) LIKE '%${code}%')`)[0][0], "0");
  let v = await c.post("/api/codes/email/verify", { purpose: "step_up", code });
  assert.equal(v.status, 200);
  assert.equal(v.json.verified, true);
  v = await c.post("/api/codes/email/verify", { purpose: "step_up", code });
  assert.equal(v.status, 410);
  assert.equal(v.json.error?.code, "code_expired");
});

test("a resend within a minute is refused", async () => {
  const { c } = await signedIn();
  assert.equal((await c.post("/api/codes/email", { purpose: "step_up" })).status, 202);
  const r = await c.post("/api/codes/email", { purpose: "step_up" });
  assert.equal(r.status, 429);
  assert.equal(r.json.error?.code, "resend_too_soon");
});

test("wrong codes count down five tries, then even the right code is refused", async () => {
  const { c, email } = await signedIn();
  await c.post("/api/codes/email", { purpose: "step_up" });
  const code = await codeMail(email);
  const wrong = code === "000000" ? "111111" : "000000";
  for (let left = 4; left >= 0; left--) {
    const r = await c.post("/api/codes/email/verify", { purpose: "step_up", code: wrong });
    assert.equal(r.status, 400);
    assert.equal(r.json.error?.code, "code_wrong");
    assert.equal(r.json.error.tries_left, left);
  }
  const r = await c.post("/api/codes/email/verify", { purpose: "step_up", code });
  assert.equal(r.status, 410);
});

test("an expired code is refused", async () => {
  const { c, email, id } = await signedIn();
  await c.post("/api/codes/email", { purpose: "step_up" });
  const code = await codeMail(email);
  sql(`UPDATE codes SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE account_id = ${id}`);
  const r = await c.post("/api/codes/email/verify", { purpose: "step_up", code });
  assert.equal(r.status, 410);
});

test("a code is bound to the session that asked for it", async () => {
  const { c, email } = await signedIn();
  const other = new Client();
  await other.signIn(email);
  await c.post("/api/codes/email", { purpose: "step_up" });
  const code = await codeMail(email);
  const r = await other.post("/api/codes/email/verify", { purpose: "step_up", code });
  assert.equal(r.status, 410);
  assert.equal((await c.post("/api/codes/email/verify", { purpose: "step_up", code })).status, 200);
});

test("50 parallel submissions of one code: exactly one succeeds", async () => {
  const { c, email } = await signedIn();
  await c.post("/api/codes/email", { purpose: "step_up" });
  const code = await codeMail(email);
  const rs = await Promise.all(Array.from({ length: 50 }, () => c.post("/api/codes/email/verify", { purpose: "step_up", code })));
  assert.equal(rs.filter((r) => r.status === 200).length, 1);
  assert.equal(rs.filter((r) => r.status === 410).length, 49);
});

test("20 parallel wrong codes use at most the five tries", async () => {
  const { c, email, id } = await signedIn();
  await c.post("/api/codes/email", { purpose: "step_up" });
  const code = await codeMail(email);
  const wrong = code === "000000" ? "111111" : "000000";
  const rs = await Promise.all(Array.from({ length: 20 }, () => c.post("/api/codes/email/verify", { purpose: "step_up", code: wrong })));
  assert.equal(rs.filter((r) => r.status === 400).length, 5);
  assert.equal(sql(`SELECT MAX(tries) FROM codes WHERE account_id = ${id}`)[0][0], "5");
  assert.ok(rs.every((r) => r.status < 500));
});
