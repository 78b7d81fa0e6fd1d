// reset.test.mjs -- the reset in Chromium: the entries on the settings page,
// the consent gate, Case 1 answered right and wrong, the forgot-password route.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { launch, watch } from "./browser.mjs";
import { site, Client, sql, origin, codeMail, mails, waitFor, totp, base32Decode, DEMO_PASSWORD } from "../node/stack.mjs";
import { SoftAuthenticator } from "../node/authenticator.mjs";
import { subject, correct } from "../node/reset-helpers.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signedInPage(client) {
  const ctx = await browser.newContext();
  await ctx.addCookies([{ name: "rk_session", value: client.cookie.match(/rk_session=([^;]+)/)[1], domain: "localhost", path: "/",
    httpOnly: true, sameSite: "Strict" }]);
  return { ctx, p: await ctx.newPage() };
}

async function withPasskey(a) {
  const c = new Client();
  await c.signIn(a.email);
  const o = await c.post("/api/passkeys/registration/options", {});
  assert.equal((await c.post("/api/passkeys/registration", { response: new SoftAuthenticator({ origin }).create(o.json) })).status, 201);
  return c;
}

test("settings: passkeys only -> the unavailable link; with TOTP -> switch tool, then the passkey option", async () => {
  const a = subject("unverified", "100000", { tool: false });
  const c = await withPasskey(a);
  let { ctx, p } = await signedInPage(c);
  await p.goto(site + "/account/settings.html");
  await p.getByRole("link", { name: "Security verification unavailable?" }).waitFor();
  assert.equal(await p.getByRole("heading", { name: "Switch verification tool" }).isVisible(), false);
  await p.getByRole("link", { name: "Security verification unavailable?" }).click();
  await p.waitForURL("**/reset.html?from=settings");
  await p.getByRole("heading", { name: "Reset instructions" }).waitFor();
  await ctx.close();

  const s = await c.post("/api/totp/setup", {});
  await c.post("/api/totp/confirm", { code: totp(base32Decode(s.json.secret)) });
  ({ ctx, p } = await signedInPage(c));
  await p.goto(site + "/account/settings.html");
  await p.getByRole("heading", { name: "Switch verification tool" }).waitFor();
  assert.equal(await p.getByRole("link", { name: "Security verification unavailable?" }).isVisible(), false);
  await p.getByLabel("Verify with").selectOption("passkey");
  await p.getByRole("link", { name: "Reset your passkeys" }).click();
  await p.waitForURL("**/reset.html?from=settings");
  await ctx.close();
});

async function throughCode(p, a, { forgot = false } = {}) {
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

async function answer(p, a, right) {
  await p.getByRole("heading", { name: "Security questions" }).waitFor();
  const q = await p.evaluate(() => [...document.querySelectorAll("#questions fieldset")].map((f) => ({
    text: f.querySelector("legend").textContent,
    options: [...f.querySelectorAll("label")].map((l) => ({ id: Number(l.querySelector("input").value), label: l.textContent.trim() })),
  })));
  const ids = { "deposited": "deposit_coins", "withdrawals": "withdraw_networks", "countries": "signin_countries", "month": "account_opened", "most recent": "last_withdrawal" };
  for (let i = 0; i < q.length; i++) {
    const id = Object.entries(ids).find(([k]) => q[i].text.includes(k))[1];
    const good = correct(a.id, { id, options: q[i].options });
    const pick = right ? good : [q[i].options.map((o) => o.id).find((x) => !good.includes(x))];
    for (const o of pick) await p.locator(`input[name=q${i}][value="${o}"]`).check();
  }
  await p.getByRole("button", { name: "Submit answers" }).click();
}

test("Case 1 answered right: passkeys gone, sessions revoked, hold present, mail sent", async () => {
  const a = subject("unverified");
  const old = await withPasskey(a);
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  const problems = watch(p);
  await throughCode(p, a);
  await p.getByRole("heading", { name: "Attention" }).waitFor();
  await p.getByRole("button", { name: "Start now" }).click();
  await answer(p, a, true);
  await p.getByRole("heading", { name: "Your passkeys were reset" }).waitFor();
  assert.equal(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${a.id}`)[0][0], "0");
  assert.equal((await old.get("/api/me")).status, 401);
  assert.equal(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${a.id} AND reason = 'passkey_reset'`)[0][0], "1");
  await waitFor(() => mails(a.email).some((m) => /Subject: Your passkeys were reset/.test(m)), "the reset mail");
  await p.getByRole("link", { name: "Bind a new passkey now" }).click();
  await p.getByRole("heading", { name: "My passkeys" }).waitFor();
  await p.getByText("Your account has no passkey protection").waitFor();
  assert.deepEqual(problems, []);
  await ctx.close();
});

test("Case 1 answered wrong three times: routed to manual review", async () => {
  const a = subject("unverified");
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await throughCode(p, a);
  await p.getByRole("button", { name: "Start now" }).click();
  for (let i = 1; i <= 3; i++) {
    await answer(p, a, false);
    await p.getByRole("heading", { name: "Some answers were not right" }).waitFor();
    if (i < 3) await p.getByRole("button", { name: "Continue" }).click();
  }
  assert.match(await p.locator("#failed-text").textContent(), /No attempts are left/);
  assert.equal(await p.getByRole("button", { name: "Continue" }).isVisible(), false);
  await p.locator("#step-failed button.documents").click();
  await p.getByRole("heading", { name: "Documents for review" }).waitFor();
  assert.equal(sql(`SELECT route, status FROM reset_cases WHERE account_id = ${a.id}`)[0].join(), "documents,awaiting_evidence");
  await ctx.close();
});

test("forgot password goes to document review and says so", async () => {
  const a = subject("unverified");
  const ctx = await browser.newContext();
  const p = await ctx.newPage();
  await throughCode(p, a, { forgot: true });
  await p.getByRole("heading", { name: "Documents for review" }).waitFor();
  const mail = await waitFor(() => mails(a.email).find((m) => /Subject: Passkey reset started/.test(m)), "the case mail");
  const token = mail.match(/case\.html\?token=([A-Za-z0-9_-]{43})/)[1];
  await p.goto(`${site}/case.html?token=${token}`);
  await p.getByText("Waiting for your evidence").waitFor();
  assert.ok((await p.locator("#timeline tr").count()) >= 2);
  await ctx.close();
});
