// api_signin_hardening.test.mjs -- issue #14 findings 2 and 4: the session
// token is renewed when the second factor completes (no fixation at a change
// of privilege), and the per-email sign-in limit cannot lock the owner out
// of a browser that signed in before, nor out of passkey sign-in.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, newAccount, totp, base32Decode, origin, DEMO_PASSWORD, sql } from "./stack.mjs";
import { SoftAuthenticator } from "./authenticator.mjs";

async function withTotp(tag) {
  const acct = newAccount(tag);
  const c = new Client();
  assert.equal((await c.signIn(acct.email)).status, 200);
  const setup = await c.post("/api/totp/setup", {});
  const secret = base32Decode(setup.json.secret);
  assert.equal((await c.post("/api/totp/confirm", { code: totp(secret) })).status, 200);
  return { ...acct, secret, c };
}

async function withPasskey(tag) {
  const acct = newAccount(tag);
  const c = new Client();
  assert.equal((await c.signIn(acct.email)).status, 200);
  const auth = new SoftAuthenticator({ origin });
  const opts = await c.post("/api/passkeys/registration/options", {});
  assert.equal((await c.post("/api/passkeys/registration", { response: auth.create(opts.json) })).status, 201);
  return { ...acct, auth, c };
}

const setCookies = (r) => r.headers.getSetCookie();
const sessionCookie = (r) => setCookies(r).find((s) => s.startsWith("rk_session="));

test("TOTP second factor: a new session token and CSRF token; the partial token ends at once", async () => {
  const { email, secret } = await withTotp("fix-totp");
  const s = new Client();
  const first = await s.signIn(email);
  assert.equal(first.json.status, "second_factor_required");
  const partial = s.jar.get("rk_session"), partialCsrf = s.csrf;
  const r = await s.post("/api/session/totp", { code: totp(secret, 1) });
  assert.equal(r.status, 200, r.text);
  assert.ok(sessionCookie(r), "the answer sets a new session cookie");
  assert.notEqual(s.jar.get("rk_session"), partial);
  assert.match(r.json.csrf, /^[A-Za-z0-9_-]{32}$/);
  assert.notEqual(r.json.csrf, partialCsrf);
  assert.equal((await s.get("/api/me")).status, 200, "the new token is a full session");
  const old = new Client();
  old.jar.set("rk_session", partial);
  const me = await old.get("/api/me");
  assert.equal(me.status, 401, "the token from before the second factor no longer works");
  assert.equal(me.json.error?.code, "unauthenticated");
  // one session row, now full: promoted, not a second one
  assert.deepEqual(sql(`SELECT stage FROM sessions WHERE account_id = (SELECT id FROM accounts WHERE email = '${email}') AND revoked_at IS NULL ORDER BY id DESC LIMIT 1`), [["full"]]);
});

test("passkey second factor: a new session token; the partial token ends at once", async () => {
  const { email, auth } = await withPasskey("fix-pk");
  const s = new Client();
  assert.equal((await s.signIn(email)).json.status, "second_factor_required");
  const partial = s.jar.get("rk_session"), partialCsrf = s.csrf;
  const opts = await s.post("/api/passkeys/authentication/options", {});
  const r = await s.post("/api/passkeys/authentication", { response: auth.get(opts.json) });
  assert.equal(r.status, 200, r.text);
  assert.ok(sessionCookie(r), "the answer sets a new session cookie");
  assert.notEqual(s.jar.get("rk_session"), partial);
  assert.notEqual(r.json.csrf, partialCsrf);
  assert.equal((await s.get("/api/me")).json.email, email);
  const old = new Client();
  old.jar.set("rk_session", partial);
  assert.equal((await old.get("/api/me")).status, 401);
});

async function lockEmail(email) {
  for (let i = 0; i < 10; i++) assert.equal((await new Client().signIn(email, "wrong-password-" + i)).status, 401);
  const stranger = await new Client().signIn(email);
  assert.equal(stranger.status, 429, "a stranger's browser is locked out with the right password too");
}

test("a browser that signed in before keeps signing in after strangers lock the email", async () => {
  const { email } = newAccount("devlock");
  const owner = new Client();
  const r = await owner.signIn(email);
  assert.equal(r.status, 200);
  const dev = setCookies(r).find((c) => c.startsWith("rk_device="));
  assert.ok(dev, "a full sign-in remembers the browser");
  assert.match(dev, /HttpOnly/);
  assert.match(dev, /SameSite=Strict/);
  assert.match(dev, /Path=\/api\/session/);
  await owner.del("/api/session");
  await lockEmail(email);
  const again = await owner.signIn(email);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.status, "signed_in");
  // the device has a budget of its own: wrong passwords from it are limited too
  const d = new Client();
  d.jar.set("rk_device", owner.jar.get("rk_device"));
  const answers = [];
  for (let i = 0; i < 11; i++) answers.push((await d.signIn(email, "wrong-again-" + i)).status);
  assert.deepEqual(answers, [...Array(10).fill(401), 429]);
});

test("a device cookie helps only the account it was made for, and only if unforged", async () => {
  const a = newAccount("deva"), b = newAccount("devb");
  const c = new Client();
  assert.equal((await c.signIn(a.email)).status, 200);
  const cookie = c.jar.get("rk_device");
  await lockEmail(b.email);
  const other = new Client();
  other.jar.set("rk_device", cookie);
  assert.equal((await other.signIn(b.email)).status, 429, "a's device is a stranger to b");
  // a forged cookie: the same bytes with b's id in front
  const raw = Buffer.from(cookie, "base64url");
  raw.writeBigUInt64BE(BigInt(b.id), 0);
  const forged = new Client();
  forged.jar.set("rk_device", raw.toString("base64url"));
  assert.equal((await forged.signIn(b.email)).status, 429, "a cookie whose MAC does not match is ignored");
});

test("passkey sign-in still works while the email is locked for passwords", async () => {
  const { email, auth } = await withPasskey("devpk");
  await lockEmail(email);
  const b = new Client();
  const opts = await b.post("/api/passkeys/authentication/options", {});
  const r = await b.post("/api/passkeys/authentication", { response: auth.get(opts.json) });
  assert.equal(r.status, 200, r.text);
  assert.equal((await b.get("/api/me")).json.email, email);
  assert.equal((await new Client().signIn(email, DEMO_PASSWORD)).status, 429);
});

test("query strings: a repeated parameter, or one a route does not take, is refused and changes nothing", async () => {
  const c = new Client();
  assert.equal((await c.signIn("demo@rekey.test")).status, 200);
  for (const path of ["/api/me?x=1", "/api/passkeys?account=1", "/api/sessions?", "/api/cases/status?token=a&token=b",
    "/api/cases/status?token=a&other=b"]) {
    const r = await c.get(path);
    if (path.endsWith("?")) { assert.equal(r.status, 200, path); continue; } // an empty query string is no parameter
    assert.equal(r.status, 400, path);
    assert.ok(["unknown_field", "invalid_field"].includes(r.json.error?.code), path);
  }
  const before = sql("SELECT COUNT(*) FROM sessions")[0][0];
  const r = await c.req("DELETE", "/api/session?all=1");
  assert.equal(r.status, 400);
  assert.equal((await c.get("/api/me")).status, 200, "the refused sign-out did not happen");
  assert.equal(sql("SELECT COUNT(*) FROM sessions")[0][0], before);
});
