// api_admin.test.mjs -- the admin console's API (/api/review/admin/...):
// admin role only, reviewers added with a one-time enrolment link, roles,
// disable/enable, new links, last sign-in; the review policy in force; the
// audit state and a signed checkpoint that rekeyctl accepts; delivery and
// face-check health. Every change audited and the reviewer told.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { Client, sql, sqlAs, ctl, ctlStatus, setting, uniqueEmail, mails, waitFor, origin } from "./stack.mjs";
import { SoftAuthenticator } from "./authenticator.mjs";
import { reviewer, signInReviewer } from "./review-helpers.mjs";

const audited = (event, actor) => sql(`SELECT detail FROM audit_log WHERE chain_id = 0 AND event = '${event}' AND actor = '${actor}' ORDER BY seq`)
  .map((r) => JSON.parse(r[0]));

// enrols through a link as a browser would: options, a passkey, the answer
async function enrolWith(link) {
  const token = link.match(/\/review\/enrol\.html\?token=([A-Za-z0-9_-]{43})$/)[1];
  const c = new Client();
  const auth = new SoftAuthenticator({ origin });
  const o = await c.post("/api/review/enrol/options", { token });
  assert.equal(o.status, 200, o.text);
  const r = await c.post("/api/review/enrol", { token, response: auth.create(o.json.options) });
  if (r.status === 201) c.csrf = r.json.reviewer.csrf;
  return { c, r, auth, token };
}

test("only the admin role opens the admin routes; reviewers and seniors get role_required", async () => {
  const admin = await reviewer("admin");
  for (const roles of ["reviewer", "senior", "reviewer,senior"]) {
    const { c } = await reviewer(roles);
    for (const [m, p, b] of [["GET", "/api/review/admin/reviewers"], ["POST", "/api/review/admin/reviewers", { email: uniqueEmail("x"), roles: ["admin"] }],
      ["POST", `/api/review/admin/reviewers/${admin.id}/roles`, { roles: ["reviewer"] }], ["POST", `/api/review/admin/reviewers/${admin.id}/disable`, {}],
      ["POST", `/api/review/admin/reviewers/${admin.id}/enable`, {}], ["POST", `/api/review/admin/reviewers/${admin.id}/enrol-link`, {}],
      ["GET", "/api/review/admin/policy"], ["GET", "/api/review/admin/audit"], ["POST", "/api/review/admin/audit/checkpoint", {}],
      ["GET", "/api/review/admin/health"]]) {
      const r = await c.req(m, p, b);
      assert.equal(r.status, 403, `${roles}: ${m} ${p}`);
      assert.equal(r.json.error.code, "role_required", `${roles}: ${m} ${p}`);
    }
  }
  // nothing was made or changed by those attempts
  assert.equal(sql(`SELECT roles, disabled_at IS NULL FROM reviewers WHERE id = ${admin.id}`)[0].join(" "), "admin 1");
  assert.equal((await admin.c.get("/api/review/admin/reviewers")).status, 200);
});

test("add a reviewer: the enrolment link is answered once, works once, and the list shows its passkey and last sign-in", async () => {
  const admin = await reviewer("admin");
  const email = uniqueEmail("newrev");
  const a = await admin.c.post("/api/review/admin/reviewers", { email, roles: ["reviewer", "senior"] });
  assert.equal(a.status, 201, a.text);
  assert.deepEqual(a.json.roles, ["reviewer", "senior"]);
  assert.equal(a.json.enrol_hours, Number(setting("review_enrol_hours")));
  assert.match(a.json.enrol_url, new RegExp(`^${origin}/review/enrol\\.html\\?token=[A-Za-z0-9_-]{43}$`));
  // the link's token is stored only as a keyed hash
  const token = a.json.enrol_url.split("token=")[1];
  assert.equal(sql(`SELECT COUNT(*) FROM reviewer_enrolments WHERE token_hash = '${token}'`)[0][0], "0");
  let list = (await admin.c.get("/api/review/admin/reviewers")).json.reviewers;
  let row = list.find((r) => r.email === email);
  assert.deepEqual([row.id, row.disabled, row.passkeys, row.last_sign_in, row.you], [a.json.id, false, 0, null, false]);
  assert.equal(list.find((r) => r.id === admin.id).you, true);
  assert.ok(!JSON.stringify(list).includes(token), "the list never shows a link");
  const e = await enrolWith(a.json.enrol_url);
  assert.equal(e.r.status, 201, e.r.text);
  assert.deepEqual(e.r.json.reviewer.roles, ["reviewer", "senior"]);
  assert.equal((await new Client().post("/api/review/enrol/options", { token: e.token })).json.error?.code, "link_used");
  list = (await admin.c.get("/api/review/admin/reviewers")).json.reviewers;
  row = list.find((r) => r.email === email);
  assert.equal(row.passkeys, 1);
  assert.match(row.last_sign_in, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  assert.deepEqual(audited("reviewer_added", `reviewer:${admin.id}`).at(-1), { reviewer: a.json.id, roles: "reviewer,senior" });
  // refused: the same email again, unknown or no roles, a bad email, unknown fields
  const dup = await admin.c.post("/api/review/admin/reviewers", { email, roles: ["reviewer"] });
  assert.deepEqual([dup.status, dup.json.error.code], [409, "reviewer_exists"]);
  for (const roles of [["owner"], [], ["reviewer", "root"]]) {
    const r = await admin.c.post("/api/review/admin/reviewers", { email: uniqueEmail("bad"), roles });
    assert.equal(r.status, 400, JSON.stringify(roles));
    assert.ok(["roles_invalid", "invalid_field"].includes(r.json.error.code), r.text);
  }
  for (const body of [{ email: "not-an-email", roles: ["reviewer"] }, { email: uniqueEmail("x") }, { roles: ["reviewer"] },
    { email: uniqueEmail("x"), roles: ["reviewer"], admin: true }, { email: uniqueEmail("x"), roles: "reviewer" }])
    assert.equal((await admin.c.post("/api/review/admin/reviewers", body)).status, 400, JSON.stringify(body));
  assert.equal(sql("SELECT COUNT(*) FROM reviewers WHERE email LIKE 'bad%' OR email = 'not-an-email'")[0][0], "0");
});

test("roles: changed, audited and told to the reviewer; an admin cannot drop their own admin role; unknown reviewers 404", async () => {
  const admin = await reviewer("admin");
  const r1 = await reviewer("reviewer");
  const r = await admin.c.post(`/api/review/admin/reviewers/${r1.id}/roles`, { roles: ["senior"] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.roles, ["senior"]);
  assert.deepEqual((await r1.c.get("/api/review/me")).json.roles, ["senior"]);
  assert.deepEqual(audited("reviewer_roles", `reviewer:${admin.id}`).at(-1), { reviewer: r1.id, roles: "senior" });
  const mail = await waitFor(() => mails(r1.email).find((m) => m.includes("Your roles in the review console are now: senior.")), "the roles mail", 15000);
  assert.ok(mail.includes(admin.email), "says who changed it");
  const self = await admin.c.post(`/api/review/admin/reviewers/${admin.id}/roles`, { roles: ["reviewer", "senior"] });
  assert.deepEqual([self.status, self.json.error.code], [409, "admin_self"]);
  assert.equal(sql(`SELECT roles FROM reviewers WHERE id = ${admin.id}`)[0][0], "admin");
  // keeping admin while adding others is fine
  assert.equal((await admin.c.post(`/api/review/admin/reviewers/${admin.id}/roles`, { roles: ["admin", "senior"] })).status, 200);
  const none = await admin.c.post("/api/review/admin/reviewers/999999999/roles", { roles: ["reviewer"] });
  assert.deepEqual([none.status, none.json.error.code], [404, "not_found"]);
  // without the reviewer's CSRF token, or from another site: refused, unchanged
  const noCsrf = await admin.c.post(`/api/review/admin/reviewers/${r1.id}/roles`, { roles: ["admin"] }, { headers: { "X-CSRF-Token": null } });
  assert.deepEqual([noCsrf.status, noCsrf.json.error.code], [403, "csrf_token"]);
  const evil = await admin.c.post(`/api/review/admin/reviewers/${r1.id}/roles`, { roles: ["admin"] }, { headers: { Origin: "http://evil.test" } });
  assert.equal(evil.status, 403);
  assert.equal(sql(`SELECT roles FROM reviewers WHERE id = ${r1.id}`)[0][0], "senior");
});

test("disable ends the reviewer's sessions and sign-in; enable lets it sign in again; an admin cannot disable themselves", async () => {
  const admin = await reviewer("admin");
  const r1 = await reviewer("reviewer");
  const d = await admin.c.post(`/api/review/admin/reviewers/${r1.id}/disable`, {});
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.disabled, true);
  assert.equal((await r1.c.get("/api/review/me")).status, 401);
  assert.equal(sql(`SELECT COUNT(*) FROM reviewer_sessions WHERE reviewer_id = ${r1.id} AND revoked_at IS NULL`)[0][0], "0");
  assert.notEqual((await signInReviewer(r1.auth)).r.status, 200);
  // a new link for a disabled reviewer is refused
  const l = await admin.c.post(`/api/review/admin/reviewers/${r1.id}/enrol-link`, {});
  assert.deepEqual([l.status, l.json.error.code], [403, "reviewer_disabled"]);
  assert.equal((await admin.c.get("/api/review/admin/reviewers")).json.reviewers.find((r) => r.id === r1.id).disabled, true);
  // twice is a no-op (one audit entry)
  assert.equal((await admin.c.post(`/api/review/admin/reviewers/${r1.id}/disable`, {})).status, 200);
  assert.equal(audited("reviewer_disabled", `reviewer:${admin.id}`).filter((x) => x.reviewer === r1.id).length, 1);
  await waitFor(() => mails(r1.email).some((m) => m.includes("was disabled")), "the disable mail", 15000);
  const e = await admin.c.post(`/api/review/admin/reviewers/${r1.id}/enable`, {});
  assert.equal(e.status, 200, e.text);
  assert.equal((await signInReviewer(r1.auth)).r.status, 200);
  assert.equal(audited("reviewer_enabled", `reviewer:${admin.id}`).filter((x) => x.reviewer === r1.id).length, 1);
  const self = await admin.c.post(`/api/review/admin/reviewers/${admin.id}/disable`, {});
  assert.deepEqual([self.status, self.json.error.code], [409, "admin_self"]);
  assert.equal((await admin.c.get("/api/review/me")).status, 200);
  assert.equal((await admin.c.post("/api/review/admin/reviewers/999999999/disable", {})).status, 404);
  assert.equal((await admin.c.post("/api/review/admin/reviewers/999999999/enable", {})).status, 404);
});

test("a new enrolment link: the old unused one stays single-use, the new one enrols a second passkey", async () => {
  const admin = await reviewer("admin");
  const r1 = await reviewer("reviewer");
  const l = await admin.c.post(`/api/review/admin/reviewers/${r1.id}/enrol-link`, {});
  assert.equal(l.status, 201, l.text);
  const e = await enrolWith(l.json.enrol_url);
  assert.equal(e.r.status, 201, e.r.text);
  assert.equal(sql(`SELECT COUNT(*) FROM reviewer_passkeys WHERE reviewer_id = ${r1.id}`)[0][0], "2");
  assert.equal(audited("reviewer_enrol_link", `reviewer:${admin.id}`).filter((x) => x.reviewer === r1.id).length, 1);
  // the reviewer hears that someone can add a passkey to their account (the link itself is not mailed)
  const told = await waitFor(() => mails(r1.email).find((m) => m.includes("A new enrolment link was made")), "the link mail", 15000);
  assert.ok(!told.includes(l.json.enrol_url.split("token=")[1]), "the mail does not carry the link");
  assert.equal((await admin.c.post("/api/review/admin/reviewers/999999999/enrol-link", {})).status, 404);
});

test("policy: the reason codes and SLAs in force are the configuration's", async () => {
  const admin = await reviewer("admin");
  const p = await admin.c.get("/api/review/admin/policy");
  assert.equal(p.status, 200);
  assert.deepEqual(p.json.reasons.approve, setting("review_reasons_approve").split(","));
  assert.deepEqual(p.json.reasons.reject, setting("review_reasons_reject").split(","));
  assert.deepEqual(p.json.reasons.more_info, setting("review_reasons_more_info").split(","));
  assert.deepEqual(p.json.sla_hours, { face: Number(setting("review_sla_face_hours")), documents: Number(setting("review_sla_documents_hours")),
    questions_failed: Number(setting("review_sla_questions_failed_hours")) });
  assert.equal(p.json.claim_minutes, Number(setting("review_claim_minutes")));
  assert.equal(p.json.four_eyes_cents, Number(setting("high_value_cents")));
  assert.equal((await admin.c.get("/api/review/admin/policy?x=1")).status, 400);
});

test("audit: verified now; a signed checkpoint that rekeyctl audit-verify accepts, audited with its hash; a changed one is refused", async () => {
  const admin = await reviewer("admin");
  const a = await admin.c.get("/api/review/admin/audit");
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.intact, true);
  assert.ok(a.json.entries > 0);
  const cp = await admin.c.post("/api/review/admin/audit/checkpoint", {});
  assert.equal(cp.status, 200, cp.text);
  assert.match(cp.json.checkpoint, /^rekey-audit-checkpoint v1\nat \S+\nkey [0-9a-f]{64}\n(chain \d+ seq \d+ hash [0-9a-f]{64}\n)+sig [0-9a-f]{128}\n$/);
  assert.match(cp.json.filename, /^rekey-audit-checkpoint-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.txt$/);
  const { createHash } = await import("node:crypto");
  assert.equal(cp.json.sha256, createHash("sha256").update(cp.json.checkpoint).digest("hex"));
  assert.deepEqual(audited("audit_checkpoint_taken", `reviewer:${admin.id}`).at(-1), { sha256: cp.json.sha256 });
  const dir = mkdtempSync(`${tmpdir()}/rekey-cp-`);
  try {
    writeFileSync(`${dir}/cp.txt`, cp.json.checkpoint);
    const ok = ctlStatus("audit-verify", `${dir}/cp.txt`);
    assert.equal(ok.code, 0, ok.out);
    assert.match(ok.out, /the checkpoint .* holds/);
    writeFileSync(`${dir}/bad.txt`, cp.json.checkpoint.replace(/seq (\d+)/, (_, n) => `seq ${Number(n) + 1}`));
    const bad = ctlStatus("audit-verify", `${dir}/bad.txt`);
    assert.equal(bad.code, 1, bad.out);
    assert.match(bad.out, /signature does not verify/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("health: pending and failing mail by channel, the oldest pending's age, face checks not finished, the provider", async () => {
  const admin = await reviewer("admin");
  // a message the mailer has failed on and will not retry for a day
  sql(`INSERT INTO outbox (account_id, channel, recipient, subject, body, created_at, attempts, next_attempt_at, last_error)
    VALUES (NULL, 'sms', '+41790009999', 'health test', 'x', UTC_TIMESTAMP(6) - INTERVAL 2 HOUR, 3, UTC_TIMESTAMP(6) + INTERVAL 1 DAY, 'gateway down')`);
  const id = sql("SELECT MAX(id) FROM outbox WHERE subject = 'health test'")[0][0];
  try {
    const h = await admin.c.get("/api/review/admin/health");
    assert.equal(h.status, 200, h.text);
    assert.ok(h.json.mail.sms.pending >= 1 && h.json.mail.sms.failing >= 1, h.text);
    assert.ok(h.json.mail.sms.oldest_pending_seconds >= 7200, h.text);
    assert.equal(h.json.sent_window_hours, 24);
    assert.ok(h.json.mail.email.sent_recently >= 1, "the suites' mail went out");
    assert.equal(h.json.face_provider, setting("face_provider"));
    const open = sql("SELECT status, COUNT(*) FROM face_checks WHERE status IN ('queued', 'sent', 'failed') GROUP BY status");
    for (const [status, n] of open) assert.ok(h.json.face_checks[status]?.count >= 0 && typeof h.json.face_checks[status].oldest_seconds === "number", `${status} ${n}`);
  } finally {
    sql(`DELETE FROM outbox WHERE id = ${id}`);
  }
  const after = (await admin.c.get("/api/review/admin/health")).json;
  assert.ok(!after.mail.sms || after.mail.sms.oldest_pending_seconds < 7200, "the failing message is gone");
});

test("the admin routes run as rekey_review, which may change reviewers' roles and state but not their passkeys or emails", async () => {
  const as = (q) => sqlAs("rekey_review", q);
  for (const q of ["UPDATE reviewers SET email = email WHERE id = 0", "UPDATE reviewers SET user_handle = user_handle WHERE id = 0",
    "DELETE FROM reviewers WHERE id = 0", "SELECT recipient FROM outbox LIMIT 1", "SELECT body FROM outbox LIMIT 1", "UPDATE outbox SET sent_at = NULL WHERE id = 0"])
    assert.throws(() => as(q), /denied/, q);
  assert.match(as("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL"), /^\d+$/);
  as("UPDATE reviewers SET roles = roles, disabled_at = disabled_at WHERE id = 0");
});
