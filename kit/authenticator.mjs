// authenticator.mjs -- a software WebAuthn authenticator for Node (the one
// Rekey's API suites use). It consumes the WebAuthn L3 JSON options
// (PublicKeyCredentialCreationOptionsJSON / ...RequestOptionsJSON, §5.1.9,
// §5.1.10) and returns RegistrationResponseJSON / AuthenticationResponseJSON,
// ready for POST /api/passkeys/registration and /api/passkeys/authentication.
//
// Keys come from node:crypto (P-256 for ES256, RSA-2048 for RS256, Ed25519 for
// EdDSA); attestation is "none" or "packed" self attestation (and, with a
// certificate from attestationCert(), "packed" with x5c or "fido-u2f").
// Credentials are resident: each keeps its user handle, its RP ID and its
// signature counter, and exportCredentials()/importCredentials() carry them
// as JSON across processes.
//
// Negative tests: every field can be forged, but only through the second
// argument of create() and get() (the per-call knobs, see authenticator.d.ts).
// Without knobs the output is what a conforming authenticator returns.
// No dependency outside Node's standard library.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign } from "node:crypto";

const b64u = (b) => Buffer.from(b).toString("base64url");
const sha256 = (b) => createHash("sha256").update(b).digest();

// ---- a minimal CBOR encoder (RFC 8949 §4.2.1 core deterministic: definite lengths, shortest heads) ----
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

/** COSE algorithm identifiers (IANA COSE Algorithms registry). */
export const ALG = Object.freeze({ ES256: -7, EdDSA: -8, RS256: -257 });

/** authenticatorData flag bits (WebAuthn L3 §6.1). */
export const FLAGS = Object.freeze({ UP: 0x01, UV: 0x04, BE: 0x08, BS: 0x10, AT: 0x40, ED: 0x80 });

function keypair(alg) {
  if (alg === ALG.ES256) return generateKeyPairSync("ec", { namedCurve: "P-256" });
  if (alg === ALG.EdDSA) return generateKeyPairSync("ed25519");
  if (alg === ALG.RS256) return generateKeyPairSync("rsa", { modulusLength: 2048, publicExponent: 65537 });
  throw new Error("unknown alg " + alg);
}

// RFC 9052/9053 COSE_Key: EC2 (kty 2, crv 1), OKP (kty 1, crv 6), RSA (kty 3)
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

const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32BE(n >>> 0); return b; };

export class SoftAuthenticator {
  /**
   * origin: what clientDataJSON.origin says (the deployment's configured origin).
   * rpId: used when the options carry none. aaguid: 32 hex digits.
   * uv, up, be, bs: the flags this authenticator reports by default.
   * attachment: "platform" | "cross-platform" to report authenticatorAttachment.
   */
  constructor({ origin, rpId = "localhost", aaguid = "0f2a7c3e5b1d4e6f8a9b0c1d2e3f4a5b", uv = true, up = true, be = true, bs = true, attachment } = {}) {
    if (typeof aaguid !== "string" || !/^[0-9a-f]{32}$/i.test(aaguid.replace(/-/g, ""))) throw new Error("aaguid: 32 hex digits");
    this.origin = origin;
    this.rpId = rpId;
    this.aaguid = Buffer.from(aaguid.replace(/-/g, ""), "hex");
    this.uv = uv;
    this.up = up;
    this.be = be;
    this.bs = bs;
    this.attachment = attachment;
    this.creds = [];
  }

  /** The flags byte; defaults from the constructor, `at`/`ed` off. */
  flags({ up = this.up, uv = this.uv, be = this.be, bs = this.bs, at = false, ed = false } = {}) {
    return (up ? 1 : 0) | (uv ? 4 : 0) | (be ? 8 : 0) | (bs ? 16 : 0) | (at ? 64 : 0) | (ed ? 128 : 0);
  }

  // WebAuthn L3 §5.8.1 CollectedClientData, serialized as §5.8.1.1 does
  clientData(type, challenge, o = {}) {
    const cd = { type: o.type ?? type, challenge: o.challenge ?? challenge, origin: o.origin ?? this.origin, crossOrigin: o.crossOrigin ?? false };
    if (o.topOrigin) cd.topOrigin = o.topOrigin;
    return Buffer.from(o.clientDataJSON ?? JSON.stringify(cd));
  }

  /** navigator.credentials.create(), in WebAuthn L3 JSON form. o: per-call knobs (authenticator.d.ts). */
  create(options, o = {}) {
    const alg = o.alg ?? ALG.ES256;
    const rpId = o.rpId ?? options.rp?.id ?? this.rpId;
    const { publicKey, privateKey } = keypair(alg);
    const id = o.credentialId ?? randomBytes(o.credIdLength ?? 32);
    const idLen = Buffer.alloc(2);
    idLen.writeUInt16BE(id.length & 0xffff);
    const f = this.flags({ at: true, ...o.flags });
    // §6.1 authenticatorData, §6.5.1 attested credential data
    const authData = Buffer.concat([sha256(rpId), Buffer.from([o.flagsByte ?? f]), u32(o.counter ?? 0), this.aaguid, idLen, id,
      o.coseKey ?? coseKey(alg, publicKey, o.coseAlg)]);
    const clientDataJSON = this.clientData("webauthn.create", options.challenge, o);
    const fmt = o.fmt ?? "none";
    let attStmt = new Map();
    if (fmt === "packed" && !o.cert) {
      // §8.2 packed, self attestation: alg + sig by the credential key itself
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
    if (!o.noStore) this.creds.push({ id, alg, privateKey, counter: o.counter ?? 0, userHandle: options.user?.id, rpId });
    const out = {
      id: b64u(id), rawId: b64u(id), type: "public-key",
      response: { clientDataJSON: b64u(clientDataJSON), attestationObject: b64u(attestationObject), transports: ["internal"] },
      clientExtensionResults: {},
    };
    if (this.attachment) out.authenticatorAttachment = this.attachment;
    return out;
  }

  /**
   * The credential get() uses: one listed in allowCredentials (the newest),
   * else (a discoverable request) the newest for the RP ID, else the newest.
   */
  pick(options = {}) {
    const allow = (options.allowCredentials || []).map((c) => c.id);
    const rpId = options.rpId ?? this.rpId;
    const newest = (list) => list[list.length - 1];
    if (allow.length) {
      const hit = newest(this.creds.filter((c) => allow.includes(b64u(c.id))));
      if (hit) return hit;
    }
    return newest(this.creds.filter((c) => c.rpId === undefined || c.rpId === rpId)) ?? newest(this.creds);
  }

  /** navigator.credentials.get(), in WebAuthn L3 JSON form. o: per-call knobs (authenticator.d.ts). */
  get(options, o = {}) {
    const c = o.credential ?? this.pick(options);
    if (!c) throw new Error("SoftAuthenticator: no credential (create one first or importCredentials())");
    c.counter = o.counter ?? c.counter + 1;
    const rpId = o.rpId ?? options.rpId ?? c.rpId ?? this.rpId;
    const authData = o.authenticatorData ?? Buffer.concat([sha256(rpId), Buffer.from([o.flagsByte ?? this.flags(o.flags)]), u32(c.counter)]);
    const clientDataJSON = this.clientData("webauthn.get", options.challenge, o);
    // §6.3.3 step 11: the signature over authenticatorData || SHA-256(clientDataJSON)
    const sig = signWith(c.alg, c.privateKey, Buffer.concat([authData, sha256(clientDataJSON)]));
    if (o.badSignature) sig[sig.length - 1] ^= 1;
    const id = o.credentialId ?? c.id;
    const out = {
      id: b64u(id), rawId: b64u(id), type: "public-key",
      response: { clientDataJSON: b64u(clientDataJSON), authenticatorData: b64u(authData), signature: b64u(sig),
        userHandle: "userHandle" in o ? o.userHandle : c.userHandle },
      clientExtensionResults: {},
    };
    if (this.attachment) out.authenticatorAttachment = this.attachment;
    return out;
  }

  /** Every credential as JSON (private keys included: keep it as secret as the keys). */
  exportCredentials() {
    return this.creds.map((c) => ({
      id: b64u(c.id), alg: c.alg, counter: c.counter, rpId: c.rpId ?? this.rpId, userHandle: c.userHandle ?? null,
      privateKey: b64u(c.privateKey.export({ format: "der", type: "pkcs8" })),
    }));
  }

  /** Adds credentials from exportCredentials() (a JSON string or the array); returns how many. */
  importCredentials(json) {
    const list = typeof json === "string" ? JSON.parse(json) : json;
    if (!Array.isArray(list)) throw new Error("importCredentials: an array of credentials");
    for (const c of list) {
      if (typeof c.id !== "string" || !Object.values(ALG).includes(c.alg) || typeof c.privateKey !== "string")
        throw new Error("importCredentials: each credential needs id, alg and privateKey");
      const privateKey = createPrivateKey({ key: Buffer.from(c.privateKey, "base64url"), format: "der", type: "pkcs8" });
      this.creds = this.creds.filter((x) => b64u(x.id) !== c.id);
      this.creds.push({ id: Buffer.from(c.id, "base64url"), alg: c.alg, privateKey, counter: Number(c.counter) >>> 0,
        userHandle: c.userHandle ?? undefined, rpId: c.rpId ?? this.rpId });
    }
    return list.length;
  }

  /** The credential's public key as a node:crypto KeyObject (for checks of its own). */
  publicKey(id) {
    const c = this.creds.find((x) => b64u(x.id) === id);
    if (!c) throw new Error("SoftAuthenticator: unknown credential " + id);
    return createPublicKey(c.privateKey);
  }
}

// ---- attestation certificates (X.509 DER built here: no openssl needed) ----
function der(tag, ...parts) {
  const body = Buffer.concat(parts);
  const n = body.length;
  const len = n < 128 ? Buffer.from([n]) : n < 256 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 255]);
  return Buffer.concat([Buffer.from([tag]), len, body]);
}
const seq = (...p) => der(0x30, ...p);
function oid(s) {
  const a = s.split(".").map(Number);
  const out = [40 * a[0] + a[1]];
  for (const v of a.slice(2)) {
    const b = [v & 127];
    for (let x = v >>> 7; x; x >>>= 7) b.unshift((x & 127) | 128);
    out.push(...b);
  }
  return der(0x06, Buffer.from(out));
}
const utf8 = (s) => der(0x0c, Buffer.from(s, "utf8"));
const printable = (s) => der(0x13, Buffer.from(s, "ascii"));
function utcTime(d) {
  const p = (n) => String(n).padStart(2, "0");
  return der(0x17, Buffer.from(`${p(d.getUTCFullYear() % 100)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`));
}
const rdn = (o, v) => der(0x31, seq(oid(o), v));

/**
 * An attestation key (P-256) and a self-signed X.509 v3 certificate with the
 * subject WebAuthn L3 §8.2.1 asks of packed attestation certificates
 * (C, O, OU "Authenticator Attestation", CN; basicConstraints CA false).
 */
export function attestationCert({ days = 2, commonName = "Rekey Test" } = {}) {
  const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const name = seq(rdn("2.5.4.6", printable("CH")), rdn("2.5.4.10", utf8("Rekey Test Authenticator")),
    rdn("2.5.4.11", utf8("Authenticator Attestation")), rdn("2.5.4.3", utf8(commonName)));
  const ecdsaSha256 = seq(oid("1.2.840.10045.4.3.2"));
  const serial = randomBytes(16); serial[0] &= 0x7f; serial[0] |= 0x01;
  const now = Date.now();
  const tbs = seq(der(0xa0, der(0x02, Buffer.from([2]))), der(0x02, serial), ecdsaSha256, name,
    seq(utcTime(new Date(now - 3600e3)), utcTime(new Date(now + days * 86400e3))), name,
    publicKey.export({ type: "spki", format: "der" }),
    der(0xa3, seq(seq(oid("2.5.29.19"), der(0x01, Buffer.from([0xff])), der(0x04, seq())))));
  const sig = sign("sha256", tbs, privateKey);
  return { key: privateKey, der: seq(tbs, ecdsaSha256, der(0x03, Buffer.from([0]), sig)) };
}

/** An attStmt for fmt "packed" (x5c, §8.2) or "fido-u2f" (§8.6) over the given authData. */
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
