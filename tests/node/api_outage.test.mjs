// api_outage.test.mjs -- health goes 503 when MariaDB stops and recovers by itself;
// with rekeyd stopped nginx answers 502 in JSON. Runs last: it stops the
// database, then rekeyd.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, metricsPort, stackCmd, waitFor } from "./stack.mjs";

// GET /metrics on the stack's loopback listener (issue #22); null without one
const metrics = async () => metricsPort ? (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text() : null;
const lostConnections = (m) => Number((m.match(/^rekey_db_retries_total\{kind="lost_connection"\} (\d+)$/m) || [])[1]);

test("health: 503 with db down while MariaDB is stopped, 200 again after it restarts", async () => {
  const c = new Client();
  assert.equal((await c.get("/api/health")).status, 200);
  const m0 = await metrics();
  stackCmd("db-stop");
  try {
    const r = await waitFor(async () => { const x = await c.get("/api/health"); return x.status === 503 && x; }, "503");
    assert.deepEqual(r.json, { status: "degraded", db: "down", schema: null });
    const s = await new Client().signIn("demo@rekey.test");
    assert.equal(s.status, 503);
    assert.equal(s.json.error.code, "database_unavailable");
    // the scrape still answers, with every counter, and says the database is down
    const m = await metrics();
    if (m !== null) {
      assert.match(m, /^rekey_db_up 0$/m);
      assert.match(m, /^rekey_http_requests_total\{method="POST",route="\/api\/session",status="503"\} [1-9]/m);
      assert.doesNotMatch(m, /^rekey_holds_active /m, "no database gauge while it is down");
      // the workers' connections died with the server: counted
      assert.ok(lostConnections(m) > lostConnections(m0), `lost connections ${lostConnections(m0)} -> ${lostConnections(m)}`);
    }
  } finally {
    stackCmd("db-start");
  }
  const ok = await waitFor(async () => { const x = await c.get("/api/health"); return x.status === 200 && x; }, "recovery", 20000);
  assert.equal(ok.json.db, "ok");
  assert.equal((await new Client().signIn("demo@rekey.test")).status, 200);
  const m = await metrics();
  if (m !== null) assert.match(m, /^rekey_db_up 1$/m);
});

test("SIGTERM: requests already in the workers finish with 200, then rekeyd exits cleanly", async () => {
  const { readFileSync } = await import("node:fs");
  const { dir } = await import("./stack.mjs");
  const pid = Number(readFileSync(`${dir}/run/rekeyd.pid`, "utf8"));
  // sign-ins take tens of milliseconds (argon2id), long enough to be in flight
  const inflight = Array.from({ length: 3 }, () => new Client().signIn("demo@rekey.test"));
  await new Promise((r) => setTimeout(r, 8));
  process.kill(pid, "SIGTERM");
  const rs = await Promise.all(inflight);
  assert.ok(rs.every((r) => r.status === 200 || r.status === 502), rs.map((r) => r.status).join(","));
  assert.ok(rs.some((r) => r.status === 200), "at least one in-flight sign-in finished");
  await waitFor(() => { try { process.kill(pid, 0); return false; } catch { return true; } }, "rekeyd to exit", 15000);
  // the log is one JSON object per line (issue #22); the last one says it stopped
  assert.equal(JSON.parse(readFileSync(`${dir}/log/rekeyd.log`, "utf8").trim().split("\n").pop()).msg, "rekeyd: stopped");
  const after = await new Client().get("/api/health");
  assert.equal(after.status, 502, "nothing answers once rekeyd has stopped");
});

test("rekeyd down: nginx's 502 under /api/ is the JSON error body, for any method and path; pages are still served", async () => {
  const { readFileSync } = await import("node:fs");
  const { dir, base, origin } = await import("./stack.mjs");
  const pid = Number(readFileSync(`${dir}/run/rekeyd.pid`, "utf8"));
  try { process.kill(pid, "SIGTERM"); } catch { /* stopped by the test before */ }
  await waitFor(() => { try { process.kill(pid, 0); return false; } catch { return true; } }, "rekeyd to exit", 15000);
  for (const [method, path, body] of [["GET", "/api/health"], ["POST", "/api/session", "{}"], ["GET", "/api/nope"], ["POST", "/api/reset/1/evidence?kind=face_frame", "x"]]) {
    const res = await fetch(base + path, { method, headers: { Origin: origin, "Content-Type": "application/json" }, body });
    assert.equal(res.status, 502, path);
    assert.match(res.headers.get("content-type"), /^application\/json\b/, path);
    assert.deepEqual(await res.json(), { error: { code: "service_unavailable", message: "The service is briefly unavailable. Try again in a moment.",
      request_id: res.headers.get("x-request-id") } }, path);
  }
  const page = await fetch(base + "/index.html");
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-type"), /^text\/html/);
});
