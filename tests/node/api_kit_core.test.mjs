// api_kit_core.test.mjs -- @rekey/kit/core's declarations (kit/core.d.ts)
// against what loadCore() really returns, result type by result type. No
// stack needed; named api_kit_* so that run.sh runs it with the other kit suites.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { loadCore, CoreError } from "@rekey/kit/core";
import { SoftAuthenticator, ALG, attestationCert } from "@rekey/kit/authenticator";
import { root } from "./vectors.mjs";
import { shapes } from "./kit-shapes.mjs";

const { shape } = shapes(root + "kit/core.d.ts");
const core = await loadCore();
const corpus = (n) => readFileSync(root + "tests/vectors/image/corpus/" + n);

test("the Core object has exactly the members core.d.ts declares", () => {
  shape("Core", core);
  for (const g of ["b64url", "hash", "image", "webauthn", "chain", "validate", "flow"])
    for (const f of Object.values(core[g])) assert.equal(typeof f, "function");
});

test("images: ImageInfo, ScreenshotVerdict with and without metrics, FrameVerdict", () => {
  for (const n of ["email-1080x2400.png", "tx-1080x2400.jpg", "bad-crc.png", "not-an-image.png", "blank-white.png"]) {
    shape("ImageInfo", core.image.inspect(corpus(n)));
    const v = core.image.checkScreenshot(corpus(n));
    shape("ScreenshotVerdict", v);
    if (v.metrics) shape("ScreenshotMetrics", v.metrics);
  }
  assert.ok(core.image.checkScreenshot(corpus("email-1080x2400.png")).metrics, "one with metrics");
  const w = 320, h = 240, rgba = new Uint8Array(w * h * 4).fill(120);
  const f = core.image.checkFrame(rgba, w, h, rgba);
  shape("FrameVerdict", f);
  shape("FrameMetrics", f.metrics);
});

test("WebAuthn: AttestationObject, AuthenticatorData, flags, COSE keys of each kind, ClientDataVerdict", () => {
  const auth = new SoftAuthenticator({ origin: "http://localhost" });
  const options = { rp: { id: "localhost", name: "x" }, user: { id: "dQ", name: "u", displayName: "u" }, challenge: "AAAA", pubKeyCredParams: [] };
  for (const [alg, fmt] of [[ALG.ES256, "none"], [ALG.RS256, "packed"], [ALG.EdDSA, "packed"]]) {
    const r = auth.create(options, { alg, fmt });
    const a = core.webauthn.parseAttestationObject(core.b64url.decode(r.response.attestationObject));
    shape("AttestationObject", a);
    shape("AttestationStatementSummary", a.attStmt);
    shape("AuthenticatorData", a.authData);
    shape("AuthenticatorFlags", a.authData.flags);
    shape("CosePublicKey", a.authData.publicKey);
    const cd = core.webauthn.checkClientData(core.b64url.decode(r.response.clientDataJSON), { type: "webauthn.create", challenge: "AAAA", origin: "http://localhost" });
    shape("ClientDataVerdict", cd);
    shape("CollectedClientData", cd.clientData);
  }
  const x5c = auth.create(options, { fmt: "packed", cert: attestationCert() });
  shape("AttestationStatementSummary", core.webauthn.parseAttestationObject(core.b64url.decode(x5c.response.attestationObject)).attStmt);
  shape("AuthenticatorData", core.webauthn.parseAuthenticatorData(core.b64url.decode(auth.get({ challenge: "AAAA" }).response.authenticatorData)));
  shape("ClientDataVerdict", core.webauthn.checkClientData(new TextEncoder().encode("{}")));
  assert.throws(() => core.webauthn.parseAuthenticatorData(new Uint8Array(3)), (e) => e instanceof CoreError && typeof e.code === "string");
});

test("chains, validators, flows: Chain, Verdict, FlowDescription, FlowTransition, RouteRule, FlowState, FlowStep", () => {
  core.chain.list().forEach((c) => shape("Chain", c));
  shape("Verdict", core.chain.validateAddress("BTC", "x"));
  shape("Verdict", core.validate.email("a@b.co"));
  shape("Verdict", core.validate.password("abc"));
  for (const kind of ["delete_passkey", "reset_passkeys"]) {
    const d = core.flow.describe(kind);
    shape("FlowDescription", d);
    d.transitions.forEach((t) => shape("FlowTransition", t));
    (d.routeRules ?? []).forEach((r) => shape("RouteRule", r));
    const s = core.flow.start(kind);
    shape("FlowState", s);
    shape("FlowStep", core.flow.next(s, d.transitions[0].event, { agreed: true }));
  }
  const routed = core.flow.next("reset_passkeys:route", "route", {});
  shape("FlowStep", routed);
  assert.equal(typeof routed.route, "string");
});
