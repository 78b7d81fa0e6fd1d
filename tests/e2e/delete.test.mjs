// delete.test.mjs -- delete a passkey in Chromium: email code + another passkey
// (DevTools virtual authenticator), + TOTP switched to SMS, the "unavailable"
// exit, the refusal to use the passkey being deleted, the hold on the pages.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { launch, watch } from "./browser.mjs";
import { site, port, Client, newAccount, sql, origin, codeMail, mails, smsFor, waitFor, totp, base32Decode, serviceToken } from "../node/stack.mjs";
import { SoftAuthenticator } from "../node/authenticator.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function setup({ passkeys = 2, withTotp = false, withPhone = false } = {}) {
  const { email, id } = newAccount("ui-del");
  const c = new Client();
  await c.signIn(email);
  const keys = [];
  for (let i = 0; i < passkeys; i++) {
    // device-bound (BE=0), like the virtual authenticator they are imported into
    const auth = new SoftAuthenticator({ origin, be: false, bs: false });
    const opts = await c.post("/api/passkeys/registration/options", {});
    const r = await c.post("/api/passkeys/registration", { response: auth.create(opts.json, { counter: 1 }), name: `Key ${i + 1}` });
    assert.equal(r.status, 201);
    keys.push({ auth, id: r.json.id, userHandle: opts.json.user.id });
  }
  let phone = null, secret = null;
  if (withTotp) {
    const s = await c.post("/api/totp/setup", {});
    secret = base32Decode(s.json.secret);
    await c.post("/api/totp/confirm", { code: totp(secret) });
  }
  if (withPhone) {
    phone = "+4175" + String(Date.now()).slice(-7);
    await c.post("/api/phone/setup", { phone });
    const sms = await waitFor(() => smsFor(phone).find((t) => /code: \d{6}/.test(t)), "SMS");
    await c.post("/api/phone/confirm", { code: sms.match(/code: (\d{6})/)[1] });
  }
  return { c, email, id, keys, phone, secret };
}

// A browser page signed in with the API session, with a virtual authenticator
// holding the given software passkeys.
async function page(a, imported = []) {
  const ctx = await browser.newContext();
  const name = a.c.cookie.match(/rk_session=([^;]+)/)[1];
  await ctx.addCookies([{ name: "rk_session", value: name, domain: "localhost", path: "/", httpOnly: true, sameSite: "Strict" }]);
  const p = await ctx.newPage();
  const cdp = await ctx.newCDPSession(p);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true,
      automaticPresenceSimulation: true } });
  for (const k of imported) {
    const c = k.auth.creds[0];
    await cdp.send("WebAuthn.addCredential", { authenticatorId, credential: {
      credentialId: Buffer.from(c.id).toString("base64"), isResidentCredential: true, rpId: "localhost",
      privateKey: c.privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
      userHandle: Buffer.from(k.userHandle, "base64url").toString("base64"), signCount: 5 } });
  }
  return { ctx, p };
}

async function startDelete(a, p, name) {
  await p.goto(site + "/account/passkeys.html");
  const before = mails(a.email).length;
  await p.getByRole("link", { name: `Delete ${name}` }).click();
  await p.getByRole("heading", { name: `Delete "${name}"?` }).waitFor();
  assert.match(await p.locator("#step-confirm").textContent(), /withdrawals are held for 24 hours/);
  await p.getByRole("button", { name: "Next" }).click();
  const code = await codeMail(a.email, before);
  // the (masked) address the code went to
  assert.equal(await p.locator("#email-sent").textContent(), `We sent a 6-digit code to ${a.email[0]}•••@rekey.test. It expires in 10 minutes.`);
  await p.getByLabel("Email verification code").fill(code);
  await p.locator("#email-next").click();
  await p.getByRole("heading", { name: "Verify with a security tool" }).waitFor();
}

// the passkeys that still sign (a deleted one is suspended for the dispute window, #18)
const count = (id) => Number(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${id} AND suspended_until IS NULL`)[0][0]);

test("delete by email code + another passkey; the hold shows on the pages and the API", async () => {
  const a = await setup({ passkeys: 2 });
  const { ctx, p } = await page(a, [a.keys[1]]);
  const problems = watch(p);
  await startDelete(a, p, "Key 1");
  await p.getByRole("button", { name: "Use another passkey" }).click();
  await p.getByRole("heading", { name: "Passkey deleted" }).waitFor();
  assert.match(await p.locator("#done-hold").textContent(), /Withdrawals are held until/);
  assert.equal(count(a.id), 1);
  await p.goto(site + "/account/settings.html");
  await p.getByRole("heading", { name: "Withdrawals on hold" }).waitFor();
  assert.match(await p.locator("#hold-text").textContent(), /passkey deleted/);
  const h = await new Client().get(`/api/holds/withdrawal?account=${a.id}`, { headers: { Authorization: `Bearer ${serviceToken()}` } });
  assert.equal(h.json.held, true);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("delete by email code, switching from TOTP to SMS mid-way; the last passkey leaves no passkey protection", async () => {
  const a = await setup({ passkeys: 1, withTotp: true, withPhone: true });
  const { ctx, p } = await page(a);
  const problems = watch(p);
  await startDelete(a, p, "Key 1");
  assert.equal(await p.getByLabel("Code from your authenticator app").isVisible(), true);
  await p.getByRole("button", { name: "Switch verification method" }).click();
  await p.getByRole("radio", { name: "SMS code" }).check();
  const before = smsFor(a.phone).length;
  await p.getByRole("button", { name: "Send SMS code" }).click();
  const sms = await waitFor(() => smsFor(a.phone).slice(before).find((t) => /code: \d{6}/.test(t)), "SMS code");
  // the SMS can be spooled before the page draws the answer (as the reset's code mail, ead30d8): wait for the words
  await p.locator("#sms-sent").filter({ hasText: /^We sent a code by SMS\.$/ }).waitFor();
  await p.getByRole("textbox", { name: "SMS code" }).fill(sms.match(/code: (\d{6})/)[1]);
  await p.locator("#sms-next").click();
  await p.getByRole("heading", { name: "Passkey deleted" }).waitFor();
  assert.equal(await p.locator("#done-unprotected").isVisible(), true);
  // the SMS step's note stays with that step (issue #16: it was still on the Done page)
  assert.equal(await p.getByText("We sent a code by SMS").count(), 0);
  // one message per event, naming both, with a time people read (issue #16: two mails and two SMS, an ISO time)
  const mail = await waitFor(() => mails(a.email).find((m) => /Subject: Passkey deleted, withdrawals on hold/.test(m)), "the deletion mail");
  assert.match(mail, /withdrawals are held until \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC\./);
  assert.match(mail, /Need help\? Contact support: support@rekey\.test/);
  await waitFor(() => smsFor(a.phone).some((t) => /Passkey deleted, withdrawals on hold/.test(t)), "the deletion SMS");
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE account_id = ${a.id} AND subject = 'Withdrawals are on hold'`)[0][0], "0");
  assert.equal(smsFor(a.phone).filter((t) => /hold/i.test(t)).length, 1);
  assert.equal(count(a.id), 0);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("delete by email code + TOTP, after a wrong TOTP code", async () => {
  const a = await setup({ passkeys: 1, withTotp: true });
  assert.equal(sql(`SELECT COUNT(*) FROM totp_bindings WHERE account_id = ${a.id} AND confirmed_at IS NOT NULL`)[0][0], "1");
  const { ctx, p } = await page(a);
  await startDelete(a, p, "Key 1");
  await p.getByLabel("Code from your authenticator app").fill("12");
  await p.locator("#totp-next").click();
  assert.equal(await p.locator("#totp-code-error").textContent(), "Enter the 6-digit code.");
  await p.getByLabel("Code from your authenticator app").fill(totp(a.secret) === "000000" ? "111111" : "000000");
  await p.locator("#totp-next").click();
  await p.getByRole("alert").filter({ hasText: "wrong" }).waitFor();
  assert.equal(count(a.id), 1);
  await p.getByLabel("Code from your authenticator app").fill(totp(a.secret, 1));
  await p.locator("#totp-next").click();
  await p.getByRole("heading", { name: "Passkey deleted" }).waitFor();
  assert.equal(count(a.id), 0);
  await ctx.close();
});

test("security verification unavailable leaves for the reset page without deleting", async () => {
  const a = await setup({ passkeys: 2 });
  const { ctx, p } = await page(a, [a.keys[1]]);
  await startDelete(a, p, "Key 1");
  await p.getByRole("button", { name: "Security verification unavailable" }).click();
  await p.waitForURL(`http://localhost:${port}/reset.html?from=delete_passkey`);
  assert.equal(count(a.id), 2);
  // the reset starts from the account it came from
  await p.getByLabel("I agree").check();
  await p.getByRole("button", { name: "Confirm" }).click();
  assert.equal(await p.getByLabel("Email", { exact: true }).inputValue(), a.email);
  await ctx.close();
});

test("the passkey being deleted cannot verify its own deletion", async () => {
  const a = await setup({ passkeys: 2 });
  const { ctx, p } = await page(a, [a.keys[0]]); // only the target is on this device
  await startDelete(a, p, "Key 1");
  await p.getByRole("button", { name: "Use another passkey" }).click();
  await p.getByRole("alert").filter({ hasText: /cancelled or timed out/ }).waitFor();
  assert.equal(count(a.id), 2);
  await ctx.close();
});

test("the only tool: deleting it is not a dead end (bind another tool, or reset)", async () => {
  const a = await setup({ passkeys: 1 });
  const { ctx, p } = await page(a);
  const problems = watch(p);
  await p.goto(site + "/account/passkeys.html");
  await p.getByRole("link", { name: "Delete Key 1" }).click();
  await p.getByRole("button", { name: "Next" }).click();
  await p.getByRole("heading", { name: "This passkey is your only security tool" }).waitFor();
  assert.equal(await p.getByRole("link", { name: "Bind an authenticator app" }).getAttribute("href"), "/account/bind-totp.html");
  assert.equal(await p.getByRole("link", { name: "Bind a phone" }).getAttribute("href"), "/account/bind-phone.html");
  assert.equal(await p.getByRole("link", { name: "Reset your passkeys" }).getAttribute("href"), "/reset.html?from=delete_passkey");
  assert.equal(await p.getByRole("link", { name: "Add another passkey" }).evaluate((e) => e === document.activeElement), true);
  assert.equal(count(a.id), 1);
  assert.deepEqual(problems.filter((x) => !/status of 400/.test(x)), []); // the server's refusal of the deletion
  await ctx.close();
});
