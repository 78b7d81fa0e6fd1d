// pages.test.mjs -- the core and the platform pages in a real browser.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { launch, watch } from "./browser.mjs";
import { site as base, newAccount, totp, base32Decode, smsFor, waitFor, DEMO_PASSWORD } from "../node/stack.mjs";
import { root } from "../node/vectors.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test("core.wasm loads in Chromium and checks a real screenshot like Node does", async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(base + "/");
  const png = [...readFileSync(root + "tests/vectors/image/corpus/email-1080x2400.png")];
  const flood = [...readFileSync(root + "tests/vectors/image/corpus/pixel-flood.png")];
  const r = await page.evaluate(async ([a, b]) => {
    const { loadCore } = await import("/js/core.mjs");
    const core = await loadCore();
    return {
      version: core.version,
      good: core.image.checkScreenshot(new Uint8Array(a)),
      flood: core.image.checkScreenshot(new Uint8Array(b)),
      addr: core.chain.validateAddress("ETH", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"),
      b64: core.b64url.encode(new Uint8Array([251, 255])),
    };
  }, [png, flood]);
  const { loadCore } = await import("../../web/js/core.mjs");
  const node = (await loadCore()).image.checkScreenshot(readFileSync(root + "tests/vectors/image/corpus/email-1080x2400.png"));
  assert.deepEqual(r.good, node, "the browser and Node reach the same verdict");
  assert.equal(r.good.ok, true);
  assert.deepEqual(r.flood.problems, ["image_too_many_pixels", "image_too_large"]);
  assert.deepEqual(r.addr.problems, ["address_bad_checksum"]);
  assert.equal(r.b64, "-_8");
  assert.deepEqual(problems, []);
  await page.close();
});

test("pages are served with a strict CSP and no inline script", async () => {
  const res = await fetch(base + "/");
  const csp = res.headers.get("content-security-policy");
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  for (const p of ["/", "/account/settings.html", "/account/bind-totp.html", "/account/bind-phone.html", "/account/passkeys.html", "/account/delete-passkey.html", "/freeze.html", "/reset.html", "/case.html", "/dev/mail.html"]) {
    const html = await (await fetch(base + p)).text();
    assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/, `${p} has an inline script`);
    assert.doesNotMatch(html, /\son[a-z]+=/, `${p} has an inline handler`);
  }
});

test("sign in, see the settings page, sign out", async () => {
  const { email } = newAccount("ui-signin");
  const page = await browser.newPage();
  const problems = watch(page);
  await page.goto(base + "/");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("x");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  assert.equal(await page.locator("#email-error").textContent(), "Enter a valid email address.");
  assert.equal(await page.getByLabel("Email").getAttribute("aria-invalid"), "true");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("wrong-password-1");
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.getByRole("alert").filter({ hasText: "The email or password is wrong." }).waitFor();
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/account/settings.html");
  await page.getByRole("heading", { name: "Security settings" }).waitFor();
  await page.locator("#sessions tr").first().waitFor();
  assert.match(await page.locator("#sessions").textContent(), /this device/);
  assert.ok((await page.locator("#signins tr").count()) >= 1);
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await page.waitForURL(base + "/");
  await page.goto(base + "/account/settings.html");
  await page.waitForURL("**/?next=**");
  assert.deepEqual(problems.filter((p) => !/401|Unauthorized/.test(p)), []);
  await page.close();
});

test("bind an authenticator app from the QR page, then sign in with a code", async () => {
  const { email } = newAccount("ui-totp");
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(base + "/");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/account/settings.html");
  await page.getByRole("link", { name: "Bind" }).first().click();
  await page.waitForURL("**/bind-totp.html");
  await page.getByRole("img", { name: "QR code for your authenticator app" }).waitFor();
  const key = (await page.locator("#secret").textContent()).replace(/\s/g, "");
  const secret = base32Decode(key);
  await page.getByLabel("6-digit code").fill("12");
  await page.getByRole("button", { name: "Bind" }).click();
  assert.equal(await page.locator("#code-error").textContent(), "Enter the 6-digit code.");
  await page.getByLabel("6-digit code").fill(totp(secret));
  await page.getByRole("button", { name: "Bind" }).click();
  await page.getByRole("status").filter({ hasText: "Your authenticator app is bound" }).waitFor();
  await ctx.close();

  const ctx2 = await browser.newContext();
  const p2 = await ctx2.newPage();
  await p2.goto(base + "/");
  await p2.getByLabel("Email").fill(email);
  await p2.getByLabel("Password").fill(DEMO_PASSWORD);
  await p2.getByRole("button", { name: "Sign in", exact: true }).click();
  await p2.getByLabel("Code").waitFor();
  await p2.getByLabel("Code").fill(totp(secret, 1));
  await p2.getByRole("button", { name: "Continue" }).click();
  await p2.waitForURL("**/account/settings.html");
  await p2.locator("#totp-state .status-on").waitFor();
  await ctx2.close();
});

test("bind a phone with the SMS code", async () => {
  const { email } = newAccount("ui-phone");
  const number = "+4178" + String(Date.now()).slice(-7);
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await page.goto(base + "/?next=/account/bind-phone.html");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/bind-phone.html");
  await page.getByLabel("Phone number").fill("12345");
  await page.getByRole("button", { name: "Send code" }).click();
  assert.match(await page.locator("#phone-error").textContent(), /country code/);
  await page.getByLabel("Phone number").fill(number);
  await page.getByRole("button", { name: "Send code" }).click();
  await page.getByLabel("Code from the SMS").waitFor();
  const sms = await waitFor(() => smsFor(number).find((t) => /code: \d{6}/.test(t)), "SMS");
  await page.getByLabel("Code from the SMS").fill(sms.match(/code: (\d{6})/)[1]);
  await page.getByRole("button", { name: "Bind" }).click();
  await page.getByRole("status").filter({ hasText: "Your phone is bound." }).waitFor();
  await ctx.close();
});

test("the dev outbox page lists messages", async () => {
  const page = await browser.newPage();
  const problems = watch(page); // long links in mails wrap instead of widening the page
  await page.goto(base + "/dev/mail.html");
  await page.locator("article").first().waitFor();
  assert.ok((await page.locator("article").count()) > 0);
  await page.waitForTimeout(300); // the last state checked
  assert.deepEqual(problems, []);
  await page.close();
});

test("times say their zone: the browser's, with UTC on hover", async () => {
  const { email } = newAccount("ui-tz");
  const ctx = await browser.newContext({ timezoneId: "Asia/Tokyo" });
  const page = await ctx.newPage();
  const problems = watch(page);
  await page.goto(base + "/");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL("**/account/settings.html");
  const t = page.locator("#sessions time").first();
  await t.waitFor();
  assert.match(await t.textContent(), /GMT\+9|JST/);
  assert.match(await t.getAttribute("title"), /UTC/);
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("a missing page is a page in the product's style, still a 404", async () => {
  const page = await browser.newPage();
  const problems = watch(page);
  const r = await page.goto(base + "/no/such/page.html");
  assert.equal(r.status(), 404);
  await page.getByRole("heading", { name: "Page not found" }).waitFor();
  await page.getByRole("link", { name: "Reset passkeys" }).waitFor();
  // where to get help: the support_contact setting (the test stack's is support@rekey.test)
  assert.equal(await page.getByRole("link", { name: "support@rekey.test" }).getAttribute("href"), "mailto:support@rekey.test");
  assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []);
  await page.close();
});

test("sign-in offers passkeys in the email field's autofill and carries the email to the reset", async () => {
  const ctx = await browser.newContext();
  // what the page asks of navigator.credentials.get, seen before the page's own script runs
  await ctx.addInitScript(() => {
    window.__mediations = [];
    const get = navigator.credentials.get.bind(navigator.credentials);
    navigator.credentials.get = (o) => { window.__mediations.push(o.mediation || "modal"); return get(o); };
  });
  const page = await ctx.newPage();
  const problems = watch(page);
  await page.goto(base + "/");
  assert.equal(await page.getByLabel("Email").getAttribute("autocomplete"), "username webauthn");
  await page.waitForFunction(() => window.__mediations.includes("conditional"));
  // the email typed here is the reset's
  await page.getByLabel("Email").fill("someone@rekey.test");
  await page.getByRole("link", { name: "Lost all your passkeys?" }).click();
  await page.getByRole("heading", { name: "Reset instructions" }).waitFor();
  await page.getByLabel("I agree").check();
  await page.getByRole("button", { name: "Confirm" }).click();
  assert.equal(await page.getByLabel("Email", { exact: true }).inputValue(), "someone@rekey.test");
  assert.deepEqual(problems, []);
  await ctx.close();
});
