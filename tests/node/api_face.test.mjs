// api_face.test.mjs -- Case 2 "Continue on phone": the QR code's link is
// single-use, expires after 10 minutes, carries no session, and moves the
// reset to the phone's browser. Frames that are no camera's (screenshots) are
// refused by the server's frame check. A submitted face case goes where
// face_provider says: tests/run.sh runs this suite with http (the main stack)
// and with the default, manual (the second stack).
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { Client, sql, setting, mails, waitFor } from "./stack.mjs";
import { routedTo, corpus, upload } from "./reset-helpers.mjs";
import { reviewer, faceCase, decide } from "./review-helpers.mjs";
import { PNG } from "pngjs";
import { framePng } from "./frames.mjs";
import { base, origin } from "./stack.mjs";

const faceFlow = () => routedTo("face", "verified");

test("the phone link: QR code, one use, the reset moves to the phone", async () => {
  const { a, f } = await faceFlow();
  const h = await f.c.post(`/api/reset/${f.id}/face/handoff`, {});
  assert.equal(h.status, 201, h.text);
  const token = h.json.url.match(/\/reset\.html\?handoff=([A-Za-z0-9_-]{43})$/)[1];
  assert.ok(h.json.url.startsWith(origin));
  assert.match(h.json.qr_svg, /^<svg [^>]*aria-label="QR code to continue on your phone"/);
  assert.ok(Date.parse(h.json.expires_at) - Date.now() <= 10 * 60e3 + 5e3 && Date.parse(h.json.expires_at) - Date.now() > 9 * 60e3);
  assert.equal(sql(`SELECT COUNT(*) FROM face_handoffs WHERE token_hash = '${token}' OR HEX(token_hash) = HEX('${token}')`)[0][0], "0", "only a keyed hash is stored");
  const phone = new Client();
  const c = await phone.post("/api/reset/handoff", { token });
  assert.equal(c.status, 200, c.text);
  assert.deepEqual(c.json, { id: f.id, state: "face" });
  assert.match(c.headers.get("set-cookie"), /rk_reset=[A-Za-z0-9_-]{43}; Path=\/api\/reset; HttpOnly; SameSite=Strict/);
  assert.ok(!/rk_session/.test(c.headers.get("set-cookie")), "no session");
  // the computer no longer holds the flow; the phone does
  assert.equal((await f.c.get(`/api/reset/${f.id}`)).status, 404);
  assert.equal((await phone.get(`/api/reset/${f.id}`)).json.state, "face");
  const up = await fetch(`${base}/api/reset/${f.id}/evidence?kind=face_frame&country=CH`, { method: "POST",
    headers: { Origin: origin, Cookie: phone.cookie, "Content-Type": "image/png" }, body: framePng() });
  assert.equal(up.status, 201);
  // used once
  const again = await new Client().post("/api/reset/handoff", { token });
  assert.equal(again.status, 410);
  assert.equal(again.json.error.code, "link_used");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${a.id} AND event IN ('reset_face_handoff_created', 'reset_face_handoff_claimed')`)[0][0], "2");
});

test("the phone link: expired, forged, raced, and not outside the face step", async () => {
  const { f } = await faceFlow();
  const mk = async () => (await f.c.post(`/api/reset/${f.id}/face/handoff`, {})).json.url.split("handoff=")[1];
  const old = await mk();
  sql(`UPDATE face_handoffs SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE flow_id = ${f.id}`);
  const e = await new Client().post("/api/reset/handoff", { token: old });
  assert.equal(e.status, 410);
  assert.equal(e.json.error.code, "link_expired");
  assert.equal((await new Client().post("/api/reset/handoff", { token: "A" + old.slice(1, 42) + "A" })).status, 404);
  assert.equal((await new Client().post("/api/reset/handoff", { token: "short" })).status, 404);
  assert.equal((await new Client().post("/api/reset/handoff", {})).status, 400);
  // two phones at once: one wins; a second link made before is spent with it
  const t1 = await mk(), t2 = await mk();
  const rs = await Promise.all(Array.from({ length: 6 }, () => new Client().post("/api/reset/handoff", { token: t1 })));
  assert.deepEqual(rs.map((r) => r.status).sort(), [200, 410, 410, 410, 410, 410]);
  assert.equal((await new Client().post("/api/reset/handoff", { token: t2 })).json.error.code, "link_used");
  // documents cases have no phone step
  const { f: d } = await routedTo("documents", "unverified");
  assert.equal((await d.c.post(`/api/reset/${d.id}/face/handoff`, {})).status, 409);
  // and a request from another site is refused
  const x = await fetch(`${base}/api/reset/handoff`, { method: "POST", headers: { "Content-Type": "application/json", Origin: "http://evil.test" }, body: JSON.stringify({ token: t2 }) });
  assert.equal(x.status, 403);
});

test("the phone link: claims are rate-limited per IP, valid tokens included", async () => {
  const { f } = await faceFlow();
  const token = (await f.c.post(`/api/reset/${f.id}/face/handoff`, {})).json.url.split("handoff=")[1];
  let limited = 0, tries = 0;
  while (!limited && tries < 2000) {
    const r = await new Client().post("/api/reset/handoff", { token: "B".repeat(43) });
    tries++;
    if (r.status === 429) limited = tries;
    else assert.equal(r.status, 404);
  }
  assert.ok(limited > 1, "limited after a number of tries");
  const blocked = await new Client().post("/api/reset/handoff", { token });
  assert.equal(blocked.status, 429, "a valid token waits too");
  assert.equal(blocked.json.error.code, "too_many_attempts");
  sql("DELETE FROM rate_limits"); // the window passing, for the suites that follow
  assert.equal((await new Client().post("/api/reset/handoff", { token })).status, 200, "and works once the window has passed");
});

test("screenshots as face frames: refused with frame_not_camera by the server's own frame check, nothing stored; a camera frame passes", async () => {
  const { f } = await faceFlow();
  const FACE = { kind: "face_frame", country: "CH" };
  for (const [file, type] of [["screen-640x480.png", "image/png"], ["screen-640x480.jpg", "image/jpeg"], ["email-720x1280.png", "image/png"],
    ["email-1080x2400.png", "image/png"], ["tx-1080x2400.jpg", "image/jpeg"], ["camera-640x480-noiseless.png", "image/png"]]) {
    const r = await upload(f, corpus(file), FACE, type);
    assert.equal(r.status, 400, `${file}: ${r.text}`);
    assert.equal(r.json.error.code, "frame_not_camera", file);
    assert.equal(r.json.error.message, "This does not look like a camera picture: take it with the camera, in normal light.");
  }
  // rendered text on a flat background, made here at a webcam's 640x480
  const text = new PNG({ width: 640, height: 480 });
  text.data.fill(255);
  for (let y = 0; y < 480; y++) for (let x = 0; x < 640; x++) {
    const glyph = y % 40 >= 12 && y % 40 < 28 && x % 14 < 9 && (x * 7 + y) % 5 !== 0; // rows of letter-sized blocks
    if (glyph) { const i = 4 * (y * 640 + x); text.data[i] = text.data[i + 1] = text.data[i + 2] = 30; }
  }
  const t = await upload(f, PNG.sync.write(text), FACE);
  assert.equal(t.status, 400, t.text);
  assert.equal(t.json.error.code, "frame_not_camera");
  assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE case_id = ${f.routed.case}`)[0][0], "0", "nothing stored");
  // the camera frames the browser sends: the same scene with a sensor's noise
  for (const file of [corpus("camera-640x480.png"), framePng({ bg: 126 })]) assert.equal((await upload(f, file, FACE)).status, 201);
  assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE case_id = ${f.routed.case} AND kind = 'face_frame'`)[0][0], "2");
});

// Plays the provider at face_provider_url's port (REKEY_TEST_PROVIDER_PORT):
// records every request; a check whose reference is in `mine` is accepted,
// any other (checks of earlier suites, retried) is told to come back later.
async function providerAt(port, mine) {
  const seen = [];
  const server = http.createServer((req, res) => {
    const parts = [];
    req.on("data", (d) => parts.push(d));
    req.on("end", () => {
      let j = null;
      try { j = JSON.parse(Buffer.concat(parts).toString()); } catch { /* recorded as null */ }
      seen.push({ method: req.method, url: req.url, check: j });
      if (j && mine.has(j.reference)) res.writeHead(201, { "Content-Type": "application/json" }).end(JSON.stringify({ id: "chk_face_suite" }));
      else res.writeHead(503).end("busy");
    });
  });
  await new Promise((ok) => server.listen(port, "127.0.0.1", ok));
  return { seen, close: () => new Promise((ok) => server.close(ok)) };
}

const image = async (path, cookie) => {
  const res = await fetch(base + path, { headers: { Cookie: cookie } });
  return { status: res.status, type: res.headers.get("content-type"), body: Buffer.from(await res.arrayBuffer()) };
};

test(`a submitted face case with face_provider = ${setting("face_provider")}: ${setting("face_provider") === "manual"
  ? "no provider is called; the review queue has it as a face case, frames and identity photo for the claiming reviewer, decided there"
  : "the check goes to the provider, and the review console has the case with it"}`, async () => {
  const manual = setting("face_provider") === "manual";
  assert.ok(manual || setting("face_provider") === "http");
  const mine = new Set();
  const provider = await providerAt(Number(process.env.REKEY_TEST_PROVIDER_PORT), mine);
  try {
    assert.match(setting("face_provider_url"), new RegExp(`^http://127\\.0\\.0\\.1:${process.env.REKEY_TEST_PROVIDER_PORT}/`), "the provider played here is the configured one");
    const [r1, s1] = [await reviewer(), await reviewer("senior")];
    const { a, caseId } = await faceCase();
    const checks = sql(`SELECT reference, provider FROM face_checks WHERE case_id = ${caseId}`);
    if (manual) {
      assert.deepEqual(checks, [], "no check queued for a provider");
    } else {
      assert.deepEqual(checks.map(([, p]) => p), ["http"]);
      mine.add(checks[0][0]);
    }
    // the user is told who compares the pictures
    const mail = await waitFor(() => mails(a.email).find((m) => /Subject: Your pictures are under review/.test(m)), "the review mail");
    assert.equal(/Our team compares them with the identity photo on file/.test(mail), manual, mail);
    assert.equal(/Our verification partner compares them/.test(mail), !manual, mail);
    if (manual) {
      // the delivery process sends the mail, then looks for checks due, and idles 200 ms between empty turns: five more turns
      await new Promise((ok) => setTimeout(ok, 1000));
      assert.deepEqual(provider.seen.map((x) => `${x.method} ${x.url}`), [], "nothing was sent to the provider's address");
      assert.equal(sql(`SELECT COUNT(*) FROM case_events WHERE case_id = ${caseId} AND event LIKE 'face_check%'`)[0][0], "0");
    } else {
      const got = await waitFor(() => provider.seen.find((x) => x.check && mine.has(x.check.reference)), "the check at the provider");
      assert.equal(got.check.frames.length, 3);
      await waitFor(() => sql(`SELECT status FROM face_checks WHERE case_id = ${caseId}`)[0][0] === "sent", "the check marked sent");
    }
    // the review queue: a face case
    const q = await r1.c.get("/api/review/queue?route=face");
    const queued = q.json.cases.find((c) => c.id === caseId);
    assert.ok(queued, "in the face queue");
    assert.equal(queued.kind, "face");
    // the case view: three frames beside the identity photo on file, the provider's check (none with manual)
    const v = await r1.c.get(`/api/review/cases/${caseId}`);
    assert.equal(v.status, 200, v.text);
    assert.equal(v.json.route, "face");
    assert.equal(v.json.identity_photo, true);
    assert.equal(v.json.four_eyes.needed, true);
    if (manual) assert.equal(v.json.face_check, null);
    else assert.deepEqual([v.json.face_check.provider, v.json.face_check.status], ["http", "sent"]);
    const frames = v.json.evidence.filter((e) => e.kind === "face_frame");
    assert.equal(frames.length, 3);
    assert.equal(v.json.evidence.length, 3);
    // viewable by the reviewer holding the claim, and only by that one
    assert.equal((await image(`/api/review/evidence/${frames[0].id}`, r1.c.cookie)).status, 403, "not claimed yet");
    assert.equal((await image(`/api/review/cases/${caseId}/identity-photo`, r1.c.cookie)).status, 403, "not claimed yet");
    assert.equal((await r1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
    assert.equal((await image(`/api/review/evidence/${frames[0].id}`, s1.c.cookie)).status, 403, "another reviewer");
    const viewed = () => sql(`SELECT event, COUNT(*) FROM audit_log WHERE chain_id = ${a.id} AND event IN ('review_evidence_viewed', 'review_identity_photo_viewed') GROUP BY event ORDER BY event`);
    for (const e of frames) {
      const img = await image(`/api/review/evidence/${e.id}`, r1.c.cookie);
      assert.deepEqual([img.status, img.type], [200, "image/png"]);
      const png = PNG.sync.read(img.body);
      assert.deepEqual([png.width, png.height], [640, 480], "the camera frame");
    }
    const photo = await image(`/api/review/cases/${caseId}/identity-photo`, r1.c.cookie);
    assert.deepEqual([photo.status, photo.type], [200, "image/png"]);
    assert.ok(PNG.sync.read(photo.body).width > 0);
    if (!manual) {
      const sent = provider.seen.find((x) => x.check && mine.has(x.check.reference)).check;
      assert.ok(Buffer.from(sent.identity_photo, "base64").equals(photo.body), "the provider got the photo the reviewer sees");
    }
    assert.deepEqual(viewed(), [["review_evidence_viewed", "3"], ["review_identity_photo_viewed", "1"]], "every view audited");
    if (manual) {
      // the console decides: a face case needs two approvals, the second by a senior
      assert.equal((await decide(r1.c, caseId, "approve", "face_match")).json.status, "awaiting_second_approval");
      assert.equal((await s1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
      const d = await decide(s1.c, caseId, "approve", "face_match");
      assert.equal(d.status, 200, d.text);
      assert.equal(d.json.status, "completed");
      assert.equal(sql(`SELECT status FROM reset_cases WHERE id = ${caseId}`)[0][0], "completed");
      assert.deepEqual(provider.seen.map((x) => `${x.method} ${x.url}`), [], "still nothing sent to a provider");
    }
  } finally {
    await provider.close();
  }
});
