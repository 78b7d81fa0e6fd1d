// api_durations.test.mjs -- #25: the durations and counts that texts state
// come from the configuration: GET /api/settings answers them, the API's
// own texts (the delete warning, the reset instructions, refusals) use the
// same words, and no C source states a duration of its own.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Client, ctl, newAccount, origin } from "./stack.mjs";
import { root, sourceFiles } from "./vectors.mjs";
import { SoftAuthenticator } from "./authenticator.mjs";

const config = Object.fromEntries(ctl("config").trim().split("\n").map((l) => l.split(/\s+/)).map(([k, v]) => [k, v]));

test("GET /api/settings answers the configured durations, as numbers and as words", async () => {
  const r = await new Client().get("/api/settings");
  assert.equal(r.status, 200);
  for (const k of ["hold_hours", "freeze_hold_hours", "code_seconds", "code_resend_seconds", "dispute_hours", "freeze_link_hours", "delete_flow_seconds", "reset_flow_seconds", "handoff_seconds",
    "signin_window_seconds", "face_frames", "step_up_seconds"]) assert.equal(r.json[k], Number(config[k]), k);
  assert.equal(typeof r.json.operator, "string");
  const words = (s) => (s % 86400 === 0 && s / 86400 > 2 ? `${s / 86400} days` : s % 3600 === 0 ? `${s / 3600} hour${s === 3600 ? "" : "s"}`
    : s % 60 === 0 ? `${s / 60} minute${s === 60 ? "" : "s"}` : `${s} seconds`);
  assert.deepEqual(r.json.texts, {
    hold: words(r.json.hold_hours * 3600), freeze_hold: words(r.json.freeze_hold_hours * 3600), code: words(r.json.code_seconds),
    code_resend: words(r.json.code_resend_seconds), dispute: words(r.json.dispute_hours * 3600), freeze_link: words(r.json.freeze_link_hours * 3600),
    delete_flow: words(r.json.delete_flow_seconds), reset_flow: words(r.json.reset_flow_seconds), handoff: words(r.json.handoff_seconds),
    signin_window: words(r.json.signin_window_seconds), review_claim: words(Number(config.review_claim_minutes) * 60),
    step_up: words(r.json.step_up_seconds),
  });
  assert.equal((await new Client().get("/api/settings?x=1")).status, 400);
});

test("the API's texts say the configured durations", async () => {
  const { texts } = (await new Client().get("/api/settings")).json;
  const reset = await new Client().post("/api/reset", { entry: "direct" });
  assert.ok(reset.json.instructions.some((t) => t.includes(`withdrawals are held for ${texts.hold}`)), reset.text);
  // the deletion's warning
  const { email } = newAccount("settings");
  const c = new Client();
  await c.signIn(email);
  const auth = new SoftAuthenticator({ origin });
  for (let i = 0; i < 2; i++) {
    const o = await c.post("/api/passkeys/registration/options", {});
    assert.equal((await c.post("/api/passkeys/registration", { response: auth.create(o.json) })).status, 201);
  }
  const pk = (await c.get("/api/passkeys")).json.passkeys[0].id;
  const d = await c.post(`/api/passkeys/${pk}/delete`, {});
  assert.equal(d.status, 201, d.text);
  assert.match(d.json.warning, new RegExp(`holds withdrawals for ${texts.hold}\\.$`));
});

test("no page states a duration of its own: each is a data-duration span or asks durations.mjs", () => {
  const stated = /\b(\d+ (hours?|minutes?|days?|seconds?)|an hour|a minute|a day)\b/;
  const offenders = [];
  for (const f of sourceFiles("web", /\.(html|mjs)$/)) {
    readFileSync(f, "utf8").split("\n").forEach((l, i) => {
      // data-estimate: how long something usually takes, not a setting
      const bare = l.replace(/<span data-(duration="[a-z_]+"|estimate)[^>]*>[^<]*<\/span>/g, "").replace(/duration\("[a-z_]+", "[^"]*"\)/g, "")
        .replace(/^\s*\/\/.*$/, "").replace(/<option[^>]*>[^<]*<\/option>/g, ""); // comments; the review queue's age filter
      if (stated.test(bare)) offenders.push(`${f}:${i + 1}: ${l.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});

test("no C text states a duration of its own: each reads the configuration ({hold}, {code}, ...)", () => {
  const stated = /"[^"\n]*\b(\d+ (hours?|minutes?|days?|seconds?)|an hour|a minute|a day)\b[^"\n]*"/;
  const offenders = [];
  for (const f of sourceFiles("cgi", /\.[ch]$/, ["ops"])) {
    const lines = readFileSync(f, "utf8").split("\n");
    lines.forEach((l, i) => {
      if (/^\s*(\/\*|\*)/.test(l)) return;                            // comments may say what a default is
      if (/\b[IS]\([a-z_]+, "/.test(l)) return;                        // the configuration's own descriptions
      if (stated.test(l)) offenders.push(`${f}:${i + 1}: ${l.trim()}`);
    });
  }
  assert.deepEqual(offenders, []);
});
