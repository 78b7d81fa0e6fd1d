// api_passkeys.test.mjs -- WebAuthn L3 §7.1 and §7.2 through the HTTP API with a
// software authenticator: every ceremony that should pass, and one forged
// response per verification step, each refused with its own code and nothing stored.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, newAccount, sql, origin, mails, waitFor, DEMO_PASSWORD } from "./stack.mjs";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { SoftAuthenticator, ALG, attestationCert, cbor } from "./authenticator.mjs";

async function signedIn(tag = "pk") {
  const acct = newAccount(tag);
  const c = new Client();
  assert.equal((await c.signIn(acct.email)).status, 200);
  return { c, ...acct };
}

async function register(c, auth, o = {}, name) {
  const opts = await c.post("/api/passkeys/registration/options", {});
  assert.equal(opts.status, 200);
  const cred = auth.create(opts.json, o);
  return { opts: opts.json, cred, r: await c.post("/api/passkeys/registration", name ? { response: cred, name } : { response: cred }) };
}

const count = (id) => Number(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${id}`)[0][0]);

test("registration options follow WebAuthn L3 §5.4 and exclude existing passkeys", async () => {
  const { c, id, email } = await signedIn();
  const r = await c.post("/api/passkeys/registration/options", {});
  assert.equal(r.status, 200);
  const o = r.json;
  assert.equal(o.rp.id, "localhost");
  assert.match(o.challenge, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(Buffer.from(o.user.id, "base64url").length, 32);
  assert.ok(!Buffer.from(o.user.id, "base64url").toString().includes(email), "the user handle is not the email");
  assert.deepEqual(o.pubKeyCredParams.map((p) => p.alg), [-7, -8, -257]);
  assert.equal(o.authenticatorSelection.userVerification, "required");
  assert.equal(o.authenticatorSelection.residentKey, "required");
  const auth = new SoftAuthenticator({ origin });
  const { r: reg, cred } = await register(c, auth);
  assert.equal(reg.status, 201);
  const again = await c.post("/api/passkeys/registration/options", {});
  assert.deepEqual(again.json.excludeCredentials.map((x) => x.id), [cred.id]);
  assert.equal(count(id), 1);
});

test("register ES256 (none), RS256 and EdDSA (packed self); list and rename", async () => {
  const { c, id, email } = await signedIn();
  const auth = new SoftAuthenticator({ origin });
  const a = await register(c, auth, { alg: ALG.ES256 }, "Laptop");
  assert.equal(a.r.status, 201);
  assert.deepEqual({ name: a.r.json.name, alg: a.r.json.alg, synced: a.r.json.synced }, { name: "Laptop", alg: -7, synced: true });
  const b = await register(c, auth, { alg: ALG.RS256, fmt: "packed" });
  assert.equal(b.r.status, 201, b.r.text);
  const d = await register(c, new SoftAuthenticator({ origin, be: false, bs: false }), { alg: ALG.EdDSA, fmt: "packed" }, "Security key");
  assert.equal(d.r.status, 201, d.r.text);
  const list = await c.get("/api/passkeys");
  assert.deepEqual(list.json.passkeys.map((p) => [p.name, p.alg, p.synced, p.device_bound]),
    [["Laptop", -7, true, false], ["Passkey", -257, true, false], ["Security key", -8, false, true]]);
  assert.equal(list.json.passkeys[0].last_used_at, null);
  const r = await c.req("PATCH", `/api/passkeys/${a.r.json.id}`, { name: "Work laptop" });
  assert.equal(r.status, 200);
  assert.equal((await c.get("/api/passkeys")).json.passkeys[0].name, "Work laptop");
  assert.equal((await c.req("PATCH", `/api/passkeys/${a.r.json.id}`, { name: "   " })).json.error?.code, "name_empty");
  const other = await signedIn("pk-other");
  assert.equal((await other.c.req("PATCH", `/api/passkeys/${a.r.json.id}`, { name: "mine now" })).status, 404);
  assert.equal(count(id), 3);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id} AND event = 'passkey_added'`)[0][0], "3");
  await waitFor(() => mails(email).some((m) => /Subject: Passkey added/.test(m)), "the passkey-added mail");
  assert.equal((await c.del(`/api/passkeys/${a.r.json.id}`)).status, 405, "no direct delete route");
});

test("sign in with a passkey as the first factor, with each algorithm", async () => {
  for (const alg of [ALG.ES256, ALG.RS256, ALG.EdDSA]) {
    const { c, email } = await signedIn();
    const auth = new SoftAuthenticator({ origin });
    assert.equal((await register(c, auth, { alg, fmt: alg === ALG.ES256 ? "none" : "packed" })).r.status, 201);
    const b = new Client();
    const opts = await b.post("/api/passkeys/authentication/options", {});
    assert.equal(opts.status, 200);
    assert.deepEqual(opts.json.allowCredentials, []);
    assert.equal(opts.json.rpId, "localhost");
    const r = await b.post("/api/passkeys/authentication", { response: auth.get(opts.json) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, "signed_in");
    const me = await b.get("/api/me");
    assert.equal(me.json.email, email);
    assert.ok((await b.get("/api/passkeys")).json.passkeys[0].last_used_at);
  }
});

test("after a password, a bound passkey is the second factor", async () => {
  const { c, email } = await signedIn();
  const auth = new SoftAuthenticator({ origin });
  await register(c, auth);
  const s = new Client();
  const first = await s.signIn(email);
  assert.equal(first.json.status, "second_factor_required");
  assert.deepEqual(first.json.factors, ["passkey"]);
  assert.equal((await s.get("/api/me")).status, 401);
  const opts = await s.post("/api/passkeys/authentication/options", {});
  assert.equal(opts.json.allowCredentials.length, 1);
  const r = await s.post("/api/passkeys/authentication", { response: auth.get(opts.json, { userHandle: undefined }) });
  assert.equal(r.status, 200, r.text);
  assert.equal((await s.get("/api/me")).status, 200);
});

test("attestation with a certificate: packed x5c and fido-u2f verify; a bad certificate signature does not", async () => {
  const cert = attestationCert();
  const { c, id } = await signedIn();
  const auth = new SoftAuthenticator({ origin, be: false, bs: false });
  let { r } = await register(c, auth, { fmt: "packed", cert }, "Packed key");
  assert.equal(r.status, 201, r.text);
  ({ r } = await register(c, auth, { fmt: "fido-u2f", cert }, "U2F key"));
  assert.equal(r.status, 201, r.text);
  ({ r } = await register(c, auth, { fmt: "packed", cert, badAttestationSig: true }));
  assert.equal(r.json.error?.code, "signature_invalid");
  ({ r } = await register(c, auth, { fmt: "fido-u2f", cert, badAttestationSig: true }));
  assert.equal(r.json.error?.code, "signature_invalid");
  ({ r } = await register(c, auth, { fmt: "fido-u2f", cert, alg: ALG.EdDSA }));
  assert.equal(r.status, 400, "fido-u2f is ES256 only");
  assert.deepEqual(sql(`SELECT attestation_fmt FROM passkeys WHERE account_id = ${id} ORDER BY id`).map((x) => x[0]), ["packed", "fido-u2f"]);
});

// ---- registration forgeries: each refused with its code, nothing stored ----
// COSE keys whose shape is right and whose value is not (tests/vectors/webauthn/cose_keys.tsv has them all)
const es256Key = (x, y) => cbor(new Map([[1, 2], [3, -7], [-1, 1], [-2, x], [-3, y]]));
const eddsaKey = (x) => cbor(new Map([[1, 1], [3, -8], [-1, 6], [-2, x]]));
const rsa1024 = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });

test("registration refuses an ES256 key that is not on the curve (issue #14): 400, no passkey listed", async () => {
  const { c, id } = await signedIn();
  const { r } = await register(c, new SoftAuthenticator({ origin }), { coseKey: es256Key(randomBytes(32), randomBytes(32)) });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error?.code, "cose_key_not_on_curve");
  assert.equal(r.json.error.message, "The credential public key is not a point on its curve.");
  assert.deepEqual((await c.get("/api/passkeys")).json.passkeys, []);
  assert.equal(count(id), 0);
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id} AND event = 'passkey_added'`)[0][0], "0");
});

const regCases = [
  ["an Ed25519 key of small order (the neutral point)", { alg: ALG.EdDSA, coseKey: eddsaKey(Buffer.concat([Buffer.from([1]), Buffer.alloc(31)])) }, "cose_key_small_order"],
  ["an ES256 key at infinity (0, 0)", { coseKey: es256Key(Buffer.alloc(32), Buffer.alloc(32)) }, "cose_key_not_on_curve"],
  ["a 1024-bit RSA key", { alg: ALG.RS256, coseKey: cbor(new Map([[1, 3], [3, -257], [-1, Buffer.from(rsa1024.n, "base64url")], [-2, Buffer.from(rsa1024.e, "base64url")]])) }, "cose_rsa_key_weak"],
  ["a random challenge", { challenge: Buffer.alloc(32, 7).toString("base64url") }, "client_data_wrong_challenge"],
  ["the wrong origin", { origin: "https://evil.example" }, "client_data_wrong_origin"],
  ["the wrong type", { type: "webauthn.get" }, "client_data_wrong_type"],
  ["cross-origin use", { crossOrigin: true }, "client_data_cross_origin"],
  ["another RP ID", { rpId: "evil.example" }, "rp_id_mismatch"],
  ["UP=0", { flags: { up: false } }, "user_presence_missing"],
  ["UV=0 while required", { flags: { uv: false } }, "user_verification_missing"],
  ["BS without BE", { flags: { be: false, bs: true } }, "authdata_bs_without_be"],
  ["an unsupported algorithm", { coseAlg: -35 }, "cose_alg_unsupported"],
  ["a 1024-byte credential ID", { credIdLength: 1024 }, "authdata_credential_id_length"],
  ["malformed CBOR", { attestationObject: (b) => b.subarray(0, b.length - 10) }, "cbor_truncated"],
  ["trailing bytes", { attestationObject: (b) => Buffer.concat([b, Buffer.from([0])]) }, "cbor_trailing_bytes"],
  ["an indefinite-length map", { attestationObject: (b) => Buffer.concat([Buffer.from([0xbf]), b.subarray(1), Buffer.from([0xff])]) }, "cbor_indefinite_length"],
  ["a TPM statement", { fmt: "tpm", attStmt: new Map([["ver", "2.0"]]) }, "unsupported_attestation"],
  ["a bad packed self signature", { fmt: "packed", badAttestationSig: true }, "signature_invalid"],
  ["a non-empty 'none' statement", { attStmt: new Map([["x", 1]]) }, "attestation_bad_format"],
];

for (const [what, o, code] of regCases) {
  test(`registration refuses ${what} (${code})`, async () => {
    const { c, id } = await signedIn();
    const { r } = await register(c, new SoftAuthenticator({ origin }), o);
    assert.equal(r.json.error?.code, code, r.text);
    assert.equal(r.status, 400);
    assert.equal(count(id), 0);
  });
}

test("registration refuses a replayed and an expired challenge, and another session's", async () => {
  const { c, id } = await signedIn();
  const auth = new SoftAuthenticator({ origin });
  const opts = (await c.post("/api/passkeys/registration/options", {})).json;
  const cred = auth.create(opts);
  assert.equal((await c.post("/api/passkeys/registration", { response: cred })).status, 201);
  let r = await c.post("/api/passkeys/registration", { response: auth.create(opts) });
  assert.equal(r.json.error?.code, "challenge_used");
  const opts2 = (await c.post("/api/passkeys/registration/options", {})).json;
  sql(`UPDATE webauthn_challenges SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE challenge = UNHEX('${Buffer.from(opts2.challenge, "base64url").toString("hex")}')`);
  r = await c.post("/api/passkeys/registration", { response: auth.create(opts2) });
  assert.equal(r.json.error?.code, "challenge_expired");
  const opts3 = (await c.post("/api/passkeys/registration/options", {})).json;
  const other = await signedIn("pk-thief");
  r = await other.c.post("/api/passkeys/registration", { response: auth.create(opts3) });
  assert.equal(r.json.error?.code, "client_data_wrong_challenge");
  assert.equal(count(id), 1);
  assert.equal(count(other.id), 0);
});

test("the same credential cannot be registered twice", async () => {
  const { c, id } = await signedIn();
  const auth = new SoftAuthenticator({ origin });
  const first = await register(c, auth);
  assert.equal(first.r.status, 201);
  const credentialId = Buffer.from(first.cred.rawId, "base64url");
  const again = await register(c, auth, { credentialId });
  assert.equal(again.r.status, 409);
  assert.equal(again.r.json.error?.code, "credential_exists");
  const other = await signedIn("pk-dup");
  const stolen = await register(other.c, new SoftAuthenticator({ origin }), { credentialId });
  assert.equal(stolen.r.json.error?.code, "credential_exists");
  assert.equal(count(id), 1);
});

// ---- authentication forgeries ----
async function withPasskey() {
  const acct = await signedIn();
  const auth = new SoftAuthenticator({ origin });
  assert.equal((await register(acct.c, auth)).r.status, 201);
  return { ...acct, auth };
}

// the last column: whether the refusal burns the challenge (every refusal
// once clientDataJSON's type is right and the credential is known)
const authCases = [
  ["a random challenge", { challenge: Buffer.alloc(32, 9).toString("base64url") }, "client_data_wrong_challenge", false],
  ["the wrong origin", { origin: "http://127.0.0.1:1" }, "client_data_wrong_origin", true],
  ["the wrong type", { type: "webauthn.create" }, "client_data_wrong_type", false],
  ["another RP ID", { rpId: "example.org" }, "rp_id_mismatch", true],
  ["UP=0", { flags: { up: false } }, "user_presence_missing", true],
  ["UV=0 while required", { flags: { uv: false } }, "user_verification_missing", true],
  ["BS without BE", { flags: { be: false, bs: true } }, "authdata_bs_without_be", true],
  ["a changed backup eligibility", { flags: { be: false, bs: false } }, "backup_eligibility_changed", true],
  ["a bad signature", { badSignature: true }, "signature_invalid", true],
  ["an unknown credential", { credentialId: Buffer.alloc(32, 1) }, "unknown_credential", false],
  ["a wrong user handle", { userHandle: Buffer.alloc(32, 2).toString("base64url") }, "user_handle_mismatch", false],
  ["no user handle (first factor)", { userHandle: undefined }, "user_handle_mismatch", false],
  ["attested data in an assertion", { authenticatorData: Buffer.concat([Buffer.alloc(32), Buffer.from([0x45, 0, 0, 0, 9])]) }, "authdata_too_short", true],
  ["trailing bytes in authenticator data", { authenticatorData: Buffer.alloc(38) }, "authdata_trailing_bytes", true],
];

const challengeUsed = (challenge) =>
  sql(`SELECT used_at IS NOT NULL FROM webauthn_challenges WHERE challenge = UNHEX('${Buffer.from(challenge, "base64url").toString("hex")}')`)[0][0];

for (const [what, o, code, burns] of authCases) {
  test(`authentication refuses ${what} (${code})${burns ? " and burns the challenge" : ""}`, async () => {
    const { auth, id } = await withPasskey();
    const before = sql(`SELECT sign_count, COUNT(*) FROM passkeys WHERE account_id = ${id}`)[0].join();
    const sessions = sql(`SELECT COUNT(*) FROM sessions WHERE account_id = ${id}`)[0][0];
    const b = new Client();
    const opts = (await b.post("/api/passkeys/authentication/options", {})).json;
    const r = await b.post("/api/passkeys/authentication", { response: auth.get(opts, o) });
    assert.equal(r.json.error?.code, code, r.text);
    assert.equal(r.status, 400);
    assert.equal(sql(`SELECT sign_count, COUNT(*) FROM passkeys WHERE account_id = ${id}`)[0].join(), before);
    assert.equal(sql(`SELECT COUNT(*) FROM sessions WHERE account_id = ${id}`)[0][0], sessions);
    assert.equal((await b.get("/api/me")).status, 401);
    assert.equal(challengeUsed(opts.challenge), burns ? "1" : "0");
    // a good answer to the same challenge afterwards
    const again = await b.post("/api/passkeys/authentication", { response: auth.get(opts) });
    if (burns) assert.equal(again.json.error?.code, "challenge_used", again.text);
    else assert.equal(again.status, 200, again.text);
  });
}

test("a replayed assertion from an authenticator with a counter is refused for its challenge, not reported as a clone", async () => {
  const { auth, id } = await withPasskey();
  const b = new Client();
  const opts = (await b.post("/api/passkeys/authentication/options", {})).json;
  const resp = auth.get(opts, { counter: 7 });
  const replayer = new Client();
  replayer.cookie = b.cookie; // the browser's challenge cookie, before the sign-in adds a session
  assert.equal((await b.post("/api/passkeys/authentication", { response: resp })).status, 200);
  const r = await replayer.post("/api/passkeys/authentication", { response: resp });
  assert.equal(r.status, 400);
  assert.equal(r.json.error?.code, "challenge_used");
  assert.equal(sql(`SELECT sign_count FROM passkeys WHERE account_id = ${id}`)[0][0], "7");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id} AND event = 'passkey_counter_regression'`)[0][0], "0");
});

test("two assertions racing from one counter value: one signs in, the other is refused and its challenge burnt", async () => {
  const { auth, id } = await withPasskey();
  for (let round = 0; round < 5; round++) {
    const browsers = [new Client(), new Client()];
    const opts = await Promise.all(browsers.map(async (c) => (await c.post("/api/passkeys/authentication/options", {})).json));
    const n = 10 + round;
    const resps = opts.map((o) => auth.get(o, { counter: n })); // both carry the same next counter
    const rs = await Promise.all(browsers.map((c, i) => c.post("/api/passkeys/authentication", { response: resps[i] })));
    assert.equal(rs.filter((r) => r.status !== 200).length, 1, `counter_regression for one of them: ${rs.map((r) => r.text).join()}`);
    assert.deepEqual(rs.map((r) => r.status).sort(), [200, rs.find((r) => r.status !== 200).status], rs.map((r) => r.text).join());
    const lost = rs.find((r) => r.status !== 200);
    assert.ok([400, 409].includes(lost.status) && lost.json.error?.code === "counter_regression", lost.text);
    assert.equal(sql(`SELECT sign_count FROM passkeys WHERE account_id = ${id}`)[0][0], String(n));
    assert.deepEqual(opts.map((o) => challengeUsed(o.challenge)), ["1", "1"]);
  }
});

test("a replayed or expired assertion challenge is refused", async () => {
  const { auth } = await withPasskey();
  const b = new Client();
  const opts = (await b.post("/api/passkeys/authentication/options", {})).json;
  assert.equal((await b.post("/api/passkeys/authentication", { response: auth.get(opts) })).status, 200);
  const c2 = new Client();
  c2.cookie = b.cookie;
  let r = await new Client().post("/api/passkeys/authentication", { response: auth.get(opts) });
  assert.equal(r.json.error?.code, "client_data_wrong_challenge", "another browser cannot answer it");
  const x = new Client();
  const o2 = (await x.post("/api/passkeys/authentication/options", {})).json;
  assert.equal((await x.post("/api/passkeys/authentication", { response: auth.get(o2) })).status, 200);
  r = await x.post("/api/passkeys/authentication", { response: auth.get(o2) });
  assert.ok(["challenge_used", "client_data_wrong_challenge"].includes(r.json.error?.code), r.text);
  const y = new Client();
  const o3 = (await y.post("/api/passkeys/authentication/options", {})).json;
  sql(`UPDATE webauthn_challenges SET expires_at = UTC_TIMESTAMP(6) - INTERVAL 1 SECOND WHERE challenge = UNHEX('${Buffer.from(o3.challenge, "base64url").toString("hex")}')`);
  r = await y.post("/api/passkeys/authentication", { response: auth.get(o3) });
  assert.equal(r.json.error?.code, "challenge_expired");
});

test("a counter regression is refused, audited and notified", async () => {
  const { auth, id, email } = await withPasskey();
  const b = new Client();
  let opts = (await b.post("/api/passkeys/authentication/options", {})).json;
  assert.equal((await b.post("/api/passkeys/authentication", { response: auth.get(opts, { counter: 10 }) })).status, 200);
  const c = new Client();
  opts = (await c.post("/api/passkeys/authentication/options", {})).json;
  const r = await c.post("/api/passkeys/authentication", { response: auth.get(opts, { counter: 5 }) });
  assert.equal(r.json.error?.code, "counter_regression", r.text);
  assert.equal(r.status, 400);
  assert.equal(sql(`SELECT sign_count FROM passkeys WHERE account_id = ${id}`)[0][0], "10");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id} AND event = 'passkey_counter_regression'`)[0][0], "1");
  await waitFor(() => mails(email).some((m) => /Subject: A passkey may have been cloned/.test(m)), "the clone warning");
});

test("another account's passkey cannot be the second factor", async () => {
  const mine = await withPasskey();
  const theirs = await withPasskey();
  const s = new Client();
  assert.equal((await s.signIn(mine.email)).json.status, "second_factor_required");
  const opts = (await s.post("/api/passkeys/authentication/options", {})).json;
  const r = await s.post("/api/passkeys/authentication", { response: theirs.auth.get(opts) });
  assert.equal(r.json.error?.code, "wrong_credential");
  assert.equal((await s.get("/api/me")).status, 401);
});

test("malformed credential JSON is refused before any handler", async () => {
  const { c } = await withPasskey();
  for (const [body, code] of [
    [{ response: { id: "AA", rawId: "AA", type: "password", response: {} } }, "invalid_field"],
    [{ response: { id: "a=", rawId: "a", type: "public-key", response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA" } } }, "b64url_padding"],
    [{ response: { id: "AA", rawId: "AA", type: "public-key", response: { clientDataJSON: "e30", authenticatorData: "AA", signature: "AA", extra: 1 } } }, "unknown_field"],
    [{ response: { id: "AA", rawId: "AA", type: "public-key", response: { clientDataJSON: "e30", authenticatorData: "A+", signature: "AA" } } }, "b64url_bad_character"],
  ]) {
    const r = await c.post("/api/passkeys/authentication", body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.json.error?.code, code);
  }
});

// issue #24: §7.1 step 25 and §5.1, each on its own
test("registration refuses a credential whose id and rawId are not the ID in the authenticator data (credential_id_mismatch)", async () => {
  const { c, id } = await signedIn();
  const auth = new SoftAuthenticator({ origin });
  const opts = (await c.post("/api/passkeys/registration/options", {})).json;
  const cred = auth.create(opts);
  const other = Buffer.alloc(32, 9).toString("base64url");
  const r = await c.post("/api/passkeys/registration", { response: { ...cred, id: other, rawId: other } });
  assert.equal(r.json.error?.code, "credential_id_mismatch", r.text);
  assert.equal(r.status, 400);
  assert.equal(count(id), 0);
});

test("registration refuses an id that is not its rawId (credential_id_mismatch)", async () => {
  const { c, id } = await signedIn();
  const auth = new SoftAuthenticator({ origin });
  const opts = (await c.post("/api/passkeys/registration/options", {})).json;
  const cred = auth.create(opts);
  const r = await c.post("/api/passkeys/registration", { response: { ...cred, id: Buffer.alloc(32, 9).toString("base64url") } });
  assert.equal(r.json.error?.code, "credential_id_mismatch", r.text);
  assert.equal(r.status, 400);
  assert.equal(count(id), 0);
});

// issue #24: a frozen account regains access through the reset flow only,
// whatever its passkeys say (webauthn.c, after the signature and counter)
test("a frozen account's passkey does not sign in (account_frozen), and no session is made", async () => {
  const { auth, id } = await withPasskey();
  sql(`UPDATE accounts SET frozen = 1 WHERE id = ${id}`);
  const sessions = sql(`SELECT COUNT(*) FROM sessions WHERE account_id = ${id}`)[0][0];
  const b = new Client();
  const opts = (await b.post("/api/passkeys/authentication/options", {})).json;
  const r = await b.post("/api/passkeys/authentication", { response: auth.get(opts) });
  assert.equal(r.json.error?.code, "account_frozen", r.text);
  assert.equal(r.status, 403);
  assert.equal(sql(`SELECT COUNT(*) FROM sessions WHERE account_id = ${id}`)[0][0], sessions);
  assert.equal((await b.get("/api/me")).status, 401);
});
