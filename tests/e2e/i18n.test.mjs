// i18n.test.mjs -- issue #20 in Chromium: the delete and the reset flows in
// every language (tests/run.sh runs this suite at both viewports, so Arabic
// runs at the phone's too), each state checked by axe-core (browser.mjs),
// half of them in the dark scheme; the language from Accept-Language, saved
// on the account, its mails in it; the menu; right-to-left mirrored, with
// screenshots in Arabic (build/screenshots/).
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync } from "node:fs";
import { launch, watch, viewportName } from "./browser.mjs";
import { site, Client, sql, origin, mails, waitFor, DEMO_PASSWORD, newAccount } from "../node/stack.mjs";
import { SoftAuthenticator } from "../node/authenticator.mjs";
import { subject, correct } from "../node/reset-helpers.mjs";
import { catalogues, decodeMail } from "../node/i18n-scan.mjs";
import { LANGUAGES, format } from "../../web/js/messages.mjs";
import { root } from "../node/vectors.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const ACCEPT = { en: "en-GB", de: "de-DE", zh: "zh-CN", es: "es-ES", ar: "ar-EG" };
// the dark scheme for two languages, the light one for the rest (pages.test.mjs: every page in both)
const SCHEME = { en: "light", de: "dark", zh: "light", es: "light", ar: "dark" };
const T = (l, key, vars) => format(l, catalogues[l][key], vars);
const shots = root + "build/screenshots/";
mkdirSync(shots, { recursive: true });

async function context(l, cookie) {
  const ctx = await browser.newContext({ locale: ACCEPT[l], colorScheme: SCHEME[l] });
  if (cookie) await ctx.addCookies([{ name: "rk_session", value: cookie, domain: "localhost", path: "/", httpOnly: true, sameSite: "Strict" }]);
  return ctx;
}

async function inLanguage(p, l) {
  // i18n.mjs sets lang and dir, fills the page, then adds the menu: the page's own lang="en" is there before it
  await p.waitForFunction((lang) => document.documentElement.dir && document.querySelector("#language")
    && document.documentElement.lang.startsWith(lang), l === "zh" ? "zh" : l);
  assert.equal(await p.evaluate(() => document.documentElement.dir), l === "ar" ? "rtl" : "ltr");
  assert.equal(await p.locator("#language").inputValue(), l);
}

for (const l of LANGUAGES) {
  test(`${l}: delete a passkey by email code + another passkey, in ${l} from Accept-Language; the account keeps ${l} for its mails`, async () => {
    const { email, id } = newAccount("i18n-del-" + l);
    const c = new Client();
    await c.signIn(email);
    const keys = [];
    for (let i = 0; i < 2; i++) {
      const auth = new SoftAuthenticator({ origin, be: false, bs: false });
      const opts = await c.post("/api/passkeys/registration/options", {});
      const r = await c.post("/api/passkeys/registration", { response: auth.create(opts.json, { counter: 1 }), name: `Key ${i + 1}` });
      assert.equal(r.status, 201);
      keys.push({ auth, id: r.json.id, userHandle: opts.json.user.id });
    }
    const ctx = await context(l, c.cookie.match(/rk_session=([^;]+)/)[1]);
    const p = await ctx.newPage();
    const problems = watch(p);
    const cdp = await ctx.newCDPSession(p);
    await cdp.send("WebAuthn.enable");
    const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
      options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true } });
    const cred = keys[1].auth.creds[0];
    await cdp.send("WebAuthn.addCredential", { authenticatorId, credential: {
      credentialId: Buffer.from(cred.id).toString("base64"), isResidentCredential: true, rpId: "localhost",
      privateKey: cred.privateKey.export({ format: "der", type: "pkcs8" }).toString("base64"),
      userHandle: Buffer.from(keys[1].userHandle, "base64url").toString("base64"), signCount: 5 } });

    await p.goto(site + "/account/passkeys.html");
    await inLanguage(p, l);
    await p.getByRole("heading", { level: 1, name: T(l, "passkeys.my_passkeys") }).waitFor();
    // the account now reads in l: saved for its mails
    await waitFor(() => sql(`SELECT language FROM accounts WHERE id = ${id}`)[0][0] === l || null, "the saved language");
    const before = mails(email).length;
    await p.getByRole("link", { name: T(l, "passkeys.delete_named", { name: "Key 1" }) }).click();
    await p.getByRole("heading", { name: T(l, "delete.delete_a1", { a1: "Key 1" }) }).waitFor();
    await p.locator("#confirm-next").click();
    const mail = decodeMail(await waitFor(() => mails(email).slice(before).find((m) => /\d{6}/.test(m)), "the code mail"));
    assert.match(mail, new RegExp("Subject: " + T(l, "mail.code.subject", { operator: ".+" })));
    await p.getByRole("heading", { name: T(l, "delete.email_verification_code") }).waitFor();
    await p.locator("#email-code").fill(mail.match(/\d{6}/)[0]);
    await p.locator("#email-next").click();
    await p.getByRole("heading", { name: T(l, "delete.verify_with_a_security") }).waitFor();
    await p.locator("#use-passkey").click();
    await p.getByRole("heading", { name: T(l, "delete.passkey_deleted") }).waitFor();
    // #18: the deleted passkey is suspended for the dispute window, not gone: one works
    assert.equal(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${id} AND suspended_until IS NULL`)[0][0], "1");
    // the deletion mail in l, its time in l's format
    const subjectLine = "Subject: " + T(l, "mail.passkey_deleted.subject");
    const deleted = decodeMail(await waitFor(() => mails(email).map(decodeMail).find((m) => m.startsWith(subjectLine)) && mails(email).find((m) => decodeMail(m).startsWith(subjectLine)), "the deletion mail"));
    assert.ok(deleted.includes(T(l, "mail.passkey_deleted.body", { name: "Key 1", factor: T(l, "mail.factor.passkey"), until: "\u0000" }).split("\u0000")[0]), deleted);
    if (l === "en") assert.match(deleted, /until \d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC/);
    await p.goto(site + "/account/settings.html");
    await p.getByRole("heading", { name: T(l, "settings.withdrawals_on_hold") }).waitFor();
    assert.ok((await p.locator("#hold-text").textContent()).includes(T(l, "hold_reason.passkey_deleted")));
    assert.deepEqual(problems, []);
    await ctx.close();
  });

  test(`${l}: reset by the security questions, in ${l}; the reset mails in the account's ${l}`, async () => {
    const a = subject("unverified");
    sql(`UPDATE accounts SET language = '${l}' WHERE id = ${a.id}`);
    const ctx = await context(l);
    const p = await ctx.newPage();
    const problems = watch(p);
    await p.goto(site + "/reset.html");
    await inLanguage(p, l);
    await p.getByRole("heading", { name: T(l, "reset.reset_instructions") }).waitFor();
    assert.equal(await p.locator("#instructions li").first().textContent(), T(l, "reset.instruction.only_if"));
    await p.locator("#agree-button").click();
    assert.equal(await p.locator("#agree-error").textContent(), T(l, "problem.flow_not_agreed"));
    await p.getByLabel(T(l, "reset.agree")).check();
    await p.locator("#agree-button").click();
    await p.locator("#email").fill(a.email);
    await p.locator("#password").fill(DEMO_PASSWORD);
    const before = mails(a.email).length;
    await p.locator("#credentials-button").click();
    await p.getByRole("heading", { name: T(l, "reset.email_verification_code") }).waitFor();
    const mail = decodeMail(await waitFor(() => mails(a.email).slice(before).find((m) => /\d{6}/.test(m)), "the code mail"));
    assert.match(mail, new RegExp(T(l, "mail.code.subject", { operator: ".+" })));
    await p.locator("#code").fill(mail.match(/\d{6}/)[0]);
    await p.locator("#code-button").click();
    await p.getByRole("heading", { name: T(l, "reset.attention") }).waitFor();
    assert.equal(await p.locator("#attention-attempts").textContent(), T(l, "reset.attempts_you_have", { n: 3 }));
    await p.locator("#start-now").click();
    await p.getByRole("heading", { name: T(l, "reset.security_questions") }).waitFor();
    const q = await p.evaluate(() => [...document.querySelectorAll("#questions fieldset")].map((f) => ({
      id: f.dataset.question, legend: f.querySelector("legend").textContent,
      options: [...f.querySelectorAll("label input")].map((i) => ({ id: Number(i.value), label: i.dataset.label })),
    })));
    for (const [i, x] of q.entries()) {
      assert.ok(x.legend.endsWith(T(l, "reset.question." + x.id)), x.legend);
      for (const o of correct(a.id, x)) await p.locator(`input[name=q${i}][value="${o}"]`).check();
    }
    await p.locator("#answers-button").click();
    await p.getByRole("heading", { name: T(l, "reset.your_passkeys_were_reset") }).waitFor();
    assert.equal(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${a.id} AND reason = 'passkey_reset'`)[0][0], "1");
    const done = "Subject: " + T(l, "mail.reset_done.subject");
    await waitFor(() => mails(a.email).some((m) => decodeMail(m).startsWith(done)), "the reset mail in " + l);
    if (l === "ar") await p.screenshot({ path: `${shots}ar-${viewportName}-reset-done.png`, fullPage: true });
    assert.deepEqual(problems, []);
    await ctx.close();
  });
}

test("the language menu: every page has it; a choice signed out stays on this device, signed in it is saved on the account", async () => {
  const { email, id } = newAccount("i18n-menu");
  const ctx = await context("en");
  const p = await ctx.newPage();
  for (const path of ["/", "/reset.html", "/freeze.html", "/case.html", "/nope", "/review/", "/review/enrol.html"]) {
    await p.goto(site + path);
    await p.locator("#language").waitFor();
    assert.deepEqual(await p.locator("#language option").evaluateAll((os) => os.map((o) => o.value)), LANGUAGES, path);
    // each language in its own name (Intl.DisplayNames), whatever the page's language
    assert.deepEqual(await p.locator("#language option").evaluateAll((os) => os.map((o) => o.textContent)),
      ["English", "Deutsch", "简体中文", "español", "العربية"], path);
  }
  await p.goto(site + "/");
  await p.locator("#language").selectOption("es");
  await p.getByRole("heading", { level: 1, name: T("es", "signin.title") }).waitFor();
  await p.goto(site + "/reset.html");
  await inLanguage(p, "es");
  // signing in: the device's choice is saved on the account that has none
  await p.goto(site + "/");
  await p.locator("#email").fill(email);
  await p.locator("#password").fill(DEMO_PASSWORD);
  await p.locator("#signin-button").click();
  await p.waitForURL("**/account/**");
  await waitFor(() => sql(`SELECT language FROM accounts WHERE id = ${id}`)[0][0] === "es" || null, "es saved");
  await p.locator("#language").selectOption("de");
  await waitFor(() => sql(`SELECT language FROM accounts WHERE id = ${id}`)[0][0] === "de" || null, "de saved");
  await inLanguage(p, "de");
  await ctx.close();
  // another device with another Accept-Language: the account's saved choice wins
  const c = new Client();
  await c.signIn(email);
  const other = await context("zh", c.cookie.match(/rk_session=([^;]+)/)[1]);
  const q = await other.newPage();
  await q.goto(site + "/account/settings.html");
  await inLanguage(q, "de");
  await q.getByRole("heading", { level: 1, name: T("de", "settings.security_settings") }).waitFor();
  await other.close();
});

test("right to left: the Arabic pages mirror (header, headings, tables, the steps) and are saved as screenshots", async () => {
  const { email } = newAccount("i18n-rtl");
  const c = new Client();
  await c.signIn(email);
  for (const l of ["en", "ar"]) {
    sql(`UPDATE accounts SET language = NULL WHERE email = '${email}'`); // each context's Accept-Language decides
    const ctx = await context(l, c.cookie.match(/rk_session=([^;]+)/)[1]);
    const p = await ctx.newPage();
    for (const [name, path] of [["signin", "/"], ["settings", "/account/settings.html"], ["reset", "/reset.html"]]) {
      await p.goto(site + path);
      await inLanguage(p, l);
      await p.locator("h1").waitFor();
      const box = async (sel) => p.locator(sel).first().boundingBox();
      const brand = await box("header.top .brand"), menu = await box("#language"), h1 = await box("main h1"), main = await box("main");
      if (l === "ar") {
        // the brand starts on the right, the menu sits on the left; text starts at the right edge
        assert.ok(brand.x > menu.x, `${name}: brand ${brand.x} menu ${menu.x}`);
        assert.ok(Math.abs((h1.x + h1.width) - (main.x + main.width)) <= 24, `${name}: h1 ends at ${h1.x + h1.width}, main at ${main.x + main.width}`);
        assert.equal(await p.locator("main h1").evaluate((e) => getComputedStyle(e).direction), "rtl");
        if (name === "settings") {
          const th = await p.locator("table.cards th").first().evaluate((e) => getComputedStyle(e).textAlign);
          assert.equal(th, "start");
        }
        await p.screenshot({ path: `${shots}ar-${viewportName}-${name}.png`, fullPage: true });
      } else {
        assert.ok(brand.x < menu.x, `${name}: brand ${brand.x} menu ${menu.x}`);
        assert.ok(h1.x - main.x <= 24, `${name}: h1 starts at ${h1.x}, main at ${main.x}`);
      }
    }
    await ctx.close();
  }
});

test("dark and light: every page of the site and the console passes axe-core (color-contrast included) in both schemes", async () => {
  const { email } = newAccount("i18n-dark");
  const c = new Client();
  await c.signIn(email);
  for (const colorScheme of ["dark", "light"]) {
    const ctx = await browser.newContext({ locale: "en-GB", colorScheme });
    await ctx.addCookies([{ name: "rk_session", value: c.cookie.match(/rk_session=([^;]+)/)[1], domain: "localhost", path: "/", httpOnly: true, sameSite: "Strict" }]);
    const p = await ctx.newPage();
    const problems = watch(p);
    for (const path of ["/", "/reset.html", "/freeze.html", "/case.html?token=x", "/nope", "/account/settings.html", "/account/passkeys.html",
      "/account/delete-passkey.html", "/account/bind-totp.html", "/account/bind-phone.html", "/review/", "/review/enrol.html", "/review/case.html?id=1"]) {
      await p.goto(site + path);
      // a page may go on to another once its API answers (the review case signed out: the queue's sign-in)
      await p.waitForLoadState("networkidle");
      await p.locator("#language").waitFor();
      assert.equal(await p.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches), colorScheme === "dark");
      // the page's own background follows the scheme
      const bg = await p.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(bg, colorScheme === "dark" ? "rgb(17, 20, 24)" : "rgb(246, 247, 249)", path);
      await p.waitForTimeout(150); // the state checks (axe) run after the DOM settles
    }
    assert.deepEqual(problems.filter((x) => /^(axe|layout): /.test(x)), []);
    await ctx.close(); // fails on any axe finding of any state (browser.mjs)
  }
});
