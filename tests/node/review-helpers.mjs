// review-helpers.mjs -- reviewers enrolled through `rekeyctl reviewer add`'s
// link with a software authenticator, and cases waiting in the queue.
import assert from "node:assert/strict";
import { Client, ctl, origin, uniqueEmail, sql } from "./stack.mjs";
import { SoftAuthenticator } from "./authenticator.mjs";
import { routedTo, corpus, EMAIL, TX, upload } from "./reset-helpers.mjs";
import { framePng } from "./frames.mjs";

// A reviewer with roles, enrolled with a passkey and signed in (c), its authenticator (auth).
export async function reviewer(roles = "reviewer") {
  const email = uniqueEmail("rev");
  const link = ctl("reviewer", "add", email, roles).trim();
  const token = link.match(/\/review\/enrol\.html\?token=([A-Za-z0-9_-]{43})$/)[1];
  const c = new Client();
  const auth = new SoftAuthenticator({ origin });
  const o = await c.post("/api/review/enrol/options", { token });
  assert.equal(o.status, 200, o.text);
  const r = await c.post("/api/review/enrol", { token, response: auth.create(o.json.options) });
  assert.equal(r.status, 201, r.text);
  c.csrf = r.json.reviewer.csrf;
  return { c, auth, email, token, id: r.json.reviewer.id };
}

// Signs a reviewer in again (a new client) with its passkey.
export async function signInReviewer(auth) {
  const c = new Client();
  const o = await c.post("/api/review/session/options", {});
  assert.equal(o.status, 200, o.text);
  const r = await c.post("/api/review/session", { response: auth.get(o.json) });
  if (r.status === 200) c.csrf = r.json.reviewer.csrf;
  return { c, r };
}

// A screenshots case (Case 3) submitted for review. cents sets the value tier.
export async function documentsCase({ cents } = {}) {
  const { a, f } = await routedTo("documents", "unverified");
  if (cents !== undefined) sql(`UPDATE accounts SET asset_value_cents = ${cents} WHERE id = ${a.id}`);
  assert.equal((await upload(f, corpus("email-1080x2400.png"), EMAIL)).status, 201);
  assert.equal((await upload(f, corpus("tx-1080x2400.jpg"), TX, "image/jpeg")).status, 201);
  const s = await f.c.post(`/api/reset/${f.id}/evidence/submit`, {});
  assert.equal(s.status, 200, s.text);
  return { a, f, caseId: f.routed.case };
}

// A face case (Case 2) submitted for review with three frames.
export async function faceCase() {
  const { a, f } = await routedTo("face", "verified");
  ctl("identity-photo", String(a.id));
  for (const bg of [120, 123, 117])
    assert.equal((await upload(f, framePng({ bg }), { kind: "face_frame", country: "CH" })).status, 201);
  const s = await f.c.post(`/api/reset/${f.id}/evidence/submit`, {});
  assert.equal(s.status, 200, s.text);
  return { a, f, caseId: f.routed.case };
}

export const decide = (c, id, decision, reason, note_user = "", note_internal = "") =>
  c.post(`/api/review/cases/${id}/decision`, { decision, reason, note_user, note_internal });
