// api_face.test.mjs -- Case 2 "Continue on phone": the QR code's link is
// single-use, expires after 10 minutes, carries no session, and moves the
// reset to the phone's browser. Frames that are no camera's (screenshots) are
// refused by the server's frame check.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, sql } from "./stack.mjs";
import { routedTo, corpus, upload } from "./reset-helpers.mjs";
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
