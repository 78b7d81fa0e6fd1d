// tls.test.mjs -- `make run TLS=1` (issue #22): a stack started by
// tests/run.sh with REKEY_TLS=1 serves HTTPS with the certificate stack.sh
// made (a local CA in DIR/tls/, trusted here through NODE_EXTRA_CA_CERTS),
// TLS 1.2+ only, HSTS, Secure cookies; the plain HTTP port only redirects;
// and Chromium signs in with a passkey over HTTPS (virtual authenticator, RP
// ID localhost). Needs REKEY_TEST_TLS_PORT.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:tls";
import { launch, watch } from "../e2e/browser.mjs";
import { Client, base, dir, port, tlsPort, newAccount, origin, setting, site, DEMO_PASSWORD } from "../node/stack.mjs";

if (!tlsPort) throw new Error("tls.test.mjs needs a stack with TLS (tests/run.sh: REKEY_TEST_TLS_PORT)");

function tlsHandshake(opts) {
  return new Promise((resolve) => {
    const s = connect({ host: "127.0.0.1", port: Number(tlsPort), servername: "localhost", ca: readFileSync(`${dir}/tls/ca.pem`), ...opts }, () => {
      const out = { ok: true, protocol: s.getProtocol(), authorized: s.authorized };
      s.end();
      resolve(out);
    });
    s.on("error", (e) => resolve({ ok: false, error: e.code || e.message }));
  });
}

test("the site is HTTPS: the configured origin, a certificate the local CA signed for localhost, TLS 1.2+ only, HSTS", async () => {
  assert.equal(origin, `https://localhost:${tlsPort}`);
  assert.equal(setting("origin"), origin);
  assert.equal(setting("cookie_secure"), "1");
  const r = await new Client().get("/api/health");
  assert.equal(r.status, 200);
  assert.match(r.headers.get("strict-transport-security"), /^max-age=\d+/);
  const pageRes = await fetch(base + "/index.html");
  assert.equal(pageRes.status, 200);
  assert.match(pageRes.headers.get("strict-transport-security"), /^max-age=\d+/);
  // TLS 1.3 and 1.2 both, with a certificate the client verified
  for (const v of ["TLSv1.3", "TLSv1.2"]) {
    const ok = await tlsHandshake({ minVersion: v, maxVersion: v });
    assert.ok(ok.ok && ok.authorized, `${v}: ${JSON.stringify(ok)}`);
    assert.equal(ok.protocol, v);
  }
  // and nothing older: the protocols nginx is given (this machine's OpenSSL
  // would refuse TLS 1.1 on its own, so a handshake could not tell)
  assert.match(readFileSync(`${dir}/nginx-listen.conf`, "utf8"), /^ssl_protocols TLSv1\.2 TLSv1\.3;$/m);
  // a client that does not trust the local CA is refused
  const stranger = await tlsHandshake({ ca: readFileSync("/etc/ssl/certs/ca-certificates.crt") });
  assert.equal(stranger.ok, false, JSON.stringify(stranger));
  // the certificate names localhost and 127.0.0.1, and is no CA
  const text = execFileSync("openssl", ["x509", "-in", `${dir}/tls/cert.pem`, "-noout", "-text"], { encoding: "utf8" });
  assert.match(text, /DNS:localhost/);
  assert.match(text, /IP Address:127\.0\.0\.1/);
  assert.match(text, /CA:FALSE/);
});

test("the plain HTTP port only redirects to HTTPS (308: the method and body stay); rekeyd never sees those requests", async () => {
  for (const [method, path] of [["GET", "/"], ["GET", "/api/health"], ["POST", "/api/session"], ["GET", "/account/passkeys.html?x=1"]]) {
    const rid = `plain-${process.pid}-${method}-${path.length}`;
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { method, redirect: "manual", headers: { "X-Request-Id": rid },
      body: method === "POST" ? "{}" : undefined });
    assert.equal(res.status, 308, path);
    assert.equal(res.headers.get("location"), `https://127.0.0.1:${tlsPort}${path}`, path);
    assert.equal(res.headers.get("set-cookie"), null);
    assert.ok(!readFileSync(`${dir}/log/access.log`, "utf8").includes(rid), `${path} reached rekeyd over plain HTTP`);
  }
  // the public site on HTTPS does not serve /metrics either
  assert.equal((await fetch(base + "/metrics")).status, 404);
});

test("every cookie is Secure: the session, the reset flow's, a sign-out's deletion", async () => {
  const { email } = newAccount("tls");
  const c = new Client();
  const seen = [];
  const signIn = await c.signIn(email);
  assert.equal(signIn.status, 200, signIn.text);
  seen.push(...signIn.headers.getSetCookie());
  const reset = await new Client().post("/api/reset", { entry: "direct" });
  assert.equal(reset.status, 201, reset.text);
  seen.push(...reset.headers.getSetCookie());
  const out = await c.del("/api/session");
  assert.ok(out.status === 204 || out.status === 200, out.text);
  seen.push(...out.headers.getSetCookie());
  assert.ok(seen.length >= 2, seen.join("\n"));
  for (const cookie of seen) {
    assert.match(cookie, /; Secure(;|$)/, cookie);
    assert.match(cookie, /; HttpOnly/, cookie);
  }
});

let browser;
before(async () => {
  // Chromium trusts the stack's certificate by its public key (the local CA is not
  // in its store); WebAuthn refuses a page with a certificate error, so this must hold
  const spki = execFileSync("sh", ["-c", `openssl x509 -in "${dir}/tls/cert.pem" -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`],
    { encoding: "utf8" }).trim();
  browser = await launch([`--ignore-certificate-errors-spki-list=${spki}`]);
});
after(async () => { await browser?.close(); });

test("Chromium over HTTPS: a secure context, a passkey added and then a passkey sign-in; every cookie Secure", async () => {
  const { email, id } = newAccount("tls-ui");
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const problems = watch(page);
  const cdp = await ctx.newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  await cdp.send("WebAuthn.addVirtualAuthenticator", { options: { protocol: "ctap2", transport: "internal", hasResidentKey: true,
    hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true } });
  await page.goto(site + "/?next=/account/passkeys.html");
  assert.equal(new URL(page.url()).protocol, "https:");
  assert.equal(await page.evaluate(() => window.isSecureContext), true);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL((u) => u.pathname === "/account/passkeys.html");
  await page.getByLabel("Name (optional)").fill("Laptop");
  await page.getByRole("button", { name: "Add a passkey" }).click();
  await page.locator(".passkey-name").filter({ hasText: /^Laptop$/ }).waitFor();
  const cookies = await ctx.cookies();
  assert.ok(cookies.length > 0);
  for (const ck of cookies) assert.equal(ck.secure, true, ck.name);
  // signed out, then in with the passkey alone (the button; no autofill)
  await ctx.clearCookies();
  await page.addInitScript(() => { PublicKeyCredential.isConditionalMediationAvailable = async () => false; });
  await page.goto(site + "/");
  await page.getByRole("button", { name: "Sign in with a passkey" }).click();
  await page.waitForURL("**/account/settings.html");
  await page.locator("#passkey-state .status-on").waitFor();
  for (const ck of await ctx.cookies()) assert.equal(ck.secure, true, ck.name);
  const used = execFileSync("mariadb", ["--socket", `${dir}/run/mysqld.sock`, "-uroot", "-N", "-B", "rekey", "-e",
    `SELECT COUNT(*) FROM passkeys WHERE account_id = ${id} AND last_used_at IS NOT NULL`], { encoding: "utf8" }).trim();
  assert.equal(used, "1");
  assert.deepEqual(problems, []);
  await ctx.close();
});
