// api_metrics.test.mjs -- GET /metrics (issue #22): served on the loopback
// metrics listener only (the public site answers 404), answered by rekeyd to
// metrics_allow only (403 to any other client address, straight over
// FastCGI), valid for `promtool check metrics`, counters that add up over
// the workers and survive a worker's restart, gauges read from the database,
// and a real Prometheus (Debian's) that scrapes the stack and answers a
// PromQL query with the requests this test made.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { Client, ctl, dir, metricsPort, newAccount, origin, sql } from "./stack.mjs";
import { fcgiRequest } from "./fastcgi.mjs";
import { SoftAuthenticator } from "./authenticator.mjs";
import { root } from "./vectors.mjs";

if (!metricsPort) throw new Error("api_metrics needs REKEY_TEST_METRICS_PORT (tests/run.sh starts the stack with REKEY_METRICS_PORT)");
const metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;

async function scrape() {
  const res = await fetch(metricsUrl);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type"), /^text\/plain; version=0\.0\.4/);
  return res.text();
}

// the value of one sample (labels in any order given as an object); 0 when absent
function value(text, name, labels = {}) {
  let sum = null;
  for (const line of text.split("\n")) {
    const m = line.match(/^([a-z_]+)(?:\{(.*)\})? (\S+)$/);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) sum = (sum ?? 0) + Number(m[3]);
  }
  return sum ?? 0;
}

test("the public site does not serve /metrics; the loopback listener does, in the text format promtool accepts", async () => {
  const pub = await new Client().get("/metrics");
  assert.equal(pub.status, 404);
  assert.doesNotMatch(pub.text, /rekey_/);
  const text = await scrape();
  assert.match(text, /^# HELP rekey_http_requests_total /m);
  // promtool reads the exposition and checks names, types, HELP, _total, histograms
  const out = execFileSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
  assert.equal(out.trim(), "");
});

test("rekeyd answers /metrics to metrics_allow only: another client address gets 403 metrics_forbidden", async () => {
  const sock = `${dir}/run/rekeyd.sock`;
  const params = (ip) => ({ REQUEST_METHOD: "GET", DOCUMENT_URI: "/metrics", SCRIPT_NAME: "/metrics", QUERY_STRING: "", REMOTE_ADDR: ip, HTTP_X_REQUEST_ID: "metrics-test-1" });
  for (const ip of ["203.0.113.9", "10.0.0.1", "127.0.0.2", "::2", ""]) {
    const r = await fcgiRequest(sock, params(ip));
    assert.equal(r.status, 403, ip);
    assert.deepEqual(JSON.parse(r.body).error, { code: "metrics_forbidden", message: "Metrics are served to the monitoring addresses only.", request_id: "metrics-test-1" }, ip);
    assert.doesNotMatch(r.body, /rekey_/);
  }
  for (const ip of ["127.0.0.1", "::1"]) {
    const r = await fcgiRequest(sock, params(ip));
    assert.equal(r.status, 200, ip);
    assert.match(r.body, /^rekey_db_up 1$/m, ip);
  }
  // a query string is refused like on any route without query fields
  assert.equal((await fcgiRequest(sock, { ...params("127.0.0.1"), QUERY_STRING: "x=1" })).status, 400);
});

test("requests, latencies and problem codes are counted by route across the workers", async () => {
  const before = await scrape();
  const c = new Client();
  const n = 13; // more than the workers: they land on several
  await Promise.all(Array.from({ length: n }, () => c.get("/api/settings")));
  for (let i = 0; i < 3; i++) assert.equal((await c.get("/api/no-such-thing")).status, 404);
  assert.equal((await c.get("/api/settings?x=1")).status, 400);
  const now = await scrape();
  const d = (name, labels) => value(now, name, labels) - value(before, name, labels);
  assert.equal(d("rekey_http_requests_total", { method: "GET", route: "/api/settings", status: "200" }), n);
  assert.equal(d("rekey_http_requests_total", { method: "GET", route: "/api/settings", status: "400" }), 1);
  assert.equal(d("rekey_http_requests_total", { route: "unmatched", status: "404" }), 3);
  assert.equal(d("rekey_http_request_duration_seconds_count", { method: "GET", route: "/api/settings" }), n + 1);
  assert.equal(d("rekey_http_request_duration_seconds_bucket", { method: "GET", route: "/api/settings", le: "+Inf" }), n + 1);
  assert.ok(d("rekey_http_request_duration_seconds_sum", { method: "GET", route: "/api/settings" }) > 0);
  assert.equal(d("rekey_problems_total", { code: "not_found" }), 3);
  assert.equal(d("rekey_problems_total", { code: "unknown_field" }), 1);
});

test("a worker killed and restarted: the counters go on from where they were", async () => {
  const sup = readFileSync(`${dir}/run/rekeyd.pid`, "utf8").trim();
  const before = await scrape();
  const children = execFileSync("ps", ["-o", "pid=", "--ppid", sup], { encoding: "utf8" }).trim().split(/\s+/).map(Number);
  assert.ok(children.length >= 2, "the supervisor's workers and delivery process");
  process.kill(children[children.length - 1], "SIGKILL");
  const c = new Client();
  for (let i = 0; i < 6; i++) assert.equal((await c.get("/api/settings")).status, 200);
  let now;
  for (let i = 0; i < 50; i++) {
    now = await scrape();
    if (value(now, "rekey_process_restarts_total") > value(before, "rekey_process_restarts_total")) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(value(now, "rekey_process_restarts_total") - value(before, "rekey_process_restarts_total"), 1);
  const key = { method: "GET", route: "/api/settings", status: "200" };
  assert.equal(value(now, "rekey_http_requests_total", key) - value(before, "rekey_http_requests_total", key), 6);
  // no counter of the scrape before is lower now
  for (const line of before.split("\n").filter((l) => /_total\{|_count\{|_bucket\{/.test(l))) {
    const [series, v] = line.split(/ (?=\S+$)/);
    const after = now.split("\n").find((l) => l.startsWith(series + " "));
    assert.ok(after && Number(after.split(" ").pop()) >= Number(v), series);
  }
});

test("flows started and finished are counted once committed; a refused start is not", async () => {
  const before = await scrape();
  const r = await new Client().post("/api/reset", { entry: "direct" });
  assert.equal(r.status, 201, r.text);
  assert.equal((await new Client().post("/api/reset", { entry: "nowhere" })).status, 400);
  // a deletion begun, then cancelled
  const { email } = newAccount("metrics");
  const c = new Client();
  await c.signIn(email);
  const auth = new SoftAuthenticator({ origin });
  for (let i = 0; i < 2; i++) {
    const o = await c.post("/api/passkeys/registration/options", {});
    assert.equal((await c.post("/api/passkeys/registration", { response: auth.create(o.json) })).status, 201);
  }
  const pk = (await c.get("/api/passkeys")).json.passkeys[0].id;
  const d = await c.post(`/api/passkeys/${pk}/delete`, {});
  assert.equal(d.status, 201, d.text);
  const cancel = await c.post(`/api/delete-flows/${d.json.id}/cancel`, {});
  assert.equal(cancel.status, 200, cancel.text);
  const now = await scrape();
  const diff = (name, labels) => value(now, name, labels) - value(before, name, labels);
  assert.equal(diff("rekey_flows_started_total", { kind: "reset_passkeys" }), 1);
  assert.equal(diff("rekey_flows_started_total", { kind: "delete_passkey" }), 1);
  assert.equal(diff("rekey_flows_finished_total", { kind: "delete_passkey", outcome: "cancelled" }), 1);
  assert.equal(diff("rekey_flows_finished_total", { kind: "delete_passkey", outcome: "deleted" }), 0);
});

test("the database's gauges: holds in force, the review queue and its overdue cases, at scrape time", async () => {
  const before = await scrape();
  assert.equal(value(before, "rekey_db_up"), 1);
  const { id } = newAccount("metrics-gauges");
  ctl("hold", String(id), "2", "metrics_test");
  // a documents case submitted 100 hours ago (SLA review_sla_documents_hours, 48 by default) and a fresh face case
  const { id: other } = newAccount("metrics-gauges2");
  sql(`INSERT INTO reset_cases (account_id, open_account_id, route, status, status_token_hash, route_rule, created_at, updated_at, submitted_at) VALUES
    (${id}, ${id}, 'documents', 'under_review', RANDOM_BYTES(32), 5, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) - INTERVAL 100 HOUR),
    (${other}, ${other}, 'face', 'under_review', RANDOM_BYTES(32), 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);
  try {
    const now = await scrape();
    const diff = (name, labels) => value(now, name, labels) - value(before, name, labels);
    assert.equal(diff("rekey_holds_active"), 1);
    assert.equal(diff("rekey_review_queue_depth", { route: "documents", status: "under_review" }), 1);
    assert.equal(diff("rekey_review_queue_depth", { route: "face", status: "under_review" }), 1);
    assert.equal(diff("rekey_review_queue_overdue", { route: "documents" }), 1);
    assert.equal(diff("rekey_review_queue_overdue", { route: "face" }), 0);
    for (const ch of ["email", "sms"]) assert.ok(now.includes(`rekey_outbox_backlog{channel="${ch}"} `), ch);
    assert.match(now, /^rekey_face_checks_backlog\{status="queued"\} \d+$/m);
  } finally {
    // the review suites count the queue: leave it as it was
    sql(`DELETE FROM reset_cases WHERE account_id IN (${id}, ${other})`);
  }
});

test("a real Prometheus scrapes the stack: the alert rules load and a PromQL query returns the requests made", async (t) => {
  const tmp = mkdtempSync(`${tmpdir()}/rekey-prom-`);
  const port = await new Promise((resolve) => { const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); }); });
  writeFileSync(`${tmp}/prometheus.yml`, `global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nrule_files:\n  - ${root}cgi/ops/alerts.yml\n` +
    `scrape_configs:\n  - job_name: rekey\n    static_configs:\n      - targets: ["127.0.0.1:${metricsPort}"]\n`);
  const prom = spawn("prometheus", [`--config.file=${tmp}/prometheus.yml`, `--storage.tsdb.path=${tmp}/data`, `--web.listen-address=127.0.0.1:${port}`, "--log.level=warn"],
    { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  prom.stderr.on("data", (d) => { log += d; });
  t.after(() => { prom.kill("SIGTERM"); rmSync(tmp, { recursive: true, force: true }); });
  const api = async (path) => (await (await fetch(`http://127.0.0.1:${port}${path}`)).json()).data;
  const until = async (what, fn, ms = 60000) => {
    const end = Date.now() + ms;
    for (;;) {
      try { const v = await fn(); if (v !== undefined) return v; } catch { /* not up yet */ }
      if (Date.now() > end) throw new Error(`Prometheus: ${what} (log: ${log.slice(-2000)})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  await until("the target is up", async () => ((await api("/api/v1/targets")).activeTargets.find((x) => x.health === "up") ? true : undefined));
  const rules = await until("rules loaded", async () => (await api("/api/v1/rules")).groups.flatMap((g) => g.rules.map((r) => r.name)));
  assert.deepEqual(rules.sort(), ["RekeyDatabaseUnreachable", "RekeyDeliveryFailing", "RekeyHigh5xxRate", "RekeyReviewQueueOverdue"]);
  const q = 'sum(rekey_http_requests_total{job="rekey",route="/api/openapi.json",status="200"})';
  const promValue = async () => { const r = (await api(`/api/v1/query?query=${encodeURIComponent(q)}`)).result; return r.length ? Number(r[0].value[1]) : 0; };
  // Prometheus has caught up with the counter as rekeyd has it now
  const direct = () => scrape().then((s) => value(s, "rekey_http_requests_total", { route: "/api/openapi.json", status: "200" }));
  const start = await direct();
  await until("the first value", async () => ((await promValue()) === start ? true : undefined));
  const c = new Client();
  for (let i = 0; i < 7; i++) assert.equal((await c.get("/api/openapi.json")).status, 200);
  await until("the 7 requests", async () => ((await promValue()) === start + 7 ? true : undefined), 30000);
  assert.equal(await promValue(), start + 7);
  assert.equal(await direct(), start + 7);
  // the database is up, and no alert fires on this healthy stack
  const up = (await api(`/api/v1/query?query=${encodeURIComponent('rekey_db_up{job="rekey"}')}`)).result;
  assert.equal(up[0].value[1], "1");
  assert.deepEqual((await api("/api/v1/alerts")).alerts.filter((a) => a.labels.alertname === "RekeyDatabaseUnreachable"), []);
});

test("the alert rules pass promtool check rules and their unit tests (promtool test rules)", () => {
  assert.match(execFileSync("promtool", ["check", "rules", `${root}cgi/ops/alerts.yml`], { encoding: "utf8" }), /SUCCESS: 4 rules found/);
  const out = execFileSync("promtool", ["test", "rules", "alerts.test.yml"], { cwd: `${root}tests/ops`, encoding: "utf8" });
  assert.match(out, /SUCCESS/);
});

