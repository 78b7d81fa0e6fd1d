// api_settings.test.mjs -- settings that change what the API answers, each
// asserted for the value of the stack the suite runs on: tests/run.sh runs it
// on the main stack (cookie_secure = 0, webauthn_uv = required, any AAGUID)
// and on the second stack (cookie_secure = 1, webauthn_uv = preferred,
// aaguid_allow = two AAGUIDs), so that both sides of each are tested.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Client, ctl, newAccount, origin, setting, sql } from "./stack.mjs";
import { SoftAuthenticator, ALG } from "./authenticator.mjs";

const secure = setting("cookie_secure") === "1";
const uv = setting("webauthn_uv");
// whole entries, case ignored (the second stack lists one in capitals)
const allowed = setting("aaguid_allow") ? setting("aaguid_allow").toLowerCase().split(",") : [];
const DEFAULT_AAGUID = "0f2a7c3e-5b1d-4e6f-8a9b-0c1d2e3f4a5b"; // SoftAuthenticator's, what the other suites register with
const hex = (aaguid) => aaguid.replaceAll("-", "");

async function signedIn(tag) {
  const acct = newAccount(tag);
  const c = new Client();
  assert.equal((await c.signIn(acct.email)).status, 200);
  return { c, ...acct };
}

async function register(c, auth) {
  const o = await c.post("/api/passkeys/registration/options", {});
  assert.equal(o.status, 200, o.text);
  return { options: o.json, r: await c.post("/api/passkeys/registration", { response: auth.create(o.json) }) };
}

// `rekeyctl reviewer add`'s link, its enrolment options, and the enrolment with AUTH (a client of its own).
async function enrolReviewer(auth, c = new Client()) {
  const token = ctl("reviewer", "add", `rv${process.pid}x${randomBytes(4).toString("hex")}@rekey.test`).trim().split("token=")[1];
  const enrol = async (a) => {
    const o = await c.post("/api/review/enrol/options", { token });
    assert.equal(o.status, 200, o.text);
    return { options: o.json, r: await c.post("/api/review/enrol", { token, response: a.create(o.json.options) }) };
  };
  return { c, token, enrol, ...(await enrol(auth)) };
}

const passkeys = (account) => Number(sql(`SELECT COUNT(*) FROM passkeys WHERE account_id = ${account}`)[0][0]);

test(`cookie_secure = ${secure ? 1 : 0}: every Set-Cookie ${secure ? "carries" : "goes without"} Secure -- session, device, reset flow, WebAuthn browser cookie, reviewer, set and cleared`, async () => {
  const seen = [];
  class Recording extends Client {
    async req(...args) {
      const r = await super.req(...args);
      seen.push(...r.headers.getSetCookie());
      return r;
    }
  }
  // an account holder: sign-in (session + known device), sign-out (the session cookie cleared)
  const user = new Recording();
  assert.equal((await user.signIn(newAccount("ck").email)).status, 200);
  assert.equal((await user.del("/api/session")).status, 204);
  // signed out: passkey sign-in options (the WebAuthn browser cookie), a reset (its flow cookie)
  assert.equal((await new Recording().post("/api/passkeys/authentication/options", {})).status, 200);
  assert.equal((await new Recording().post("/api/reset", { entry: "direct" })).status, 201);
  // a reviewer: enrolment signs in, sign-out clears, a passkey sign-in sets it again
  const auth = new SoftAuthenticator({ origin });
  const rv = await enrolReviewer(auth, new Recording());
  assert.equal(rv.r.status, 201, rv.r.text);
  rv.c.csrf = rv.r.json.reviewer.csrf;
  assert.equal((await rv.c.del("/api/review/session")).status, 204);
  const again = new Recording();
  const o = await again.post("/api/review/session/options", {});
  assert.equal((await again.post("/api/review/session", { response: auth.get(o.json) })).status, 200);

  const names = [...new Set(seen.map((s) => s.split("=")[0]))].sort();
  assert.deepEqual(names, ["rk_device", "rk_reset", "rk_review", "rk_session", "rk_wa"]);
  assert.ok(seen.filter((s) => /; Max-Age=0(;|$)/.test(s)).length >= 2, "cleared cookies are among them");
  for (const s of seen) {
    assert.match(s, /^rk_[a-z]+=[A-Za-z0-9_-]*; Path=\/[a-z/]*; HttpOnly; SameSite=Strict; Max-Age=\d+(; Secure)?$/, s);
    assert.equal(s.endsWith("; Secure"), secure, s);
  }
});

test(`webauthn_uv = ${uv}: account passkeys without user verification are ${uv === "preferred" ? "registered and sign in" : "refused"}; reviewers always need it`, async () => {
  assert.ok(uv === "required" || uv === "preferred", uv);
  const { c, id, email } = await signedIn("uv");
  const noUv = new SoftAuthenticator({ origin, uv: false });
  const { options, r } = await register(c, noUv);
  assert.equal(options.authenticatorSelection.userVerification, uv);
  if (uv === "preferred") {
    assert.equal(r.status, 201, r.text);
    assert.equal(sql(`SELECT uv_initialized FROM passkeys WHERE account_id = ${id}`)[0][0], "0", "stored as registered without UV");
  } else {
    assert.equal(r.status, 400);
    assert.equal(r.json.error?.code, "user_verification_missing");
    assert.equal(passkeys(id), 0, "nothing stored");
    // a passkey registered with UV, used without it below
    noUv.uv = true;
    assert.equal((await register(c, noUv)).r.status, 201);
    noUv.uv = false;
  }
  // sign-in with that passkey, UV flag off
  const b = new Client();
  const ao = await b.post("/api/passkeys/authentication/options", {});
  assert.equal(ao.json.userVerification, uv);
  const s = await b.post("/api/passkeys/authentication", { response: noUv.get(ao.json) });
  if (uv === "preferred") {
    assert.equal(s.status, 200, s.text);
    assert.equal(s.json.status, "signed_in");
    assert.equal((await b.get("/api/me")).json.email, email);
  } else {
    assert.equal(s.status, 400);
    assert.equal(s.json.error?.code, "user_verification_missing");
    assert.equal((await b.get("/api/me")).status, 401);
  }
  // reviewers: required whatever the setting, at enrolment and at sign-in
  const rv = await enrolReviewer(new SoftAuthenticator({ origin, uv: false }));
  assert.equal(rv.options.options.authenticatorSelection.userVerification, "required");
  assert.equal(rv.r.status, 400);
  assert.equal(rv.r.json.error?.code, "user_verification_missing");
  const auth = new SoftAuthenticator({ origin });
  assert.equal((await rv.enrol(auth)).r.status, 201, "the same link, with UV");
  const rc = new Client();
  const ro = await rc.post("/api/review/session/options", {});
  assert.equal(ro.json.userVerification, "required");
  const rs = await rc.post("/api/review/session", { response: auth.get(ro.json, { flags: { uv: false } }) });
  assert.equal(rs.status, 400);
  assert.equal(rs.json.error?.code, "user_verification_missing");
  assert.equal((await rc.get("/api/review/me")).status, 401);
});

test(`aaguid_allow = ${allowed.join(",") || "(empty: any)"}: ${allowed.length ? "another authenticator is refused end to end, nothing stored; each listed one registers" : "any authenticator registers"}`, async () => {
  let other;
  do other = [8, 4, 4, 4, 12].map((n) => randomBytes(n / 2).toString("hex")).join("-"); while (allowed.includes(other));
  const { c, id } = await signedIn("aag");
  const before = sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id}`)[0][0];
  const { r } = await register(c, new SoftAuthenticator({ origin, aaguid: hex(other) }));
  if (!allowed.length) {
    assert.equal(r.status, 201, r.text);
    assert.equal(sql(`SELECT LOWER(HEX(aaguid)) FROM passkeys WHERE account_id = ${id}`)[0][0], hex(other));
    return;
  }
  assert.ok(allowed.includes(DEFAULT_AAGUID), "the other suites' authenticator stays allowed");
  assert.deepEqual(r.json?.error, { code: "authenticator_not_allowed", message: "This kind of authenticator is not accepted here.",
    request_id: r.headers.get("x-request-id") }, r.text);
  assert.equal(r.status, 400);
  assert.equal(passkeys(id), 0, "no passkey stored");
  assert.equal(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${id}`)[0][0], before, "no passkey_added in the audit log");
  assert.deepEqual((await c.get("/api/passkeys")).json.passkeys, []);
  // the same account, with each listed authenticator
  for (const g of allowed) {
    const ok = await register(c, new SoftAuthenticator({ origin, aaguid: hex(g) }));
    assert.equal(ok.r.status, 201, `${g}: ${ok.r.text}`);
  }
  assert.deepEqual(sql(`SELECT LOWER(HEX(aaguid)) FROM passkeys WHERE account_id = ${id} ORDER BY id`).map(([g]) => g), allowed.map(hex));
  // a reviewer's enrolment is held to the same list
  const rv = await enrolReviewer(new SoftAuthenticator({ origin, aaguid: hex(other) }));
  assert.equal(rv.r.status, 400, rv.r.text);
  assert.equal(rv.r.json.error?.code, "authenticator_not_allowed");
  assert.equal(sql(`SELECT COUNT(*) FROM reviewer_passkeys WHERE LOWER(HEX(aaguid)) = '${hex(other)}'`)[0][0], "0");
  assert.equal((await rv.enrol(new SoftAuthenticator({ origin }))).r.status, 201, "the same link, an allowed authenticator");
});

// issue #24: §7.1 step 17, an algorithm the options offered. A COSE key of a
// kind the core reads but webauthn_algs does not list is refused; the
// mutants harness (tests/mutants/) runs this with webauthn_algs = -7.
const algs = setting("webauthn_algs").split(",").map(Number);
test(`webauthn_algs = ${algs.join(",")}: each listed algorithm registers, any other is refused (cose_alg_unsupported)`, async () => {
  for (const [name, alg] of Object.entries(ALG)) {
    const { c, id } = await signedIn("alg");
    const o = await c.post("/api/passkeys/registration/options", {});
    assert.equal(o.status, 200, o.text);
    assert.equal(o.json.pubKeyCredParams.some((p) => p.alg === alg), algs.includes(alg), `${name} offered as listed`);
    const r = await c.post("/api/passkeys/registration", { response: new SoftAuthenticator({ origin }).create(o.json, { alg }) });
    if (algs.includes(alg)) {
      assert.equal(r.status, 201, `${name}: ${r.text}`);
      continue;
    }
    assert.equal(r.json.error?.code, "cose_alg_unsupported", `${name}: ${r.text}`);
    assert.equal(r.status, 400);
    assert.equal(passkeys(id), 0, "no passkey stored");
  }
});
