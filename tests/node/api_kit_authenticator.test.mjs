// api_kit_authenticator.test.mjs -- @rekey/kit/authenticator on its own: its
// output read by the core's parsers (core.wasm) and accepted by Rekey's server
// path (libfido2 behind the API), flags, counters, user handles, the choice of
// credential, export/import, attestation certificates, and that every forgery
// is an explicit knob (the defaults make a conforming response).
import { test } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate, createHash, verify } from "node:crypto";
import { loadCore } from "@rekey/kit/core";
import { RekeyClient, RekeyError } from "@rekey/kit/client";
import { SoftAuthenticator, ALG, FLAGS, attestationCert, cbor } from "@rekey/kit/authenticator";
import { base, origin, newAccount, DEMO_PASSWORD } from "./stack.mjs";

const core = await loadCore();
const b64 = (s) => core.b64url.decode(s);
const sha256 = (b) => createHash("sha256").update(b).digest();
const creation = (o = {}) => ({
  rp: { id: "localhost", name: "Rekey" }, user: { id: Buffer.from("user-handle-1").toString("base64url"), name: "u", displayName: "U" },
  challenge: Buffer.from("challenge-of-32-bytes-0123456789").toString("base64url"), pubKeyCredParams: [{ type: "public-key", alg: -7 }], ...o,
});
const request = (o = {}) => ({ challenge: Buffer.from("another-challenge-32-bytes-abcdef").toString("base64url"), rpId: "localhost", ...o });

async function signedIn() {
  const { email } = newAccount("kita");
  const c = new RekeyClient({ baseUrl: base, origin });
  await c.session.signIn({ email, password: DEMO_PASSWORD });
  return c;
}

test("cbor: deterministic encoding (RFC 8949 §4.2.1 shortest heads), as the core's reader reads it", () => {
  assert.equal(cbor(0).toString("hex"), "00");
  assert.equal(cbor(23).toString("hex"), "17");
  assert.equal(cbor(24).toString("hex"), "1818");
  assert.equal(cbor(256).toString("hex"), "190100");
  assert.equal(cbor(65536).toString("hex"), "1a00010000");
  assert.equal(cbor(-1).toString("hex"), "20");
  assert.equal(cbor(-257).toString("hex"), "390100");
  assert.equal(cbor("fmt").toString("hex"), "63666d74");
  assert.equal(cbor(Buffer.from([1, 2])).toString("hex"), "420102");
  assert.equal(cbor([1, [2]]).toString("hex"), "82018102");
  assert.equal(cbor(new Map([[1, 2], [-1, "a"]])).toString("hex"), "a201022061" + "61");
  assert.throws(() => cbor({}), /unsupported/);
});

test("create(): each algorithm and attestation format, read back by the core's parsers", () => {
  const auth = new SoftAuthenticator({ origin });
  for (const [alg, kty, fmt] of [[ALG.ES256, 2, "none"], [ALG.ES256, 2, "packed"], [ALG.RS256, 3, "packed"], [ALG.EdDSA, 1, "packed"], [ALG.EdDSA, 1, "none"]]) {
    const opts = creation();
    const r = auth.create(opts, { alg, fmt });
    assert.equal(r.type, "public-key");
    assert.equal(r.id, r.rawId);
    const att = core.webauthn.parseAttestationObject(b64(r.response.attestationObject));
    assert.equal(att.fmt, fmt);
    assert.deepEqual(att.authData.rpIdHash, new Uint8Array(sha256("localhost")));
    assert.deepEqual(att.authData.flags, { up: true, uv: true, be: true, bs: true, at: true, ed: false });
    assert.equal(att.authData.signCount, 0);
    assert.equal(att.authData.aaguid, "0f2a7c3e-5b1d-4e6f-8a9b-0c1d2e3f4a5b");
    assert.equal(core.b64url.encode(att.authData.credentialId), r.id);
    assert.deepEqual([att.authData.publicKey.kty, att.authData.publicKey.alg], [kty, alg]);
    if (fmt === "packed") assert.equal(att.attStmt.alg, alg, "self attestation: the credential's own algorithm");
    else assert.deepEqual(att.attStmt, {});
    const cd = core.webauthn.checkClientData(b64(r.response.clientDataJSON), { type: "webauthn.create", challenge: opts.challenge, origin });
    assert.deepEqual(cd.problems, []);
    assert.equal(cd.clientData.crossOrigin, false);
  }
  assert.equal(auth.creds.length, 5);
});

test("packed self attestation verifies with the credential key; packed x5c and fido-u2f with the certificate", () => {
  const auth = new SoftAuthenticator({ origin });
  const r = auth.create(creation(), { alg: ALG.ES256, fmt: "packed" });
  const att = core.webauthn.parseAttestationObject(b64(r.response.attestationObject));
  const cdh = sha256(b64(r.response.clientDataJSON));
  // the attStmt's sig as the CBOR has it: the core gives only its length, so decode the map's tail
  const raw = Buffer.from(b64(r.response.attestationObject));
  const sig = raw.subarray(raw.indexOf(Buffer.from("sig")) + 3 + 2, raw.indexOf(Buffer.from("sig")) + 3 + 2 + att.attStmt.sigLength);
  assert.ok(verify("sha256", Buffer.concat([att.authDataBytes, cdh]), auth.publicKey(r.id), sig));
  const cert = attestationCert();
  const x = new X509Certificate(cert.der);
  assert.ok(x.verify(x.publicKey), "self-signed");
  assert.equal(x.ca, false, "WebAuthn §8.2.1: basic constraints CA false");
  assert.match(x.subject, /OU=Authenticator Attestation/);
  for (const fmt of ["packed", "fido-u2f"]) {
    const p = auth.create(creation(), { fmt, cert });
    const a = core.webauthn.parseAttestationObject(b64(p.response.attestationObject));
    assert.equal(a.fmt, fmt);
    assert.equal(a.attStmt.x5cCount, 1);
  }
});

test("flags from the constructor (UV, UP, BE, BS) and per call; counters count; the user handle comes back", () => {
  const auth = new SoftAuthenticator({ origin, uv: false, be: false, bs: false });
  const opts = creation();
  auth.create(opts);
  assert.equal(auth.flags(), FLAGS.UP);
  const g1 = auth.get(request());
  const ad1 = core.webauthn.parseAuthenticatorData(b64(g1.response.authenticatorData));
  assert.deepEqual(ad1.flags, { up: true, uv: false, be: false, bs: false, at: false, ed: false });
  assert.equal(ad1.signCount, 1);
  const g2 = auth.get(request(), { flags: { up: false, uv: true } });
  const ad2 = core.webauthn.parseAuthenticatorData(b64(g2.response.authenticatorData));
  assert.deepEqual([ad2.flags.up, ad2.flags.uv, ad2.signCount], [false, true, 2]);
  assert.equal(g2.response.userHandle, opts.user.id);
  const cd = core.webauthn.checkClientData(b64(g2.response.clientDataJSON), { type: "webauthn.get", challenge: request().challenge, origin });
  assert.deepEqual(cd.problems, []);
  assert.equal(new SoftAuthenticator({ origin }).flags(), FLAGS.UP | FLAGS.UV | FLAGS.BE | FLAGS.BS);
});

test("get() uses a credential from allowCredentials, else the newest for the RP ID; none at all is an error", () => {
  const auth = new SoftAuthenticator({ origin });
  assert.throws(() => auth.get(request()), /no credential/);
  const a = auth.create(creation());
  const b = auth.create(creation());
  const other = auth.create(creation({ rp: { id: "example.com", name: "x" } }));
  assert.equal(auth.get(request()).id, b.id, "discoverable: the newest for localhost");
  assert.equal(auth.get(request({ allowCredentials: [{ type: "public-key", id: a.id }] })).id, a.id);
  assert.equal(auth.get(request({ rpId: "example.com" })).id, other.id);
  const ad = core.webauthn.parseAuthenticatorData(b64(auth.get(request({ rpId: "example.com" })).response.authenticatorData));
  assert.deepEqual(ad.rpIdHash, new Uint8Array(sha256("example.com")));
});

test("exportCredentials/importCredentials: another instance signs in with the same passkey, counters carried on", async () => {
  const c = await signedIn();
  const first = new SoftAuthenticator({ origin });
  const added = await c.passkeys.register(first, "Exported");
  await new RekeyClient({ baseUrl: base, origin }).passkeys.signIn(first);
  const json = JSON.stringify(first.exportCredentials());
  const listed = JSON.parse(json);
  assert.equal(listed.length, 1);
  assert.deepEqual(Object.keys(listed[0]).sort(), ["alg", "counter", "id", "privateKey", "rpId", "userHandle"]);
  assert.equal(listed[0].counter, 1);
  const second = new SoftAuthenticator({ origin });
  assert.equal(second.importCredentials(json), 1);
  assert.equal(second.importCredentials(listed), 1, "the same id again replaces it");
  assert.equal(second.creds.length, 1);
  const s = await new RekeyClient({ baseUrl: base, origin }).passkeys.signIn(second);
  assert.deepEqual([s.status, s.passkey], ["signed_in", added.id]);
  assert.equal(second.creds[0].counter, 2);
  assert.throws(() => second.importCredentials("{}"), /an array/);
  assert.throws(() => second.importCredentials([{ id: "x", alg: -7 }]), /needs id, alg and privateKey/);
  assert.throws(() => second.importCredentials([{ id: "x", alg: -999, privateKey: "AA" }]), /needs id, alg and privateKey/);
});

test("the server path accepts the defaults for every algorithm and format; each knob is refused where it should be", async () => {
  const c = await signedIn();
  const auth = new SoftAuthenticator({ origin });
  for (const [alg, fmt] of [[ALG.ES256, "none"], [ALG.RS256, "packed"], [ALG.EdDSA, "packed"]]) {
    const added = await c.passkeys.register(auth, `alg ${alg}`, { alg, fmt });
    assert.equal(added.alg, alg);
    const s = await new RekeyClient({ baseUrl: base, origin }).passkeys.signIn(auth);
    assert.equal(s.passkey, added.id);
  }
  const cert = attestationCert();
  assert.equal((await c.passkeys.register(auth, "x5c", { fmt: "packed", cert })).alg, ALG.ES256);
  const refused = async (p) => assert.rejects(p, (e) => e instanceof RekeyError && e.status >= 400 && e.status < 500);
  await refused(c.passkeys.register(auth, "bad att", { fmt: "packed", badAttestationSig: true, noStore: true }));
  await refused(c.passkeys.register(auth, "other origin", { origin: "http://evil.test", noStore: true }));
  await refused(c.passkeys.register(auth, "other rp", { rpId: "evil.test", noStore: true }));
  await refused(c.passkeys.register(auth, "no uv", { flags: { uv: false }, noStore: true }));
  const fresh = () => new RekeyClient({ baseUrl: base, origin });
  assert.equal((await fresh().passkeys.signIn(auth)).status, "signed_in");
  await refused(fresh().passkeys.signIn(auth, { badSignature: true }));
  await refused(fresh().passkeys.signIn(auth, { type: "webauthn.create" }));
  await refused(fresh().passkeys.signIn(auth, { challenge: request().challenge }));
  await refused(fresh().passkeys.signIn(auth, { origin: "http://evil.test" }));
  await refused(fresh().passkeys.signIn(auth, { userHandle: Buffer.from("someone else").toString("base64url") }));
  assert.equal((await fresh().passkeys.signIn(auth)).status, "signed_in", "after the forgeries, the defaults still pass");
  await refused(fresh().passkeys.signIn(auth, { counter: 1 })); // a counter that went back (the knob also sets the stored one)
});
