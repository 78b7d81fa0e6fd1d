// steps.mjs -- the reset's first steps in a page, shared by the browser suites:
// instructions and "I agree" (refused unticked first), email and password
// (or Forgot password), the code from the mail.
import assert from "node:assert/strict";
import { site, mails, codeMail, DEMO_PASSWORD } from "../node/stack.mjs";

export async function throughCode(p, a, { forgot = false } = {}) {
  await p.goto(site + "/reset.html");
  await p.getByRole("heading", { name: "Reset instructions" }).waitFor();
  await p.getByRole("button", { name: "Confirm" }).click();
  assert.equal(await p.locator("#agree-error").textContent(), 'Tick "I agree" to continue.');
  await p.getByLabel("I agree").check();
  await p.getByRole("button", { name: "Confirm" }).click();
  await p.getByLabel("Email", { exact: true }).fill(a.email);
  if (forgot) {
    await p.getByRole("button", { name: "Forgot password?" }).click();
    assert.match(await p.locator("#forgot-note").textContent(), /review of your documents/);
  } else {
    await p.getByLabel("Password").fill(DEMO_PASSWORD);
  }
  const before = mails(a.email).length;
  await p.locator("#credentials-button").click();
  await p.getByLabel("Email verification code").waitFor();
  await p.getByLabel("Email verification code").fill(await codeMail(a.email, before));
  await p.locator("#code-button").click();
}
