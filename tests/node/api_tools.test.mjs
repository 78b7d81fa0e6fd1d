// api_tools.test.mjs -- TOTP binding and sign-in with replay refusal; phone binding by SMS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, newAccount, sql, totp, base32Decode, smsFor, waitFor, mails } from "./stack.mjs";

test("TOTP: bind with a QR code, then sign-in needs a fresh code and refuses a replay", async () => {
  const { email, id } = newAccount("totp");
  const c = new Client();
  await c.signIn(email);
  const setup = await c.post("/api/totp/setup", {});
  assert.equal(setup.status, 200);
  assert.match(setup.json.secret, /^[A-Z2-7]{32}$/);
  assert.match(setup.json.uri, /^otpauth:\/\/totp\/Rekey%20Demo%20Exchange:.*\?secret=[A-Z2-7]{32}&issuer=Rekey%20Demo%20Exchange&algorithm=SHA1&digits=6&period=30$/);
  assert.match(setup.json.qr_svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg".*<path fill="#000" d="M/);
  const secret = base32Decode(setup.json.secret);
  // the secret is sealed at rest
  assert.equal(sql(`SELECT COUNT(*) FROM totp_bindings WHERE account_id = ${id} AND INSTR(secret_sealed, UNHEX('${secret.toString("hex")}')) > 0`)[0][0], "0");
  let r = await c.post("/api/totp/confirm", { code: totp(secret, 5) });
  assert.equal(r.status, 400);
  const now = totp(secret);
  r = await c.post("/api/totp/confirm", { code: now });
  assert.equal(r.status, 200);
  assert.equal((await c.post("/api/totp/setup", {})).json.error?.code, "totp_already_bound");
  assert.equal((await c.get("/api/me")).json.tools.totp, true);
  await waitFor(() => mails(email).some((m) => /Subject: Authenticator app bound/.test(m)), "bound notice");

  const s = new Client();
  r = await s.signIn(email);
  assert.equal(r.status, 200);
  assert.equal(r.json.status, "second_factor_required");
  assert.deepEqual(r.json.factors, ["totp"]);
  assert.equal((await s.get("/api/me")).json.error?.code, "second_factor_required");
  r = await s.post("/api/session/totp", { code: now });
  assert.equal(r.status, 400, "the code used to confirm cannot sign in");
  const next = totp(secret, 1);
  r = await s.post("/api/session/totp", { code: next });
  assert.equal(r.status, 200);
  assert.equal((await s.get("/api/me")).status, 200);
  const t = new Client();
  await t.signIn(email);
  r = await t.post("/api/session/totp", { code: next });
  assert.equal(r.status, 400, "a code is accepted once");
});

test("TOTP: five wrong codes end the partial session's attempts", async () => {
  const t = new Client();
  const r = await t.signIn("totp@rekey.test");
  assert.equal(r.json.status, "second_factor_required");
  for (let i = 0; i < 5; i++) assert.equal((await t.post("/api/session/totp", { code: "000000" })).status, 400);
  assert.equal((await t.post("/api/session/totp", { code: "000000" })).status, 429);
});

test("phone: an SMS code binds the number; the account shows it masked", async () => {
  const { email, id } = newAccount("phone");
  const number = "+4179" + String(Date.now()).slice(-7);
  const c = new Client();
  await c.signIn(email);
  assert.equal((await c.post("/api/phone/confirm", { code: "123456" })).json.error?.code, "phone_not_started");
  let r = await c.post("/api/phone/setup", { phone: number });
  assert.equal(r.status, 202);
  const sms = await waitFor(() => smsFor(number).find((t) => /code: \d{6}/.test(t)), "the SMS");
  const code = sms.match(/code: (\d{6})/)[1];
  r = await c.post("/api/phone/confirm", { code: code === "000000" ? "111111" : "000000" });
  assert.equal(r.json.error?.code, "code_wrong");
  r = await c.post("/api/phone/confirm", { code });
  assert.equal(r.status, 200);
  const me = await c.get("/api/me");
  assert.equal(me.json.tools.phone, number.slice(0, 3) + "•••••" + number.slice(-2));
  assert.equal((await c.post("/api/phone/setup", { phone: number })).json.error?.code, "phone_already_bound");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id} AND event = 'phone_bound'`)[0][0], "1");
  // security notices now go to both channels
  await waitFor(() => smsFor(number).some((t) => /security notice: Phone number bound/.test(t)), "the SMS notice");
});

test("phone: numbers must be E.164", async () => {
  const c = new Client();
  await c.signIn("demo@rekey.test");
  for (const phone of ["0791234567", "+41 79 123 45 67", "+12", "+1234567890123456", "+4179abc4567"]) {
    const r = await c.post("/api/phone/setup", { phone });
    assert.equal(r.status, 400, phone);
    assert.equal(r.json.error?.code, "phone_invalid");
  }
});
