// authenticator.mjs -- a software WebAuthn authenticator for the tests:
// keys from node:crypto (P-256, RSA-2048, Ed25519), "none" or "packed" self
// attestation, and an override for every field, so a test can forge one
// failing response per verification step of WebAuthn L3 §7.1 and §7.2.
import { createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";

const b64u = (b) => Buffer.from(b).toString("base64url");
const sha256 = (b) => createHash("sha256").update(b).digest();

// ---- a minimal CBOR encoder (definite lengths, shortest heads) ----
function head(major, n) {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 256) return Buffer.from([(major << 5) | 24, n]);
  if (n < 65536) return Buffer.from([(major << 5) | 25, n >> 8, n & 255]);
  const b = Buffer.alloc(5); b[0] = (major << 5) | 26; b.writeUInt32BE(n, 1); return b;
}
export function cbor(v) {
  if (typeof v === "number") return v >= 0 ? head(0, v) : head(1, -1 - v);
  if (typeof v === "string") { const s = Buffer.from(v, "utf8"); return Buffer.concat([head(3, s.length), s]); }
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return Buffer.concat([head(2, v.length), Buffer.from(v)]);
  if (Array.isArray(v)) return Buffer.concat([head(4, v.length), ...v.map(cbor)]);
  if (v instanceof Map) return Buffer.concat([head(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
  throw new Error("cbor: unsupported value");
}

export const ALG = { ES256: -7, EdDSA: -8, RS256: -257 };

function keypair(alg) {
  if (alg === ALG.ES256) return generateKeyPairSync("ec", { namedCurve: "P-256" });
  if (alg === ALG.EdDSA) return generateKeyPairSync("ed25519");
  if (alg === ALG.RS256) return generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 65537 });
  throw new Error("unknown alg " + alg);
}

function coseKey(alg, publicKey, algOverride) {
  const j = publicKey.export({ format: "jwk" });
  const a = algOverride ?? alg;
  if (alg === ALG.ES256)
    return cbor(new Map([[1, 2], [3, a], [-1, 1], [-2, Buffer.from(j.x, "base64url")], [-3, Buffer.from(j.y, "base64url")]]));
  if (alg === ALG.EdDSA) return cbor(new Map([[1, 1], [3, a], [-1, 6], [-2, Buffer.from(j.x, "base64url")]]));
  return cbor(new Map([[1, 3], [3, a], [-1, Buffer.from(j.n, "base64url")], [-2, Buffer.from(j.e, "base64url")]]));
}

function signWith(alg, privateKey, data) {
  return alg === ALG.EdDSA ? sign(null, data, privateKey) : sign("sha256", data, privateKey);
}

export class SoftAuthenticator {
  constructor({ origin, rpId = "localhost", aaguid = "0f2a7c3e5b1d4e6f8a9b0c1d2e3f4a5b", uv = true, be = true, bs = true } = {}) {
    this.origin = origin;
    this.rpId = rpId;
    this.aaguid = Buffer.from(aaguid, "hex");
    this.uv = uv;
    this.be = be;
    this.bs = bs;
    this.creds = [];
  }

  flags({ up = true, uv = this.uv, be = this.be, bs = this.bs, at = false, ed = false } = {}) {
    return (up ? 1 : 0) | (uv ? 4 : 0) | (be ? 8 : 0) | (bs ? 16 : 0) | (at ? 64 : 0) | (ed ? 128 : 0);
  }

  clientData(type, challenge, o = {}) {
    const cd = { type: o.type ?? type, challenge: o.challenge ?? challenge, origin: o.origin ?? this.origin, crossOrigin: o.crossOrigin ?? false };
    if (o.topOrigin) cd.topOrigin = o.topOrigin;
    return Buffer.from(o.clientDataJSON ?? JSON.stringify(cd));
  }

  // navigator.credentials.create(), in WebAuthn L3 JSON form. o: overrides.
  create(options, o = {}) {
    const alg = o.alg ?? ALG.ES256;
    const { publicKey, privateKey } = keypair(alg);
    const id = o.credentialId ?? randomBytes(o.credIdLength ?? 32);
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(o.counter ?? 0);
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(id.length & 0xffff);
    const f = this.flags({ at: true, ...o.flags });
    const authData = Buffer.concat([sha256(o.rpId ?? this.rpId), Buffer.from([o.flagsByte ?? f]), counter, this.aaguid, idLen, id,
      o.coseKey ?? coseKey(alg, publicKey, o.coseAlg)]);
    const clientDataJSON = this.clientData("webauthn.create", options.challenge, o);
    const fmt = o.fmt ?? "none";
    let attStmt = new Map();
    if (fmt === "packed") {
      const sig = signWith(alg, privateKey, Buffer.concat([authData, sha256(clientDataJSON)]));
      if (o.badAttestationSig) sig[sig.length - 1] ^= 1;
      attStmt = new Map([["alg", alg], ["sig", sig]]);
    } else if (o.cert) {
      attStmt = certifiedStatement(fmt, o.cert, authData, clientDataJSON, { badSig: o.badAttestationSig });
    } else if (o.attStmt) {
      attStmt = o.attStmt;
    }
    let attestationObject = cbor(new Map([["fmt", fmt], ["attStmt", attStmt], ["authData", authData]]));
    if (o.attestationObject) attestationObject = o.attestationObject(attestationObject);
    if (!o.noStore) this.creds.push({ id, alg, privateKey, counter: o.counter ?? 0, userHandle: options.user?.id });
    return {
      id: b64u(id), rawId: b64u(id), type: "public-key",
      response: { clientDataJSON: b64u(clientDataJSON), attestationObject: b64u(attestationObject), transports: ["internal"] },
      clientExtensionResults: {},
    };
  }

  // navigator.credentials.get(), in WebAuthn L3 JSON form. o: overrides.
  get(options, o = {}) {
    const c = o.credential ?? this.creds[this.creds.length - 1];
    c.counter = o.counter ?? c.counter + 1;
    const counter = Buffer.alloc(4);
    counter.writeUInt32BE(c.counter);
    const authData = o.authenticatorData ?? Buffer.concat([sha256(o.rpId ?? this.rpId), Buffer.from([o.flagsByte ?? this.flags(o.flags)]), counter]);
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, o);
    const sig = signWith(c.alg, c.privateKey, Buffer.concat([authData, sha256(clientDataJSON)]));
    if (o.badSignature) sig[sig.length - 1] ^= 1;
    const id = o.credentialId ?? c.id;
    return {
      id: b64u(id), rawId: b64u(id), type: "public-key",
      response: { clientDataJSON: b64u(clientDataJSON), authenticatorData: b64u(authData), signature: b64u(sig),
        userHandle: "userHandle" in o ? o.userHandle : c.userHandle },
      clientExtensionResults: {},
    };
  }
}

// An attestation key and a self-signed X.509 certificate made by Debian's
// openssl, for "packed" with x5c and "fido-u2f" statements.

export function attestationCert() {
  const dir = mkdtempSync("/tmp/rekey-att-");
  try {
    execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-subj", "/C=CH/O=Rekey Test Authenticator/OU=Authenticator Attestation/CN=Rekey Test", "-days", "2",
      "-keyout", dir + "/key.pem", "-outform", "DER", "-out", dir + "/cert.der"], { stdio: "ignore" });
    return { key: createPrivateKey(readFileSync(dir + "/key.pem")), der: readFileSync(dir + "/cert.der") };
  } finally {
    rmSync(dir, { recursive: true });
  }
}

// Builds an attStmt for fmt "packed" (x5c) or "fido-u2f" over the given authData.
export function certifiedStatement(fmt, cert, authData, clientDataJSON, { badSig = false } = {}) {
  const cdh = sha256(clientDataJSON);
  let signed;
  if (fmt === "packed") {
    signed = Buffer.concat([authData, cdh]);
  } else {
    // FIDO U2F: 0x00 || rpIdHash || cdh || credId || 0x04 || x || y (WebAuthn §8.6)
    const idLen = authData.readUInt16BE(53);
    const credId = authData.subarray(55, 55 + idLen);
    const cose = authData.subarray(55 + idLen);
    const x = cose.subarray(cose.indexOf(Buffer.from([0x21, 0x58, 0x20])) + 3).subarray(0, 32);
    const y = cose.subarray(cose.indexOf(Buffer.from([0x22, 0x58, 0x20])) + 3).subarray(0, 32);
    signed = Buffer.concat([Buffer.from([0]), authData.subarray(0, 32), cdh, credId, Buffer.from([4]), x, y]);
  }
  const sig = sign("sha256", signed, cert.key);
  if (badSig) sig[sig.length - 1] ^= 1;
  return fmt === "packed" ? new Map([["alg", -7], ["sig", sig], ["x5c", [cert.der]]]) : new Map([["sig", sig], ["x5c", [cert.der]]]);
}
