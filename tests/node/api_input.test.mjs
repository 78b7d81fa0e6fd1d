// api_input.test.mjs -- hostile input, route by route: every answer a 4xx with
// the uniform error body, never a 5xx, and no table changes.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Client, sql, ctl, base, origin, newAccount, raw, waitFor, setting } from "./stack.mjs";

// Every table of the schema, as the database lists them (a table that a new
// migration adds is covered without editing this file), except those that
// change on their own while a test runs, each with the reason:
const moving = {
  face_checks: "the delivery process retries, with back-off, the checks that earlier suites queued for a face provider " +
    "that does not answer (attempts, next try, last error)",
};
const tables = sql("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY table_name")
  .map(([t]) => t);
for (const t of Object.keys(moving)) assert.ok(tables.includes(t), `${t}: excluded but not in the schema`);
const watched = tables.filter((t) => !(t in moving));
// The mailer marks queued mail as sent (outbox.sent_at): the snapshot before a
// test waits for it to finish what earlier requests queued, so that only what
// the test sends can change a table.
async function checksums() {
  await waitFor(() => sql("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL")[0][0] === "0", "an idle outbox", 15000);
  return Object.fromEntries(sql(`CHECKSUM TABLE ${watched.join(", ")}`)); // "rekey.table" -> checksum: a failure names the table
}

test("the checksums cover every table of the schema but the excluded ones", () => {
  assert.ok(tables.length >= 31, `${tables.length} tables listed`);
  const sums = sql(`CHECKSUM TABLE ${watched.join(", ")}`);
  assert.deepEqual(sums.map(([t]) => t), watched.map((t) => `rekey.${t}`));
  assert.ok(sums.every(([, v]) => /^\d+$/.test(v)), "a checksum for each (NULL: no such table)");
});

function assertError(r, what) {
  assert.ok(r.status >= 400 && r.status < 500, `${what}: status ${r.status} ${r.text.slice(0, 200)}`);
  assert.ok(r.json && r.json.error && /^[a-z0-9_]+$/.test(r.json.error?.code) && typeof r.json.error.message === "string", `${what}: body ${r.text.slice(0, 200)}`);
}


// OpenAPI's body schema for a route: no property required, no path parameter
// (POST /api/reset names optional fields; the rest take none)
const openapi = JSON.parse(readFileSync(new URL("../../cgi/openapi.json", import.meta.url), "utf8"));
function takesEmpty(r) {
  const op = openapi.paths[r.p]?.[r.m.toLowerCase()];
  const schema = op?.requestBody?.content?.["application/json"]?.schema;
  return !!schema && !(schema.required || []).length;
}
const routes = () => ctl("routes").trim().split("\n").map((l) => { const [m, p, a] = l.split(" "); return { m, p: p.replace("{id}", "1"), a }; });

test("malformed bodies on every state-changing route: 4xx, error body, nothing changed", async () => {
  const c = new Client();
  await c.signIn(newAccount("input").email);
  const before = await checksums();
  const bodies = [
    ["not JSON", "{"],
    ["array", "[1,2]"],
    ["string", "\"x\""],
    ["deep nesting", "[".repeat(5000) + "]".repeat(5000)],
    ["duplicate keys", "{\"email\":\"a@b.co\",\"email\":\"c@d.co\"}"],
    ["unknown field", "{\"email\":\"demo@rekey.test\",\"password\":\"x\",\"admin\":true}"],
    ["wrong types", "{\"email\":42,\"password\":[],\"code\":123456,\"purpose\":null,\"phone\":{}}"],
    ["huge number", "{\"code\":1e999999}"],
    ["NUL in string", "{\"email\":\"demo@rekey.test\\u0000x\",\"password\":\"x\"}"],
    ["overlong string", JSON.stringify({ email: "a".repeat(300) + "@b.co", password: "p".repeat(2000), code: "1".repeat(100), purpose: "s".repeat(100), phone: "+" + "1".repeat(100) })],
    ["SQL payload", JSON.stringify({ email: "x' OR '1'='1@b.co", password: "'; DROP TABLE accounts; --", code: "1' OR", purpose: "step_up' --", phone: "+1; DROP" })],
    ["HTML payload", JSON.stringify({ email: "<script>alert(1)</script>@b.co", password: "<img src=x>", code: "<b>", purpose: "<i>", phone: "<svg>" })],
    ["empty object", "{}"],
  ];
  const invalidUtf8 = Buffer.concat([Buffer.from("{\"email\":\""), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from("@b.co\",\"password\":\"x\"}")]);
  let n = 0;
  for (const r of routes().filter((r) => r.m !== "GET")) {
    const headers = { Cookie: c.cookie, "X-CSRF-Token": c.csrf };
    for (const [what, body] of bodies) {
      if (r.m === "DELETE" && what !== "not JSON") continue;
      /* these take no fields and no path parameter: {} is their valid body */
      if (what === "empty object" && takesEmpty(r)) continue;
      assertError(await raw(r.m, r.p, { body, headers }), `${r.m} ${r.p} ${what}`);
      n++;
    }
    assertError(await raw(r.m, r.p, { body: invalidUtf8, headers }), `${r.m} ${r.p} invalid UTF-8`);
    assertError(await raw(r.m, r.p, { body: "{}", type: "text/plain", headers }), `${r.m} ${r.p} wrong content type`);
    assertError(await raw(r.m, r.p, { body: "{}", type: "application/jsonx", headers }), `${r.m} ${r.p} lookalike content type`);
    assertError(await raw(r.m, r.p, { body: JSON.stringify({ email: "x".repeat(70000) }), headers }), `${r.m} ${r.p} oversized`);
    n += 4;
  }
  assert.ok(n > 80, `${n} requests`);
  assert.deepEqual(await checksums(), before);
});

test("wrong methods get 405 with Allow; unknown paths 404; path tricks do not match", async () => {
  const before = await checksums();
  let r = await raw("PUT", "/api/session", { body: "{}" });
  assert.equal(r.status, 405);
  assertError(r, "PUT /api/session");
  r = await raw("GET", "/api/session", { type: null });
  assert.equal(r.status, 405);
  // nginx normalizes dot segments before routing: this never reaches rekeyd
  assert.equal((await raw("GET", "/api/%2e%2e/etc/passwd", { type: null })).status, 404);
  for (const p of ["/api/nope", "/api/me/", "/api/sessions/abc", "/api/sessions/1/x", "/api/sessions/-1", "/api/sessions/99999999999999999999", "/api/me%00"]) {
    r = await raw("GET", p, { type: null });
    assert.ok(r.status === 404 || r.status === 400 || r.status === 405 || r.status === 401, `${p}: ${r.status}`);
    if (r.status !== 400) assertError(r, p);
  }
  r = await raw("PATCH", "/api/me", { body: "{}" });
  assert.equal(r.status, 405);
  assert.deepEqual(await checksums(), before);
});

// nginx's own answers: what it says before rekeyd is asked (tests/node/api_outage.test.mjs has rekeyd down: 502)
async function viaNginx(method, path, body, type = "application/json") {
  const res = await fetch(base + path, { method, headers: { Origin: origin, "Content-Type": type }, body });
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
}

test("every answer under /api/ is the JSON error body, nginx's own too: a 13 MiB body (413), an unknown path (404)", async () => {
  const before = await checksums();
  const big = Buffer.alloc(13 * 1024 * 1024, 0x20); // over nginx's client_max_body_size (12m), which rekeyd never sees
  for (const [path, type] of [["/api/session", "application/json"], ["/api/reset/1/evidence?kind=face_frame&country=CH", "image/png"], ["/api/nope", "application/json"]]) {
    const r = await viaNginx("POST", path, big, type);
    assert.equal(r.status, 413, path);
    assert.match(r.type, /^application\/json\b/, `${path}: ${r.type}`);
    assert.deepEqual(JSON.parse(r.text), { error: { code: "body_too_large", message: "The request body is too large." } }, path);
  }
  for (const [m, path] of [["GET", "/api/nope"], ["POST", "/api/no/such/thing"], ["GET", "/api/"]]) {
    const r = await viaNginx(m, path, m === "GET" ? undefined : "{}");
    assert.equal(r.status, 404, path);
    assert.match(r.type, /^application\/json\b/, `${path}: ${r.type}`);
    assert.deepEqual(JSON.parse(r.text), { error: { code: "not_found", message: "No such resource." } }, path);
  }
  assert.deepEqual(await checksums(), before);
});

test("header tricks: CRLF in values, bad cookies, oversized headers", async () => {
  const c = new Client();
  await c.signIn("demo@rekey.test");
  const before = await checksums();
  let r = await raw("GET", "/api/me", { type: null, headers: { Cookie: "rk_session=" + "A".repeat(5000) } });
  assertError(r, "long cookie");
  r = await raw("GET", "/api/me", { type: null, headers: { Cookie: "rk_session=%00%0d%0aSet-Cookie:%20x=y" } });
  assertError(r, "encoded CRLF cookie");
  assert.equal(r.status, 401);
  r = await raw("POST", "/api/session", { body: JSON.stringify({ email: "demo@rekey.test", password: "x" }), headers: { Origin: "http://127.0.0.1:1 , " + origin } });
  assert.equal(r.json.error?.code, "csrf_origin");
  assert.deepEqual(await checksums(), before);
});

test("inputs the core refuses are refused by the server with the same code", async () => {
  const c = new Client();
  for (const email of ["a..b@example.com", "plainaddress", "a@b", "<script>@x.com"]) {
    const r = await c.post("/api/session", { email, password: "whatever-1234" });
    assert.equal(r.status, 400);
    assert.equal(r.json.error?.code, "email_invalid");
  }
  await c.signIn("demo@rekey.test");
  for (const code of ["12345", "1234567", "12345a", "١٢٣٤٥٦"]) {
    const r = await c.post("/api/codes/email/verify", { purpose: "step_up", code });
    assert.equal(r.json.error?.code, "code_invalid", code);
  }
});

test("an optional field sent as null is treated as absent (it crashed a worker once: found by make reliability)", async () => {
  const c = new Client();
  const r = await c.post("/api/reset", { entry: null });
  assert.equal(r.status, 201, r.text);
  const s = await new Client().post("/api/reset", { entry: "signin" });
  assert.equal(s.status, 201);
  const bad = await new Client().post("/api/reset", { entry: 5 });
  assert.equal(bad.status, 400);
});

// issue #24: max_body is a check of its own (routes.c); the hostile-input
// test above only sees some 4xx, which the field checks would give anyway
test("a JSON body longer than max_body is refused as body_too_large, before it is parsed", async () => {
  const max = Number(setting("max_body"));
  for (const p of ["/api/session", "/api/reset"]) {
    const r = await new Client().post(p, { email: "x".repeat(max) });
    assert.equal(r.json?.error?.code, "body_too_large", `${p}: ${r.status} ${r.text.slice(0, 200)}`);
    assert.equal(r.status, 413);
  }
});
