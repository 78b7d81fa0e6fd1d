// make-cose-keys.mjs -- writes cose_keys.tsv: COSE_Key vectors for the checks
// on a credential public key's value (wasm/ecc.c, cose_key_parse's RSA rules).
// Real keys come from the other vector files, RFC 8032 §7.1 and keys/*.pem
// (openssl genpkey, public halves only); the bad ones are derived from them
// here. Every expected verdict is computed by the BigInt reference below,
// independently of the C code, and must match what each case was made for.
// Run: node tests/vectors/webauthn/make-cose-keys.mjs > tests/vectors/webauthn/cose_keys.tsv
import { createPublicKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { cbor } from "../../node/authenticator.mjs";
import { tsv } from "../../node/vectors.mjs";

const here = new URL("./", import.meta.url).pathname;
const mod = (a, m) => ((a % m) + m) % m;
function pow(b, e, m) {
  let r = 1n;
  b = mod(b, m);
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}
const inv = (a, m) => pow(a, m - 2n, m);
function be(n, len = 32) {
  if (n < 0n || n >= 2n ** BigInt(8 * len)) throw new Error("be: out of range");
  return Buffer.from(n.toString(16).padStart(2 * len, "0"), "hex");
}
const fromBe = (b) => BigInt("0x" + (Buffer.from(b).toString("hex") || "0"));
const le = (n) => be(n).reverse();
const fromLe = (b) => fromBe(Buffer.from(b).reverse());

// ---- P-256 (SEC 2 v2 §2.4.2) and its reference check, SP 800-56A Rev. 3 §5.6.2.3.3 ----
const P = 2n ** 256n - 2n ** 224n + 2n ** 192n + 2n ** 96n - 1n;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
const G = [0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n];
const rhs = (x) => mod(x ** 3n - 3n * x + B, P);
function p256Reason(x, y) {
  if (x >= P || y >= P) return "range";
  if (x === 0n && y === 0n) return "infinity";
  return mod(y * y, P) === rhs(x) ? "ok" : "off_curve";
}
const p256Sqrt = (a) => { const r = pow(a, (P + 1n) / 4n, P); return (r * r) % P === mod(a, P) ? r : null; }; // p = 3 mod 4

// polynomials over GF(P), lowest coefficient first: the roots of x^3 - 3x + c
const trim = (a) => { while (a.length && a[a.length - 1] === 0n) a.pop(); return a; };
function pdivmod(a, b) {
  a = a.slice();
  const q = [], li = inv(b[b.length - 1], P);
  while (a.length >= b.length) {
    const c = (a[a.length - 1] * li) % P, s = a.length - b.length;
    q[s] = c;
    for (let i = 0; i < b.length; i++) a[s + i] = mod(a[s + i] - c * b[i], P);
    trim(a);
  }
  return a;
}
function pmulmod(a, b, f) {
  const r = new Array(a.length + b.length).fill(0n);
  a.forEach((x, i) => b.forEach((y, j) => { r[i + j] = (r[i + j] + x * y) % P; }));
  return pdivmod(trim(r), f);
}
function cubicRoot(c) { // a root when x^3 - 3x + c has exactly one, else null
  const f = [mod(c, P), P - 3n, 0n, 1n];
  let xp = [1n], base = [0n, 1n];
  for (let e = P; e > 0n; e >>= 1n, base = pmulmod(base, base, f)) if (e & 1n) xp = pmulmod(xp, base, f);
  let g = f, h = trim([0, 1, 2].map((i) => mod((xp[i] ?? 0n) - (i === 1 ? 1n : 0n), P))); // x^P - x mod f
  while (h.length) [g, h] = [h, pdivmod(g, h)]; // g = gcd(x^P - x, f): the product of (x - r) over f's roots r
  return g.length === 2 ? mod(-g[0] * inv(g[1], P), P) : null;
}

// ---- edwards25519 (RFC 8032 §5.1) and its reference check ----
const p = 2n ** 255n - 19n;
const d = mod(-121665n * inv(121666n, p), p);
const L = 2n ** 252n + 27742317777372353535851937790883648493n;
const I = pow(2n, (p - 1n) / 4n, p);
function edSqrt(a) { // §5.1.3 step 3
  let x = pow(a, (p + 3n) / 8n, p);
  if ((x * x) % p !== a) x = (x * I) % p;
  return (x * x) % p === a ? x : null;
}
function edAdd([x1, y1], [x2, y2]) {
  const k = (((((d * x1) % p) * x2) % p) * ((y1 * y2) % p)) % p;
  return [mod((x1 * y2 + y1 * x2) * inv(mod(1n + k, p), p), p), mod((y1 * y2 + x1 * x2) * inv(mod(1n - k, p), p), p)];
}
function edMul(n, pt) {
  let r = [0n, 1n];
  for (; n > 0n; n >>= 1n, pt = edAdd(pt, pt)) if (n & 1n) r = edAdd(r, pt);
  return r;
}
const neutral = ([x, y]) => x === 0n && y === 1n;
function edDecode(b) { // §5.1.3
  const sign = b[31] >> 7, y = fromLe(b) & (2n ** 255n - 1n);
  if (y >= p) return { reason: "range" };
  const w = (mod(y * y - 1n, p) * inv(mod(d * y * y + 1n, p), p)) % p;
  let x = edSqrt(w);
  if (x === null) return { reason: "off_curve" };
  if (x === 0n && sign) return { reason: "sign" };
  if (Number(x & 1n) !== sign) x = p - x;
  return { pt: [x, y] };
}
function edReason(b) {
  const { reason, pt } = edDecode(b);
  if (reason) return reason;
  if (neutral(edMul(8n, pt))) return "small_order";
  return neutral(edMul(L, pt)) ? "ok" : "subgroup";
}
const edEncode = ([x, y]) => { const b = le(y); b[31] |= Number(x & 1n) << 7; return b; };

// ---- RSA: the rules of cose_key_parse, restated ----
const bits = (b) => (fromBe(b) === 0n ? 0 : fromBe(b).toString(2).length);
function rsaProblem(n, e) {
  if (n.length === 0 || e.length === 0) return "cose_key_invalid";
  const nb = bits(n), eb = bits(e);
  if (n[0] === 0 || e[0] === 0) return "cose_rsa_key_weak";          // RFC 8230 §4: minimal octets
  if (nb < 2048 || nb > 4096) return "cose_rsa_key_weak";            // RFC 8230 §6.1; limits.h
  if (!(n[n.length - 1] & 1)) return "cose_rsa_key_weak";            // n odd
  if (!(e[e.length - 1] & 1) || eb < 2) return "cose_rsa_key_weak";  // RFC 8017 §3.1: e odd, >= 3
  if (e.length > 4) return "cose_rsa_key_weak";                      // limits.h
  return "ok";
}

const problemOf = { ok: "ok", range: "cose_key_not_on_curve", infinity: "cose_key_not_on_curve",
  off_curve: "cose_key_not_on_curve", sign: "cose_key_not_on_curve", small_order: "cose_key_small_order",
  subgroup: "cose_key_not_in_subgroup" };

// ---- the vectors ----
const out = ["# COSE_Key (hex)\texpected problem, or ok\twasm/ecc.c's reason (- for RSA)\twhat",
  "# made by make-cose-keys.mjs: every expectation is computed by its BigInt reference"];
const head = (s) => out.push("# " + s);
function emit(key, problem, reason, what) {
  if (/\t|\n/.test(what)) throw new Error("what: " + what);
  out.push([key.toString("hex"), problem, reason, what].join("\t"));
}
const es256 = (x, y) => cbor(new Map([[1, 2], [3, -7], [-1, 1], [-2, x], [-3, y]]));
const eddsa = (x) => cbor(new Map([[1, 1], [3, -8], [-1, 6], [-2, x]]));
const rs256 = (n, e) => cbor(new Map([[1, 3], [3, -257], [-1, n], [-2, e]]));
function ec(x, y, want, what) {
  const xb = typeof x === "bigint" ? be(x) : x, yb = typeof y === "bigint" ? be(y) : y;
  const r = p256Reason(fromBe(xb), fromBe(yb));
  if (r !== want) throw new Error(`P-256 ${what}: ${r}, made for ${want}`);
  emit(es256(xb, yb), problemOf[r], r, what);
}
function ed(b, want, what) {
  const r = edReason(b);
  if (r !== want) throw new Error(`Ed25519 ${what}: ${r}, made for ${want}`);
  emit(eddsa(b), problemOf[r], r, what);
}
function rsa(n, e, want, what) {
  const r = rsaProblem(n, e);
  if (r !== want) throw new Error(`RSA ${what}: ${r}, made for ${want}`);
  emit(rs256(n, e), r, "-", what);
}
const pem = (name) => createPublicKey(readFileSync(here + "keys/" + name)).export({ format: "jwk" });
const jwkBytes = (s) => Buffer.from(s, "base64url");

// COSE keys in real authenticator data: after rpIdHash, flags, counter, AAGUID, the credential ID
function coseOf(authData) {
  const n = authData.readUInt16BE(53);
  return authData.subarray(55 + n);
}
function coseMap(b) { // a COSE key's map: integer labels, integer or byte string values
  let o = 0;
  const item = () => {
    const major = b[o] >> 5, ai = b[o++] & 31;
    let v = ai;
    if (ai >= 24) { const w = 1 << (ai - 24); v = Number(fromBe(b.subarray(o, o + w))); o += w; }
    if (major === 0) return v;
    if (major === 1) return -1 - v;
    if (major === 2) { o += v; return b.subarray(o - v, o); }
    throw new Error("coseMap: major type " + major);
  };
  if (b[o++] >> 5 !== 5) throw new Error("coseMap: not a map");
  const m = new Map();
  for (let i = 0, n = b[0] & 31; i < n; i++) m.set(item(), item());
  return m;
}
const realAd = tsv("webauthn/authdata.tsv").filter((r) => r.f[1].startsWith("ok:") && r.f[1].split(":")[3]);
const specAtt = Buffer.from(tsv("webauthn/spec-l3.tsv").find((r) => r.f[0] === "attestationObject").f[1], "hex");
const specAd = (() => { const i = specAtt.indexOf(Buffer.from("authData")) + 8; return specAtt.subarray(i + 2, i + 2 + specAtt[i + 1]); })();

function realEc(cose, what) { // a real authenticator's encoding, kept byte for byte
  const m = coseMap(cose), r = p256Reason(fromBe(m.get(-2)), fromBe(m.get(-3)));
  if (r !== "ok") throw new Error(what + ": " + r);
  emit(cose, "ok", "ok", what);
}
head("P-256 (ES256, alg -7): real keys, the curve's base point, a key with x = 0");
for (const r of realAd) {
  const cose = coseOf(Buffer.from(r.f[0], "base64url"));
  if (coseMap(cose).get(3) === -7) realEc(cose, `the key in authdata.tsv line ${r.line}, as the authenticator encoded it`);
}
realEc(coseOf(specAd), "the WebAuthn L3 none.ES256 test vector's key (spec-l3.tsv)");
for (const f of ["p256-a.pub.pem", "p256-b.pub.pem"]) ec(jwkBytes(pem(f).x), jwkBytes(pem(f).y), "ok", `keys/${f} (openssl genpkey)`);
ec(G[0], G[1], "ok", "the base point G (SEC 2 v2 §2.4.2)");
const y0 = p256Sqrt(B);
if (y0 !== null) ec(0n, y0, "ok", "the point with x = 0: all-zero x alone is not the point at infinity");

head("P-256 refused: off the curve, coordinates not below p, the point at infinity");
ec(Buffer.from("bd2f51d89edaeef2dbce17ac91aba449420047d5d52a47c85e4f17cbbb3d83c2", "hex"),
  Buffer.from("c3ba0e848fdc2fd35155164b53226aafb6bf58df492321708e0742d2f5b5fbca", "hex"), "off_curve",
  "the issue's key: 32 random bytes for x and for y");
ec(G[0], G[1] + 1n, "off_curve", "G with y + 1");
ec(G[0], 0n, "off_curve", "G's x with y = 0 (P-256 has no point of order 2)");
ec(1n, 1n, "off_curve", "(1, 1)");
let sx = 1n;
while (p256Sqrt(rhs(sx)) === null) sx++;
ec(sx, p256Sqrt(rhs(sx)), "ok", `(${sx}, y): the point with the smallest x above 0`);
ec(sx + P, p256Sqrt(rhs(sx)), "range", `x + p for that point: the curve's equation holds mod p, x is not below p`);
let sy = 1n, sxy = null;
for (; (sxy = cubicRoot(B - sy * sy)) === null; sy++);
ec(sxy, sy, "ok", `(x, ${sy}): a point with the smallest y that has exactly one x`);
ec(sxy, sy + P, "range", "y + p for that point: the equation holds mod p, y is not below p");
ec(P, G[1], "range", "x = p");
ec(G[0], P, "range", "y = p");
ec(2n ** 256n - 1n, 2n ** 256n - 1n, "range", "x = y = 2^256 - 1");
ec(0n, 0n, "infinity", "(0, 0): how fixed-size encodings write the point at infinity");

head("Ed25519 (EdDSA, alg -8): RFC 8032 §7.1 TEST 1-3 keys, real keys, the base point");
for (const [t, k] of [["TEST 1", "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"],
  ["TEST 2", "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"],
  ["TEST 3", "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"]]) ed(Buffer.from(k, "hex"), "ok", `RFC 8032 §7.1 ${t} public key`);
for (const f of ["ed25519-a.pub.pem", "ed25519-b.pub.pem"]) ed(jwkBytes(pem(f).x), "ok", `keys/${f} (openssl genpkey)`);
const Bpt = edDecode(le(mod(4n * inv(5n, p), p))).pt;
ed(edEncode(Bpt), "ok", "the base point B (y = 4/5, RFC 8032 §5.1)");

head("Ed25519 of small order: the eight points' eight encodings (libsodium's ge25519_has_small_order blocklist: these, sign bit masked, and p, p + 1)");
const T8 = 2707385501144840649318225287225658788936804267575313519463743609750303402022n;
const small = [[1n, 0, "the neutral point (0, 1), order 1"], [p - 1n, 0, "(0, -1), order 2"],
  [0n, 0, "y = 0, order 4"], [0n, 1, "y = 0 with the sign bit, order 4"],
  [T8, 0, "y = 2707...2022, order 8"], [T8, 1, "y = 2707...2022 with the sign bit, order 8"],
  [p - T8, 0, "y = p - 2707...2022, order 8"], [p - T8, 1, "y = p - 2707...2022 with the sign bit, order 8"]];
for (const [y, s, what] of small) { const b = le(y); b[31] |= s << 7; ed(b, "small_order", what); }
head("Ed25519 refused while decoding (RFC 8032 §5.1.3): x = 0 with the sign bit, y not below p, x^2 not a square");
for (const [y, what] of [[1n, "the neutral point's y with the sign bit (x = 0)"], [p - 1n, "(0, -1)'s y with the sign bit (x = 0)"]]) {
  const b = le(y); b[31] |= 0x80; ed(b, "sign", what);
}
for (const [y, s, what] of [[p, 0, "y = p (0, non-canonical: in libsodium's blocklist)"], [p, 1, "y = p with the sign bit"],
  [p + 1n, 0, "y = p + 1 (1, non-canonical: in libsodium's blocklist)"], [p + 1n, 1, "y = p + 1 with the sign bit"],
  [2n ** 255n - 1n, 0, "y = 2^255 - 1, the largest"]]) { const b = le(y); b[31] |= s << 7; ed(b, "range", what); }
let k = 2n;
while (edDecode(le(k)).reason || edReason(le(k)) === "small_order") k++;
const kr = edReason(le(k));
ed(le(k), kr, `y = ${k}: a point of the curve${kr === "ok" ? "" : ", outside the prime-order subgroup"}; the next vector is its non-canonical twin`);
ed(le(p + k), "range", `y = p + ${k}: the same point once reduced mod p, but not below p`);
let ns = 2n;
while (edDecode(le(ns)).reason !== "off_curve") ns++;
ed(le(ns), "off_curve", `y = ${ns}: (y^2 - 1)/(d y^2 + 1) is not a square`);
ed(Buffer.from("b0f1d36e1f74fbdc542f074b7fc6bacedb1e16588238a01740c2fcf0e32223c8", "hex"), "off_curve", "32 random bytes");
head("Ed25519 outside the prime-order subgroup: a real key plus a point of small order");
const A = edDecode(Buffer.from("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "hex")).pt;
const tors = (y, s) => { const b = le(y); b[31] |= s << 7; return edDecode(b).pt; };
ed(edEncode(edAdd(A, tors(p - 1n, 0))), "subgroup", "TEST 1's key + (0, -1), order 2");
ed(edEncode(edAdd(A, tors(0n, 0))), "subgroup", "TEST 1's key + a point of order 4");
ed(edEncode(edAdd(A, tors(T8, 0))), "subgroup", "TEST 1's key + a point of order 8");

head("RSA (RS256, alg -257): real keys, 2048 to 4096 bits (limits.h), exponents 65537, 3 and a 4-byte one");
for (const r of realAd) {
  const cose = coseOf(Buffer.from(r.f[0], "base64url")), m = coseMap(cose);
  if (m.get(3) !== -257) continue;
  if (rsaProblem(m.get(-1), m.get(-2)) !== "ok") throw new Error("authdata.tsv:" + r.line);
  emit(cose, "ok", "-", `the key in authdata.tsv line ${r.line}, as the authenticator encoded it`);
}
const rsaKey = (b) => { const j = pem(`rsa${b}.pub.pem`); return [jwkBytes(j.n), jwkBytes(j.e)]; };
const [n2048, e65537] = rsaKey(2048);
for (const b of [2048, 3072, 4096]) { const [n, e] = rsaKey(b); rsa(n, e, "ok", `keys/rsa${b}.pub.pem (openssl genpkey), ${bits(n)} bits`); }
rsa(n2048, Buffer.from([3]), "ok", "the 2048-bit modulus with e = 3");
rsa(n2048, Buffer.from("01000001", "hex"), "ok", "the 2048-bit modulus with e = 2^24 + 1, four bytes");
head("RSA refused (cose_rsa_key_weak): size, leading zeros, an even modulus, exponents 1, even, too long");
rsa(...rsaKey(1024), "cose_rsa_key_weak", "keys/rsa1024.pub.pem: 1024 bits");
rsa(...rsaKey(2047), "cose_rsa_key_weak", "keys/rsa2047.pub.pem: 2047 bits in 256 bytes");
rsa(Buffer.concat([Buffer.from([0]), rsaKey(2040)[0]]), e65537, "cose_rsa_key_weak", "keys/rsa2040.pub.pem's 2040 bits padded to 256 bytes with a zero");
rsa(Buffer.concat([Buffer.from([0]), n2048]), e65537, "cose_rsa_key_weak", "the 2048-bit modulus after a zero byte (257 bytes, not minimal)");
rsa(Buffer.concat([Buffer.from([1]), rsaKey(4096)[0]]), e65537, "cose_rsa_key_weak", "the 4096-bit modulus after a 01 byte: 4097 bits");
const even = Buffer.from(n2048); even[even.length - 1] ^= 1;
rsa(even, e65537, "cose_rsa_key_weak", "the 2048-bit modulus with its lowest bit cleared: even");
rsa(n2048, Buffer.from([1]), "cose_rsa_key_weak", "e = 1");
rsa(n2048, Buffer.from([4]), "cose_rsa_key_weak", "e = 4: even");
rsa(n2048, Buffer.from("010000", "hex"), "cose_rsa_key_weak", "e = 65536: even");
rsa(n2048, Buffer.from("0100000001", "hex"), "cose_rsa_key_weak", "e = 2^32 + 1: five bytes");
rsa(n2048, Buffer.from("00010001", "hex"), "cose_rsa_key_weak", "e = 65537 after a zero byte (not minimal)");
rsa(n2048, Buffer.from([0]), "cose_rsa_key_weak", "e = 0");
head("RSA keys without a number: malformed (cose_key_invalid)");
rsa(n2048, Buffer.alloc(0), "cose_key_invalid", "an empty exponent");
rsa(Buffer.alloc(0), e65537, "cose_key_invalid", "an empty modulus");

process.stdout.write(out.join("\n") + "\n");
