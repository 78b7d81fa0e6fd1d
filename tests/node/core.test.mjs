// core.test.mjs -- core.wasm through web/js/core.mjs in Node: the same vector
// files as the Check suites, the API's shapes, and native/wasm parity.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { loadCore } from "../../web/js/core.mjs";
import { tsv, hex, toHex, root } from "./vectors.mjs";
import { PNG } from "pngjs";
import jpeg from "jpeg-js";
import { cbor } from "./authenticator.mjs";

const core = await loadCore();
const native = (...args) => execFileSync(root + "build/core_cli", args, { encoding: "utf8" }).trim();
const corpus = root + "tests/vectors/image/corpus/";

test("loads with no arguments and reports a version and messages", () => {
  assert.match(core.version, /^\d+\.\d+\.\d+$/);
  assert.equal(core.message("image_blank"), "The image is blank.");
  assert.equal(core.message("no_such_code"), core.message("internal"));
  assert.ok(core.problemCodes().includes("cbor_trailing_bytes"));
  for (const c of core.problemCodes()) assert.match(c, /^[a-z0-9_]+$/);
});

test("b64url: RFC 4648 vectors round-trip", () => {
  for (const { f } of tsv("b64url/valid.tsv")) {
    assert.equal(core.b64url.encode(hex(f[0])), f[1] ?? "");
    assert.equal(toHex(core.b64url.decode(f[1] ?? "")), f[0]);
  }
});

test("b64url: junk throws CoreError with the vector's code", () => {
  for (const { f } of tsv("b64url/invalid.tsv")) {
    assert.throws(() => core.b64url.decode(f[0]), (e) => e instanceof core.CoreError && e.code === f[1], f[0]);
  }
  assert.throws(() => core.b64url.decode("Zm9v\u00e9"), (e) => e.code === "b64url_bad_character");
  assert.throws(() => core.b64url.decode(42), (e) => e.code === "b64url_bad_character");
});

test("hashes: SHA-256 and Keccak-256 known answers", () => {
  const te = new TextEncoder();
  for (const { f } of tsv("hash/sha256.tsv")) assert.equal(toHex(core.hash.sha256(te.encode(f[0]))), f[1]);
  for (const { f } of tsv("hash/keccak256.tsv")) assert.equal(toHex(core.hash.keccak256(te.encode(f[0]))), f[1]);
});

test("chain: addresses and TXIDs per the vector files", () => {
  for (const { f, line } of tsv("chain/address.tsv")) {
    const r = core.chain.validateAddress(f[0], f[1]);
    assert.deepEqual(r.problems, f[2] === "ok" ? [] : [f[2]], `address.tsv:${line}`);
    assert.equal(r.ok, f[2] === "ok");
  }
  for (const { f, line } of tsv("chain/txid.tsv")) {
    assert.deepEqual(core.chain.validateTxid(f[0], f[1]).problems, f[2] === "ok" ? [] : [f[2]], `txid.tsv:${line}`);
  }
  for (const { f } of tsv("chain/segwit_valid.tsv")) {
    if (/^(bc|BC)1/.test(f[0])) assert.equal(core.chain.validateAddress("BTC", f[0]).ok, true, f[0]);
  }
  for (const { f } of tsv("chain/segwit_invalid.tsv")) assert.equal(core.chain.validateAddress("BTC", f[0]).ok, false, f[0]);
  assert.deepEqual(core.chain.list().map((c) => c.id), ["BTC", "LTC", "ETH", "BSC", "POLYGON", "ARBITRUM", "TRX", "SOL"]);
  assert.equal(core.chain.validateAddress("ETH", null).ok, false);
});

test("validate: email, code, password, amount per the vector files", () => {
  for (const { f } of tsv("validate/email.tsv")) assert.deepEqual(core.validate.email(f[0]).problems, f[1] === "ok" ? [] : [f[1]], f[0]);
  for (const { f } of tsv("validate/code.tsv")) assert.deepEqual(core.validate.code(f[0]).problems, f[1] === "ok" ? [] : [f[1]], f[0]);
  for (const { f } of tsv("validate/password.tsv")) assert.deepEqual(core.validate.password(f[0]).problems, f[1] === "ok" ? [] : f[1].split(","), f[0]);
  for (const { f } of tsv("validate/amount.tsv")) assert.deepEqual(core.validate.amount(f[0], f[1]).problems, f[2] === "ok" ? [] : [f[2]], f[1]);
  assert.equal(core.validate.email(undefined).ok, false);
});

test("validate.password: every entry of @zxcvbn-ts/language-common's common passwords is refused, the 10,000 most common first", async () => {
  const { dictionary } = await import("@zxcvbn-ts/language-common");
  const list = dictionary["passwords-common"];
  assert.ok(list.length >= 10000, "the package lists at least 10,000 passwords");
  const refusals = new Set(["password_too_short", "password_common", "password_too_simple"]);
  for (const [i, p] of list.entries()) {
    const { problems } = core.validate.password(p);
    assert.ok(problems.some((c) => refusals.has(c)), `#${i} ${p} passes the policy: not found on the list`);
    // long enough for the length rule: the list itself refuses it, in any case of its letters
    if ([...p].length >= 10) {
      assert.ok(problems.includes("password_common"), `#${i} ${p} is not found on the list`);
      assert.ok(core.validate.password(p.toUpperCase()).problems.includes("password_common"), `#${i} ${p.toUpperCase()}`);
    }
  }
});

test("validate.coin and amount on a network: the core's one table of token decimals", () => {
  let n = 0;
  for (const { f } of tsv("validate/coin.tsv")) {
    if (f[1] === "*") continue; // the C suite checks "any network"; the page always names one
    const listed = core.validate.coin(f[0], f[1]);
    if (/^\d+$/.test(f[2])) {
      assert.equal(listed.ok, true, `${f[0]} on ${f[1]}`);
      const d = Number(f[2]);
      // exactly the listed decimals pass; one more is refused
      assert.equal(core.validate.amount(f[0], "1." + "1".repeat(d), f[1]).ok, true, `${f[0]} on ${f[1]}: ${d} decimals`);
      assert.deepEqual(core.validate.amount(f[0], "1." + "1".repeat(d + 1), f[1]).problems, ["amount_too_many_decimals"], `${f[0]} on ${f[1]}`);
    } else {
      assert.deepEqual(listed.problems, [f[2]], `${f[0]} on ${f[1]}`);
      assert.deepEqual(core.validate.amount(f[0], "1", f[1]).problems, [f[2]], `${f[0]} on ${f[1]}: no amount without a listing`);
    }
    n++;
  }
  assert.ok(n > 20);
  assert.deepEqual(core.validate.coin("USDT", "NOPE").problems, ["chain_unknown"]);
  // USDT has 18 decimals on BNB Smart Chain, 6 elsewhere: what the page sends for a BEP-20 transfer passes
  assert.equal(core.validate.amount("USDT", "250.000000000000000001", "BSC").ok, true);
  assert.equal(core.validate.amount("USDT", "250.000000000000000001", "TRX").ok, false);
});

test("webauthn: authenticator data vectors", () => {
  for (const { f, line } of tsv("webauthn/authdata.tsv")) {
    const bytes = core.b64url.decode(f[0]);
    if (f[1].startsWith("ok:")) {
      const ad = core.webauthn.parseAuthenticatorData(bytes);
      const [, flags, count, aaguid, idlen, alg] = f[1].split(":");
      const byte = (ad.flags.up ? 1 : 0) | (ad.flags.uv ? 4 : 0) | (ad.flags.be ? 8 : 0) | (ad.flags.bs ? 16 : 0) | (ad.flags.at ? 64 : 0) | (ad.flags.ed ? 128 : 0);
      assert.equal(byte.toString(16), flags, `authdata.tsv:${line}`);
      assert.equal(ad.signCount, Number(count));
      assert.equal(ad.rpIdHash.length, 32);
      if (aaguid) {
        assert.equal(ad.aaguid, aaguid);
        assert.equal(ad.credentialId.length, Number(idlen));
        assert.equal(ad.publicKey.alg, Number(alg));
        if (ad.publicKey.kty === 3) {
          assert.equal(ad.publicKey.n.length, 256);
          assert.deepEqual([...ad.publicKey.e], [1, 0, 1]);
        } else {
          assert.equal(ad.publicKey.x.length, 32);
        }
      }
    } else {
      assert.throws(() => core.webauthn.parseAuthenticatorData(bytes), (e) => e.code === f[1], `authdata.tsv:${line}`);
    }
  }
});

test("webauthn: the Level 3 spec's none.ES256 registration vector", () => {
  const [cd, att] = tsv("webauthn/spec-l3.tsv");
  const [type, challenge, origin] = cd.f[2].split("|");
  assert.equal(core.webauthn.checkClientData(hex(cd.f[1]), { type, challenge, origin }).ok, true);
  const a = core.webauthn.parseAttestationObject(hex(att.f[1]));
  const [fmt, , aaguid, id, alg] = att.f[2].split("|");
  assert.equal(a.fmt, fmt);
  assert.deepEqual(a.attStmt, {});
  assert.equal(a.authData.aaguid, aaguid);
  assert.equal(toHex(a.authData.credentialId), id);
  assert.equal(a.authData.publicKey.alg, Number(alg));
  assert.equal(a.authData.flags.at && a.authData.flags.be && a.authData.flags.bs, true);
});

// a COSE key as the attested credential data of authenticator data (UP UV
// AT, a 16-byte credential ID), and that inside a "none" attestation object
const attested = (cose) => Buffer.concat([Buffer.alloc(32), Buffer.from([0x45, 0, 0, 0, 0]), Buffer.alloc(16),
  Buffer.from([0, 16]), Buffer.alloc(16, 7), cose]);
const noneAttestation = (cose) => cbor(new Map([["fmt", "none"], ["attStmt", new Map()], ["authData", attested(cose)]]));

test("webauthn: credential public keys are checked for their value (cose_keys.tsv), with the C table's codes", () => {
  for (const code of ["cose_key_not_on_curve", "cose_key_small_order", "cose_key_not_in_subgroup", "cose_rsa_key_weak"]) {
    assert.ok(core.problemCodes().includes(code), code);
    assert.notEqual(core.message(code), core.message("internal"), code);
  }
  let refused = 0;
  for (const { f, line } of tsv("webauthn/cose_keys.tsv")) {
    const where = `cose_keys.tsv:${line} (${f[3]})`;
    if (f[1] === "ok") {
      assert.equal(toHex(core.webauthn.parseAuthenticatorData(attested(hex(f[0]))).publicKeyCbor), f[0], where);
      assert.equal(toHex(core.webauthn.parseAttestationObject(noneAttestation(hex(f[0]))).authData.publicKeyCbor), f[0], where);
      continue;
    }
    const is = (e) => e instanceof core.CoreError && e.code === f[1] && e.message === core.message(f[1]);
    assert.throws(() => core.webauthn.parseAuthenticatorData(attested(hex(f[0]))), is, where);
    assert.throws(() => core.webauthn.parseAttestationObject(noneAttestation(hex(f[0]))), is, where);
    refused++;
  }
  assert.ok(refused >= 40, `${refused} keys refused`);
});

test("webauthn: clientDataJSON checks name every mismatch", () => {
  const te = new TextEncoder();
  const cd = (o) => te.encode(JSON.stringify(o));
  const want = { type: "webauthn.get", challenge: "Y2hhbGxlbmdl", origin: "https://rekey.test" };
  let r = core.webauthn.checkClientData(cd(want), want);
  assert.equal(r.ok, true);
  assert.equal(r.clientData.origin, "https://rekey.test");
  r = core.webauthn.checkClientData(cd({ ...want, type: "webauthn.create", origin: "https://evil.test" }), want);
  assert.deepEqual(r.problems.sort(), ["client_data_wrong_origin", "client_data_wrong_type"]);
  r = core.webauthn.checkClientData(te.encode("{not json"), want);
  assert.deepEqual(r.problems, ["client_data_malformed"]);
  assert.equal(r.clientData, null);
});

test("webauthn: JSON forms convert to and from what navigator.credentials uses", () => {
  const ab = (a) => new Uint8Array(a).buffer;
  const creation = core.webauthn.creationOptionsFromJSON({
    rp: { id: "localhost", name: "Rekey" }, user: { id: "AQID", name: "demo", displayName: "Demo" },
    challenge: "Y2hhbGxlbmdl", pubKeyCredParams: [{ type: "public-key", alg: -7 }],
    excludeCredentials: [{ type: "public-key", id: "-_8" }],
  });
  assert.ok(creation.challenge instanceof ArrayBuffer);
  assert.deepEqual([...new Uint8Array(creation.user.id)], [1, 2, 3]);
  assert.deepEqual([...new Uint8Array(creation.excludeCredentials[0].id)], [251, 255]);
  assert.equal(creation.rp.id, "localhost");
  const request = core.webauthn.requestOptionsFromJSON({ challenge: "AAAA", allowCredentials: [{ type: "public-key", id: "AQ" }], userVerification: "required" });
  assert.deepEqual([...new Uint8Array(request.allowCredentials[0].id)], [1]);
  assert.equal(request.userVerification, "required");
  assert.throws(() => core.webauthn.requestOptionsFromJSON({ challenge: "AA==" }), (e) => e.code === "b64url_padding");
  // a credential shaped like the browser's PublicKeyCredential
  const reg = core.webauthn.registrationResponseToJSON({
    id: "-_8", rawId: ab([251, 255]), type: "public-key", authenticatorAttachment: "platform",
    response: { clientDataJSON: ab([123, 125]), attestationObject: ab([160]), getTransports: () => ["internal"],
      getAuthenticatorData: () => ab([1, 2]), getPublicKeyAlgorithm: () => -7 },
    getClientExtensionResults: () => ({ credProps: { rk: true } }),
  });
  assert.deepEqual(reg, { id: "-_8", rawId: "-_8", type: "public-key", authenticatorAttachment: "platform",
    response: { clientDataJSON: "e30", attestationObject: "oA", transports: ["internal"], authenticatorData: "AQI", publicKeyAlgorithm: -7 },
    clientExtensionResults: { credProps: { rk: true } } });
  const auth = core.webauthn.authenticationResponseToJSON({
    id: "AQ", rawId: ab([1]), type: "public-key",
    response: { clientDataJSON: ab([1]), authenticatorData: ab([2]), signature: ab([3]), userHandle: null },
  });
  assert.deepEqual(auth.response, { clientDataJSON: "AQ", authenticatorData: "Ag", signature: "Aw", userHandle: undefined });
  assert.deepEqual(auth.clientExtensionResults, {});
});

test("flow: describe, start, next follow the C tables", () => {
  const d = core.flow.describe("delete_passkey");
  assert.equal(d.start, "confirm");
  assert.ok(d.states.includes("second_factor") && d.terminal.includes("deleted"));
  let s = core.flow.start("delete_passkey");
  let r = core.flow.next(s, "next", {});
  assert.equal(r.ok, true);
  assert.equal(r.state.name, "email_code");
  r = core.flow.next(r.state, "factor_verified", { factor: "totp" });
  assert.deepEqual(r.problems, ["flow_step_not_allowed"]);
  r = core.flow.next("second_factor", "factor_verified", { factor: "passkey", factor_is_target: true });
  assert.deepEqual(r.problems, ["flow_self_verification"]);
  r = core.flow.next("reset_passkeys:route", "decide", { identity: "unverified", high_value: true });
  assert.equal(r.state.name, "documents");
  assert.equal(r.route, "documents");
  const rr = core.flow.describe("reset_passkeys").routeRules;
  assert.equal(rr.at(-1).route, "questions");
  assert.deepEqual(core.flow.next("x", "y").problems, ["flow_bad_state"]);
  assert.throws(() => core.flow.describe("nope"), (e) => e.code === "flow_unknown");
});

test("image: the corpus gives the expected verdicts in wasm", () => {
  for (const { f } of tsv("image/expected.tsv")) {
    const bytes = readFileSync(corpus + f[0]);
    const i = core.image.inspect(bytes);
    assert.deepEqual(i.problems.length ? i.problems : ["ok"], f[1].split(","), `inspect ${f[0]}`);
    const c = core.image.checkScreenshot(bytes);
    assert.deepEqual(c.problems.length ? c.problems : ["ok"], f[2].split(","), `check ${f[0]}`);
    assert.equal(c.format ?? "none", f[3]);
    assert.equal(c.ok, f[2] === "ok");
  }
});

test("image: policy, metrics and fingerprint distance", () => {
  const png = readFileSync(corpus + "email-1080x2400.png");
  const a = core.image.checkScreenshot(png);
  assert.equal(a.ok, true);
  assert.equal(a.width, 1080);
  assert.match(a.fingerprint, /^[0-9a-f]{16}$/);
  assert.ok(a.metrics.sharpness > 100 && a.metrics.contrast > 10);
  const b = core.image.checkScreenshot(readFileSync(corpus + "email-540x1200-scaled.png"));
  assert.ok(core.image.distance(a.fingerprint, b.fingerprint) <= 4);
  const t = core.image.checkScreenshot(readFileSync(corpus + "tx-1080x2400.png"));
  assert.ok(core.image.distance(a.fingerprint, t.fingerprint) >= 16);
  assert.deepEqual(core.image.checkScreenshot(png, { maxBytes: 1000 }).problems, ["image_too_many_bytes"]);
  assert.deepEqual(core.image.checkScreenshot(png, { maxPixels: 1000 }).problems, ["image_too_many_pixels"]);
  assert.throws(() => core.image.distance("xyz", a.fingerprint));
});

// the same synthetic camera frames as tests/check_image.c: a scene, then the
// sensor's noise (-2..+2, the same sequence every time)
function sensorNoise(f) {
  let seed = 12345;
  for (let i = 0; i < f.length; i += 4) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    f[i] = f[i + 1] = f[i + 2] = f[i] + ((seed >>> 16) % 5) - 2;
  }
  return f;
}

function frame(...args) {
  return sensorNoise(scene(...args));
}

function scene(bg, lo, hi, shift = 0, scale = 1, W = 320, H = 240) {
  const f = new Uint8ClampedArray(W * H * 4);
  for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
    const dx = (x - W / 2 - shift) / (W * 0.18), dy = (y - H / 2) / (H * 0.3);
    let v = bg;
    if (dx * dx + dy * dy <= 1) v = ((Math.floor((x - shift + 1000) / 24) + Math.floor(y / 24)) & 1) ? hi : lo;
    v = Math.min(255, Math.floor(v * scale));
    const i = 4 * (y * W + x);
    f[i] = f[i + 1] = f[i + 2] = v;
    f[i + 3] = 255;
  }
  return f;
}

test("image.checkFrame: one tip per frame, the same verdicts as the C suite", () => {
  const good = frame(120, 70, 200);
  const r = core.image.checkFrame(good, 320, 240);
  assert.deepEqual(r.problems, []);
  assert.equal(r.ok, true);
  assert.ok(r.metrics.centreEnergy > 1.5 * r.metrics.sideEnergy && r.metrics.sharpness >= 24);
  assert.deepEqual(core.image.checkFrame(good, 320, 240, frame(120, 70, 200)).problems, [], "a still frame");
  assert.equal(core.image.checkFrame(good, 320, 240, frame(120, 70, 200)).metrics.motion, 0);
  assert.deepEqual(core.image.checkFrame(frame(120, 70, 200, 0, 0.3), 320, 240).problems, ["frame_too_dark"]);
  assert.deepEqual(core.image.checkFrame(frame(245, 60, 140), 320, 240).problems, ["frame_backlit"]);
  assert.deepEqual(core.image.checkFrame(frame(120, 70, 200, -120), 320, 240).problems, ["frame_off_centre"]);
  assert.deepEqual(core.image.checkFrame(frame(120, 70, 200, 12), 320, 240, good).problems, ["frame_moving"]);
  assert.deepEqual(core.image.checkFrame(sensorNoise(new Uint8ClampedArray(320 * 240 * 4).fill(128)), 320, 240).problems, ["frame_off_centre"], "a covered camera");
  assert.equal(core.message("frame_backlit"), "The light is behind you: turn to face it.");
});

test("image.checkFrame: no sensor noise or a phone screen's shape is no camera frame, the same verdicts as the C suite", () => {
  const flat = core.image.checkFrame(scene(120, 70, 200), 320, 240);
  assert.deepEqual(flat.problems, ["frame_not_camera"], "the scene that passes with noise");
  assert.ok(flat.metrics.flat > 0.9, String(flat.metrics.flat));
  assert.ok(core.image.checkFrame(frame(120, 70, 200), 320, 240).metrics.flat < 0.1);
  assert.deepEqual(core.image.checkFrame(new Uint8Array(320 * 240 * 4).fill(128), 320, 240).problems, ["frame_not_camera"], "an even grey picture");
  assert.deepEqual(core.image.checkFrame(scene(120, 70, 200, 0, 0.3), 320, 240).problems, ["frame_too_dark"], "dark first");
  assert.deepEqual(core.image.checkFrame(scene(245, 60, 140), 320, 240).problems, ["frame_backlit"], "backlit first");
  const even = (w, h) => sensorNoise(new Uint8ClampedArray(w * h * 4).fill(128));
  assert.deepEqual(core.image.checkFrame(even(108, 240), 108, 240).problems, ["frame_not_camera"], "20:9 upright");
  assert.deepEqual(core.image.checkFrame(even(240, 108), 240, 108).problems, ["frame_not_camera"], "20:9 across");
  assert.deepEqual(core.image.checkFrame(even(256, 128), 256, 128).problems, ["frame_off_centre"], "2:1 is the limit");
  assert.equal(core.message("frame_not_camera"), "This does not look like a camera picture: take it with the camera, in normal light.");
});

// What the page holds after the browser decoded a file: RGBA (pngjs and
// jpeg-js here, not stb_image as in the C suite)
function rgbaOf(name) {
  const bytes = readFileSync(corpus + name);
  return name.endsWith(".png") ? PNG.sync.read(bytes) : jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true });
}

test("image.checkFrame: screenshots as face frames, the vectors the C suite decodes with stb_image", () => {
  let n = 0;
  for (const { f } of tsv("image/frames.tsv")) {
    const { data, width, height } = rgbaOf(f[0]);
    const r = core.image.checkFrame(data, width, height);
    assert.deepEqual(r.problems, f[1] === "ok" ? [] : f[1].split(","), `${f[0]} (flat ${r.metrics.flat})`);
    n++;
  }
  assert.ok(n >= 10);
});

test("image.checkFrame refuses sizes and buffers that do not agree", () => {
  const good = frame(120, 70, 200);
  assert.deepEqual(core.image.checkFrame(good, 320, 239).problems, ["image_too_small"], "length is not width x height x 4");
  assert.deepEqual(core.image.checkFrame(good, 32, 32).problems, ["image_too_small"]);
  assert.deepEqual(core.image.checkFrame(good, 5000, 64).problems, ["image_too_large"]);
  assert.deepEqual(core.image.checkFrame(good, -1, 240).problems, ["image_too_small"]);
  assert.deepEqual(core.image.checkFrame(good, 320, 240, new Uint8Array(7)).problems, [], "a previous frame of another size is ignored");
  assert.throws(() => core.image.checkFrame("pixels", 320, 240), /frame must be bytes/);
});

test("native and wasm give identical verdicts on every corpus file and vector", () => {
  let n = 0;
  for (const name of readdirSync(corpus)) {
    const bytes = readFileSync(corpus + name);
    const w = core.image.checkScreenshot(bytes);
    const c = JSON.parse(native("check", corpus + name));
    assert.deepEqual(w, c, name);
    assert.deepEqual(core.image.inspect(bytes), JSON.parse(native("inspect", corpus + name)), name);
    n++;
  }
  for (const { f } of tsv("chain/address.tsv")) {
    const code = Number(native("address", f[0], f[1]));
    const w = core.chain.validateAddress(f[0], f[1]);
    assert.deepEqual(w.problems, code === 0 ? [] : [core.problemCodes()[code]], f[1]);
    n++;
  }
  for (const { f } of tsv("chain/txid.tsv")) {
    const code = Number(native("txid", f[0], f[1]));
    assert.deepEqual(core.chain.validateTxid(f[0], f[1]).problems, code === 0 ? [] : [core.problemCodes()[code]], f[1]);
    n++;
  }
  for (const [kind, file, fn] of [["0", "email", (x) => core.validate.email(x)], ["1", "code", (x) => core.validate.code(x)],
    ["2", "password", (x) => core.validate.password(x)]]) {
    for (const { f } of tsv(`validate/${file}.tsv`)) {
      assert.deepEqual(fn(f[0]), JSON.parse(native("validate", kind, f[0])), f[0]);
      n++;
    }
  }
  for (const { f } of tsv("validate/amount.tsv")) {
    assert.deepEqual(core.validate.amount(f[0], f[1]), JSON.parse(native("validate", "3", f[1], f[0])), f[1]);
    n++;
  }
  for (const { f } of tsv("validate/coin.tsv")) {
    if (f[1] === "*") continue;
    assert.deepEqual(core.validate.coin(f[0], f[1]), JSON.parse(native("validate", "4", "", `${f[0]}@${f[1]}`)), f.join(" "));
    n++;
  }
  for (const { f } of tsv("webauthn/authdata.tsv")) {
    const bytes = core.b64url.decode(f[0]);
    const tmp = root + "build/parity-authdata.bin";
    writeFileSync(tmp, bytes);
    const c = JSON.parse(native("authdata", tmp));
    let w;
    try { w = { value: core.webauthn.parseAuthenticatorData(bytes) }; } catch (e) { w = { error: e.code }; }
    if (c.error) assert.equal(w.error, c.error, f[0]);
    else assert.equal(core.b64url.encode(w.value.rpIdHash), c.value.rpIdHash, f[0]);
    n++;
  }
  for (const { f } of tsv("webauthn/cose_keys.tsv")) {
    const bytes = noneAttestation(hex(f[0]));
    const tmp = root + "build/parity-attobj.bin";
    writeFileSync(tmp, bytes);
    const c = JSON.parse(native("attobj", tmp));
    let w;
    try { w = { value: core.webauthn.parseAttestationObject(bytes) }; } catch (e) { w = { error: e.code }; }
    assert.equal(w.error, c.error, f[3]);
    if (!c.error) assert.equal(core.b64url.encode(w.value.authData.publicKeyCbor), c.value.authData.publicKeyCbor, f[3]);
    n++;
  }
  for (const { f } of tsv("b64url/invalid.tsv")) {
    const code = -Number(native("b64decode", f[0]));
    let got;
    try { core.b64url.decode(f[0]); got = "ok"; } catch (e) { got = e.code; }
    assert.equal(got, core.problemCodes()[code], f[0]);
    n++;
  }
  assert.ok(n > 80, `compared ${n} cases`);
});
