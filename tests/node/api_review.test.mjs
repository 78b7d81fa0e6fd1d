// api_review.test.mjs -- the review console's API: reviewer enrolment and
// passkey-only sign-in, separate sessions, the queue, claims (raced, lapsed),
// the evidence viewer, decisions with their effects, four-eyes, more
// information answered by the user, racing decisions, and the access matrix.
import { test } from "node:test";
import assert from "node:assert/strict";
import http from "node:http";
import { Client, sql, sqlAs, ctl, ctlStatus, base, origin, mails, waitFor, newAccount } from "./stack.mjs";
import { SoftAuthenticator } from "./authenticator.mjs";
import { reviewer, signInReviewer, documentsCase, faceCase, decide } from "./review-helpers.mjs";
import { upload, corpus, EMAIL, TX, routedTo, bindPhone } from "./reset-helpers.mjs";

const caseRow = (id) => sql(`SELECT status, COALESCE(claimed_by, 0), COALESCE(first_approval_by, 0) FROM reset_cases WHERE id = ${id}`)[0];

test("enrolment: one passkey through a single-use link, then passkey-only sign-in with user verification", async () => {
  const r1 = await reviewer("reviewer");
  const me = await r1.c.get("/api/review/me");
  assert.equal(me.status, 200);
  assert.equal(me.json.email, r1.email);
  assert.deepEqual(me.json.roles, ["reviewer"]);
  // the link is spent
  const again = await new Client().post("/api/review/enrol/options", { token: r1.token });
  assert.equal(again.status, 410);
  assert.equal(again.json.error?.code, "link_used");
  assert.equal((await new Client().post("/api/review/enrol/options", { token: "A".repeat(43) })).json.error?.code, "link_invalid");
  // an expired link
  const email = `exp${Date.now()}@rekey.test`;
  const token = ctl("reviewer", "add", email).trim().split("token=")[1];
  sql(`UPDATE reviewer_enrolments SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE reviewer_id = (SELECT id FROM reviewers WHERE email = '${email}')`);
  assert.equal((await new Client().post("/api/review/enrol/options", { token })).json.error?.code, "link_expired");
  // sign in again with the passkey; the cookie is the console's own
  const { c, r } = await signInReviewer(r1.auth);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get("set-cookie"), /^rk_review=[A-Za-z0-9_-]{43}; Path=\/api\/review; HttpOnly; SameSite=Strict/);
  assert.equal((await c.get("/api/review/me")).status, 200);
  // user verification is required for reviewers
  // (one client for the options and the answer: the challenge is bound to
  // the browser that asked, so another client is refused before the flags)
  const uvc = new Client();
  const o = await uvc.post("/api/review/session/options", {});
  assert.equal(o.json.userVerification, "required");
  const noUv = await uvc.post("/api/review/session", { response: r1.auth.get(o.json, { flags: { uv: false } }) });
  assert.equal(noUv.json.error?.code, "user_verification_missing", noUv.text);
  assert.equal(noUv.status, 400);
  assert.equal(noUv.headers.get("set-cookie"), null, "no session");
  // an account holder's passkey does not open the console
  const acct = newAccount("revx");
  const user = new Client();
  await user.signIn(acct.email);
  const ua = new SoftAuthenticator({ origin });
  const ro = await user.post("/api/passkeys/registration/options", {});
  assert.equal((await user.post("/api/passkeys/registration", { response: ua.create(ro.json) })).status, 201);
  const ao = await new Client().post("/api/review/session/options", {});
  const x = await new Client().post("/api/review/session", { response: ua.get(ao.json) });
  assert.equal(x.status, 400);
  assert.equal(x.json.error?.code, "unknown_credential");
  // disabled: sessions end at once, sign-in refused
  ctl("reviewer", "disable", r1.email);
  assert.equal((await c.get("/api/review/me")).status, 401);
  assert.equal((await r1.c.get("/api/review/me")).status, 401);
  const d = await signInReviewer(r1.auth);
  assert.equal(d.r.status, 403);
  assert.equal(d.r.json.error?.code, "reviewer_disabled");
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = 0 AND event IN ('reviewer_enrolled', 'reviewer_signed_in', 'reviewer_disabled')`)[0][0]) >= 3);
  // bad input to the command
  assert.notEqual(ctlStatus("reviewer", "add", "not-an-email").code, 0);
  assert.notEqual(ctlStatus("reviewer", "add", `y${Date.now()}@rekey.test`, "boss").code, 0);
  assert.notEqual(ctlStatus("reviewer", "roles", "nobody@rekey.test", "senior").code, 0);
});

// issue #24: the review session's lookup refuses a disabled reviewer by
// itself (rekeyctl reviewer disable also ends the sessions, which hid it)
test("a reviewer disabled without their sessions being ended is signed out at the next request", async () => {
  const r1 = await reviewer("reviewer");
  assert.equal((await r1.c.get("/api/review/me")).status, 200);
  sql(`UPDATE reviewers SET disabled_at = UTC_TIMESTAMP(6) WHERE id = ${r1.id}`);
  const me = await r1.c.get("/api/review/me");
  assert.equal(me.json.error?.code, "unauthenticated", me.text);
  assert.equal(me.status, 401);
});

test("sessions are separate: an account session opens no review route, a reviewer session no account route", async () => {
  const r1 = await reviewer();
  const acct = newAccount("sep");
  const user = new Client();
  await user.signIn(acct.email);
  assert.equal((await user.get("/api/review/queue")).status, 401);
  assert.equal((await user.get("/api/review/me")).status, 401);
  // the reviewer's cookie sent to account routes (a client that ignores Path)
  const h = { headers: { Cookie: r1.c.cookie } };
  assert.equal((await new Client().get("/api/me", h)).status, 401);
  assert.equal((await new Client().get("/api/sessions", h)).status, 401);
  // the reviewer idle limit is the console's own: 15 minutes
  sql(`UPDATE reviewer_sessions SET last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 16 MINUTE WHERE reviewer_id = ${r1.id}`);
  assert.equal((await r1.c.get("/api/review/me")).status, 401);
});

test("the queue: filters by kind, status and tier, counts, sorted by due time", async () => {
  const r1 = await reviewer();
  const d = await documentsCase({ cents: 100000 });
  const h = await documentsCase({ cents: 500000000 });
  const fc = await faceCase();
  const q = await r1.c.get("/api/review/queue");
  assert.equal(q.status, 200, q.text);
  const ids = q.json.cases.map((c) => c.id);
  for (const id of [d.caseId, h.caseId, fc.caseId]) assert.ok(ids.includes(id), `case ${id} queued`);
  const dues = q.json.cases.map((c) => Date.parse(c.due_at));
  assert.deepEqual(dues, [...dues].sort((x, y) => x - y), "sorted by due time");
  const byId = Object.fromEntries(q.json.cases.map((c) => [c.id, c]));
  assert.equal(byId[fc.caseId].kind, "face");
  assert.equal(byId[d.caseId].kind, "documents");
  assert.equal(byId[h.caseId].tier, "high");
  assert.equal(byId[d.caseId].tier, "standard");
  // the SLA: face 24 h, documents 48 h after submission
  assert.equal(Date.parse(byId[fc.caseId].due_at) - Date.parse(byId[fc.caseId].submitted_at), 24 * 3600e3);
  assert.equal(Date.parse(byId[d.caseId].due_at) - Date.parse(byId[d.caseId].submitted_at), 48 * 3600e3);
  const face = await r1.c.get("/api/review/queue?route=face");
  assert.ok(face.json.cases.every((c) => c.kind === "face") && face.json.cases.some((c) => c.id === fc.caseId));
  const high = await r1.c.get("/api/review/queue?tier=high");
  assert.ok(high.json.cases.every((c) => c.tier === "high") && high.json.cases.some((c) => c.id === h.caseId));
  assert.ok(!high.json.cases.some((c) => c.id === d.caseId));
  const old = await r1.c.get("/api/review/queue?min_age_hours=1");
  assert.ok(!old.json.cases.some((c) => c.id === d.caseId), "a fresh case is not an hour old");
  const counts = q.json.counts;
  assert.equal(counts.total, Object.values(counts.kind).reduce((x, y) => x + y, 0));
  assert.ok(counts.kind.face >= 1 && counts.tier.high >= 1);
  for (const bad of ["route=nope", "status=approved", "tier=x", "min_age_hours=1e3", "route=face&route=face", "other=1"])
    assert.equal((await r1.c.get(`/api/review/queue?${bad}`)).status, 400, bad);
});

test("the queue pages: a cursor walks every case once, in order (ties by id), filters included", async () => {
  const r1 = await reviewer();
  const made = [await documentsCase(), await documentsCase(), await documentsCase()];
  // two cases due at the same moment: the cursor's case id breaks the tie
  const [when] = sql(`SELECT submitted_at FROM reset_cases WHERE id = ${made[0].caseId}`)[0];
  sql(`UPDATE reset_cases SET submitted_at = '${when}' WHERE id = ${made[1].caseId}`);
  const all = (await r1.c.get("/api/review/queue")).json;
  if (all.cases.length < 200) assert.equal(all.next, null, "a page that is not full is the last");
  const walk = async (filter, limit) => {
    const seen = [];
    let q = `${filter}limit=${limit}`;
    for (let i = 0; i < 500; i++) {
      const p = await r1.c.get(`/api/review/queue?${q}`);
      assert.equal(p.status, 200, p.text);
      seen.push(...p.json.cases.map((c) => c.id));
      if (!p.json.next) break;
      assert.equal(p.json.cases.length, limit, "a page with a next is full");
      q = `${filter}limit=${limit}&after_due=${p.json.next.after_due}&after_id=${p.json.next.after_id}`;
    }
    return seen;
  };
  assert.deepEqual(await walk("", 2), all.cases.map((c) => c.id));
  assert.deepEqual(await walk("", 1), all.cases.map((c) => c.id));
  const docs = (await r1.c.get("/api/review/queue?route=documents")).json.cases.map((c) => c.id);
  assert.ok(made.every((m) => docs.includes(m.caseId)));
  assert.deepEqual(await walk("route=documents&", 2), docs);
  for (const bad of ["limit=0", "limit=201", "limit=x", "limit=1000", "after_due=1", "after_id=1", "after_due=-1&after_id=1",
    "after_due=1&after_id=x", "after_due=123456789012345678&after_id=1"])
    assert.equal((await r1.c.get(`/api/review/queue?${bad}`)).status, 400, bad);
});

test("claims: two reviewers at once, one wins; release; an idle claim lapses", async () => {
  const [r1, r2] = [await reviewer(), await reviewer()];
  const { caseId } = await documentsCase();
  const rs = await Promise.all([r1.c.post(`/api/review/cases/${caseId}/claim`), r2.c.post(`/api/review/cases/${caseId}/claim`)]);
  assert.deepEqual(rs.map((r) => r.json.error?.code ?? "claimed").sort(), ["claimed", "claimed_by_other"]);
  assert.deepEqual(rs.map((r) => r.status).sort(), [200, 409]);
  const [winner, loser] = rs[0].status === 200 ? [r1, r2] : [r2, r1];
  assert.equal(caseRow(caseId)[1], String(winner.id));
  assert.equal((await loser.c.post(`/api/review/cases/${caseId}/release`)).status, 409);
  assert.equal((await winner.c.post(`/api/review/cases/${caseId}/release`)).status, 200);
  assert.equal((await loser.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  // idle for 31 minutes: the claim lapses and another reviewer may take it
  sql(`UPDATE reset_cases SET claim_seen_at = UTC_TIMESTAMP(6) - INTERVAL 31 MINUTE WHERE id = ${caseId}`);
  const view = await winner.c.get(`/api/review/cases/${caseId}`);
  assert.equal(view.json.claim.held, false);
  assert.equal((await decide(loser.c, caseId, "reject", "evidence_unreadable", "x")).json.error?.code, "claim_required", "a lapsed claim decides nothing");
  assert.equal((await winner.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
});

test("the case view and the evidence viewer: claim required, every view audited, sandboxed image responses", async () => {
  const r1 = await reviewer();
  const { a, caseId } = await documentsCase();
  // the account's tools, told apart from any other account's: TOTP, two passkeys, a confirmed phone
  sql(`INSERT INTO totp_bindings (account_id, secret_sealed, confirmed_at, created_at) VALUES (${a.id}, RANDOM_BYTES(60), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  for (const name of ["Old laptop", "Lost phone"])
    sql(`INSERT INTO passkeys (account_id, credential_id, cose_alg, public_key, cose_key, sign_count, uv_initialized, backup_eligible, backup_state, aaguid, attestation_fmt, name, created_at)
         VALUES (${a.id}, RANDOM_BYTES(32), -7, RANDOM_BYTES(64), RANDOM_BYTES(77), 0, 1, 1, 1, RANDOM_BYTES(16), 'none', '${name}', UTC_TIMESTAMP(6))`);
  bindPhone(a.id);
  const phone = sql(`SELECT number FROM phones WHERE account_id = ${a.id}`)[0][0];
  const v = await r1.c.get(`/api/review/cases/${caseId}`);
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.account.id, a.id);
  assert.equal(v.json.account.identity_status, "unverified");
  assert.ok(Array.isArray(v.json.account.recent_signins) && v.json.account.recent_signins.length > 0);
  assert.deepEqual(v.json.account.tools, { totp: true, passkeys: 2, phone: `${phone.slice(0, 3)}•••••${phone.slice(-2)}` }, "the tools of this case's account, the phone masked");
  assert.equal(v.json.evidence.length, 2);
  const tx = v.json.evidence.find((e) => e.kind === "counterparty_tx");
  assert.equal(tx.transaction.coin, "USDT");
  assert.ok(tx.transaction.match_score >= 0 && typeof tx.transaction.match_reasons === "string");
  assert.ok(v.json.timeline.some((e) => e.event === "evidence_submitted"));
  // not claimed: no image
  const no = await r1.c.get(`/api/review/evidence/${tx.id}`);
  assert.equal(no.json?.error?.code, "claim_required", `${no.status}`);
  assert.equal(no.status, 403);
  assert.equal((await r1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  const before = Number(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${a.id} AND event = 'review_evidence_viewed'`)[0][0]);
  const res = await fetch(`${base}/api/review/evidence/${tx.id}`, { headers: { Cookie: r1.c.cookie } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get("content-type"), "image/png");
  assert.equal(res.headers.get("x-content-type-options"), "nosniff");
  assert.equal(res.headers.get("cache-control"), "no-store");
  assert.match(res.headers.get("content-security-policy"), /sandbox/);
  const png = Buffer.from(await res.arrayBuffer());
  assert.ok(png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), "the canonical PNG");
  assert.equal(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${a.id} AND event = 'review_evidence_viewed'`)[0][0]), before + 1);
  assert.equal((await r1.c.get(`/api/review/evidence/999999999`)).status, 404);
  // a documents account has no identity photo on file
  assert.equal((await r1.c.get(`/api/review/cases/${caseId}/identity-photo`)).status, 404);
});

// The raw header lines of one GET (fetch joins repeated fields with ", ", so a
// second Content-Security-Policy would hide in one value).
function rawHeaders(path, cookie) {
  return new Promise((resolve, reject) => {
    const { port } = new URL(base);
    http.get({ host: "127.0.0.1", port, path, headers: { Cookie: cookie } }, (res) => {
      res.resume();
      const lines = [];
      for (let i = 0; i < res.rawHeaders.length; i += 2) lines.push([res.rawHeaders[i].toLowerCase(), res.rawHeaders[i + 1]]);
      res.on("end", () => resolve({ status: res.statusCode, lines }));
    }).on("error", reject);
  });
}

test("evidence and identity photos carry exactly one Content-Security-Policy, rekeyd's sandbox, and one of each other header", async () => {
  const r1 = await reviewer();
  const { caseId } = await faceCase();
  assert.equal((await r1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  const v = await r1.c.get(`/api/review/cases/${caseId}`);
  for (const path of [`/api/review/evidence/${v.json.evidence[0].id}`, `/api/review/cases/${caseId}/identity-photo`]) {
    const { status, lines } = await rawHeaders(path, r1.c.cookie);
    assert.equal(status, 200, path);
    const csp = lines.filter(([k]) => k === "content-security-policy").map(([, x]) => x);
    assert.deepEqual(csp, ["default-src 'none'; img-src 'self'; sandbox"], path);
    const names = lines.map(([k]) => k);
    assert.deepEqual(names.filter((k, i) => names.indexOf(k) !== i), [], `${path}: no header twice`);
  }
  // the pages and the JSON answers keep the site's policy, once
  for (const path of ["/index.html", "/api/health"]) {
    const { lines } = await rawHeaders(path, "");
    const csp = lines.filter(([k]) => k === "content-security-policy").map(([, x]) => x);
    assert.equal(csp.length, 1, path);
    assert.match(csp[0], /^default-src 'self'; script-src 'self' 'wasm-unsafe-eval';/, path);
  }
});

test("approve: every passkey removed, every session revoked, 24 h hold, case completed, the user told on every channel", async () => {
  const r1 = await reviewer();
  const { a, f, caseId } = await documentsCase();
  const user = new Client();
  assert.equal((await user.signIn(a.email)).status, 200);
  sql(`INSERT INTO passkeys (account_id, credential_id, cose_alg, public_key, cose_key, sign_count, uv_initialized, backup_eligible, backup_state, aaguid, attestation_fmt, name, created_at)
       VALUES (${a.id}, RANDOM_BYTES(32), -7, RANDOM_BYTES(64), RANDOM_BYTES(77), 0, 1, 1, 1, RANDOM_BYTES(16), 'none', 'Lost phone', UTC_TIMESTAMP(6))`);
  assert.equal((await decide(r1.c, caseId, "approve", "evidence_consistent")).json.error?.code, "claim_required");
  assert.equal((await r1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  assert.equal((await decide(r1.c, caseId, "approve", "not_a_reason")).json.error?.code, "reason_invalid");
  assert.equal((await decide(r1.c, caseId, "approve", "evidence_unreadable")).json.error?.code, "reason_invalid", "a rejection's reason");
  const d = await decide(r1.c, caseId, "approve", "evidence_consistent", "", "email and transaction match the records");
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.status, "completed");
  assert.equal(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${a.id} AND suspended_until IS NULL`)[0][0], "0");
  assert.equal((await user.get("/api/me")).status, 401, "signed out");
  assert.equal(sql(`SELECT no_passkey_protection FROM accounts WHERE id = ${a.id}`)[0][0], "1");
  const hold = sql(`SELECT TIMESTAMPDIFF(MINUTE, UTC_TIMESTAMP(6), MAX(ends_at)) FROM holds WHERE account_id = ${a.id}`)[0][0];
  assert.ok(Number(hold) >= 23 * 60 && Number(hold) <= 24 * 60, `hold ${hold} min`);
  assert.equal(caseRow(caseId)[0], "completed");
  assert.equal((await f.c.get(`/api/reset/${f.id}`)).json.state, "reset_done");
  await waitFor(() => mails(a.email).some((m) => /Subject: Your passkeys were reset/.test(m)), "the reset mail");
  assert.deepEqual(sql(`SELECT decision, effective, reason_code, note_internal FROM review_decisions WHERE case_id = ${caseId}`),
    [["approve", "1", "evidence_consistent", "email and transaction match the records"]]);
  assert.ok(Number(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${a.id} AND event IN ('review_approved', 'passkeys_reset')`)[0][0]) === 2);
  // the case page says what to do next
  const link = mails(a.email).map((m) => m.match(/case\.html\?token=([A-Za-z0-9_-]+)/)).find(Boolean)[1];
  const page = await new Client().get(`/api/cases/status?token=${link}`);
  assert.equal(page.json.status, "completed");
  assert.ok(page.json.timeline.some((e) => e.event === "approved"));
  assert.ok(!JSON.stringify(page.json).includes("match the records"), "the internal note stays internal");
  // decided: nothing more
  assert.equal((await decide(r1.c, caseId, "reject", "evidence_forged", "x")).json.error?.code, "not_in_review");
});

test("four-eyes: a high-value case needs a second approval by a different senior reviewer", async () => {
  const [r1, r2, s1] = [await reviewer("reviewer"), await reviewer("reviewer"), await reviewer("reviewer,senior")];
  const { a, caseId } = await documentsCase({ cents: 900000000 });
  assert.equal((await r1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  const first = await decide(r1.c, caseId, "approve", "records_match");
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.status, "awaiting_second_approval");
  assert.deepEqual(caseRow(caseId), ["under_review", "0", String(r1.id)], "back in the queue, nothing changed for the user");
  assert.equal(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${a.id}`)[0][0], "0");
  const q = await s1.c.get("/api/review/queue?status=second_approval");
  assert.ok(q.json.cases.some((c) => c.id === caseId));
  // the same reviewer cannot approve twice
  assert.equal((await r1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  const twice = await decide(r1.c, caseId, "approve", "records_match");
  assert.equal(twice.status, 409);
  assert.equal(twice.json.error?.code, "four_eyes_same_reviewer");
  assert.equal((await r1.c.post(`/api/review/cases/${caseId}/release`)).status, 200);
  // another reviewer without the senior role cannot either
  assert.equal((await r2.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  assert.equal((await decide(r2.c, caseId, "approve", "records_match")).json.error?.code, "senior_required");
  assert.equal((await r2.c.post(`/api/review/cases/${caseId}/release`)).status, 200);
  assert.equal(caseRow(caseId)[0], "under_review");
  // a senior does
  assert.equal((await s1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  const second = await decide(s1.c, caseId, "approve", "records_match");
  assert.equal(second.status, 200, second.text);
  assert.equal(second.json.status, "completed");
  assert.equal(caseRow(caseId)[0], "completed");
  assert.deepEqual(sql(`SELECT reviewer_id, effective FROM review_decisions WHERE case_id = ${caseId} ORDER BY id`), [[String(r1.id), "0"], [String(s1.id), "1"]]);
});

// issue #24: the first approver above is no senior, so without the
// same-reviewer rule the second try would still be refused (senior_required).
// A senior's first approval is the one that only that rule stops.
test("four-eyes: a senior who gave the first approval cannot give the second; another senior can", async () => {
  const [s1, s2] = [await reviewer("reviewer,senior"), await reviewer("senior")];
  const { a, caseId } = await documentsCase({ cents: 900000000 });
  assert.equal((await s1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  const first = await decide(s1.c, caseId, "approve", "records_match");
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.status, "awaiting_second_approval");
  assert.equal((await s1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  const twice = await decide(s1.c, caseId, "approve", "records_match");
  assert.equal(twice.json.error?.code, "four_eyes_same_reviewer", twice.text);
  assert.equal(twice.status, 409);
  assert.deepEqual(caseRow(caseId), ["under_review", String(s1.id), String(s1.id)], "still one approval");
  assert.equal(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${a.id}`)[0][0], "0");
  assert.equal((await s1.c.post(`/api/review/cases/${caseId}/release`)).status, 200);
  assert.equal((await s2.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  const second = await decide(s2.c, caseId, "approve", "records_match");
  assert.equal(second.status, 200, second.text);
  assert.equal(second.json.status, "completed");
});

test("face cases: four-eyes, the identity photo beside the frames, and no approval when the primary identity is invalid", async () => {
  const [r1, s1] = [await reviewer(), await reviewer("senior")];
  const { a, caseId } = await faceCase();
  assert.equal((await r1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  const v = await r1.c.get(`/api/review/cases/${caseId}`);
  assert.equal(v.json.four_eyes.needed, true);
  assert.equal(v.json.identity_photo, true);
  assert.equal(v.json.evidence.filter((e) => e.kind === "face_frame").length, 3);
  const photo = await fetch(`${base}/api/review/cases/${caseId}/identity-photo`, { headers: { Cookie: r1.c.cookie } });
  assert.equal(photo.status, 200);
  assert.equal(photo.headers.get("content-type"), "image/png");
  assert.equal((await decide(r1.c, caseId, "approve", "face_match")).json.status, "awaiting_second_approval");
  sql(`UPDATE accounts SET identity_status = 'invalid' WHERE id = ${a.id}`);
  assert.equal((await s1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  const refused = await decide(s1.c, caseId, "approve", "face_match");
  assert.equal(refused.json.error?.code, "identity_invalid", refused.text);
  assert.equal(refused.status, 409);
  const rej = await decide(s1.c, caseId, "reject", "identity_invalid", "Your identity verification on file is no longer valid.");
  assert.equal(rej.json.status, "rejected");
});

test("reject: the user is told the reason, the account stays as it was", async () => {
  const r1 = await reviewer();
  const { a, f, caseId } = await documentsCase();
  const user = new Client();
  await user.signIn(a.email);
  assert.equal((await r1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  assert.equal((await decide(r1.c, caseId, "reject", "evidence_forged")).json.error?.code, "note_user_required");
  const d = await decide(r1.c, caseId, "reject", "evidence_inconsistent", "The transaction in the screenshot is not in your account's history.", "TXID unknown, amount off");
  assert.equal(d.json.status, "rejected");
  assert.equal(caseRow(caseId)[0], "rejected");
  assert.equal((await user.get("/api/me")).status, 200, "still signed in");
  assert.equal(sql(`SELECT COUNT(*) FROM holds WHERE account_id = ${a.id}`)[0][0], "0");
  assert.equal((await f.c.get(`/api/reset/${f.id}`)).json.state, "rejected");
  await waitFor(() => mails(a.email).some((m) => /Subject: Your passkey reset was not approved/.test(m) && /not in your account's history/.test(m)), "the reason mailed");
  assert.ok(!mails(a.email).some((m) => /TXID unknown/.test(m)), "the internal note is not mailed");
});

test("more information: an expiring link, the user's answer, back in the queue", async () => {
  const r1 = await reviewer();
  const { a, caseId } = await documentsCase();
  assert.equal((await r1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  const d = await decide(r1.c, caseId, "more_info", "other_transaction", "Please upload a screenshot of a different withdrawal.");
  assert.equal(d.json.status, "needs_more_info");
  assert.equal(caseRow(caseId)[0], "needs_more_info");
  let mail;
  await waitFor(() => (mail = mails(a.email).find((m) => /Subject: More information needed/.test(m))), "the request mail");
  assert.match(mail, /different withdrawal/);
  const mailed = mail.match(/reset\.html\?more=([A-Za-z0-9_-]{43})/)[1];
  // the case page shows the request and its deadline, and gives a fresh upload link (the mailed one stops working)
  const caseToken = mails(a.email).map((m) => m.match(/case\.html\?token=([A-Za-z0-9_-]+)/)).find(Boolean)[1];
  const page = await new Client().get(`/api/cases/status?token=${caseToken}`);
  assert.equal(page.json.status, "needs_more_info");
  assert.ok(Date.parse(page.json.more_info_expires_at) - Date.now() > 71 * 3600e3, "72 hours to answer");
  assert.ok(page.json.timeline.some((e) => e.event === "more_info_requested" && /different withdrawal/.test(e.detail)));
  const fresh = await new Client().post("/api/cases/upload-link", { token: caseToken });
  assert.equal(fresh.status, 200, fresh.text);
  const token = fresh.json.url.match(/\/reset\.html\?more=([A-Za-z0-9_-]{43})$/)[1];
  assert.equal((await new Client().post("/api/reset/more-info", { token: mailed })).status, 404, "the mailed link was replaced");
  assert.equal((await new Client().post("/api/cases/upload-link", { token: "Q".repeat(43) })).status, 404);
  // another browser (the mail opened on the phone): the link moves the reset there
  const phone = new Client();
  const claim = await phone.post("/api/reset/more-info", { token });
  assert.equal(claim.status, 200, claim.text);
  const flow = claim.json.id;
  // the upload page says what the reviewer asked, from the link alone (#16)
  assert.equal(claim.json.asked, "Please upload a screenshot of a different withdrawal.");
  assert.equal((await phone.get(`/api/reset/${flow}`)).json.state, "needs_more_info");
  const f = { id: flow, c: phone };
  assert.equal((await phone.post(`/api/reset/${flow}/evidence/submit`, {})).json.error?.code, "evidence_incomplete", "something new first");
  assert.equal((await upload(f, corpus("tx-720x1280.png"), { kind: "counterparty_tx", direction: "deposit", coin: "USDT", network: "TRX",
    amount: "100", time: "2026-10-01T10:30", reference: "4".repeat(64), counterparty: "Kraken" })).status, 201);
  const s = await phone.post(`/api/reset/${flow}/evidence/submit`, {});
  assert.equal(s.status, 200, s.text);
  assert.equal(caseRow(caseId)[0], "under_review");
  const q = await r1.c.get("/api/review/queue");
  assert.ok(q.json.cases.some((c) => c.id === caseId && c.claimed_by === ""), "back in the queue, unclaimed");
  assert.equal((await new Client().post("/api/reset/more-info", { token })).json.error?.code, "link_used");
  assert.equal((await new Client().post("/api/cases/upload-link", { token: caseToken })).json.error?.code, "not_waiting");
  // an expired link
  assert.equal((await r1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  await decide(r1.c, caseId, "more_info", "clearer_screenshot", "A sharper picture, please.");
  let mail2;
  await waitFor(() => (mail2 = mails(a.email).filter((m) => /Subject: More information needed/.test(m))[1]), "the second request");
  const t2 = mail2.match(/reset\.html\?more=([A-Za-z0-9_-]{43})/)[1];
  sql(`UPDATE reset_cases SET more_info_expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE id = ${caseId}`);
  assert.equal((await new Client().post("/api/reset/more-info", { token: t2 })).json.error?.code, "link_expired");
  assert.equal((await new Client().post("/api/reset/more-info", { token: "Z".repeat(43) })).status, 404);
});

test("two decisions racing on one case: one is recorded", async () => {
  const r1 = await reviewer();
  for (let i = 0; i < 3; i++) {
    const { caseId } = await documentsCase();
    assert.equal((await r1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
    const rs = await Promise.all([decide(r1.c, caseId, "approve", "evidence_consistent"),
      decide(r1.c, caseId, "reject", "evidence_forged", "No."), decide(r1.c, caseId, "more_info", "operator_email", "An email, please.")]);
    assert.equal(rs.filter((r) => r.status === 200).length, 1, rs.map((r) => r.text).join(" | "));
    assert.ok(rs.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.json.error?.code === "not_in_review"));
    assert.equal(sql(`SELECT COUNT(*) FROM review_decisions WHERE case_id = ${caseId}`)[0][0], "1");
  }
});

const tables = ["reset_cases", "review_decisions", "case_events", "passkeys", "holds", "sessions", "reviewer_sessions", "evidence", "outbox",
  "reviewers", "reviewer_enrolments", "audit_heads"];
const checksums = () => sql(`CHECKSUM TABLE ${tables.join(", ")}`).map((r) => r.join(" ")).join("\n");

test("the access matrix: every review route x {no session, account session, reviewer without the claim, without the role, without CSRF}", async () => {
  const holder = await reviewer();
  const other = await reviewer();
  const admin = await reviewer("admin");
  const { caseId } = await documentsCase();
  assert.equal((await holder.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  const ev = sql(`SELECT id FROM evidence WHERE case_id = ${caseId} LIMIT 1`)[0][0];
  const acct = newAccount("mx");
  const user = new Client();
  await user.signIn(acct.email);
  const routes = ctl("routes").trim().split("\n").map((l) => l.split(" ")).filter(([, p, au]) => au === "reviewer");
  assert.ok(routes.length >= 19, `${routes.length} reviewer routes`);
  assert.ok(routes.filter(([, p]) => p.startsWith("/api/review/admin/")).length >= 10, "the admin console's routes are in the matrix");
  const body = { decision: "reject", reason: "evidence_forged", note_user: "x" };
  // the admin console's (#22): valid bodies, so that only the access decides
  const bodies = { "/api/review/admin/reviewers": { email: "matrix-new@rekey.test", roles: ["admin"] }, "/roles": { roles: ["admin"] } };
  const bodyOf = (p) => (p.endsWith("/decision") ? body : bodies[p] ?? bodies[p.slice(p.lastIndexOf("/"))] ?? {});
  const path = (p) => p.replace("/evidence/{id}", `/evidence/${ev}`).replace("{id}", String(caseId));
  // the mailer finishes what is queued first: it marks outbox rows as sent
  await waitFor(() => sql("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")[0][0] === "0", "an idle outbox", 15000);
  const before = checksums();
  let n = 0;
  for (const [m, p] of routes) {
    const url = path(p);
    const send = (c, o = {}) => c.req(m, url, m === "POST" ? bodyOf(p) : m === "PUT" ? { language: "de" } : undefined, o);
    // no session at all
    let r = await send(new Client());
    assert.equal(r.status, 401, `${m} ${p} no session`);
    // an account holder's session
    r = await send(user, { headers: { "X-CSRF-Token": user.csrf } });
    assert.equal(r.status, 401, `${m} ${p} account session`);
    n += 2;
    if (m !== "GET") {
      // the reviewer's own session without its CSRF token
      r = await send(holder.c, { headers: { "X-CSRF-Token": null } });
      assert.equal(r.json?.error?.code, "csrf_token", `${m} ${p} no CSRF`);
      assert.equal(r.status, 403, `${m} ${p} no CSRF`);
      // from another site
      r = await send(holder.c, { headers: { Origin: "http://evil.test" } });
      assert.equal(r.status, 403, `${m} ${p} other origin`);
      n += 2;
    }
    if (/\/cases\/|\/evidence\/|\/queue$|\/reasons$/.test(p)) {
      // a reviewer without the role
      r = await send(admin.c);
      assert.equal(r.json?.error?.code, "role_required", `${m} ${p} admin only: ${r.status}`);
      n++;
    }
    if (/\/admin\//.test(p)) {
      // the admin console: a reviewer (and a senior) without the admin role
      r = await send(holder.c);
      assert.equal(r.json?.error?.code, "role_required", `${m} ${p} reviewer, not admin: ${r.status}`);
      assert.equal(r.status, 403);
      n++;
    }
    if (/\/decision$|\/release$|\/evidence\/|identity-photo$/.test(p)) {
      // a reviewer not holding the claim
      r = await send(other.c);
      assert.ok([403, 404, 409].includes(r.status), `${m} ${p} not the holder: ${r.status}`);
      n++;
    }
  }
  assert.ok(n >= 60, `${n} requests`);
  assert.equal(checksums(), before, "nothing changed");
  assert.equal(caseRow(caseId)[0], "under_review");
});

// issue #24: the matrix above takes its routes from the table itself, so a
// review route marked public there would simply not be tried. Signed out,
// every review route but enrolment and sign-in is unauthenticated.
test("signed out, every review route but enrolment and sign-in answers unauthenticated", async () => {
  const open = new Set(["/api/review/enrol/options", "/api/review/enrol", "/api/review/session/options", "/api/review/session"]);
  const all = ctl("routes").trim().split("\n").map((l) => l.split(" ")).filter(([m, p]) => p.startsWith("/api/review/"));
  for (const [m, p, au] of all)
    if (!(m === "POST" && open.has(p))) assert.equal(au, "reviewer", `${m} ${p}: unauthenticated without a reviewer session`);
  const paths = ["/api/review/me", "/api/review/reasons", "/api/review/queue", "/api/review/cases/1", "/api/review/evidence/1",
    "/api/review/cases/1/identity-photo"];
  for (const p of paths) {
    const r = await new Client().get(p);
    assert.equal(r.json?.error?.code, "unauthenticated", `GET ${p}: ${r.text}`);
    assert.equal(r.status, 401);
  }
});

test("the review API runs as its own database user, which cannot read password hashes, TOTP secrets or session tokens", async () => {
  const r1 = await reviewer();
  assert.equal((await r1.c.get("/api/review/queue")).status, 200);
  assert.ok(Number(sql("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'rekey_review'")[0][0]) >= 1, "connected as rekey_review");
  const asReview = (q) => sqlAs("rekey_review", q);
  assert.match(asReview("SELECT COUNT(*) FROM reset_cases"), /^\d+$/, "it reads the cases");
  for (const q of ["SELECT password_hash FROM accounts LIMIT 1", "SELECT secret_sealed FROM totp_bindings LIMIT 1",
    "SELECT token_hash FROM sessions LIMIT 1", "SELECT * FROM codes LIMIT 1", "UPDATE accounts SET email = email WHERE id = 0",
    "DELETE FROM audit_log WHERE chain_id = 0", "UPDATE reviewers SET email = email WHERE id = 0", "SELECT * FROM outbox LIMIT 1",
    "UPDATE audit_heads SET seq = seq WHERE chain_id = 0"])
    assert.throws(() => asReview(q), /denied/, q);
});

test("evidence not sent yet: the case page's link continues the uploads in another browser", async () => {
  const { a, f } = await routedTo("documents", "unverified");
  assert.equal((await upload(f, corpus("email-1080x2400.png"), EMAIL)).status, 201);
  // the tab is closed; the mail's case link on another device
  const caseToken = (await waitFor(() => mails(a.email).map((m) => m.match(/case\.html\?token=([A-Za-z0-9_-]+)/)).find(Boolean), "the case mail"))[1];
  const page = await new Client().get(`/api/cases/status?token=${caseToken}`);
  assert.equal(page.json.status, "awaiting_evidence");
  const link = await new Client().post("/api/cases/upload-link", { token: caseToken });
  assert.equal(link.status, 200, link.text);
  assert.ok(Date.parse(link.json.expires_at) - Date.now() > 71 * 3600e3);
  const token = link.json.url.match(/\/reset\.html\?more=([A-Za-z0-9_-]{43})$/)[1];
  const other = new Client();
  const claim = await other.post("/api/reset/more-info", { token });
  assert.equal(claim.status, 200, claim.text);
  assert.deepEqual([claim.json.id, claim.json.state, claim.json.route], [f.id, "documents", "documents"]);
  assert.equal((await f.c.get(`/api/reset/${f.id}`)).status, 404, "the old tab's cookie no longer holds the flow");
  const g = { id: f.id, c: other };
  const list = await other.get(`/api/reset/${f.id}/evidence`);
  assert.equal(list.json.evidence.length, 1, "the file uploaded before is still there");
  assert.equal((await upload(g, corpus("tx-1080x2400.jpg"), TX, "image/jpeg")).status, 201);
  const s = await other.post(`/api/reset/${f.id}/evidence/submit`, {});
  assert.equal(s.status, 200, s.text);
  assert.equal(sql(`SELECT status FROM reset_cases WHERE id = ${f.routed.case}`)[0][0], "under_review");
  assert.equal((await new Client().post("/api/reset/more-info", { token })).json.error?.code, "link_used", "spent once sent");
});

test("a decision's reason must fit the case's route, on the server too (#16)", async () => {
  const r1 = await reviewer("reviewer,senior");
  const { caseId } = await faceCase();
  assert.equal((await r1.c.post(`/api/review/cases/${caseId}/claim`)).status, 200);
  for (const [decision, reason] of [["approve", "evidence_consistent"], ["approve", "records_match"], ["reject", "evidence_forged"],
    ["more_info", "clearer_screenshot"]]) {
    const r = await decide(r1.c, caseId, decision, reason, "Told to the user.");
    assert.equal(r.status, 400, `${decision} ${reason}`);
    assert.equal(r.json.error.code, "reason_invalid", `${decision} ${reason}`);
  }
  assert.equal(sql(`SELECT status FROM reset_cases WHERE id = ${caseId}`)[0][0], "under_review", "nothing decided");
  const d = await documentsCase();
  assert.equal((await r1.c.post(`/api/review/cases/${d.caseId}/claim`)).status, 200);
  const f = await decide(r1.c, d.caseId, "approve", "face_match");
  assert.equal(f.json.error.code, "reason_invalid");
  // a reason of the case's own route is taken
  const ok = await decide(r1.c, caseId, "reject", "face_mismatch", "The pictures did not match.");
  assert.equal(ok.status, 200, ok.text);
});
