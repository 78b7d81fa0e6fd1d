// api_kit_client.test.mjs -- @rekey/kit/client: the same routes as
// cgi/openapi.json (either way), one method per route on the instance and in
// its declarations, the cookie jar and CSRF header, RekeyError, and typed
// calls against the test stack.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { RekeyClient, RekeyError, ROUTES, HELPERS } from "@rekey/kit/client";
import { SoftAuthenticator } from "@rekey/kit/authenticator";
import { root } from "./vectors.mjs";
import { shapes } from "./kit-shapes.mjs";
import { base, origin, newAccount, codeMail, mails, serviceToken, uniqueEmail, ctl, DEMO_PASSWORD } from "./stack.mjs";

const openapi = JSON.parse(readFileSync(root + "cgi/openapi.json", "utf8"));
const METHODS = ["get", "put", "post", "delete", "patch", "head", "options"];
const documented = Object.entries(openapi.paths).flatMap(([p, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m)).map((m) => `${m.toUpperCase()} ${p}`));
const client = () => new RekeyClient({ baseUrl: base, origin });

const { declared, shape } = shapes(root + "kit/client.d.ts");

test("every route of cgi/openapi.json has a client method, and every client method a route there", () => {
  const ours = ROUTES.map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(documented.filter((k) => !ours.includes(k)), [], "routes in OpenAPI that the client lacks");
  assert.deepEqual(ours.filter((k) => !documented.includes(k)), [], "client routes that OpenAPI does not have");
  assert.equal(new Set(ours).size, ours.length, "one method per route");
  assert.equal(new Set(ROUTES.map((r) => `${r.group}.${r.name}`)).size, ROUTES.length, "no two routes share a method");
});

test("the table's body kind follows each route's requestBody, and its path parameters its parameters", () => {
  for (const r of ROUTES) {
    const op = openapi.paths[r.path][r.method.toLowerCase()];
    const types = Object.keys(op.requestBody?.content ?? {});
    const want = types.length === 0 ? "none" : types.includes("application/json") ? "json" : "image";
    assert.equal(r.body, want, `${r.method} ${r.path}`);
    const params = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
    assert.deepEqual([...r.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]), params, `${r.method} ${r.path}`);
  }
});

test("each route and helper is a method of its group, on the instance and in client.d.ts", () => {
  const c = client();
  const dts = readFileSync(root + "kit/client.d.ts", "utf8");
  const groups = [...new Set(ROUTES.map((r) => r.group))];
  for (const g of groups) {
    const iface = g[0].toUpperCase() + g.slice(1) + "Api";
    const block = dts.match(new RegExp(`export interface ${iface} \\{([\\s\\S]*?)\\n\\}`));
    assert.ok(block, `interface ${iface} in client.d.ts`);
    const declared = [...block[1].matchAll(/^ {2}(\w+)\(/gm)].map((m) => m[1]).sort();
    const expected = [...ROUTES.filter((r) => r.group === g).map((r) => r.name), ...(HELPERS[g] ?? [])].sort();
    assert.deepEqual(declared, expected, `${iface}: declared methods`);
    assert.deepEqual(Object.keys(c[g]).sort(), expected, `client.${g}: methods`);
    for (const name of expected) assert.equal(typeof c[g][name], "function", `${g}.${name}`);
    assert.match(dts, new RegExp(`\\n  ${g}: ${iface};`), `RekeyClient.${g} is declared`);
  }
});

test("a RekeyError carries status, code, message, the error's other fields, method and path", async () => {
  const c = client();
  await assert.rejects(c.session.signIn({ email: "nobody-" + Date.now() + "@rekey.test", password: "x".repeat(12) }), (e) => {
    assert.ok(e instanceof RekeyError && e instanceof Error);
    assert.equal(e.name, "RekeyError");
    assert.equal(e.status, 401);
    assert.match(e.code, /^[a-z0-9_]+$/);
    assert.ok(e.message.length > 10);
    assert.equal(e.method, "POST");
    assert.equal(e.path, "/api/session");
    assert.deepEqual(e.body.error.code, e.code);
    return true;
  });
  await assert.rejects(c.account.me(), (e) => e.status === 401 && e.code === "auth_required" || (e.status === 401 && typeof e.code === "string"));
  const closed = await new Promise((resolve) => { const srv = createServer().listen(0, "127.0.0.1", () => { const { port } = srv.address(); srv.close(() => resolve(port)); }); });
  await assert.rejects(new RekeyClient({ baseUrl: `http://127.0.0.1:${closed}` }).system.health(),
    (e) => e instanceof RekeyError && e.status === 0 && e.code === "network" && /ECONNREFUSED/.test(e.message));
  assert.throws(() => new RekeyClient({}), TypeError);
  await assert.rejects(c.reset.get(""), TypeError, "a missing path parameter is refused before any request");
});

test("the cookie jar and the CSRF token: signed in, a state change carries both; without the token it is refused", async () => {
  const { email } = newAccount("kitc");
  const c = client();
  const s = await c.session.signIn({ email, password: DEMO_PASSWORD });
  shape("SignInAnswer", s);
  assert.equal(s.status, "signed_in");
  assert.equal(c.csrf, s.csrf);
  assert.ok(c.jar.has("rk_session"));
  const me = await c.account.me();
  shape("Me", me);
  shape("Tools", me.tools);
  shape("WithdrawalHold", me.withdrawal_hold);
  me.recent_signins.forEach((x) => shape("SignInRecord", x));
  assert.equal(me.email, email);
  assert.equal(typeof me.tools.passkeys, "number");
  const sent = await c.codes.sendEmail({ purpose: "step_up" });
  shape("CodeSent", sent);
  assert.equal(sent.sent, true);
  const bare = new RekeyClient({ baseUrl: base, origin });
  bare.cookie = c.cookie;
  await assert.rejects(bare.codes.sendEmail({ purpose: "step_up" }), (e) => e.status === 403);
  const foreign = new RekeyClient({ baseUrl: base, origin: "http://evil.test" });
  foreign.cookie = c.cookie;
  foreign.csrf = c.csrf;
  await assert.rejects(foreign.codes.sendEmail({ purpose: "step_up" }), (e) => e.status === 403);
  const list = await c.session.list();
  list.sessions.forEach((x) => shape("SessionInfo", x));
  assert.equal(list.sessions.filter((x) => x.current).length, 1);
  assert.equal(await c.session.signOut(), undefined);
  assert.equal(c.jar.has("rk_session"), false, "the cleared cookie leaves the jar");
  await assert.rejects(c.account.me(), (e) => e.status === 401);
});

test("passkeys.register, passkeys.signIn and deleteFlow.run: the whole delete with the helpers", async () => {
  const { email, id } = newAccount("kitd");
  const c = client();
  await c.session.signIn({ email, password: DEMO_PASSWORD });
  const a = new SoftAuthenticator({ origin }), b = new SoftAuthenticator({ origin });
  const first = await c.passkeys.register(a, "First");
  const second = await c.passkeys.register(b, "Second");
  assert.deepEqual([first.name, second.name], ["First", "Second"]);
  shape("PasskeyAdded", first);
  (await c.passkeys.list()).passkeys.forEach((x) => shape("Passkey", x));
  const other = client();
  const si = await other.passkeys.signIn(a);
  shape("PasskeySignedIn", si);
  assert.deepEqual([si.status, si.passkey], ["signed_in", first.id]);
  const renamed = await other.passkeys.rename(first.id, { name: "Renamed" });
  assert.equal(renamed.name, "Renamed");
  const before = mails(email).length;
  const done = await other.deleteFlow.run(first.id, {
    emailCode: () => codeMail(email, before),
    secondFactor: { method: "passkey", authenticator: b },
  });
  assert.equal(done.state, "deleted");
  shape("DeleteDone", done);
  shape("WithdrawalHold", done.withdrawal_hold);
  assert.equal(done.withdrawal_hold.held, true);
  // the deleted one stays listed as removed for the dispute window (#18)
  assert.deepEqual((await other.passkeys.list()).passkeys.filter((p) => !p.removed).map((p) => p.name), ["Second"]);
  assert.deepEqual((await other.passkeys.list()).passkeys.filter((p) => p.removed).map((p) => p.name), ["Renamed"]);
  shape("AcceptedCredentials", (await other.passkeys.list()).signal);
  const third = await other.passkeys.register(a, "Third");
  const again = await other.passkeys.startDelete(third.id);
  shape("DeleteStarted", again);
  shape("DeleteFlowState", await other.deleteFlow.get(again.id));
  const next = await other.deleteFlow.next(again.id);
  shape("DeleteFlowState", next);
  next.methods.forEach((m) => shape("DeleteMethod", m));
  shape("DeleteFlowState", await other.deleteFlow.cancel(again.id));
  const hold = await client().holds.withdrawal({ query: { account: id }, headers: { Authorization: `Bearer ${serviceToken()}` } });
  assert.equal(hold.held, true);
  shape("ServiceHold", hold);
  hold.holds.forEach((x) => shape("Hold", x));
  assert.equal(hold.holds[0].reason, "passkey_deleted");
});

// A documents case (Case 3) through the client: both screenshots uploaded and submitted.
async function documentsCase(onProgress) {
  const { email } = newAccount("kitr", "unverified", "0");
  const c = client();
  const r = await c.reset.start({ entry: "direct" });
  shape("ResetStarted", r);
  assert.equal(r.state, "instructions");
  const agreed = await c.reset.agree(r.id, { agree: true });
  shape("ResetState", agreed);
  assert.equal(agreed.state, "credentials");
  shape("ResetGot", await c.reset.get(r.id));
  const before = mails(email).length;
  shape("ResetCredentials", await c.reset.credentials(r.id, { email, password: DEMO_PASSWORD }));
  const routed = await c.reset.emailCode(r.id, { code: await codeMail(email, before) });
  shape("ResetRouted", routed);
  assert.equal(routed.route, "documents");
  const png = readFileSync(root + "tests/vectors/image/corpus/email-1080x2400.png");
  const stored = await c.evidence.upload(new Blob([png], { type: "image/png" }), { flow: r.id, kind: "operator_email", email_kind: "deposit" },
    { onProgress });
  assert.equal(stored.kind, "operator_email");
  shape("EvidenceStored", stored);
  assert.deepEqual([stored.format, stored.width, stored.height, stored.bytes], ["png", 1080, 2400, png.length]);
  const jpg = readFileSync(root + "tests/vectors/image/corpus/tx-1080x2400.jpg");
  const tx = await c.evidence.upload(jpg, { flow: r.id, kind: "counterparty_tx", direction: "withdrawal", coin: "USDT", network: "TRX",
    amount: "250", time: "2026-11-01T10:30", reference: "3".repeat(64), counterparty: "OKX" });
  assert.equal(tx.format, "jpeg", "the type from the bytes");
  await assert.rejects(c.evidence.upload(readFileSync(root + "tests/vectors/image/corpus/bad-crc.png"), { flow: r.id, kind: "operator_email", email_kind: "deposit" }),
    (e) => e instanceof RekeyError && e.status === 400 && e.code === "image_bad_crc" && Array.isArray(e.details.problems));
  const listed = await c.evidence.list(r.id);
  assert.equal(listed.evidence.length, 2);
  listed.evidence.forEach((x) => shape("EvidenceItem", x));
  await assert.rejects(c.evidence.upload(png, { kind: "operator_email" }), TypeError);
  const submitted = await c.evidence.submit(r.id);
  shape("ResetUnderReview", submitted);
  assert.equal(submitted.case_status, "under_review");
  return { caseId: routed.case, evidence: stored.id };
}

test("reset and evidence.upload: typed fields in the query, progress up to 1, the files listed, the case submitted", async () => {
  const seen = [];
  await documentsCase((f) => seen.push(f));
  assert.ok(seen.length >= 2, "progress in steps");
  assert.deepEqual(seen, [...seen].sort((x, y) => x - y), "progress only grows");
  assert.equal(seen[seen.length - 1], 1);
});

test("review: enrolWith and signInWith take the reviewer's CSRF token; queue, claim, case, evidence bytes, release", async () => {
  const { caseId, evidence } = await documentsCase();
  const email = uniqueEmail("kitrev");
  const token = ctl("reviewer", "add", email, "reviewer").trim().match(/token=([A-Za-z0-9_-]{43})$/)[1];
  const c = client();
  const auth = new SoftAuthenticator({ origin });
  const enrolled = await c.review.enrolWith(auth, token);
  assert.equal(enrolled.status, "enrolled");
  assert.equal(c.csrf, enrolled.reviewer.csrf);
  shape("Reviewer", enrolled.reviewer);
  const r = client();
  const s = await r.review.signInWith(auth);
  assert.deepEqual([s.status, s.reviewer.email], ["signed_in", email]);
  assert.equal(r.csrf, s.reviewer.csrf);
  assert.deepEqual((await r.review.me()).roles, ["reviewer"]);
  const reasons = await r.review.reasons();
  shape("ReviewReasons", reasons);
  shape("Reviewer", await r.review.me());
  assert.ok(reasons.approve.length && reasons.reject.length && reasons.more_info.length);
  const q = await r.review.queue({ query: { route: "documents", limit: 100 } });
  assert.ok(q.cases.every((x) => x.kind === "documents"));
  assert.equal(typeof q.counts.total, "number");
  shape("ReviewQueue", q);
  q.cases.forEach((x) => shape("QueueCase", x));
  await assert.rejects(r.review.evidence(evidence), (e) => e instanceof RekeyError && e.status === 403 && e.code === "claim_required");
  assert.deepEqual(await r.review.claim(caseId), { case: caseId, claimed: true });
  const got = await r.review.getCase(caseId);
  assert.equal(got.id, caseId);
  shape("ReviewCase", got);
  got.evidence.forEach((x) => shape("ReviewEvidence", x));
  assert.deepEqual(got.evidence.map((e) => e.kind).sort(), ["counterparty_tx", "operator_email"]);
  const pic = await r.review.evidence(evidence);
  assert.match(pic.contentType, /^image\/png$/);
  assert.deepEqual([...pic.bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
  assert.deepEqual(await r.review.release(caseId), { case: caseId, claimed: false });
  assert.equal(await r.review.signOut(), undefined);
  await assert.rejects(r.review.me(), (e) => e.status === 401);
});

test("system.health and system.openapi", async () => {
  const c = client();
  const h = await c.system.health();
  shape("Health", h);
  assert.deepEqual([h.status, h.db, typeof h.schema], ["ok", "ok", "number"]);
  assert.equal((await c.system.openapi()).info.version, openapi.info.version);
  const s = await c.system.settings();
  shape("Settings", s);
  assert.equal(typeof s.texts.hold, "string");
});

test("the shape check reads client.d.ts: declared keys, optional ones, inherited ones, open interfaces", () => {
  assert.deepEqual([...declared("ResetRouted").required].sort(), ["attempts_left", "case", "id", "route", "route_rule", "state"]);
  assert.deepEqual([...declared("DeleteMethod").optional].sort(), ["count", "phone"]);
  assert.equal(declared("ReviewCase").required.has("four_eyes"), true);
  assert.equal(declared("CaseStatus").open, true);
  assert.throws(() => shape("Health", { status: "ok", db: "ok", schema: 1, extra: 1 }), /Health declares extra/);
  assert.throws(() => shape("Health", { status: "ok", db: "ok" }), /Health\.schema is in the answer/);
  shape("DeleteMethod", { method: "totp" });
});
