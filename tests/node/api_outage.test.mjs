// api_outage.test.mjs -- health goes 503 when MariaDB stops and recovers by itself.
// Runs last: it stops the database.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, stackCmd, waitFor } from "./stack.mjs";

test("health: 503 with db down while MariaDB is stopped, 200 again after it restarts", async () => {
  const c = new Client();
  assert.equal((await c.get("/api/health")).status, 200);
  stackCmd("db-stop");
  try {
    const r = await waitFor(async () => { const x = await c.get("/api/health"); return x.status === 503 && x; }, "503");
    assert.deepEqual(r.json, { status: "degraded", db: "down", schema: null });
    const s = await new Client().signIn("demo@rekey.test");
    assert.equal(s.status, 503);
    assert.equal(s.json.error.code, "database_unavailable");
  } finally {
    stackCmd("db-start");
  }
  const ok = await waitFor(async () => { const x = await c.get("/api/health"); return x.status === 200 && x; }, "recovery", 20000);
  assert.equal(ok.json.db, "ok");
  assert.equal((await new Client().signIn("demo@rekey.test")).status, 200);
});
