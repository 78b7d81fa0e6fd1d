// http.bench.mjs -- the endpoints through nginx -> rekeyd -> MariaDB on a
// private stack (tests/bench/run.sh starts it with the bench build of rekeyd,
// which adds GET /api/bench/empty, and innodb_flush_log_at_trx_commit=1: a
// write is durable when answered). One table: req/s, p50, p99, errors, and
// each row's ratio to the plumbing limit.
//   Stateless rows: wrk, 32 connections, a fixed time.
//   Pre-signed rows (each request single-use: a passkey assertion answers its
//   own challenge, an email code is used once): the requests are made first,
//   then sent over 32 keep-alive connections by a small Node client; only
//   the sending is timed.
//   A wrk row runs BENCH_REPEAT times (3) and reports the run of the median
//   p99 (a p99 over 8 s moves by a fifth between runs on this machine; the
//   sizes' p99 ratios compare medians); its CPU figures cover every run.
// BENCH_ROWS=evidence,me,...: only those rows (and only their set-up), for a
// quick rerun of one change; the names are ROWS' keys. BENCH_UPLOADS: the
// uploads of the evidence row (64; one reset flow each, made beforehand).
import { performance } from "node:perf_hooks";
import { execFileSync, execFile } from "node:child_process";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { readFileSync, readdirSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { Client, newAccount, origin, base, dir, ctl, DEMO_PASSWORD } from "../node/stack.mjs";
import { SoftAuthenticator } from "../node/authenticator.mjs";
import { subject, routed } from "../node/reset-helpers.mjs";

const CONC = 32;
const SECS = Number(process.env.BENCH_SECONDS || 8);
const N = Number(process.env.BENCH_N || 9000);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT || 3));
const LIST_SECS = 3;
const ROWS = ["plumbing", "health", "me", "reset", "email-code", "assertion", "evidence", "queue", "queue-deep", "case", "holds"];
const only = (process.env.BENCH_ROWS || "").split(",").map((x) => x.trim()).filter(Boolean);
for (const k of only) if (!ROWS.includes(k)) throw new Error(`BENCH_ROWS: no row ${k} (rows: ${ROWS.join(", ")})`);
const want = (k) => only.length === 0 || only.includes(k);
const UPLOADS = Number(process.env.BENCH_UPLOADS || 64);
const tmp = mkdtempSync("/tmp/rekey-wrk.");
process.on("exit", () => rmSync(tmp, { recursive: true, force: true })); // the wrk scripts and request lists

function pct(sorted, p) { return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]; }

async function fire(reqs, want = 200) {
  const lat = [];
  let next = 0, errors = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: CONC }, async () => {
    while (next < reqs.length) {
      const r = reqs[next++];
      const a = performance.now();
      const res = await fetch(base + r.path, { method: "POST", headers: r.headers, body: r.body });
      await res.arrayBuffer();
      lat.push(performance.now() - a);
      if (res.status !== want) errors++;
    }
  }));
  const secs = (performance.now() - t0) / 1000;
  lat.sort((x, y) => x - y);
  return { rps: reqs.length / secs, p50: pct(lat, 0.5), p99: pct(lat, 0.99), n: reqs.length, errors, tool: `node, ${reqs.length} req` };
}

// wrk for a fixed time; a Lua script when the request has a method, headers or a body
// the run of the median p99 among REPEAT runs of a wrk row; n and errors
// summed over them (the row's CPU and round trips are measured over all)
async function repeated(once) {
  const runs = [];
  for (let i = 0; i < REPEAT; i++) runs.push(await once());
  runs.sort((x, y) => x.p99 - y.p99);
  const mid = runs[(runs.length - 1) >> 1];
  return { ...mid, n: runs.reduce((t, x) => t + x.n, 0), errors: runs.reduce((t, x) => t + x.errors, 0),
    tool: REPEAT === 1 ? mid.tool : `${mid.tool}, median p99 of ${REPEAT} (${runs.map((x) => x.p99.toFixed(1)).join("/")})` };
}
const wrk = (path, opts = {}) => repeated(() => wrkOnce(path, opts));
// wrk in a child process without blocking Node's event loop: the set-up's
// keep-alive sockets meanwhile close on their own idle timer (blocked for a
// long row, they were found closed by nginx at the next set-up request:
// UND_ERR_SOCKET)
const execFileP = promisify(execFile);
const wrkRun = async (args) => (await execFileP("wrk", args, { encoding: "utf8", maxBuffer: 1 << 24 })).stdout;
async function wrkOnce(path, { method = "GET", headers = {}, body } = {}) {
  const args = ["-t2", `-c${CONC}`, `-d${SECS}s`, "--latency"];
  if (method !== "GET" || body !== undefined || Object.keys(headers).length) {
    const lua = `${tmp}/r${Math.random().toString(36).slice(2)}.lua`;
    writeFileSync(lua, `wrk.method = ${JSON.stringify(method)}\n` + (body !== undefined ? `wrk.body = ${JSON.stringify(body)}\n` : "") +
      Object.entries(headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}\n`).join(""));
    args.push("-s", lua);
  }
  const out = await wrkRun([...args, base + path]);
  if (!/^\s+50%\s+\S+/m.test(out)) throw new Error(`wrk ${path}: no latency figures in:\n${out}`);
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
  const ms = (s) => { const m = s.match(/([\d.]+)(us|ms|s|m)/); if (!m) throw new Error(`wrk ${path}: latency ${s} in:\n${out}`);
    return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : m[2] === "m" ? 60000 : 1); };
  const p50 = ms(out.match(/^\s+50%\s+(\S+)/m)[1]), p99 = ms(out.match(/^\s+99%\s+(\S+)/m)[1]);
  const bad = out.match(/Non-2xx or 3xx responses: (\d+)/);
  const sock = out.match(/Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/);
  return { rps, p50, p99, n: Number(out.match(/(\d+) requests in/)[1]),
    errors: (bad ? Number(bad[1]) : 0) + (sock ? sock.slice(1).reduce((x, y) => x + Number(y), 0) : 0), tool: `wrk, ${SECS} s` };
}

// wrk with a Lua script of its own (a request per call)
async function wrkScript(path, lua) {
  const out = await wrkRun(["-t2", `-c${CONC}`, `-d${SECS}s`, "--latency", "-s", lua, base + path]);
  const ms = (x) => { const m = x.match(/([\d.]+)(us|ms|s)/); return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1); };
  const bad = out.match(/Non-2xx or 3xx responses: (\d+)/);
  return { rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]), p50: ms(out.match(/^\s+50%\s+(\S+)/m)[1]), p99: ms(out.match(/^\s+99%\s+(\S+)/m)[1]),
    n: Number(out.match(/(\d+) requests in/)[1]), errors: bad ? Number(bad[1]) : 0, tool: `wrk, ${SECS} s` };
}

// wrk over a list of single-use requests for LIST_SECS: each of wrk's
// threads takes every other line. The list is made longer than the run
// needs; a run that reaches its end is reported as a lower bound.
const LIST_LUA = `
local counter = 0
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
function init(args)
  reqs = {}
  local i = 0
  for line in io.lines(args[1]) do
    if i % 2 == tid then
      local p, c, b = line:match("^([^\t]*)\t([^\t]*)\t(.*)$")
      reqs[#reqs + 1] = wrk.format("POST", p, { ["Content-Type"] = "application/json", ["Origin"] = args[2], ["Cookie"] = c }, b)
    end
    i = i + 1
  end
  idx = 0
  tail = wrk.format("GET", "/api/bench/empty")
end
function request()
  idx = idx + 1
  if idx > #reqs then wrk.thread:stop(); return tail end
  return reqs[idx]
end
`;
async function wrkList(reqs) {
  const list = `${tmp}/list${Math.random().toString(36).slice(2)}.tsv`, lua = `${tmp}/list.lua`;
  writeFileSync(list, reqs.map((r) => `${r.path}\t${r.headers.Cookie}\t${r.body}`).join("\n") + "\n");
  writeFileSync(lua, LIST_LUA);
  const out = await wrkRun(["-t2", `-c${CONC}`, `-d${LIST_SECS}s`, "--latency", "-s", lua, base + "/", "--", list, origin]);
  const done = Number(out.match(/(\d+) requests in/)[1]);
  const ms = (x) => { const m = x.match(/([\d.]+)(us|ms|s)/); return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1); };
  const bad = out.match(/Non-2xx or 3xx responses: (\d+)/);
  return { rps: Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]), p50: ms(out.match(/^\s+50%\s+(\S+)/m)[1]), p99: ms(out.match(/^\s+99%\s+(\S+)/m)[1]), n: done,
    errors: bad ? Number(bad[1]) : 0, tool: `wrk, ${LIST_SECS} s, ${done} of ${reqs.length} pre-made${done >= reqs.length - 2 * CONC ? " (RAN OUT: a lower bound)" : ""}` };
}

// A Galera cluster (make bench CLUSTER=1: DIR/nodes exists): each row's
// write-set bytes, certification failures and flow-control pauses, summed
// over the nodes (SHOW GLOBAL STATUS before and after the row).
const nodeList = (() => { try { return readFileSync(`${dir}/nodes`, "utf8").trim().split("\n").map((l) => l.split(" ")[1]); } catch { return []; } })();
const GALERA = ["wsrep_replicated_bytes", "wsrep_replicated", "wsrep_local_cert_failures", "wsrep_local_bf_aborts", "wsrep_flow_control_paused_ns"];
function galera() {
  const sum = Object.fromEntries(GALERA.map((k) => [k, 0]));
  for (const sock of nodeList) {
    const out = execFileSync("mariadb", ["--socket", sock, "-uroot", "-N", "-B", "-e", `SHOW GLOBAL STATUS WHERE Variable_name IN (${GALERA.map((k) => `'${k}'`).join(", ")})`], { encoding: "utf8" });
    for (const l of out.trim().split("\n")) { const [k, v] = l.split("\t"); sum[k] += Number(v); }
  }
  return sum;
}
// CPU time (user + system, ms) of rekeyd (supervisors and their children),
// mariadbd (every node) and nginx, from /proc: each row's cost per request
const TICK_MS = 10; // USER_HZ 100
function pidsOf(pidFile, children = true) {
  try {
    const p = readFileSync(pidFile, "utf8").trim();
    if (!children) return [p];
    return [p, ...execFileSync("ps", ["-o", "pid=", "--ppid", p], { encoding: "utf8" }).trim().split(/\s+/).filter(Boolean)];
  } catch { return []; }
}
function ticks(pids, fields = [11, 12]) {
  let t = 0;
  for (const p of pids) {
    try { const f = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" "); for (const i of fields) t += Number(f[i]); } catch { /* gone */ }
  }
  return t;
}
function cpu() {
  const dbPids = nodeList.length ? readFileSync(`${dir}/nodes`, "utf8").trim().split("\n").flatMap((l) => pidsOf(l.split(" ")[3], false)) : pidsOf(`${dir}/run/mysqld.pid`, false);
  const rk = [...pidsOf(`${dir}/run/rekeyd.pid`), ...pidsOf(`${dir}/run/rekeyd2.pid`)];
  // and rekeyd's minor page faults (field minflt: pages the kernel zeroed and mapped)
  return { rekeyd: ticks(rk) * TICK_MS, rekeydFaults: ticks(rk, [7]),
    mariadbd: ticks(dbPids) * TICK_MS, nginx: ticks(pidsOf(`${dir}/run/nginx.pid`)) * TICK_MS };
}
// statements the database servers answered (MariaDB's Questions: every
// COM_QUERY and COM_STMT_EXECUTE a client sent, COMMIT included; not the
// one-time prepares), summed over the nodes: per request, the round trips
// rekeyd made to the database (the delivery process's polling adds a little)
const dbSockets = nodeList.length ? nodeList : [`${dir}/run/mysqld.sock`];
function questions() {
  let q = 0;
  for (const sock of dbSockets)
    q += Number(execFileSync("mariadb", ["--socket", sock, "-uroot", "-N", "-B", "-e", "SHOW GLOBAL STATUS LIKE 'Questions'"], { encoding: "utf8" }).trim().split("\t")[1]);
  return q;
}
const rows = [];
// r: the row's figures, or an async function that measures them (then the Galera figures are the row's own)
const add = async (name, r, kind, at = rows.length) => {
  const g0 = nodeList.length && typeof r === "function" ? galera() : null;
  const q0 = questions();
  const c0 = cpu();
  const x = typeof r === "function" ? await r() : r;
  const c1 = cpu();
  const q1 = questions();
  const g = g0 ? Object.fromEntries(Object.entries(galera()).map(([k, v]) => [k, v - g0[k]])) : null;
  const per = (k) => (c1[k] - c0[k]) / Math.max(1, x.n);
  rows.splice(at, 0, { name, kind, ...x, galera: g, cpu: { rekeyd: per("rekeyd"), mariadbd: per("mariadbd"), nginx: per("nginx"), rekeydFaults: per("rekeydFaults") },
    trips: (q1 - q0 - 2 * dbSockets.length) / Math.max(1, x.n) }); // less the two reads of the counter itself
};

// ---- set-up ----
// on a cluster, 32 set-up loops from one address meet on its rate-limit row
// through two nodes: a request that got 503 (a conflict at every try) is sent again
async function again(fn) {
  for (let i = 0; ; i++) { const r = await fn(); if (r.status !== 503 || i === 20) return r; await new Promise((ok) => setTimeout(ok, 20)); }
}
// a signed-in account and a signed-in reviewer, for the read rows
const acct = newAccount("bench-me");
const me = new Client();
await me.signIn(acct.email);
const link = ctl("reviewer", "add", `bench${Date.now()}@rekey.test`, "reviewer").trim();
const rc = new Client();
const ra = new SoftAuthenticator({ origin });
const token = link.split("token=")[1];
const eo = await again(() => rc.post("/api/review/enrol/options", { token }));
if (eo.status !== 200) throw new Error(`bench setup (reviewer options): ${eo.status} ${eo.text}`);
const er = await again(() => rc.post("/api/review/enrol", { token, response: ra.create(eo.json.options) }));
if (er.status !== 201) throw new Error("bench setup (reviewer): " + er.text);
// Case 3 flows waiting for a screenshot (the upload row)
const shotPng = readFileSync(new URL("../vectors/image/corpus/email-1080x2400.png", import.meta.url));
const ups = [];
// the queue and case rows read the cases these uploads make
const forQueue = ["queue", "queue-deep", "case"].some(want), withUploads = forQueue || want("evidence");
for (let i = 0; withUploads && i < UPLOADS; i++) {
  // (on a cluster a step can meet a conflict at every try and answer 503: the set-up starts that flow again)
  let f;
  for (let t = 0; !f; t++) {
    try { const a = subject("unverified", "100000", { tool: false }); f = await routed(a); f.email = a.email; } catch (e) { if (t === 5) throw e; }
  }
  ups.push({ f, email: f.email, path: `/api/reset/${f.id}/evidence?kind=operator_email&email_kind=withdrawal`,
    headers: { "Content-Type": "image/png", Origin: origin, Cookie: f.c.cookie }, body: shotPng });
}

// 32 accounts with a passkey each (authenticators that keep no counter), N pre-signed sign-ins
const auths = [];
for (let i = 0; want("assertion") && i < CONC; i++) {
  const { email } = newAccount("bench");
  const c = new Client();
  await c.signIn(email);
  const a = new SoftAuthenticator({ origin });
  const opts = await again(() => c.post("/api/passkeys/registration/options", {}));
  if (opts.status !== 200) throw new Error(`bench setup (registration options): ${opts.status} ${opts.text}`);
  const r = await again(() => c.post("/api/passkeys/registration", { response: a.create(opts.json) }));
  if (r.status !== 201) throw new Error("bench setup: " + r.text);
  auths.push(a);
}
// made just before their row: a challenge lives 5 minutes, and the reset
// flows below can take longer than that to prepare on a loaded machine (the
// row then measured 400 challenge_expired answers)
async function makeAssertions() {
  const list = [];
  for (let i = 0; i < N; i++) {
    const c = new Client();
    const opts = await c.post("/api/passkeys/authentication/options", {});
    const resp = auths[i % CONC].get(opts.json, { counter: 0 });
    list.push({ path: "/api/passkeys/authentication", headers: { "Content-Type": "application/json", Origin: origin, Cookie: c.cookie },
      body: JSON.stringify({ response: resp }) });
  }
  return list;
}

// N reset flows waiting for their email code: 32 accounts, each through
// instructions and credentials in turn, its code read from the Maildir
const codeAccounts = want("email-code") ? Array.from({ length: CONC }, () => subject("unverified", "100000", { tool: false })) : [];
const codes = [];
// (no Maildir yet: no mail delivered so far -- BENCH_ROWS=health,me on a fresh
// stack sends none before this point)
const maildir = () => { try { return readdirSync(`${dir}/mail/new`); } catch (e) { if (e.code === "ENOENT") return []; throw e; } };
const seen = new Set(maildir());
const mailbox = new Map(); // email -> [codes, oldest first]
const mailIds = new Set(); // outbox ids delivered (Message-ID)
function pollMail() {
  for (const f of maildir()) {
    if (seen.has(f)) continue;
    seen.add(f);
    const m = readFileSync(`${dir}/mail/new/${f}`, "utf8");
    const to = m.match(/^To: <([^>]+)>/m), code = m.match(/\b(\d{6})\b/), mid = m.match(/^Message-ID: <(\d+)\./m);
    // on a cluster a mail can be delivered twice (two delivery processes claimed its
    // outbox row through two nodes: at-least-once, README); its copy is not a new code
    if (mid && mailIds.has(mid[1])) continue;
    if (mid) mailIds.add(mid[1]);
    if (to && code && /code/i.test(m)) {
      if (!mailbox.has(to[1])) mailbox.set(to[1], []);
      mailbox.get(to[1]).push(code[1]);
    }
  }
}
async function nextCode(email) {
  for (let i = 0; i < 400; i++) {
    pollMail();
    const q = mailbox.get(email);
    if (q && q.length) return q.shift();
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("bench setup: no code mail for " + email);
}
await Promise.all(codeAccounts.map(async (a) => {
  for (let k = 0; k < Math.ceil(N / CONC); k++) {
    const c = new Client();
    const s = await again(() => c.post("/api/reset", {}));
    await again(() => c.post(`/api/reset/${s.json.id}/agree`, { agree: true }));
    const r = await again(() => c.post(`/api/reset/${s.json.id}/credentials`, { email: a.email, password: DEMO_PASSWORD }));
    if (r.status !== 200) throw new Error("bench setup (credentials): " + r.text);
    const code = await nextCode(a.email);
    codes.push({ path: `/api/reset/${s.json.id}/email-code`, headers: { "Content-Type": "application/json", Origin: origin, Cookie: c.cookie },
      body: JSON.stringify({ code }) });
  }
}));

// The set-up's writes written out before the rows, at every size (as
// run.sh does for a bulk load): thousands of flows, sessions and mails made
// just now leave dirty pages -- more of them the larger the tables, each
// write touching its own index pages -- that InnoDB's adaptive flushing
// writes in bursts for a minute or more, stalling the durable rows' commits
// when one falls inside a row (seen: POST /api/reset's p99 at 29 and 52 ms
// in two 1m runs, 15 ms in a third, p50 flat at 9-10 ms throughout). The
// rows' own writes are still flushed while they run, as on a live system.
// (tests/bench/settle.sh, shared with run.sh; run without blocking the
// event loop: the set-up's keep-alive sockets are used again after it)
console.log((await execFileP(fileURLToPath(new URL("./settle.sh", import.meta.url)), [`${dir}/run/mysqld.sock`, "120", "the set-up"])).stdout.trim());

// ---- the rows ----
if (want("plumbing")) await add("plumbing: GET /api/bench/empty (no database)", () => wrk("/api/bench/empty"), "plumbing");
if (want("health")) await add("GET /api/health", () => wrk("/api/health"), "read");
if (want("me")) await add("GET /api/me (signed in)", () => wrk("/api/me", { headers: { Cookie: me.cookie } }), "read");
if (want("reset")) await add("POST /api/reset (IP budget + INSERT, durable)", () => wrk("/api/reset", { method: "POST", body: "{}", headers: { "Content-Type": "application/json", Origin: origin } }), "write");
if (want("email-code")) await add("POST /api/reset/{id}/email-code (verify, route a case)", () => wrkList(codes), "write");
// made outside the row: its CPU and round-trip figures are the assertions' own, not the options'
if (want("assertion")) {
  const assertions = await makeAssertions();
  await add("POST /api/passkeys/authentication (ES256 check)", () => wrkList(assertions), "assertion");
}
if (want("evidence")) await add(`POST /api/reset/{id}/evidence (${Math.round(shotPng.length / 1024)} KB PNG)`, () => fire(ups, 201), "upload");
else if (withUploads) await fire(ups, 201);
// those cases complete their evidence and wait in the review queue: the queue row reads a real queue
const txJpg = readFileSync(new URL("../vectors/image/corpus/tx-1080x2400.jpg", import.meta.url));
for (const u of forQueue ? ups : []) {
  await fetch(`${base}/api/reset/${u.f.id}/evidence?kind=counterparty_tx&direction=withdrawal&coin=USDT&network=TRX&amount=250&time=2026-11-01T10:30&reference=${"3".repeat(64)}&counterparty=OKX`,
    { method: "POST", headers: { "Content-Type": "image/jpeg", Origin: origin, Cookie: u.f.c.cookie }, body: txJpg });
  await u.f.c.post(`/api/reset/${u.f.id}/evidence/submit`, {});
}
const queuePage = await rc.get("/api/review/queue");
if (forQueue && queuePage.status !== 200) throw new Error(`bench setup (review queue): ${queuePage.status} ${queuePage.text}`);
const queued = queuePage.json?.cases?.length;
if (want("queue")) await add(`GET /api/review/queue (reviewer, ${queued} cases)`, () => wrk("/api/review/queue", { headers: { Cookie: rc.cookie } }), "read",
  rows.filter((r) => r.kind !== "write" && r.kind !== "assertion" && r.kind !== "upload").length);

// issue #21: the rows that grow with the data
// a queue page deep in the backlog: 50 cases a page, followed by the cursor to page 80 (or the last)
let deep = "/api/review/queue?limit=50", depth = 1;
for (; want("queue-deep") && depth < 80; depth++) {
  const page = (await rc.get(deep)).json;
  if (!page.next) break;
  deep = `/api/review/queue?limit=50&after_due=${page.next.after_due}&after_id=${page.next.after_id}`;
}
const total = (await rc.get("/api/review/queue")).json.counts;
if (want("queue-deep")) await add(`GET /api/review/queue page ${depth} (cursor, 50 a page)`, () => wrk(deep, { headers: { Cookie: rc.cookie } }), "read");
// the user's case page, by the private link from the case mail (one of the upload subjects)
const caseMail = !want("case") ? null : await (async () => {
  const email = ups[0].email;
  for (let i = 0; i < 400; i++) {
    for (const f of maildir()) {
      const m = readFileSync(`${dir}/mail/new/${f}`, "utf8");
      const t = m.match(/case\.html\?token=([A-Za-z0-9_-]{43})/);
      if (t && (!email || m.includes(`To: <${email}>`))) return t[1];
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("bench setup: no case mail");
})();
if (want("case")) await add("GET /api/cases/status (the user's case page)", () => wrk(`/api/cases/status?token=${caseMail}`), "read");
// the withdrawal hold of a random account (service token): 5,000 accounts drawn
// from every account there is (not an id range: on Galera ids step by the
// node count, and two ids in three of a range are no account)
const ids = execFileSync("mariadb", ["--socket", `${dir}/run/mysqld.sock`, "-uroot", "-N", "-B", "rekey", "-e", "SELECT id FROM accounts ORDER BY RAND() LIMIT 5000"],
  { encoding: "utf8" }).trim().split("\n").map(Number);
const nAccounts = Number(execFileSync("mariadb", ["--socket", `${dir}/run/mysqld.sock`, "-uroot", "-N", "-B", "rekey", "-e", "SELECT COUNT(*) FROM accounts"],
  { encoding: "utf8" }).trim());
const svc = readFileSync(`${dir}/rekey.conf`, "utf8").match(/^service_token = (.*)$/m)[1];
if (want("holds")) {
  const lua = `${tmp}/holds.lua`;
  writeFileSync(lua, `math.randomseed(os.time())\nlocal ids = {${ids.join(",")}}\nrequest = function() return wrk.format("GET", "/api/holds/withdrawal?account=" .. ids[math.random(#ids)], { ["Authorization"] = "Bearer ${svc}" }) end\n`);
  await add(`GET /api/holds/withdrawal (random account of ${nAccounts})`, () => repeated(() => wrkScript("/", lua)), "read");
}

const plumb = rows.find((r) => r.kind === "plumbing")?.rps ?? NaN;
console.log(`\nthrough nginx -> rekeyd (${process.env.REKEY_WORKERS || 4} workers) -> MariaDB (innodb_flush_log_at_trx_commit=1), ${CONC} connections`);
console.log(`  ${"endpoint".padEnd(54)}${"req/s".padStart(8)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"errors".padStart(7)} ${"x plumbing".padStart(11)}  client`);
for (const r of rows)
  console.log(`  ${r.name.padEnd(54)}${r.rps.toFixed(0).padStart(8)} ${r.p50.toFixed(2).padStart(8)} ${r.p99.toFixed(2).padStart(8)} ${String(r.errors).padStart(7)} ${(Number.isNaN(plumb) ? "-" : (r.rps / plumb).toFixed(2)).padStart(11)}  ${r.tool}`);
console.log(`CPU per request (ms, user + system, from /proc; 10 ms ticks over the row): rekeyd (all processes), mariadbd (${nodeList.length || 1} server${nodeList.length > 1 ? "s" : ""}), nginx; ` +
  "the database round trips per request (statements rekeyd sent: MariaDB's Questions); rekeyd's page faults per request (minor, from /proc)");
console.log(`  ${"endpoint".padEnd(54)}${"rekeyd".padStart(8)} ${"mariadbd".padStart(8)} ${"nginx".padStart(8)} ${"trips".padStart(7)} ${"faults".padStart(7)}`);
for (const r of rows)
  console.log(`  ${r.name.padEnd(54)}${r.cpu.rekeyd.toFixed(3).padStart(8)} ${r.cpu.mariadbd.toFixed(3).padStart(8)} ${r.cpu.nginx.toFixed(3).padStart(8)} ${r.trips.toFixed(1).padStart(7)} ` +
    `${r.cpu.rekeydFaults.toFixed(0).padStart(7)}   (${r.n} requests)`);
if (nodeList.length) {
  console.log(`Galera, per row, summed over the ${nodeList.length} nodes: write-sets replicated, bytes per request, certification failures, BF aborts, flow-control pause`);
  console.log(`  ${"endpoint".padEnd(54)}${"requests".padStart(9)} ${"write-sets".padStart(10)} ${"B/request".padStart(10)} ${"cert fail".padStart(9)} ${"BF abort".padStart(9)} ${"fc paused".padStart(10)}`);
  for (const r of rows)
    console.log(`  ${r.name.padEnd(54)}${String(r.n).padStart(9)} ${String(r.galera.wsrep_replicated).padStart(10)} ${(r.galera.wsrep_replicated_bytes / Math.max(1, r.n)).toFixed(0).padStart(10)} ` +
      `${String(r.galera.wsrep_local_cert_failures).padStart(9)} ${String(r.galera.wsrep_local_bf_aborts).padStart(9)} ${(r.galera.wsrep_flow_control_paused_ns / 1e6).toFixed(0).padStart(7)} ms`);
}
if (process.env.REKEY_BENCH_JSON) writeFileSync(process.env.REKEY_BENCH_JSON, JSON.stringify(rows.map(({ name, rps, p50, p99, n, errors, galera: g, cpu: c, trips }) => ({ name, rps, p50, p99, n, errors, galera: g, cpu: c, trips }))));
const reads = rows.filter((r) => r.kind === "read"), writes = rows.filter((r) => r.kind === "write"), as = rows.find((r) => r.kind === "assertion");
const verdict = (ok) => (ok ? "met" : "NOT met");
const up = rows.find((r) => r.kind === "upload");
console.log("targets on this machine:");
if (reads.length && !Number.isNaN(plumb))
  console.log(`  reads >= 50% of the plumbing limit: ${verdict(reads.every((r) => r.rps >= 0.5 * plumb))} (${reads.map((r) => `${Math.round(100 * r.rps / plumb)}%`).join(", ")})`);
if (writes.length)
  console.log(`  durable writes >= 2000 req/s at p99 <= 25 ms: ${verdict(writes.every((r) => r.rps >= 2000 && r.p99 <= 25))} (${writes.map((r) => `${r.rps.toFixed(0)} req/s, p99 ${r.p99.toFixed(1)} ms`).join("; ")})`);
const health = rows.find((r) => r.name === "GET /api/health"), meRow = rows.find((r) => r.name.startsWith("GET /api/me"));
if (health && meRow)
  console.log(`  GET /api/me >= 60% of GET /api/health (issue #21): ${verdict(meRow.rps >= 0.6 * health.rps)} (${Math.round(100 * meRow.rps / health.rps)}%)`);
if (as) console.log(`  assertion checks >= 2000 req/s end to end: ${verdict(as.rps >= 2000)} (${as.rps.toFixed(0)} req/s)`);
if (up) console.log(`  evidence uploads >= 50/s (issue #21: 2x the 25/s of its filing): ${verdict(up.rps >= 50)} (${up.rps.toFixed(1)}/s, p99 ${up.p99.toFixed(0)} ms)`);
