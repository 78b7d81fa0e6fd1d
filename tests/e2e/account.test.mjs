// account.test.mjs -- issue #23 in Chromium, at both viewports (tests/run.sh
// runs it again as phone:): the header on every account page (keyboard,
// focus, Sign out), change password in settings (step-up in place, the common-
// password refusal), the forgotten password from the sign-in page (code by
// mail, the passkey, a new password), and sign out everywhere else. Every
// state is checked by browser.mjs (no sideways scroll, axe-core clean).
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { launch, watch } from "./browser.mjs";
import { site, newAccount, sql, DEMO_PASSWORD, Client, codeMail, mails, waitFor } from "../node/stack.mjs";

let browser;
before(async () => { browser = await launch(); sql("DELETE FROM rate_limits"); });
after(async () => { await browser?.close(); });

const NEW_PASSWORD = "a fresh passphrase 23";

// the virtual authenticator; presence(on) lets it answer by itself or not (the
// sign-in page's passkey autofill would otherwise sign in before the test types)
async function withAuthenticator(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });
  return (enabled) => cdp.send("WebAuthn.setAutomaticPresenceSimulation", { authenticatorId, enabled });
}

async function signIn(page, email, password = DEMO_PASSWORD, next = "/account/settings.html") {
  await page.goto(site + "/?next=" + next);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
}

async function addPasskey(page, name) {
  await page.getByLabel("Name (optional)").fill(name);
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.locator(".passkey-name").filter({ hasText: new RegExp(`^${name}$`) }).waitFor();
}

test("the header: the account's email, the pages, Sign out; by keyboard with a visible focus; My case while a case is open", async () => {
  const { email, id } = newAccount("ui-nav");
  const page = await browser.newPage();
  const problems = watch(page);
  await signIn(page, email);
  await page.waitForURL("**/account/settings.html");
  const nav = page.getByRole("navigation", { name: "Account" });
  await nav.waitFor();
  await nav.getByText(email).waitFor();
  assert.equal(await nav.getByRole("link", { name: "Security settings" }).getAttribute("aria-current"), "page");
  assert.equal(await nav.getByRole("link", { name: "My case" }).count(), 0, "no case open");
  // keyboard: from the brand, Tab walks the header in order, each with the focus ring
  await page.getByRole("link", { name: "Rekey", exact: true }).focus();
  const walked = [];
  for (let i = 0; i < 3; i++) {
    await page.keyboard.press("Tab");
    walked.push(await page.evaluate(() => {
      const e = document.activeElement;
      return `${e.textContent.trim()}|${getComputedStyle(e).outlineStyle}|${e.closest("header") ? "header" : ""}`;
    }));
  }
  assert.deepEqual(walked, ["Security settings|solid|header", "My passkeys|solid|header", "Sign out|solid|header"]);
  await page.keyboard.press("Shift+Tab");
  await page.keyboard.press("Enter");
  await page.waitForURL("**/account/passkeys.html");
  await nav.waitFor();
  assert.equal(await nav.getByRole("link", { name: "My passkeys" }).getAttribute("aria-current"), "page");
  // the header fits the phone's width: every item inside the window
  const overflow = await page.evaluate(() => [...document.querySelectorAll("header.top nav li")].some((li) => li.getBoundingClientRect().right > window.innerWidth));
  assert.equal(overflow, false);
  // an open case: the header links to it, and the case page shows it signed in, without the mail's link
  sql(`INSERT INTO reset_cases (account_id, open_account_id, route, status, questions_attempts, status_token_hash, route_rule, created_at, updated_at)
       VALUES (${id}, ${id}, 'documents', 'under_review', 0, RANDOM_BYTES(32), 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  await page.reload();
  await nav.getByRole("link", { name: "My case" }).click();
  await page.waitForURL("**/case.html");
  await page.locator("#case-status").filter({ hasText: "Under review" }).waitFor();
  await page.getByRole("navigation", { name: "Account" }).getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(site + "/");
  await page.goto(site + "/account/settings.html");
  await page.waitForURL("**/?next=**");
  assert.equal(await page.getByRole("navigation", { name: "Account" }).count(), 0, "signed out: no account header");
  assert.deepEqual(problems.filter((p) => !/401|Unauthorized/.test(p)), []);
  await page.close();
});

test("change password in settings: a common one is refused, the step-up is asked in place, then the done card and the new password", async () => {
  const { email, id } = newAccount("ui-pw");
  const page = await browser.newPage();
  const problems = watch(page);
  await withAuthenticator(page);
  await signIn(page, email, DEMO_PASSWORD, "/account/passkeys.html");
  await page.waitForURL("**/account/passkeys.html");
  await addPasskey(page, "Laptop");
  sql(`UPDATE sessions SET stepped_up_at = NOW(6) - INTERVAL 1 DAY WHERE account_id = ${id}`);
  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Security settings" }).click();
  await page.waitForURL("**/account/settings.html");
  await page.getByLabel("Current password").fill(DEMO_PASSWORD);
  await page.getByLabel("New password").fill("Password123");
  await page.getByRole("button", { name: "Change password" }).click();
  await page.locator("#new-password-error").filter({ hasText: "list of common passwords" }).waitFor();
  assert.equal(await page.getByLabel("New password").getAttribute("aria-invalid"), "true");
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Change password" }).click();
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await dialog.getByRole("button", { name: "Use a passkey" }).click();
  await page.getByRole("heading", { name: "Password changed" }).waitFor();
  assert.match(await page.locator("#password-done-text").textContent(), /withdrawals are held until/);
  assert.equal(await page.locator("#password-done").getByRole("button", { name: "Sign out everywhere else" }).count(), 1);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id} AND event = 'password_changed'`)[0][0], "1");
  await page.locator("#hold-card").waitFor();
  assert.equal((await new Client().signIn(email, NEW_PASSWORD)).status, 200);
  assert.deepEqual(problems.filter((x) => !/status of 403/.test(x)), []); // the step_up_required answer
  await page.close();
});

test("forgotten password from the sign-in page: email, the code by mail, the passkey, a new password; then sign in with it", async () => {
  const { email, id } = newAccount("ui-forgot");
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  const presence = await withAuthenticator(page);
  await signIn(page, email, DEMO_PASSWORD, "/account/passkeys.html");
  await page.waitForURL("**/account/passkeys.html");
  await addPasskey(page, "Laptop");
  await presence(false);
  await page.getByRole("navigation", { name: "Account" }).getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(site + "/");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await page.waitForURL("**/password-reset.html");
  await page.getByLabel("Email").fill(email);
  const before = mails(email).length;
  await page.getByRole("button", { name: "Send the code" }).click();
  await page.getByText("If an account uses this email, we sent it a code.").waitFor();
  await page.getByLabel("6-digit code").fill(await codeMail(email, before));
  await page.getByRole("button", { name: "Continue" }).click();
  await presence(true);
  await page.getByRole("button", { name: "Use my passkey" }).click();
  await page.getByLabel("New password").fill("qwertyuiop");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await page.locator("#new-password-error").filter({ hasText: "list of common passwords" }).waitFor();
  await page.getByLabel("New password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Set the new password" }).click();
  await page.getByRole("heading", { name: "Your password was changed" }).waitFor();
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id} AND event = 'password_reset'`)[0][0], "1");
  await waitFor(() => mails(email).some((m) => /Subject: Password reset, withdrawals on hold/.test(m)), "the notice");
  await presence(false);
  await page.getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("button", { name: "Use my passkey" }).waitFor();
  await presence(true);
  await page.getByRole("button", { name: "Use my passkey" }).click();
  await page.waitForURL("**/account/settings.html");
  await page.getByRole("navigation", { name: "Account" }).getByText(email).waitFor();
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("forgotten password: an account with neither passkey nor TOTP is sent to the passkey reset's documents route", async () => {
  const { email } = newAccount("ui-forgot-docs");
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(site + "/password-reset.html");
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Send the code" }).click();
  await page.getByLabel("6-digit code").fill(await codeMail(email));
  await page.getByRole("button", { name: "Continue" }).click();
  await page.getByRole("heading", { name: "Verify with documents" }).waitFor();
  assert.equal(await page.getByRole("link", { name: "Continue to the reset" }).getAttribute("href"), "/reset.html?from=signin");
  assert.deepEqual(problems, []);
  await page.close();
});

test("sign out everywhere else: the other session ends and the list shows only this one", async () => {
  const { email } = newAccount("ui-revoke");
  const other = new Client();
  await other.signIn(email);
  const page = await browser.newPage();
  const problems = watch(page);
  await signIn(page, email);
  await page.waitForURL("**/account/settings.html");
  await page.locator("#sessions tr").nth(1).waitFor();
  assert.equal(await page.locator("#sessions tr").count(), 2);
  await page.locator("#signout-others").getByRole("button", { name: "Sign out everywhere else" }).click();
  await page.locator("#signout-others").getByRole("status").filter({ hasText: "1 other session was signed out." }).waitFor();
  await waitFor(async () => (await page.locator("#sessions tr").count()) === 1, "the list of one");
  assert.match(await page.locator("#sessions").textContent(), /this device/);
  assert.equal((await other.get("/api/me")).status, 401);
  assert.deepEqual(problems, []);
  await page.close();
});
