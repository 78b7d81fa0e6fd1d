// dispute.test.mjs -- #18 in Chromium: the WebAuthn signals after a deletion
// and after a reset, and at sign-in (an unknown passkey is signalled, a
// suspended one never); "this was not me" from the mail; Freeze my account
// in settings; the freeze code on /freeze.html.
// Chromium's virtual authenticator applies the signals (WebAuthn L3
// §5.1.10): signalAllAcceptedCredentials and signalUnknownCredential delete
// its credentials, and DevTools reports WebAuthn.credentialDeleted; so these
// tests read the authenticator's own credential list.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { launch, watch } from "./browser.mjs";
import { site, Client, newAccount, sql, origin, codeMail, mails, waitFor } from "../node/stack.mjs";
import { SoftAuthenticator } from "../node/authenticator.mjs";
import { subject, correct } from "../node/reset-helpers.mjs";
import { throughCode } from "./steps.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

// A passkey registered through the API with a software authenticator that a
// virtual authenticator can import (device-bound, like the virtual one).
async function registered(c, name) {
  const auth = new SoftAuthenticator({ origin, be: false, bs: false });
  const opts = await c.post("/api/passkeys/registration/options", {});
  const r = await c.post("/api/passkeys/registration", { response: auth.create(opts.json, { counter: 1 }), name });
  assert.equal(r.status, 201, r.text);
  return { auth, id: r.json.id, userHandle: opts.json.user.id, credentialId: auth.creds[0].id };
}

// One virtual authenticator per passkey (an authenticator keeps one passkey per account).
async function authenticators(p, keys) {
  const cdp = await p.context().newCDPSession(p);
  await cdp.send("WebAuthn.enable");
  const deleted = [];
  cdp.on("WebAuthn.credentialDeleted", (e) => deleted.push(Buffer.from(e.credentialId, "base64").toString("base64url")));
  const ids = [];
  for (const [i, k] of keys.entries()) {
    // Chromium allows one internal (platform) authenticator: the others are security keys
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: i === 0 ? "internal" : "usb", hasResidentKey: true, hasUserVerification: true, isUserVerified: true,
        automaticPresenceSimulation: true } });
    const c = k.auth.creds[0];
    await cdp.send("WebAuthn.addCredential", { authenticatorId, credential: {
      credentialId: Buffer.from(c.id).toString("base64"), isResidentCredential: true, rpId: "localhost",
      privateKey: c.privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
      userHandle: Buffer.from(k.userHandle, "base64url").toString("base64"), signCount: 5 } });
    ids.push(authenticatorId);
  }
  const held = async (i) => (await cdp.send("WebAuthn.getCredentials", { authenticatorId: ids[i] })).credentials
    .map((x) => Buffer.from(x.credentialId, "base64").toString("base64url"));
  return { cdp, ids, held, deleted };
}

// Signs in with a passkey on the sign-in page. The page offers passkeys in
// the email field's autofill from the start (conditional mediation), and
// the virtual authenticator may answer that request by itself: the button
// is pressed only when it did not.
async function passkeySignInUI(p, expect) {
  const alert = p.getByRole("alert").filter({ hasText: expect });
  try {
    await alert.waitFor({ timeout: 3000 });
  } catch {
    await p.getByRole("button", { name: "Sign in with a passkey" }).click();
    await alert.waitFor();
  }
}

async function signedInContext(client) {
  const ctx = await browser.newContext();
  await ctx.addCookies([{ name: "rk_session", value: client.cookie.match(/rk_session=([^;]+)/)[1], domain: "localhost", path: "/",
    httpOnly: true, sameSite: "Strict" }]);
  return ctx;
}

test("after a deletion the page tells the provider: the virtual authenticator forgets the deleted passkey, keeps the other", async () => {
  const { email, id } = newAccount("ui-sig");
  const c = new Client();
  await c.signIn(email);
  const k1 = await registered(c, "Key 1"), k2 = await registered(c, "Key 2");
  const ctx = await signedInContext(c);
  const p = await ctx.newPage();
  const problems = watch(p);
  const v = await authenticators(p, [k1, k2]);
  await p.goto(site + "/account/passkeys.html");
  await p.getByRole("link", { name: "Delete Key 1" }).click();
  await p.getByRole("button", { name: "Next" }).waitFor();
  const before = mails(email).length;
  await p.getByRole("button", { name: "Next" }).click();
  await p.getByLabel("Email verification code").fill(await codeMail(email, before));
  await p.locator("#email-next").click();
  await p.getByRole("button", { name: "Use another passkey" }).click();
  await p.getByRole("heading", { name: "Passkey deleted" }).waitFor();
  await waitFor(async () => (await v.held(0)).length === 0, "the deleted passkey gone from its authenticator");
  assert.deepEqual(await v.held(1), [k2.credentialId.toString("base64url")], "the other passkey stays");
  assert.deepEqual(v.deleted, [k1.credentialId.toString("base64url")]);
  assert.equal(sql(`SELECT COUNT(*) FROM passkeys WHERE id = ${k1.id} AND suspended_until IS NOT NULL`)[0][0], "1");
  // My passkeys lists it as removed, without actions
  await p.goto(site + "/account/passkeys.html");
  await p.locator("tr.removed .passkey-name").filter({ hasText: "Key 1" }).waitFor();
  assert.equal(await p.getByRole("link", { name: "Delete Key 1" }).count(), 0);
  assert.equal(await p.getByRole("button", { name: "Rename Key 1" }).count(), 0);
  assert.deepEqual(problems, []);
  await ctx.close();
  assert.equal(Number(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${id}`)[0][0]), 2);
});

test("at sign-in: an unknown passkey is signalled and forgotten, a suspended one is not", async () => {
  const { email } = newAccount("ui-sig2");
  const c = new Client();
  await c.signIn(email);
  const gone = await registered(c, "Gone");
  sql(`DELETE FROM passkeys WHERE id = ${gone.id}`); // as the sweep leaves it after the window
  const kept = await registered(c, "Kept");
  sql(`UPDATE passkeys SET suspended_at = UTC_TIMESTAMP(6), suspended_until = UTC_TIMESTAMP(6) + INTERVAL 1 DAY, suspended_source = 'test' WHERE id = ${kept.id}`);
  for (const [k, code, forgotten] of [[gone, "This passkey is not registered here.", true], [kept, "This passkey was removed from the account", false]]) {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    const v = await authenticators(p, [k]);
    await p.goto(site + "/");
    await passkeySignInUI(p, code);
    if (forgotten) await waitFor(async () => (await v.held(0)).length === 0, "the unknown passkey forgotten");
    else {
      await new Promise((r) => setTimeout(r, 500));
      assert.equal((await v.held(0)).length, 1, "a suspended passkey is never signalled: its owner may need it back");
      assert.deepEqual(v.deleted, []);
    }
    await ctx.close();
  }
});

test("after a reset (Case 1) the page tells the provider; the mail's 'this was not me' undoes it", async () => {
  const a = subject("unverified");
  const c = new Client();
  await c.signIn(a.email);
  const old = await registered(c, "Owner's key");
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  const problems = watch(p);
  const v = await authenticators(p, [old]);
  await throughCode(p, a);
  await p.getByRole("button", { name: "Start now" }).click();
  await p.getByRole("heading", { name: "Security questions" }).waitFor();
  // #20: the page says each question and option in the reader's language (Intl for months,
  // countries, amounts); the question's id and the server's label ride along on the fieldset and input
  const q = await p.evaluate(() => [...document.querySelectorAll("#questions fieldset")].map((f) => ({
    id: f.dataset.question,
    options: [...f.querySelectorAll("label input")].map((i) => ({ id: Number(i.value), label: i.dataset.label })),
  })));
  for (let i = 0; i < q.length; i++)
    for (const o of correct(a.id, q[i])) await p.locator(`input[name=q${i}][value="${o}"]`).check();
  await p.getByRole("button", { name: "Submit answers" }).click();
  await p.getByRole("heading", { name: "Your passkeys were reset" }).waitFor();
  // no passkey counts after the reset: the provider stops offering the old one
  await waitFor(async () => (await v.held(0)).length === 0, "the old passkey hidden by the provider");
  assert.deepEqual(problems, []);
  await ctx.close();
  // the owner, from the mail: "this was not me"
  const mail = await waitFor(() => mails(a.email).find((m) => /Subject: Your passkeys were reset/.test(m)), "the reset mail");
  const link = mail.match(/(\/freeze\.html\?token=[A-Za-z0-9_-]{43})/)[1];
  const owner = await browser.newContext();
  const op = await owner.newPage();
  const oproblems = watch(op);
  await op.goto(site + link);
  await op.getByRole("heading", { name: "This was not me" }).waitFor();
  await op.getByRole("button", { name: "Undo it and freeze my account" }).click();
  await op.getByRole("status").filter({ hasText: "the change was undone and your account is frozen. 1 passkey works again" }).waitFor();
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${a.id}`)[0][0], "1");
  assert.equal(sql(`SELECT status FROM reset_cases WHERE account_id = ${a.id}`)[0][0], "disputed");
  // the owner's old passkey signs in to see the account's state
  const v2 = await authenticators(op, [old]);
  await op.goto(site + "/");
  await passkeySignInUI(op, "frozen while we review a reset you did not make");
  assert.equal((await v2.held(0)).length, 1, "a passkey the server knows is never signalled as unknown");
  assert.deepEqual(oproblems.filter((x) => !/status of 403/.test(x)), []); // the frozen account's answer
  await owner.close();
});

test("Freeze my account in settings: one click, a confirmation, signed out", async () => {
  const { email, id } = newAccount("ui-frz");
  const c = new Client();
  await c.signIn(email);
  const ctx = await signedInContext(c);
  const p = await ctx.newPage();
  const problems = watch(p);
  await p.goto(site + "/account/settings.html");
  await p.getByRole("button", { name: "Freeze my account" }).click();
  await p.getByRole("button", { name: "Cancel" }).click();
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${id}`)[0][0], "0");
  await p.getByRole("button", { name: "Freeze my account" }).click();
  await p.getByRole("button", { name: "Yes, freeze my account" }).click();
  await p.waitForURL("**/freeze.html?frozen=settings");
  await p.getByRole("status").filter({ hasText: "Your account is frozen." }).waitFor();
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${id}`)[0][0], "1");
  assert.equal((await c.get("/api/me")).status, 401);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("the freeze code: made in settings (shown once), freezes the account from /freeze.html without the mailbox", async () => {
  const { email, id } = newAccount("ui-fzc");
  const c = new Client();
  await c.signIn(email);
  const ctx = await signedInContext(c);
  const p = await ctx.newPage();
  const problems = watch(p);
  await p.goto(site + "/account/settings.html");
  await p.getByText("You have no freeze code yet.").waitFor();
  await p.getByRole("button", { name: "Make a freeze code" }).click();
  await p.locator("#freeze-code-shown").waitFor();
  const code = (await p.locator("#freeze-code").textContent()).trim();
  assert.match(code, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$/);
  await p.getByRole("button", { name: "Make a new freeze code" }).waitFor();
  await p.reload();
  await p.getByText(/You made a freeze code on/).waitFor();
  assert.equal(await p.locator("#freeze-code-shown").isVisible(), false, "shown once");
  assert.deepEqual(problems, []);
  await ctx.close();
  // signed out, someone whose mailbox was taken
  const anon = await browser.newContext();
  const q = await anon.newPage();
  const qproblems = watch(q);
  await q.goto(site + "/freeze.html");
  await q.getByRole("heading", { name: "Freeze with your freeze code" }).waitFor();
  await q.getByRole("button", { name: "Freeze my account" }).click();
  assert.equal(await q.locator("#email-error").textContent(), "Enter your email address.");
  await q.getByLabel("Email", { exact: true }).fill(email);
  await q.getByLabel("Freeze code", { exact: true }).fill("AAAA-AAAA-AAAA-AAAA-AAAA-AAAA");
  await q.getByRole("button", { name: "Freeze my account" }).click();
  await q.getByRole("alert").filter({ hasText: "do not match" }).waitFor();
  qproblems.splice(0, qproblems.length, ...qproblems.filter((x) => !/status of 403/.test(x))); // the refusal above
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${id}`)[0][0], "0");
  await q.getByLabel("Freeze code", { exact: true }).fill(code);
  await q.getByRole("button", { name: "Freeze my account" }).click();
  await q.getByRole("status").filter({ hasText: "Your account is frozen." }).waitFor();
  assert.equal(sql(`SELECT frozen FROM accounts WHERE id = ${id}`)[0][0], "1");
  assert.deepEqual(qproblems, []);
  await anon.close();
});
