// api_request_ids.test.mjs -- request ids (issue #22): nginx passes a valid
// X-Request-Id on, or sets its own $request_id; rekeyd answers it in a
// header and in every error body, nginx's own error bodies carry it too, the
// kit's RekeyError.requestId reads it, and nginx's and rekeyd's logs are one
// JSON object per line with the id of their request.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { RekeyClient } from "@rekey/kit/client";
import { Client, base, dir, origin, waitFor } from "./stack.mjs";

const jsonLines = (file) => readFileSync(`${dir}/log/${file}`, "utf8").trim().split("\n").map((l, i) => {
  try { return JSON.parse(l); } catch { throw new Error(`${file}:${i + 1} is not JSON: ${l}`); }
});
const uid = (tag) => `${tag}-${process.pid}.${Date.now().toString(36)}`;

test("without an X-Request-Id nginx makes one: the same in the header and in the error body", async () => {
  const ids = new Set();
  for (let i = 0; i < 3; i++) {
    const r = await new Client().get("/api/no-such-route");
    assert.equal(r.status, 404);
    const rid = r.headers.get("x-request-id");
    assert.match(rid, /^[0-9a-f]{32}$/);
    assert.equal(r.json.error.request_id, rid);
    ids.add(rid);
  }
  assert.equal(ids.size, 3, "one id per request");
  // a 2xx carries it in the header, and so does a page
  const ok = await new Client().get("/api/settings");
  assert.match(ok.headers.get("x-request-id"), /^[0-9a-f]{32}$/);
  assert.equal(ok.json.request_id, undefined, "success bodies are unchanged");
  assert.match((await fetch(base + "/index.html")).headers.get("x-request-id"), /^[0-9a-f]{32}$/);
});

test("a valid incoming X-Request-Id is passed on; an invalid one is replaced, never echoed", async () => {
  const mine = uid("support-ticket_42");
  const r = await new Client().get("/api/sessions", { headers: { "X-Request-Id": mine } });
  assert.equal(r.status, 401);
  assert.equal(r.headers.get("x-request-id"), mine);
  assert.equal(r.json.error.request_id, mine);
  for (const bad of ["a".repeat(65), "has space", 'quote"d', "semi;colon", "<script>", "ünï"]) {
    const b = await fetch(base + "/api/sessions", { headers: { "X-Request-Id": encodeURI(bad) === bad ? bad : encodeURI(bad) } });
    const rid = b.headers.get("x-request-id");
    assert.match(rid, /^[0-9a-f]{32}$/, bad);
    assert.equal((await b.json()).error.request_id, rid, bad);
  }
  // rekeyd checks again (it may sit behind another proxy): tested over FastCGI in api_metrics
});

test("nginx's own error bodies carry the request id (rekeyd never saw the request)", async () => {
  const mine = uid("big");
  const res = await fetch(base + "/api/session", { method: "POST", headers: { Origin: origin, "Content-Type": "application/json", "X-Request-Id": mine },
    body: Buffer.alloc(13 * 1024 * 1024, 0x20) });
  assert.equal(res.status, 413);
  assert.equal(res.headers.get("x-request-id"), mine);
  assert.deepEqual(await res.json(), { error: { code: "body_too_large", message: "The request body is too large.", request_id: mine } });
});

test("the kit's RekeyError.requestId is the request's id", async () => {
  const mine = uid("kit");
  const c = new RekeyClient({ baseUrl: base, origin });
  await assert.rejects(c.session.list({ headers: { "X-Request-Id": mine } }), (e) => {
    assert.equal(e.status, 401);
    assert.equal(e.requestId, mine);
    return true;
  });
  await assert.rejects(new RekeyClient({ baseUrl: base, origin }).session.list(), (e) => /^[0-9a-f]{32}$/.test(e.requestId));
});

test("nginx's access log and rekeyd's logs are one JSON object per line, each request's line with its id", async () => {
  const mine = uid("logs");
  const r = await new Client().post("/api/session", { email: "nobody@rekey.test", password: "x".repeat(12) }, { headers: { "X-Request-Id": mine } });
  assert.equal(r.status, 401);
  const ngx = await waitFor(() => jsonLines("nginx-access.log").find((l) => l.request_id === mine), "nginx's line");
  assert.equal(ngx.status, 401);
  assert.equal(ngx.method, "POST");
  assert.equal(ngx.uri, "/api/session");
  const own = await waitFor(() => jsonLines("access.log").find((l) => l.request_id === mine), "rekeyd's line");
  assert.deepEqual([own.method, own.path, own.status], ["POST", "/api/session", 401]);
  assert.equal(typeof own.ms, "number");
  // rekeyd's log (supervisor, workers, delivery process): JSON, each line with a request_id field
  const lines = jsonLines("rekeyd.log");
  assert.ok(lines.length > 0);
  for (const l of lines) {
    assert.deepEqual(Object.keys(l), ["time", "level", "pid", "request_id", "msg"]);
    assert.match(l.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  }
});
