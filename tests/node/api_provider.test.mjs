// api_provider.test.mjs -- Case 2 with an external face verification
// provider (face_provider = http). A real HTTP server on loopback plays the
// provider: it receives the check Rekey creates (frames + identity photo)
// and answers through the signed webhook. Bad signatures, stale or future
// timestamps, replays and unknown checks are refused; a match fails when
// the primary identity verification is invalid.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import crypto from "node:crypto";
import { base, origin, sql, ctl, mails, waitFor, Client } from "./stack.mjs";
import { routedTo } from "./reset-helpers.mjs";
import { framePng } from "./frames.mjs";

const PROVIDER_PORT = Number(process.env.REKEY_TEST_PROVIDER_PORT);
const SECRET = process.env.REKEY_TEST_WEBHOOK_SECRET;
const TOKEN = process.env.REKEY_TEST_PROVIDER_TOKEN;
assert.ok(PROVIDER_PORT && SECRET && TOKEN, "run by tests/run.sh with the provider settings");

// the provider: records each check; busy (503) for the first attempt of each reference from Liechtenstein
const checks = new Map();
const busyOnce = new Set();
const provider = http.createServer((req, res) => {
  const parts = [];
  req.on("data", (d) => parts.push(d));
  req.on("end", () => {
    const body = Buffer.concat(parts).toString();
    let j = null;
    try { j = JSON.parse(body); } catch { /* answered 400 below */ }
    if (req.method !== "POST" || req.url !== "/checks" || req.headers.authorization !== `Bearer ${TOKEN}` || !j) {
      res.writeHead(400).end();
      return;
    }
    if (j.country === "LI" && !busyOnce.has(j.reference)) {
      busyOnce.add(j.reference);
      res.writeHead(503).end("busy");
      return;
    }
    checks.set(j.reference, { ...j, auth: req.headers.authorization, type: req.headers["content-type"] });
    res.writeHead(201, { "Content-Type": "application/json" }).end(JSON.stringify({ id: `chk_${checks.size}` }));
  });
});
await new Promise((ok) => provider.listen(PROVIDER_PORT, "127.0.0.1", ok));
after(() => provider.close());

const sign = (body, ts, secret = SECRET) => "v1=" + crypto.createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex");
async function hook(obj, { ts = Math.floor(Date.now() / 1000), secret = SECRET, sig, headers = {} } = {}) {
  const body = typeof obj === "string" ? obj : JSON.stringify(obj);
  const h = { "Content-Type": "application/json", "X-Rekey-Timestamp": String(ts), "X-Rekey-Signature": sig ?? sign(body, ts, secret), ...headers };
  const res = await fetch(`${base}/api/face/webhook`, { method: "POST", headers: h, body });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

// A face case submitted with three good frames; the check as the provider received it.
async function submitted({ photo = true } = {}) {
  const { a, f } = await routedTo("face", "verified");
  if (photo) ctl("identity-photo", String(a.id));
  for (const bg of [120, 123, 117]) {
    const up = await fetch(`${base}/api/reset/${f.id}/evidence?kind=face_frame&country=CH`, { method: "POST",
      headers: { Origin: origin, Cookie: f.c.cookie, "Content-Type": "image/png" }, body: framePng({ bg }) });
    assert.equal(up.status, 201, await up.text());
  }
  const s = await f.c.post(`/api/reset/${f.id}/evidence/submit`, {});
  assert.equal(s.status, 200, s.text);
  const caseId = f.routed.case;
  const reference = sql(`SELECT reference FROM face_checks WHERE case_id = ${caseId}`)[0][0];
  await waitFor(() => checks.has(reference), "the check at the provider");
  await waitFor(() => sql(`SELECT status FROM face_checks WHERE case_id = ${caseId}`)[0][0] === "sent", "the check marked sent");
  return { a, f, caseId, reference, check: checks.get(reference) };
}

const state = (caseId) => sql(`SELECT c.status, fc.status, COALESCE(fc.score, '-') FROM reset_cases c JOIN face_checks fc ON fc.case_id = c.id WHERE c.id = ${caseId}`)[0];
const isPng = (b64) => Buffer.from(b64, "base64").subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));

test("the check carries the three frames and the identity photo; a signed match leaves the case for the reviewer", async () => {
  const { a, caseId, reference, check } = await submitted();
  assert.equal(check.type, "application/json");
  assert.equal(check.country, "CH");
  assert.equal(check.frames.length, 3);
  assert.ok(check.frames.every(isPng), "frames are the canonical PNGs");
  assert.ok(isPng(check.identity_photo), "the identity photo on file");
  assert.equal(check.callback_url, `${origin}/api/face/webhook`);
  assert.match(sql(`SELECT provider_check_id FROM face_checks WHERE case_id = ${caseId}`)[0][0], /^chk_\d+$/);
  const r = await hook({ event_id: crypto.randomUUID(), reference, result: "match", score: 97 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { status: "match" });
  assert.deepEqual(state(caseId), ["under_review", "match", "97"]);
  assert.ok(sql(`SELECT detail FROM case_events WHERE case_id = ${caseId} AND event = 'face_check_result'`)[0][0].includes("match (score 97)"));
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${a.id} AND event = 'reset_face_check_result'`)[0][0], "1");
  assert.equal(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${a.id}`)[0][0], "0", "a match alone resets nothing");
});

test("no match: the case is rejected with the reason, mailed, shown on the case page", async () => {
  const { a, f, caseId, reference } = await submitted({ photo: false });
  const r = await hook({ event_id: crypto.randomUUID(), reference, check_id: "chk_x", result: "no_match", score: 12 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(state(caseId), ["rejected", "no_match", "12"]);
  assert.equal((await f.c.get(`/api/reset/${f.id}`)).json.state, "rejected");
  assert.equal(sql(`SELECT open_account_id IS NULL FROM reset_cases WHERE id = ${caseId}`)[0][0], "1", "closed: a new reset may start");
  // the audited reason is one of the configured reject reasons (it was face_no_match, which the list does not have)
  const reasons = ctl("config").match(/^review_reasons_reject\s+(\S+)/m)[1].split(",");
  const audited = sql(`SELECT JSON_VALUE(detail, '$.reason') FROM audit_log WHERE chain_id = ${a.id} AND event = 'reset_rejected'`)[0][0];
  assert.equal(audited, "face_mismatch");
  assert.ok(reasons.includes(audited), `${audited} is in ${reasons}`);
  await waitFor(() => mails(a.email).some((m) => /Subject: Your passkey reset was not approved/.test(m) && /did not match the identity photo/.test(m)), "the rejection mail");
  const link = mails(a.email).map((m) => m.match(/case\.html\?token=([A-Za-z0-9_-]+)/)).find(Boolean)[1];
  const page = await new Client().get(`/api/cases/status?token=${link}`);
  assert.equal(page.json.status, "rejected");
  assert.ok(page.json.timeline.some((e) => e.event === "rejected" && /did not match/.test(e.detail)));
});

test("a match fails when the primary identity verification is invalid", async () => {
  const { a, caseId, reference } = await submitted();
  sql(`UPDATE accounts SET identity_status = 'invalid' WHERE id = ${a.id}`);
  const r = await hook({ event_id: crypto.randomUUID(), reference, result: "match", score: 99 });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { status: "identity_invalid" });
  assert.deepEqual(state(caseId), ["rejected", "identity_invalid", "99"]);
  await waitFor(() => mails(a.email).some((m) => /identity verification on file is not valid/.test(m)), "the reason mailed");
});

test("refused: no or bad signature, wrong secret, stale or future timestamp, replay, unknown or finished check", async () => {
  const { caseId, reference } = await submitted();
  const ev = { event_id: crypto.randomUUID(), reference, result: "no_match" };
  const body = JSON.stringify(ev), now = Math.floor(Date.now() / 1000);
  const cases = [
    ["unsigned", await hook(ev, { headers: { "X-Rekey-Signature": "" } }), 401, "webhook_signature"],
    ["malformed signature", await hook(ev, { sig: "v1=zz" }), 401, "webhook_signature"],
    ["other scheme", await hook(ev, { sig: sign(body, now).replace("v1=", "v0=") }), 401, "webhook_signature"],
    ["wrong secret", await hook(ev, { secret: SECRET + "x" }), 401, "webhook_signature"],
    ["body changed after signing", await hook(body.replace("no_match", "match"), { sig: sign(body, now), ts: now }), 401, "webhook_signature"],
    ["timestamp not a number", await hook(ev, { ts: "12ab" }), 401, "webhook_signature"],
    ["ten minutes old", await hook(ev, { ts: now - 600 }), 401, "webhook_stale"],
    ["ten minutes ahead", await hook(ev, { ts: now + 600 }), 401, "webhook_stale"],
  ];
  for (const [what, r, status, code] of cases) {
    assert.equal(r.json?.error?.code, code, `${what}: ${r.text}`);
    assert.equal(r.status, status, what);
  }
  assert.deepEqual(state(caseId), ["under_review", "sent", "-"], "nothing changed");
  // a request from a browser page is no better: the signature decides, not the Origin
  const x = await fetch(`${base}/api/face/webhook`, { method: "POST", headers: { "Content-Type": "application/json", Origin: origin }, body });
  assert.equal(x.status, 401);
  const unknown = await hook({ event_id: crypto.randomUUID(), reference: "A".repeat(43), result: "match" });
  assert.equal(unknown.status, 404);
  const bad = await hook({ event_id: crypto.randomUUID(), reference, result: "maybe" });
  assert.equal(bad.status, 400);
  const first = await hook(ev);
  assert.equal(first.status, 200, first.text);
  const replay = await hook(ev);
  assert.equal(replay.status, 409);
  assert.equal(replay.json.error?.code, "webhook_replayed");
  const late = await hook({ ...ev, event_id: crypto.randomUUID(), result: "match" });
  assert.equal(late.status, 409);
  assert.equal(late.json.error?.code, "check_closed");
  assert.deepEqual(state(caseId), ["rejected", "no_match", "-"]);
});

test("racing deliveries of one event: one is applied", async () => {
  const { caseId, reference } = await submitted();
  const ev = { event_id: crypto.randomUUID(), reference, result: "no_match" };
  const rs = await Promise.all(Array.from({ length: 8 }, () => hook(ev)));
  assert.deepEqual(rs.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409, 409, 409]);
  assert.equal(sql(`SELECT COUNT(*) FROM case_events WHERE case_id = ${caseId} AND event = 'rejected'`)[0][0], "1");
});

test("the provider down: the check is retried with back-off, then sent", async () => {
  const { f } = await routedTo("face", "verified");
  for (const bg of [120, 123, 117]) {
    const up = await fetch(`${base}/api/reset/${f.id}/evidence?kind=face_frame&country=LI`, { method: "POST",
      headers: { Origin: origin, Cookie: f.c.cookie, "Content-Type": "image/png" }, body: framePng({ bg }) });
    assert.equal(up.status, 201);
  }
  assert.equal((await f.c.post(`/api/reset/${f.id}/evidence/submit`, {})).status, 200);
  const caseId = f.routed.case;
  const reference = sql(`SELECT reference FROM face_checks WHERE case_id = ${caseId}`)[0][0];
  await waitFor(() => busyOnce.has(reference), "a first attempt, refused");
  await waitFor(() => sql(`SELECT status FROM face_checks WHERE case_id = ${caseId}`)[0][0] === "sent", "sent after the retry", 15000);
  const [attempts, err] = sql(`SELECT attempts, last_error FROM face_checks WHERE case_id = ${caseId}`)[0];
  assert.equal(attempts, "1");
  assert.match(err, /HTTP 503/);
  assert.ok(checks.has(reference));
});
