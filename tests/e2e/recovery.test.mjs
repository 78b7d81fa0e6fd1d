// recovery.test.mjs -- recovery prepared before loss (issue #17) in Chromium:
// make and save recovery codes (and the in-place "Confirm it's you" when the
// step-up is stale), the second-passkey prompt, a reset with a code that
// shows the new set, and a second address that confirms and receives notices.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { launch, watch } from "./browser.mjs";
import { site, Client, sql, origin, codeMail, mails, waitFor, uniqueEmail, newAccount, DEMO_PASSWORD } from "../node/stack.mjs";
import { SoftAuthenticator } from "../node/authenticator.mjs";
import { history } from "../node/reset-helpers.mjs";
import { throughCode } from "./steps.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const CODE = /^[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}$/;

async function authenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });
  return { cdp, authenticatorId };
}

// Signed in with the password, one passkey added on My passkeys (which steps the session up).
async function holderPage(tag) {
  const a = newAccount(tag);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  const auth = await authenticator(page);
  await page.goto(site + "/?next=/account/passkeys.html");
  await page.getByLabel("Email").fill(a.email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((u) => u.pathname === "/account/passkeys.html");
  await page.getByLabel("Name (optional)").fill("Laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.getByRole("status").filter({ hasText: 'Passkey "Laptop" added.' }).waitFor();
  return { a, ctx, page, problems, auth };
}

async function saveCodes(page) {
  await page.getByRole("heading", { name: "Your new recovery codes" }).waitFor();
  const codes = await page.locator("#recovery-list code").allTextContents();
  assert.equal(codes.length, 10);
  for (const c of codes) assert.match(c, CODE);
  assert.equal(await page.getByRole("link", { name: "Download" }).getAttribute("download"), "recovery-codes.txt");
  assert.ok(await page.getByRole("button", { name: "Print" }).isVisible());
  assert.equal(await page.getByRole("button", { name: "Done" }).isDisabled(), true, "not before 'I have saved them'");
  await page.getByLabel("I have saved them").check();
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByRole("heading", { name: "Your new recovery codes" }).waitFor({ state: "detached" });
  return codes;
}

test("make and save recovery codes; the count in settings; the second-passkey prompt; a stale step-up asks in place", async () => {
  const { a, ctx, page, problems } = await holderPage("ui-rc");
  await page.goto(site + "/account/settings.html");
  await page.getByRole("heading", { name: "One passkey is all that protects your account" }).waitFor();
  await page.locator("#recovery-state").filter({ hasText: "None" }).waitFor();
  await page.getByRole("link", { name: "Manage recovery" }).click();
  await page.waitForURL("**/account/recovery.html");
  await page.getByText("You have no recovery codes yet.").waitFor();
  await page.getByRole("button", { name: "Make recovery codes" }).click();
  const first = await saveCodes(page);
  await page.getByText("10 of 10 codes left").waitFor();
  assert.equal(sql(`SELECT COUNT(*) FROM recovery_codes WHERE account_id = ${a.id} AND voided_at IS NULL`)[0][0], "10");

  // past the step-up window: "Confirm it's you" in place, with the passkey, then the new set
  sql(`UPDATE sessions SET stepped_up_at = NOW(6) - INTERVAL 400 SECOND WHERE account_id = ${a.id}`);
  await page.getByRole("button", { name: "Make a new set" }).click();
  await page.getByRole("dialog", { name: "Confirm it's you" }).waitFor();
  await page.getByRole("button", { name: "Use a passkey" }).click();
  const second = await saveCodes(page);
  assert.notDeepEqual(second, first);

  await page.goto(site + "/account/settings.html");
  await page.locator("#recovery-state").filter({ hasText: "10 of 10 left" }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "One passkey is all that protects your account" }).isVisible(), false,
    "codes saved: no prompt");
  assert.deepEqual(problems.filter((x) => !/status of 403/.test(x)), []); // the one step_up_required answer
  await ctx.close();
});

test("the second-passkey prompt adds one in one click", async () => {
  const { a, ctx, page, problems, auth } = await holderPage("ui-rc2");
  await page.goto(site + "/account/settings.html");
  await page.getByRole("heading", { name: "One passkey is all that protects your account" }).waitFor();
  // another authenticator (a phone): the first already holds this account's passkey
  await auth.cdp.send("WebAuthn.removeVirtualAuthenticator", { authenticatorId: auth.authenticatorId });
  await auth.cdp.send("WebAuthn.addVirtualAuthenticator", { options: { protocol: "ctap2", transport: "internal", hasResidentKey: true,
    hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true } });
  await page.getByRole("button", { name: "Add a second passkey" }).click();
  await page.getByRole("status").filter({ hasText: "Your account now has a second way in." }).waitFor();
  await page.getByRole("heading", { name: "One passkey is all that protects your account" }).waitFor({ state: "hidden" });
  assert.equal(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${a.id}`)[0][0], "2");
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("reset with a saved recovery code: the code step comes first, a wrong code says so, the done page shows the new set", async () => {
  const a = newAccount("ui-rcr");
  history(a.id);
  const c = new Client();
  await c.signIn(a.email);
  const o = await c.post("/api/passkeys/registration/options", {});
  assert.equal((await c.post("/api/passkeys/registration", { response: new SoftAuthenticator({ origin }).create(o.json) })).status, 201);
  const set = await c.post("/api/recovery-codes", {});
  assert.equal(set.status, 201);

  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  const problems = watch(p);
  await throughCode(p, a);
  await p.getByRole("heading", { name: "Use a recovery code" }).waitFor();
  await p.getByLabel("Recovery code").fill("AAAA-BBBB-CCCC-DDDD");
  await p.getByRole("button", { name: "Reset with this code" }).click();
  await p.locator("#recovery-code-error").filter({ hasText: /wrong or was already used\..* Tries left: \d\./ }).waitFor();
  await p.getByLabel("Recovery code").fill(set.json.codes[2]);
  await p.getByRole("button", { name: "Reset with this code" }).click();
  await p.getByRole("heading", { name: "Your passkeys were reset" }).waitFor();
  const codes = await p.locator("#recovery-list code").allTextContents();
  assert.equal(codes.length, 10);
  assert.equal(codes.some((x) => set.json.codes.includes(x)), false, "a new set");
  assert.equal(await p.getByRole("link", { name: "Bind a new passkey now" }).isVisible(), false, "the codes first");
  await p.getByLabel("I have saved them").check();
  await p.getByRole("button", { name: "Done" }).click();
  await p.getByRole("link", { name: "Bind a new passkey now" }).waitFor();
  assert.equal(sql(`SELECT route, status FROM reset_cases WHERE account_id = ${a.id}`)[0].join(), "recovery_code,completed");
  assert.equal(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${a.id} AND suspended_until IS NULL`)[0][0], "0"); // suspended for the dispute window (#18)
  assert.deepEqual(problems.filter((x) => !/status of 400/.test(x)), []); // the wrong code's answer
  await ctx.close();
});

test("a second notification address: added, confirmed with the code sent to it, then it receives the notices", async () => {
  const { a, ctx, page, problems } = await holderPage("ui-ct");
  const second = uniqueEmail("second");
  await page.goto(site + "/account/recovery.html");
  await page.getByLabel("Another email address").fill(second);
  await page.getByRole("button", { name: "Add and send a code" }).click();
  await page.getByLabel(`Code we sent to ${second}`).fill(await codeMail(second));
  await page.getByRole("button", { name: "Confirm the address" }).click();
  await page.getByRole("status").filter({ hasText: `${second} now receives every security notice.` }).waitFor();
  await page.locator("#contacts").getByText("Confirmed").waitFor();
  await waitFor(() => mails(second).find((m) => m.includes("Subject: Notification address added")), "the notice at the new address");
  await waitFor(() => mails(a.email).find((m) => m.includes("Subject: Notification address added")), "the notice at the primary");

  // the anti-phishing code: set here, on the first line of the next notice at both addresses
  const n = mails(second).length;
  await page.getByLabel("Your anti-phishing code (4 to 20 characters)").fill("ab");
  await page.getByRole("button", { name: "Save the code" }).click();
  await page.locator("#ap-code-error").filter({ hasText: "4 to 20" }).waitFor();
  await page.getByLabel("Your anti-phishing code (4 to 20 characters)").fill("green kettle");
  await page.getByRole("button", { name: "Save the code" }).click();
  await page.getByText("Your code: green kettle").waitFor();
  const m = await waitFor(() => mails(second).slice(n).find((x) => x.includes("Subject: Anti-phishing code changed")), "the notice");
  assert.match(m.slice(m.indexOf("\n\n") + 2), /^Anti-phishing code: green kettle\n/);
  await page.goto(site + "/account/settings.html");
  await page.locator("#contacts-state").filter({ hasText: "1 besides your email" }).waitFor();
  await page.locator("#ap-state").filter({ hasText: "Set" }).waitFor();
  assert.deepEqual(problems, []);
  await ctx.close();
});
