// core.mjs -- the JavaScript API of Rekey's portable core (wasm/).
// Every verdict comes from the C code in core.wasm; this file only moves
// bytes across the boundary that wasm/exports.c defines.
import { loadWasm } from "./loader.mjs";

export class CoreError extends Error {
  constructor(code, message) {
    super(message || code);
    this.name = "CoreError";
    this.code = code;
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder("utf-8", { fatal: false });

function toBytes(x, what) {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  throw new CoreError("internal", `${what} must be bytes`);
}

function b64ToBytes(s) {
  // only for strings produced by the C encoder: always canonical
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((s.length + 3) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function uuid(hex) {
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export async function loadCore(options = {}) {
  const url = options.url || new URL("./core.wasm", import.meta.url);
  const x = await loadWasm(url, options.bytes);
  const mem = () => new Uint8Array(x.memory.buffer);

  function put(bytes) {
    const p = x.rk_alloc_js(bytes.length);
    mem().set(bytes, p);
    return p;
  }
  function cstr(s) {
    return put(enc.encode(String(s) + "\0"));
  }
  function takeJson(p) {
    if (!p) throw new CoreError("internal", "out of memory in core");
    const m = mem();
    let e = p;
    while (m[e] !== 0) e++;
    const text = dec.decode(m.subarray(p, e));
    x.rk_free_js(p);
    return JSON.parse(text);
  }
  function withBuffers(list, fn) {
    const ptrs = [];
    try {
      for (const b of list) ptrs.push(typeof b === "string" ? cstr(b) : put(b));
      return fn(...ptrs);
    } finally {
      for (const p of ptrs) x.rk_free_js(p);
    }
  }

  const messages = takeJson(x.rk_problems_js());
  const names = Object.keys(messages);
  const m = mem();
  let ve = x.rk_version_js();
  const vs = ve;
  while (m[ve] !== 0) ve++;
  const version = dec.decode(m.subarray(vs, ve));

  const message = (code) => messages[code] || messages.internal;
  const fail = (code) => { throw new CoreError(code, message(code)); };
  const unwrap = (r) => (r.error ? fail(r.error) : r.value);
  const verdict = (code) => (code === 0 ? { ok: true, problems: [] } : { ok: false, problems: [names[code] || "internal"] });

  // ---- base64url ----
  const b64url = {
    encode(bytes) {
      const b = toBytes(bytes, "input");
      const cap = Math.ceil((b.length * 4) / 3) + 4;
      const out = x.rk_alloc_js(cap);
      try {
        const n = withBuffers([b], (p) => Number(x.rk_b64url_encode_js(p, b.length, out, cap)));
        if (n < 0) fail(names[-n]);
        return dec.decode(mem().slice(out, out + n));
      } finally {
        x.rk_free_js(out);
      }
    },
    decode(text) {
      if (typeof text !== "string") fail("b64url_bad_character");
      const s = enc.encode(text);
      const cap = Math.floor((s.length * 3) / 4) + 3;
      const out = x.rk_alloc_js(cap);
      try {
        const n = withBuffers([s], (p) => Number(x.rk_b64url_decode_js(p, s.length, out, cap)));
        if (n < 0) fail(names[-n]);
        return mem().slice(out, out + n);
      } finally {
        x.rk_free_js(out);
      }
    },
  };

  // ---- hashes (for vectors and the chain checks' users) ----
  function digest(fn, bytes) {
    const b = toBytes(bytes, "input");
    const out = x.rk_alloc_js(32);
    try {
      withBuffers([b], (p) => fn(p, b.length, out));
      return mem().slice(out, out + 32);
    } finally {
      x.rk_free_js(out);
    }
  }
  const hash = {
    sha256: (b) => digest(x.rk_sha256_js, b),
    keccak256: (b) => digest(x.rk_keccak256_js, b),
  };

  // ---- images ----
  const image = {
    inspect(bytes) {
      const b = toBytes(bytes, "image");
      return withBuffers([b], (p) => takeJson(x.rk_image_inspect_js(p, b.length)));
    },
    checkScreenshot(bytes, policy = {}) {
      const b = toBytes(bytes, "image");
      const num = (v) => (typeof v === "number" && v >= 0 ? v : -1);
      return withBuffers([b], (p) =>
        takeJson(x.rk_image_check_js(p, b.length, num(policy.maxBytes), num(policy.minSide),
          num(policy.maxSide), num(policy.maxPixels))));
    },
    // One camera frame for face capture: RGBA (ImageData.data), its size,
    // and the previous frame or nothing. { ok, problems, metrics }.
    checkFrame(rgba, width, height, prev) {
      const b = toBytes(rgba, "frame");
      const p = prev ? toBytes(prev, "frame") : new Uint8Array(0);
      const dim = (v) => (Number.isInteger(v) && v >= 0 && v < 2 ** 31 ? v : 0);
      return withBuffers([b, p], (pb, pp) => takeJson(x.rk_frame_check_js(pb, b.length, dim(width), dim(height), prev ? pp : 0, p.length)));
    },
    distance(a, b) {
      if (!/^[0-9a-f]{16}$/i.test(a) || !/^[0-9a-f]{16}$/i.test(b)) fail("internal");
      let v = BigInt("0x" + a) ^ BigInt("0x" + b);
      let c = 0;
      while (v) { v &= v - 1n; c++; }
      return c;
    },
  };

  // ---- WebAuthn ----
  function authDataOut(a) {
    const o = { rpIdHash: b64ToBytes(a.rpIdHash), flags: a.flags, signCount: a.signCount };
    if (a.aaguid) o.aaguid = uuid(a.aaguid);
    if (a.credentialId) o.credentialId = b64ToBytes(a.credentialId);
    if (a.publicKey) {
      const k = { ...a.publicKey };
      for (const f of ["x", "y", "n", "e"]) if (k[f] !== undefined) k[f] = b64ToBytes(k[f]);
      o.publicKey = k;
      o.publicKeyCbor = b64ToBytes(a.publicKeyCbor);
    }
    if (a.extensions) o.extensions = b64ToBytes(a.extensions);
    return o;
  }
  const ab = (u8) => u8.buffer.slice(u8.byteOffset, u8.byteOffset + u8.byteLength);
  const webauthn = {
    parseAuthenticatorData(bytes) {
      const b = toBytes(bytes, "authenticator data");
      return authDataOut(unwrap(withBuffers([b], (p) => takeJson(x.rk_authdata_parse_js(p, b.length)))));
    },
    parseAttestationObject(bytes) {
      const b = toBytes(bytes, "attestation object");
      const v = unwrap(withBuffers([b], (p) => takeJson(x.rk_attobj_parse_js(p, b.length))));
      return { fmt: v.fmt, attStmt: v.attStmt, authData: authDataOut(v.authData), authDataBytes: b64ToBytes(v.authDataBytes) };
    },
    checkClientData(bytes, expect = {}) {
      const b = toBytes(bytes, "client data");
      return withBuffers([b, expect.type || "", expect.challenge || "", expect.origin || ""],
        (p, t, c, o) => takeJson(x.rk_clientdata_check_js(p, b.length, t, c, o)));
    },
    // WebAuthn L3 §5.1.9/§5.1.10 JSON forms <-> navigator.credentials
    creationOptionsFromJSON(j) {
      return {
        ...j,
        challenge: ab(b64url.decode(j.challenge)),
        user: { ...j.user, id: ab(b64url.decode(j.user.id)) },
        excludeCredentials: (j.excludeCredentials || []).map((c) => ({ ...c, id: ab(b64url.decode(c.id)) })),
      };
    },
    requestOptionsFromJSON(j) {
      return {
        ...j,
        challenge: ab(b64url.decode(j.challenge)),
        allowCredentials: (j.allowCredentials || []).map((c) => ({ ...c, id: ab(b64url.decode(c.id)) })),
      };
    },
    registrationResponseToJSON(cred) {
      const r = cred.response;
      const out = {
        id: cred.id,
        rawId: b64url.encode(new Uint8Array(cred.rawId)),
        type: cred.type,
        response: {
          clientDataJSON: b64url.encode(new Uint8Array(r.clientDataJSON)),
          attestationObject: b64url.encode(new Uint8Array(r.attestationObject)),
          transports: typeof r.getTransports === "function" ? r.getTransports() : [],
        },
        authenticatorAttachment: cred.authenticatorAttachment || undefined,
        clientExtensionResults: typeof cred.getClientExtensionResults === "function" ? cred.getClientExtensionResults() : {},
      };
      if (typeof r.getAuthenticatorData === "function") out.response.authenticatorData = b64url.encode(new Uint8Array(r.getAuthenticatorData()));
      if (typeof r.getPublicKeyAlgorithm === "function") out.response.publicKeyAlgorithm = r.getPublicKeyAlgorithm();
      return out;
    },
    authenticationResponseToJSON(cred) {
      const r = cred.response;
      return {
        id: cred.id,
        rawId: b64url.encode(new Uint8Array(cred.rawId)),
        type: cred.type,
        response: {
          clientDataJSON: b64url.encode(new Uint8Array(r.clientDataJSON)),
          authenticatorData: b64url.encode(new Uint8Array(r.authenticatorData)),
          signature: b64url.encode(new Uint8Array(r.signature)),
          userHandle: r.userHandle ? b64url.encode(new Uint8Array(r.userHandle)) : undefined,
        },
        authenticatorAttachment: cred.authenticatorAttachment || undefined,
        clientExtensionResults: typeof cred.getClientExtensionResults === "function" ? cred.getClientExtensionResults() : {},
      };
    },
  };

  // ---- chains and validators ----
  const chains = takeJson(x.rk_chain_list_js());
  function chainCheck(chainId, s, kind) {
    const c = enc.encode(String(chainId));
    const t = typeof s === "string" ? enc.encode(s) : new Uint8Array(0);
    return verdict(withBuffers([c, t], (pc, pt) => x.rk_chain_check_js(pc, c.length, pt, t.length, kind)));
  }
  const chain = {
    list: () => chains.map((c) => ({ ...c })),
    validateAddress: (c, s) => chainCheck(c, s, 0),
    validateTxid: (c, s) => chainCheck(c, s, 1),
  };
  function validateKind(kind, s, arg = "") {
    if (typeof s !== "string") s = "";
    const b = enc.encode(s), a = enc.encode(String(arg));
    return withBuffers([b, a], (pb, pa) => takeJson(x.rk_validate_js(kind, pb, b.length, pa, a.length)));
  }
  const validate = {
    email: (s) => validateKind(0, s),
    code: (s) => validateKind(1, s),
    password: (s) => validateKind(2, s),
    // coin: a network id (its native coin) or a coin; with network, that coin there
    amount: (coin, s, network) => validateKind(3, s, network ? `${coin}@${network}` : coin),
    coin: (coin, network) => validateKind(4, "", `${coin}@${network}`),
  };

  // ---- flows ----
  const described = {};
  function describe(kind) {
    if (!described[kind]) described[kind] = unwrap(withBuffers([String(kind)], (p) => takeJson(x.rk_flow_describe_js(p))));
    return JSON.parse(JSON.stringify(described[kind]));
  }
  const kinds = ["delete_passkey", "reset_passkeys"];
  function resolve(state) {
    if (state && typeof state === "object") return { kind: state.kind, name: state.name };
    const s = String(state);
    const i = s.indexOf(":");
    if (i > 0) return { kind: s.slice(0, i), name: s.slice(i + 1) };
    for (const k of kinds) if (describe(k).states.includes(s)) return { kind: k, name: s };
    return { kind: kinds[0], name: s };
  }
  function factBytes(d, facts) {
    const keys = Object.keys(d.facts);
    const out = new Uint8Array(keys.length);
    keys.forEach((k, i) => {
      let v = facts && k in facts ? facts[k] : d.facts[k];
      if (k === "factor") v = Math.max(0, d.factors.indexOf(v));
      else if (k === "identity") v = Math.max(0, d.identities.indexOf(v));
      else v = typeof v === "boolean" ? Number(v) : Math.max(0, Math.min(255, Number(v) | 0));
      out[i] = v;
    });
    return out;
  }
  const flow = {
    describe,
    start(kind) {
      const d = describe(kind);
      return { kind: d.kind, name: d.start, terminal: false };
    },
    next(state, event, facts) {
      const st = resolve(state);
      let d;
      try { d = describe(st.kind); } catch (e) { return { ok: false, state: st, problems: [e.code || "flow_unknown"] }; }
      const fb = factBytes(d, facts);
      const r = withBuffers([st.kind, st.name, String(event), fb],
        (k, s, e, f) => takeJson(x.rk_flow_next_js(k, s, e, f, fb.length)));
      if (r.error) return { ok: false, state: st, problems: [r.error] };
      const out = { ok: r.ok, state: { kind: st.kind, name: r.state, terminal: !!r.terminal }, problems: r.problems };
      if (r.route) { out.route = r.route; out.routeRule = r.routeRule; }
      return out;
    },
  };

  return Object.freeze({ version, message, problemCodes: () => names.slice(), b64url, hash, image, webauthn, chain, validate, flow, CoreError });
}
