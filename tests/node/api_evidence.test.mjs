// api_evidence.test.mjs -- Case 3 screenshots through the API: real Chromium
// screenshots accepted, every refused kind of file refused with its code,
// encrypted at rest, duplicates, the fraud-ring flag, the match score, the
// submission, and a worker SIGKILL during uploads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { base, origin, sql, dir, waitFor, mails, Client, setting } from "./stack.mjs";
import { routedTo, corpus, EMAIL, TX, upload } from "./reset-helpers.mjs";

const documentsCase = () => routedTo("documents", "unverified");

test("real screenshots are accepted, sealed at rest, and the typed transaction is matched", async () => {
  const { a, f } = await documentsCase();
  const png = corpus("email-1080x2400.png");
  let r = await upload(f, png, EMAIL);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.width, 1080);
  r = await upload(f, corpus("tx-1080x2400.jpg"), TX, "image/jpeg");
  assert.equal(r.status, 201, r.text);
  const [sealedLen, hasPng, sha, score, reasons] = sql(`SELECT LENGTH(original_sealed), LOCATE(UNHEX('89504E470D0A1A0A'), original_sealed),
    LOWER(HEX(sha256)), match_score, match_reasons FROM evidence WHERE case_id = ${f.routed.case} AND kind = 'counterparty_tx'`)[0];
  assert.equal(Number(sealedLen), corpus("tx-1080x2400.jpg").length + 40, "nonce + ciphertext + tag");
  assert.equal(hasPng, "0");
  assert.equal(sql(`SELECT LOCATE(UNHEX('89504E470D0A1A0A49484452'), original_sealed) FROM evidence WHERE case_id = ${f.routed.case} AND kind = 'operator_email'`)[0][0], "0", "the PNG is not stored in the clear");
  assert.equal(sha, r.json.sha256);
  assert.equal(score, "100");
  assert.match(reasons, /amount exact; time within 2 h; TXID matches/);
  const list = await f.c.get(`/api/reset/${f.id}/evidence`);
  assert.equal(list.json.evidence.length, 2);
  // submit for review
  const s = await f.c.post(`/api/reset/${f.id}/evidence/submit`, {});
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.state, "under_review");
  assert.equal(sql(`SELECT status FROM reset_cases WHERE id = ${f.routed.case}`)[0][0], "under_review");
  await waitFor(() => mails(a.email).some((m) => /Subject: Your documents are under review/.test(m)), "the review mail");
});

test("refused files: corrupt, pixel flood, polyglot, tiny, blank, oversized, duplicate, wrong type", async () => {
  const { f } = await documentsCase();
  for (const [file, code] of [["bad-crc.png", "image_bad_crc"], ["pixel-flood.png", "image_too_many_pixels"], ["polyglot-png-zip.png", "image_trailing_data"],
    ["polyglot-jpeg-html.jpg", "image_trailing_data"], ["tiny.png", "image_too_small"], ["blank-white.png", "image_blank"], ["email-blurred.png", "image_blurred"],
    ["bad-huffman.jpg", "image_bad_structure"], ["zero-size.png", "image_empty"], ["not-an-image.png", "image_unknown_format"]]) {
    const r = await upload(f, corpus(file), EMAIL, file.endsWith(".jpg") ? "image/jpeg" : "image/png"); // each as its own type
    assert.equal(r.status, 400, file);
    assert.equal(r.json.error?.code, code, file);
  }
  const big = Buffer.alloc(10 * 1024 * 1024 + 1);
  let r = await upload(f, big, EMAIL);
  assert.equal(r.json?.error?.code, "body_too_large", r.text);
  assert.equal(r.status, 413);
  r = await upload(f, corpus("email-720x1280.png"), EMAIL, "text/plain");
  assert.equal(r.status, 415);
  assert.equal((await upload(f, corpus("email-720x1280.png"), EMAIL)).status, 201);
  r = await upload(f, corpus("email-720x1280.png"), { ...EMAIL, email_kind: "signin" });
  assert.equal(r.json.error?.code, "duplicate_image");
  r = await upload(f, corpus("wrong-extension.jpg"), EMAIL);
  assert.equal(r.json.error?.code, "duplicate_image", "the same picture, byte-identical, under another name");
  assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE case_id = ${f.routed.case}`)[0][0], "1");
});

test("a body whose format is not its declared Content-Type is refused with image_type_mismatch, and nothing is stored", async () => {
  const { a, f } = await documentsCase();
  const audit = () => sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${a.id} AND event = 'reset_evidence_added'`)[0][0];
  for (const [file, type, fields] of [["email-720x1280.png", "image/jpeg", EMAIL], ["wrong-extension.jpg", "image/jpeg", EMAIL],
    ["tx-1080x2400.jpg", "image/png", TX], ["tx-progressive.jpg", "image/png", TX]]) {
    const r = await upload(f, corpus(file), fields, type);
    assert.equal(r.status, 400, `${file} as ${type}: ${r.text}`);
    assert.equal(r.json.error?.code, "image_type_mismatch", file);
    assert.equal(r.json.error.message, "The file is not of the type it was sent as (a PNG sent as JPEG, or the other way round).");
    assert.deepEqual(r.json.error.problems, ["image_type_mismatch"], file);
  }
  assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE case_id = ${f.routed.case}`)[0][0], "0", "nothing stored");
  assert.equal(audit(), "0", "nothing audited");
  // the same files under their own types
  assert.equal((await upload(f, corpus("email-720x1280.png"), EMAIL, "image/png")).status, 201);
  assert.equal((await upload(f, corpus("tx-1080x2400.jpg"), TX, "image/jpeg")).status, 201);
  assert.equal(sql(`SELECT GROUP_CONCAT(format ORDER BY id) FROM evidence WHERE case_id = ${f.routed.case}`)[0][0], "png,jpeg");
  // and a face frame the same: a PNG frame sent as image/jpeg
  const face = await routedTo("face", "verified");
  const r = await upload(face.f, framePng(), { kind: "face_frame", country: "CH" }, "image/jpeg");
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error?.code, "image_type_mismatch");
  assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE case_id = ${face.f.routed.case}`)[0][0], "0");
});

test("typed fields are checked with the core's validators", async () => {
  const { f } = await documentsCase();
  const png = corpus("tx-720x1280.png");
  for (const [over, code] of [[{ reference: "not-a-txid" }, "reference_invalid"], [{ amount: "1.0000001" }, "amount_too_many_decimals"],
    [{ network: "DOGE" }, "chain_unknown"], [{ time: "yesterday" }, "time_invalid"], [{ time: "2099-01-01T00:00" }, "time_invalid"],
    [{ counterparty: undefined }, "missing_field"], [{ extra: "1" }, "unknown_field"],
    // the coin, checked on the server too (#25: it was checked only in the browser)
    [{ coin: "DOGE" }, "coin_not_listed"], [{ coin: "BTC" }, "coin_not_listed"], [{ coin: "ETH", network: "TRX" }, "coin_not_listed"],
    [{ coin: "USDT", network: "TRX", amount: "1.0000001" }, "amount_too_many_decimals"]]) {
    const fields = { ...TX, ...over };
    for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
    const r = await upload(f, png, fields);
    assert.equal(r.status, 400, JSON.stringify(over));
    assert.equal(r.json.error?.code, code, JSON.stringify(over));
  }
  assert.equal((await upload(f, png, { kind: "operator_email" })).json.error?.code, "missing_field");
  assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE case_id = ${f.routed.case}`)[0][0], "0");
});

test("submitting needs both screenshots; uploads need the documents step", async () => {
  const { f } = await documentsCase();
  await upload(f, corpus("email-720x1280.png"), EMAIL);
  const r = await f.c.post(`/api/reset/${f.id}/evidence/submit`, {});
  assert.equal(r.json.error?.code, "evidence_incomplete");
  const { f: g } = await routedTo("questions_attention", "unverified", { tool: true });
  assert.equal((await upload(g, corpus("email-720x1280.png"), EMAIL)).status, 409);
});

test("the same screenshot in another account's case is flagged as a possible fraud ring", async () => {
  const one = await documentsCase();
  const two = await documentsCase();
  assert.equal((await upload(one.f, corpus("tx-720x1280.png"), TX)).status, 201);
  assert.equal((await upload(two.f, corpus("tx-720x1280.png"), TX)).status, 201);
  const ring = (c) => sql(`SELECT CONCAT('[', ring_cases, ']') FROM evidence WHERE case_id = ${c}`)[0][0].slice(1, -1).split(",").filter(Boolean).map(Number);
  assert.ok(ring(two.f.routed.case).includes(one.f.routed.case), "the second account's upload names the first case");
  assert.ok(!ring(one.f.routed.case).includes(two.f.routed.case), "a case cannot name one that came later");
  assert.ok(!ring(two.f.routed.case).includes(two.f.routed.case), "a case never names itself");
});

test("workers killed with SIGKILL during uploads leave no row without its files", async () => {
  const cases = await Promise.all([documentsCase(), documentsCase(), documentsCase()]);
  const master = Number(readFileSync(`${dir}/run/rekeyd.pid`, "utf8"));
  const files = ["email-1080x2400.png", "tx-1080x2400.png", "tx-720x1280.png"]; // three different pictures
  const pending = cases.flatMap(({ f }) => files.map((n) => upload(f, corpus(n), n.startsWith("tx") ? TX : EMAIL).catch(() => ({ status: 0 }))));
  await new Promise((r) => setTimeout(r, 15));
  const { execFileSync } = await import("node:child_process");
  execFileSync("pkill", ["-9", "-P", String(master)]);
  const rs = await Promise.all(pending);
  await waitFor(async () => (await new Client().get("/api/health")).status === 200, "the workers to come back", 20000);
  const ids = rs.filter((r) => r.status === 201).map((r) => r.json.id);
  for (const id of ids) assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE id = ${id}`)[0][0], "1", "every 201 is stored");
  const caseIds = cases.map(({ f }) => f.routed.case).join(",");
  assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE case_id IN (${caseIds}) AND (LENGTH(original_sealed) = 0 OR LENGTH(canonical_sealed) = 0)`)[0][0], "0");
  assert.ok(rs.every((r) => r.status === 0 || r.status === 201 || r.status === 502 || r.status === 503), rs.map((r) => r.status).join(","));
});

test("uploads need the same origin and the flow's own cookie", async () => {
  const one = await documentsCase();
  const two = await documentsCase();
  const png = corpus("email-1080x2400.png");
  const post = (id, headers) => fetch(`${base}/api/reset/${id}/evidence?${new URLSearchParams(EMAIL)}`, { method: "POST", headers: { "Content-Type": "image/png", ...headers }, body: png });
  assert.equal((await post(one.f.id, { Cookie: one.f.c.cookie })).status, 403, "no Origin");
  assert.equal((await post(one.f.id, { Cookie: one.f.c.cookie, Origin: "http://evil.test" })).status, 403, "a foreign Origin");
  const other = await post(two.f.id, { Cookie: one.f.c.cookie, Origin: origin });
  assert.ok([403, 404].includes(other.status), `another flow's id with this cookie: ${other.status}`);
  assert.ok([401, 403, 404].includes((await post(one.f.id, { Origin: origin })).status), "no cookie");
  assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE case_id IN (${one.f.routed.case}, ${two.f.routed.case})`)[0][0], "0", "nothing stored");
  assert.equal((await upload(one.f, png, EMAIL)).status, 201, "and the right request still works");
});

// ---- Case 2: face frames (the manual provider) ----
import { framePng } from "./frames.mjs";

const faceCase = () => routedTo("face", "verified");
const FACE = { kind: "face_frame", country: "CH" };

test("face frames: checked again on the server, three needed, then review; country kept", async () => {
  const { a, f } = await faceCase();
  const dark = await upload(f, framePng({ scale: 0.3 }), FACE);
  assert.equal(dark.status, 400, dark.text);
  assert.equal(dark.json.error?.code, "frame_too_dark");
  const side = await upload(f, framePng({ shift: -240 }), FACE);
  assert.equal(side.json.error?.code, "frame_off_centre");
  assert.equal((await upload(f, framePng(), { kind: "face_frame" })).json.error?.code, "country_invalid");
  assert.equal((await upload(f, framePng(), { kind: "face_frame", country: "ch" })).json.error?.code, "country_invalid");
  assert.equal((await upload(f, corpus("email-1080x2400.png"), EMAIL)).status, 409, "a screenshot is not a face frame");
  const frames = [framePng(), framePng({ bg: 122 }), framePng({ bg: 118 })];
  assert.equal((await upload(f, frames[0], FACE)).status, 201);
  assert.equal((await upload(f, frames[0], FACE)).json.error?.code, "duplicate_image", "the same file twice");
  let s = await f.c.post(`/api/reset/${f.id}/evidence/submit`, {});
  assert.equal(s.status, 400);
  assert.equal(s.json.error?.code, "evidence_incomplete");
  assert.equal((await upload(f, frames[1], FACE)).status, 201, "alike frames of one face are fine");
  assert.equal((await upload(f, frames[2], FACE)).status, 201);
  s = await f.c.post(`/api/reset/${f.id}/evidence/submit`, {});
  assert.equal(s.status, 200, s.text);
  assert.equal(s.json.state, "under_review");
  assert.deepEqual(sql(`SELECT status, residence_country FROM reset_cases WHERE id = ${f.routed.case}`)[0], ["under_review", "CH"]);
  assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE case_id = ${f.routed.case} AND kind = 'face_frame' AND LOCATE(UNHEX('89504E47'), original_sealed) = 0`)[0][0], "3");
  await waitFor(() => mails(a.email).some((m) => /Subject: Your pictures are under review/.test(m)), "the review mail");
  assert.ok(!mails(a.email).some((m) => /Subject: Your documents are under review/.test(m)), "the face case is not told about documents");
});

test("face frames are refused in a documents case", async () => {
  const { f } = await documentsCase();
  const r = await upload(f, framePng(), FACE);
  assert.equal(r.status, 409);
  assert.equal(r.json.error?.code, "flow_step_not_allowed");
});

// issue #24: the per-case limits (evidence_per_case files, and as many times
// max_upload bytes) are checks of their own; no other test reaches them.
test("a case takes at most evidence_per_case files and as many times max_upload bytes: evidence_limit, nothing stored", async () => {
  const perCase = Number(setting("evidence_per_case")), maxUpload = Number(setting("max_upload"));
  const { f } = await documentsCase();
  assert.equal((await upload(f, corpus("email-1080x2400.png"), EMAIL)).status, 201);
  const caseId = f.routed.case;
  const count = () => Number(sql(`SELECT COUNT(*) FROM evidence WHERE case_id = ${caseId}`)[0][0]);
  // the byte budget: one stored file said to be that large, one upload more does not fit
  sql(`UPDATE evidence SET bytes = ${perCase * maxUpload - 1000} WHERE case_id = ${caseId}`);
  let r = await upload(f, corpus("tx-1080x2400.jpg"), TX, "image/jpeg");
  assert.equal(r.json.error?.code, "evidence_limit", r.text);
  assert.equal(r.status, 409);
  assert.equal(count(), 1);
  // the file count: as many small files as the case takes
  sql(`UPDATE evidence SET bytes = 1000 WHERE case_id = ${caseId}`);
  const cols = "case_id, kind, email_kind, format, width, height, bytes, sha256, fingerprint, key_id, original_sealed, canonical_sealed, created_at";
  for (let i = count(); i < perCase; i++)
    sql(`INSERT INTO evidence (${cols}) SELECT ${cols} FROM evidence WHERE case_id = ${caseId} ORDER BY id LIMIT 1`);
  assert.equal(count(), perCase);
  r = await upload(f, corpus("tx-1080x2400.jpg"), TX, "image/jpeg");
  assert.equal(r.json.error?.code, "evidence_limit", r.text);
  assert.equal(r.status, 409);
  assert.equal(count(), perCase);
});
