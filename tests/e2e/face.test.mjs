// face.test.mjs -- Case 2 in Chromium with a fake camera playing a .y4m made
// here: a well-lit centred "face" gets three pictures taken and the case goes
// to review; a dark one gets the article's tip and nothing is uploaded.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { launch, watch } from "./browser.mjs";
import { site, sql } from "../node/stack.mjs";
import { throughCode } from "./steps.mjs";
import { subject } from "../node/reset-helpers.mjs";
import { frameY4m } from "../node/frames.mjs";

const tmp = mkdtempSync(tmpdir() + "/rekey-face-");
after(() => rmSync(tmp, { recursive: true, force: true }));

async function camera(opts) {
  const file = `${tmp}/cam-${Object.values(opts).join("-") || "good"}.y4m`;
  writeFileSync(file, frameY4m(opts));
  return launch(["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", `--use-file-for-fake-video-capture=${file}`]);
}

async function toFace(browser, a) {
  const ctx = await browser.newContext({ permissions: ["camera"] });
  const p = await ctx.newPage();
  const problems = watch(p);
  await throughCode(p, a);
  await p.getByRole("heading", { name: "Facial Recognition" }).waitFor();
  await p.getByRole("button", { name: "Continue" }).click();
  await p.getByRole("button", { name: "Continue on this device" }).click();
  await p.getByRole("button", { name: "Continue" }).click();
  assert.equal(await p.locator("#face-country-error").textContent(), "Choose your country of residence.");
  await p.getByLabel("Country of residence").selectOption("CH");
  await p.getByRole("button", { name: "Continue" }).click();
  await p.getByRole("heading", { name: "Take the pictures" }).waitFor();
  return { ctx, p, problems };
}

test("a well-lit face: three pictures, checked again by the server, case under review", async () => {
  const browser = await camera({});
  try {
    const a = subject("verified", "100000", { tool: false });
    const { ctx, p, problems } = await toFace(browser, a);
    // what was sent, and the face route's own deadline (review_sla_face_hours)
    await p.getByRole("heading", { name: "Your face pictures are under review" }).waitFor({ timeout: 20000 });
    assert.match(await p.locator("#review-text").textContent(), /identity photo on file .* within 24 hours\./);
    const [caseId, status, country] = sql(`SELECT id, status, residence_country FROM reset_cases WHERE account_id = ${a.id}`)[0];
    assert.deepEqual([status, country], ["under_review", "CH"]);
    assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE case_id = ${caseId} AND kind = 'face_frame' AND width = 640 AND height = 480`)[0][0], "3");
    assert.deepEqual(problems, []);
    await ctx.close();
  } finally {
    await browser.close();
  }
});

test("a dark room: the tip says so and no picture is taken", async () => {
  const browser = await camera({ scale: 0.3 });
  try {
    const a = subject("verified", "100000", { tool: false });
    const { ctx, p } = await toFace(browser, a);
    await p.locator("#face-tip").getByText("Too dark: move somewhere brighter.").waitFor({ timeout: 15000 });
    await p.waitForTimeout(1500); // several more frames measured
    assert.equal(await p.locator("#face-count").textContent(), "0 of 3 pictures taken.");
    // no picture for a while: tips and a way out (issue #16: the camera step was a dead end)
    await p.locator("#face-stuck").waitFor({ timeout: 20000 });
    await p.getByRole("button", { name: "Use another device" }).click();
    await p.getByRole("button", { name: "Continue on phone" }).waitFor();
    const [caseId, status] = sql(`SELECT id, status FROM reset_cases WHERE account_id = ${a.id}`)[0];
    assert.equal(status, "awaiting_evidence");
    assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE case_id = ${caseId}`)[0][0], "0");
    await ctx.close();
  } finally {
    await browser.close();
  }
});

test("continue on phone: the computer shows a QR code, the phone takes over once, the computer says so", async () => {
  const phoneBrowser = await camera({});
  const desk = await launch();
  try {
    const a = subject("verified", "100000", { tool: false });
    const dctx = await desk.newContext();
    const d = await dctx.newPage();
    await throughCode(d, a);
    await d.getByRole("heading", { name: "Facial Recognition" }).waitFor();
    await d.getByRole("button", { name: "Continue" }).click();
    const [resp] = await Promise.all([d.waitForResponse((r) => r.url().endsWith("/face/handoff")), d.getByRole("button", { name: "Continue on phone" }).click()]);
    const { url } = await resp.json();
    await d.getByRole("img", { name: "QR code to continue on your phone" }).waitFor();
    assert.match(await d.locator("#face-handoff-status").textContent(), /Waiting for your phone/);

    const pctx = await phoneBrowser.newContext({ permissions: ["camera"] });
    const p = await pctx.newPage();
    await p.goto(url.replace(/^http:\/\/localhost:\d+/, site));
    await p.getByRole("heading", { name: "Country of residence" }).waitFor();
    assert.equal(new URL(p.url()).search, "", "the token left the address bar");
    await d.getByText("Your phone has taken over: finish there.").waitFor({ timeout: 10000 });
    await p.getByLabel("Country of residence").selectOption("DE");
    await p.getByRole("button", { name: "Continue" }).click();
    // what was sent, and the face route's own deadline (review_sla_face_hours)
    await p.getByRole("heading", { name: "Your face pictures are under review" }).waitFor({ timeout: 20000 });
    assert.match(await p.locator("#review-text").textContent(), /identity photo on file .* within 24 hours\./);
    assert.deepEqual(sql(`SELECT status, residence_country FROM reset_cases WHERE account_id = ${a.id}`)[0], ["under_review", "DE"]);
    // the same link a second time
    const p2 = await pctx.newPage();
    await p2.goto(url.replace(/^http:\/\/localhost:\d+/, site));
    await p2.getByText("This link was already used.").waitFor();
    await pctx.close();
    await dctx.close();
  } finally {
    await phoneBrowser.close();
    await desk.close();
  }
});
