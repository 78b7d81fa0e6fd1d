// admin.test.mjs -- the admin console (/review/admin.html) in Chromium, at the
// suite's viewport (tests/run.sh runs it at 1280 px and at 390 px): an admin
// signed in with a passkey (virtual authenticator, user verification on)
// adds a reviewer and hands over the one-time link, which enrols the new
// reviewer in another browser; roles changed, disabled (the reviewer's page
// is signed out), enabled; the policy in force; the audit verified and a
// signed checkpoint downloaded that rekeyctl audit-verify accepts; the
// delivery and face-check health. A reviewer without the admin role sees
// only a refusal. axe-core and the layout checks run on every state
// (browser.mjs); no console error, no CSP violation.
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { launch, watch } from "./browser.mjs";
import { site, sql, ctl, ctlStatus, uniqueEmail } from "../node/stack.mjs";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function withAuthenticator(ctx, page) {
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: { protocol: "ctap2", transport: "internal", hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });
}

// a browser that enrols through LINK (the reviewer's own email shown) and lands in the queue
async function enrolIn(link, email) {
  const ctx = await browser.newContext({ acceptDownloads: true });
  const page = await ctx.newPage();
  const problems = watch(page);
  await withAuthenticator(ctx, page);
  await page.goto(link.replace(/^http:\/\/localhost:\d+/, site));
  await page.getByText(`You are enrolling as ${email}`).waitFor();
  await page.getByRole("button", { name: "Create passkey" }).click();
  await page.waitForURL("**/review/");
  await page.getByRole("heading", { name: "Cases waiting" }).or(page.getByText("Your roles do not include reviewing cases.")).waitFor();
  return { ctx, page, problems };
}

test("an admin manages reviewers, reads the policy, verifies the audit and downloads a checkpoint rekeyctl accepts", async () => {
  const adminEmail = uniqueEmail("uiadmin");
  const admin = await enrolIn(ctl("reviewer", "add", adminEmail, "admin").trim(), adminEmail);
  const { page } = admin;
  // an admin without a reviewing role has no queue: the queue page says so and links to the console
  await page.getByText("Your roles do not include reviewing cases.").waitFor();
  // the queue links to the console for admins
  await page.getByRole("link", { name: "Administration" }).click();
  await page.waitForURL("**/review/admin.html");
  await page.getByRole("heading", { name: "Reviewers" }).waitFor();
  const adminRow = page.locator("#reviewers tr", { hasText: adminEmail });
  await adminRow.getByText("you").waitFor();
  // an admin cannot disable themselves: no such button on their own row
  assert.equal(await adminRow.getByRole("button", { name: `Disable ${adminEmail}` }).count(), 0);

  // add: no role chosen is refused in the page
  const email = uniqueEmail("uinew");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.locator("#add-roles").getByLabel("Reviewer").uncheck();
  await page.getByRole("button", { name: "Add reviewer" }).click();
  await page.getByText("Choose one or more roles.").waitFor();
  await page.locator("#add-roles").getByLabel("Senior").check();
  await page.getByRole("button", { name: "Add reviewer" }).click();
  await page.getByText(`Give this link to ${email}`).waitFor();
  const link = await page.getByLabel("Enrolment link (shown once)").inputValue();
  assert.match(link, /\/review\/enrol\.html\?token=[A-Za-z0-9_-]{43}$/);
  const row = page.locator("#reviewers tr", { hasText: email });
  await row.getByText("Never").waitFor();
  assert.match(await row.innerText(), /Senior/);
  // the same email again: said beside the form
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByRole("button", { name: "Add reviewer" }).click();
  await page.getByText("This email already belongs to a reviewer.").waitFor();

  // the link enrols the new reviewer in their own browser
  const other = await enrolIn(link, email);
  await page.reload();
  await row.locator("time").waitFor();
  assert.match(await row.innerText(), /\b1\b/, "one passkey");

  // roles
  await row.getByRole("button", { name: `Change roles of ${email}` }).click();
  const editor = page.getByRole("form", { name: `Roles of ${email}` });
  await editor.getByLabel("Reviewer").check();
  await editor.getByRole("button", { name: "Save roles" }).click();
  await page.getByText(`Roles of ${email} saved.`).waitFor();
  await page.locator("#reviewers tr", { hasText: email }).getByText("Reviewer, Senior").waitFor();
  assert.equal(sql(`SELECT roles FROM reviewers WHERE email = '${email}'`)[0][0], "reviewer,senior");

  // disable: the reviewer's own page is signed out
  await page.getByRole("button", { name: `Disable ${email}` }).click();
  await page.getByText(`${email} is disabled and signed out.`).waitFor();
  await page.locator("#reviewers tr", { hasText: email }).getByText("Disabled").waitFor();
  await other.page.reload();
  await other.page.getByRole("button", { name: "Sign in with a passkey" }).waitFor();
  await page.getByRole("button", { name: `Enable ${email}` }).click();
  await page.getByText(`${email} is enabled.`).waitFor();
  assert.equal(sql(`SELECT disabled_at IS NULL FROM reviewers WHERE email = '${email}'`)[0][0], "1");

  // policy, audit, health
  await page.getByText("Reasons to approve").waitFor();
  assert.match(await page.locator("#policy").innerText(), /evidence_consistent/);
  await page.getByRole("button", { name: "Verify every chain now" }).click();
  await page.getByText(/Every chain intact: [\d,]+ entries checked\./).waitFor(); // the count is formatted for the reader (1,234)
  await page.getByRole("button", { name: "Take a signed checkpoint" }).click();
  const dl = page.waitForEvent("download");
  await page.getByRole("link", { name: /^Download rekey-audit-checkpoint-/ }).click();
  const download = await dl;
  const dir = mkdtempSync(`${tmpdir()}/rekey-e2e-cp-`);
  try {
    const file = `${dir}/${download.suggestedFilename()}`;
    await download.saveAs(file);
    assert.match(readFileSync(file, "utf8"), /^rekey-audit-checkpoint v1\n/);
    const v = ctlStatus("audit-verify", file);
    assert.equal(v.code, 0, v.out);
    assert.match(v.out, /holds/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  await page.getByRole("table", { name: "Mail and SMS" }).waitFor();
  await page.getByText(/^Face provider: /).waitFor();
  // every step was audited as this admin
  const adminId = sql(`SELECT id FROM reviewers WHERE email = '${adminEmail}'`)[0][0];
  const events = sql(`SELECT event FROM audit_log WHERE chain_id = 0 AND actor = 'reviewer:${adminId}' ORDER BY seq`).map((r) => r[0]);
  for (const e of ["reviewer_added", "reviewer_roles", "reviewer_disabled", "reviewer_enabled", "audit_checkpoint_taken"])
    assert.ok(events.includes(e), `${e} in ${events}`);
  assert.deepEqual(admin.problems.filter((p) => !/status of 409/.test(p)), []);
  assert.deepEqual(other.problems.filter((p) => !/status of 401/.test(p)), []);
  await other.ctx.close();
  await admin.ctx.close();
});

test("a reviewer without the admin role sees only a refusal, and the queue has no link to the console", async () => {
  const email = uniqueEmail("uinoadmin");
  const r = await enrolIn(ctl("reviewer", "add", email, "reviewer,senior").trim(), email);
  assert.equal(await r.page.getByRole("link", { name: "Administration" }).isVisible(), false);
  await r.page.goto(site + "/review/admin.html");
  await r.page.getByRole("heading", { name: "Administrators only" }).waitFor();
  assert.equal(await r.page.getByRole("heading", { name: "Reviewers" }).isVisible(), false);
  assert.deepEqual(r.problems, []);
  await r.ctx.close();
});

test("signed out, the console asks for the reviewer's passkey", async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  await page.goto(site + "/review/admin.html");
  await page.getByRole("button", { name: "Sign in with a passkey" }).waitFor();
  assert.equal(await page.getByRole("heading", { name: "Reviewers" }).isVisible(), false);
  assert.deepEqual(problems.filter((p) => !/status of 401/.test(p)), []);
  await ctx.close();
});
