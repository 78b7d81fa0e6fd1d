// run.mjs -- `make reliability` (tests/reliability/run.sh starts the stack):
// the database killed under a write load, workers killed under load, races
// repeated, a hostile-input corpus across every route. Prints figures; exits
// non-zero when a check fails. Options: --short (the version make test runs),
// --control (innodb_flush_log_at_trx_commit=0: the harness must see losses),
// --cluster (the stack is `stack.sh cluster`: three Galera nodes, two rekeyd;
// the races run across both, one node is killed and rejoins, checksums compare).
import { loadavg } from "node:os";
import { execFileSync, execFile } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { promisify } from "node:util";
import { performance } from "node:perf_hooks";
import { Client, sql, ctl, base, origin, dir, stackCmd, newAccount, raw, codeMail, mails, totp, base32Decode } from "../node/stack.mjs";
import { subject, routed, toEmailCode, correct } from "../node/reset-helpers.mjs";
import { reviewer, documentsCase, decide } from "../node/review-helpers.mjs";
import { SoftAuthenticator } from "../node/authenticator.mjs";

const short = process.argv.includes("--short");
const control = process.argv.includes("--control");
const cluster = process.argv.includes("--cluster");
const REPS = short ? 5 : 100;
// repetitions run this many at a time (each its own account, flow or case): on
// the cluster the 600 repetitions were most of the run's time, spent waiting
// (mail, sign-ins, round trips), not computing. The assertion replays and the
// review decisions share an account or reviewers, and stay one at a time.
const PARALLEL = Number(process.env.RELIABILITY_PARALLEL || (cluster ? 4 : 1));
const failures = [];
const line = (s) => console.log("  " + s);
const check = (ok, what) => { if (!ok) failures.push(what); line(`${ok ? "ok  " : "FAIL"} ${what}`); };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.now();

async function health() {
  try { return (await fetch(base + "/api/health")).status === 200; } catch { return false; }
}
async function waitHealthy(ms = 30000) {
  const end = Date.now() + ms;
  while (Date.now() < end) { if (await health()) return true; await sleep(100); }
  return false;
}

// ---- a write load: reset starts and their "I agree" steps, every 2xx remembered ----
function writeLoad(conc = 16) {
  // an id answered twice means the first write was lost and its id reused
  const st = { stop: false, started: new Map(), agreed: new Set(), answers: [], promises: [], reused: 0 };
  const record = (status, t) => st.answers.push({ status, t });
  for (let i = 0; i < conc; i++) st.promises.push((async () => {
    while (!st.stop) {
      const c = new Client();
      let r;
      const t = now();
      try { r = await c.post("/api/reset", {}); } catch { record(0, t); await sleep(20); continue; }
      record(r.status, t);
      if (r.status !== 201) { await sleep(20); continue; }
      if (st.started.has(r.json.id)) st.reused++;
      st.started.set(r.json.id, t);
      const t2 = now();
      try { r = await c.post(`/api/reset/${r.json.id}/agree`, { agree: true }); } catch { record(0, t2); continue; }
      record(r.status, t2);
      if (r.status === 200) st.agreed.add(r.json.id);
    }
  })());
  return st;
}

// every 2xx write in the database? (ids in chunks)
// (q: the SQL of one node of a cluster; the stack's database by default)
function lostWrites(st, q = sql) {
  const ids = [...st.started.keys()];
  const states = new Map();
  for (let i = 0; i < ids.length; i += 500)
    for (const [id, s] of q(`SELECT id, state FROM reset_flows WHERE id IN (${ids.slice(i, i + 500).join(",")})`)) states.set(Number(id), s);
  const lostStarts = ids.filter((id) => !states.has(id)).length;
  const lostAgrees = [...st.agreed].filter((id) => states.get(id) !== "credentials").length;
  return { lostStarts: lostStarts + st.reused, lostAgrees, starts: ids.length + st.reused, agrees: st.agreed.size };
}

function outsideWindows(st, windows, grace = 1500) {
  return st.answers.filter((a) => (a.status === 0 || a.status >= 500) &&
    !windows.some(([d, u]) => a.t >= d - 50 && a.t <= u + grace));
}

// Email-code submissions and review decisions in the same load: made ready
// first, then sent one after the other, retried while the database is down.
async function readyCodes(n) {
  const out = [];
  for (let i = 0; i < n; i++) {
    const a = subject("unverified", "100000", { tool: false });
    const f = await toEmailCode(a.email);
    out.push({ f, code: await codeMail(a.email, f.before) });
  }
  return out;
}
async function untilAnswered(fn) {
  for (;;) {
    let r;
    try { r = await fn(); } catch { r = { status: 0 }; }
    if (r.status !== 0 && r.status !== 503) return r;
    await sleep(100);
  }
}
function sideLoad(st, codes, cases, rv) {
  st.codesOk = [];
  st.decided = [];
  st.sideOther = {};
  const other = (what, r) => { const k = `${what} ${r.status} ${r.json?.error?.code || ""}`; st.sideOther[k] = (st.sideOther[k] || 0) + 1; };
  st.promises.push((async () => {
    for (const x of codes) {
      if (st.stop) break;
      const r = await untilAnswered(() => x.f.c.post(`/api/reset/${x.f.id}/email-code`, { code: x.code }));
      if (r.status === 200) st.codesOk.push(x.f.id); else other("code", r);
      await sleep(400); // spread over the outages
    }
  })());
  st.promises.push((async () => {
    for (const id of cases) {
      if (st.stop) break;
      const c = await untilAnswered(() => rv.c.post(`/api/review/cases/${id}/claim`));
      if (c.status !== 200) { other("claim", c); continue; }
      const r = await untilAnswered(() => decide(rv.c, id, "reject", "evidence_unreadable", "The screenshot cannot be read."));
      if (r.status === 200) st.decided.push(id); else other("decision", r);
      await sleep(800);
    }
  })());
}

async function dbKills(kills) {
  console.log(`\n== the database killed ${kills} times under a write load${control ? " (control: innodb_flush_log_at_trx_commit=0)" : ""}`);
  const codes = await readyCodes(short ? 10 : 40);
  const rv = await reviewer();
  const cases = [];
  for (let i = 0; i < (short ? 5 : 20); i++) cases.push((await documentsCase()).caseId);
  const st = writeLoad();
  sideLoad(st, codes, cases, rv);
  const windows = [];
  await sleep(1000);
  for (let k = 0; k < kills; k++) {
    const pid = readFileSync(`${dir}/run/mysqld.pid`, "utf8").trim();
    const down = now();
    execFileSync("kill", ["-9", pid]);
    for (let i = 0; i < 100; i++) { try { execFileSync("kill", ["-0", pid], { stdio: "ignore" }); await sleep(20); } catch { break; } }
    execFileSync("rm", ["-f", `${dir}/run/mysqld.pid`]);
    stackCmd("db-start");
    await waitHealthy();
    windows.push([down, now()]);
    await sleep(short ? 600 : 1200);
  }
  st.stop = true;
  await Promise.all(st.promises);
  await waitHealthy();
  const l = lostWrites(st);
  const by = {};
  for (const a of st.answers) by[a.status] = (by[a.status] || 0) + 1;
  const downMs = windows.reduce((x, [d, u]) => x + (u - d), 0);
  line(`${l.starts} reset starts and ${l.agrees} agree steps answered 2xx; answers by status ${JSON.stringify(by)}; down ${(downMs / 1000).toFixed(1)} s in ${kills} outages`);
  const lostCodes = st.codesOk.filter((id) => sql(`SELECT state FROM reset_flows WHERE id = ${id}`)[0]?.[0] === "email_code" ||
    !sql(`SELECT id FROM reset_flows WHERE id = ${id}`).length).length;
  const lostDecisions = st.decided.filter((id) => sql(`SELECT COUNT(*) FROM review_decisions WHERE case_id = ${id}`)[0][0] !== "1" ||
    sql(`SELECT status FROM reset_cases WHERE id = ${id}`)[0][0] !== "rejected").length;
  line(`and ${st.codesOk.length} email codes and ${st.decided.length} review decisions answered 2xx (sent one by one, retried while down)` +
    (Object.keys(st.sideOther).length ? `; other answers: ${JSON.stringify(st.sideOther)}` : ""));
  check(!Object.keys(st.sideOther).some((k) => / 5\d\d /.test(k)), "no 5xx among the code submissions and decisions");
  line(`lost after restart: ${l.lostStarts} starts, ${l.lostAgrees} agree steps, ${lostCodes} code submissions, ${lostDecisions} decisions`);
  l.lostAgrees += lostCodes + lostDecisions;
  const stray = outsideWindows(st, windows);
  if (stray.length) line(`     outside: ${stray.slice(0, 8).map((a) => `${a.status} sent at ${((a.t - windows[0][0]) / 1000).toFixed(2)} s`).join(", ")} (from the first kill; ` +
    `windows ${windows.map(([d, u]) => `${((d - windows[0][0]) / 1000).toFixed(2)}-${((u - windows[0][0]) / 1000).toFixed(2)}`).join(", ")}; load ${loadavg()[0].toFixed(1)})`);
  if (control) {
    check(l.lostStarts + l.lostAgrees > 0, `control run: the harness sees losses when commits are not flushed (${l.lostStarts + l.lostAgrees} lost)`);
  } else {
    check(l.lostStarts + l.lostAgrees === 0, "every write answered 2xx survived the kills");
    check(stray.length === 0, `5xx or no answer only while the database was down (${stray.length} outside)`);
    check(st.answers.filter((a) => a.status >= 500 && a.status !== 503).length === 0, "the client saw 503 (not 500) while it was down");
  }
}

function workers() {
  const sup = readFileSync(`${dir}/run/rekeyd.pid`, "utf8").trim();
  return execFileSync("ps", ["-o", "pid=", "--ppid", sup], { encoding: "utf8" }).trim().split(/\s+/).filter(Boolean);
}

async function workerKills(kills) {
  console.log(`\n== rekeyd workers killed ${kills} times under load`);
  const before = workers().length;
  const restarts0 = (readFileSync(`${dir}/log/rekeyd.log`, "utf8").match(/ended \(status \d+\); restarting/g) || []).length;
  const st = writeLoad();
  // and screenshot uploads, which keep a worker busy for tens of milliseconds: kills land mid-request
  const shot = readFileSync(new URL("../vectors/image/corpus/email-1080x2400.png", import.meta.url));
  const flows = [];
  for (let i = 0; i < 4; i++) {
    const f = await routed(subject("unverified", "100000", { tool: false }));
    if (f.routed.state === "questions_attention") await f.c.post(`/api/reset/${f.id}/documents`, {});
    flows.push(f);
  }
  const uploads = { ok: new Set(), cut: 0, other: 0 };
  const upLoops = flows.map(async (f) => {
    while (!st.stop) {
      try {
        const res = await fetch(`${base}/api/reset/${f.id}/evidence?kind=operator_email&email_kind=withdrawal`, {
          method: "POST", headers: { Origin: origin, Cookie: f.c.cookie, "Content-Type": "image/png" }, body: shot });
        const j = await res.json().catch(() => null);
        if (res.status === 201) uploads.ok.add(j.id);
        else if (res.status >= 500) uploads.cut++;
        else uploads.other++;
      } catch { uploads.cut++; }
    }
  });
  const windows = [];
  await sleep(500);
  for (let k = 0; k < kills; k++) {
    const w = workers();
    const victim = w[k % w.length];
    const t = now();
    execFileSync("kill", ["-9", victim]);
    windows.push([t, t + 300]);
    await sleep(short ? 300 : 500);
  }
  st.stop = true;
  await Promise.all([...st.promises, ...upLoops]);
  await sleep(1000);
  const l = lostWrites(st);
  const caseIds = flows.map((f) => f.routed.case).join(",");
  const stored = sql(`SELECT id FROM evidence WHERE case_id IN (${caseIds})`).map((r) => Number(r[0]));
  const torn = sql(`SELECT COUNT(*) FROM evidence WHERE case_id IN (${caseIds}) AND (LENGTH(original_sealed) = 0 OR LENGTH(canonical_sealed) = 0)`)[0][0];
  line(`uploads: ${uploads.ok.size} stored (201), ${uploads.cut} cut by a kill (5xx or no answer), ${uploads.other} refused as duplicates or over the limit`);
  check([...uploads.ok].every((id) => stored.includes(id)) && torn === "0", "every upload answered 201 is stored with both blobs; no torn row");
  const errs = st.answers.filter((a) => a.status === 0 || a.status >= 500).length;
  line(`${l.starts} starts and ${l.agrees} agree steps answered 2xx; ${errs} requests failed (cut by a kill)`);
  const restarts = (readFileSync(`${dir}/log/rekeyd.log`, "utf8").match(/ended \(status \d+\); restarting/g) || []).length - restarts0;
  check(restarts === kills && workers().length === before, `the supervisor restarted every killed process (${restarts} restarts for ${kills} kills; ${workers().length} of ${before} running)`);
  check(l.lostStarts + l.lostAgrees === 0, "no write answered 2xx was lost");
  const half = sql("SELECT COUNT(*) FROM reset_flows WHERE state NOT IN ('instructions', 'credentials', 'email_code', 'route', 'questions_attention', 'questions', 'questions_failed', 'face', 'documents', 'under_review', 'needs_more_info', 'reset_done', 'rejected', 'dead', 'expired')")[0][0];
  check(half === "0", "every flow is in a state of the core's table");
  const audit = execFileSync(`${process.env.BUILD || new URL("../../build", import.meta.url).pathname}/rekeyctl`, ["-c", `${dir}/rekey.conf`, "audit-verify"], { encoding: "utf8" }).trim();
  check(/every chain intact/.test(audit), `the audit chains are intact (${audit})`);
}

// ---- a cluster (stack.sh cluster): nodes, the two rekeyd's shares, conflicts ----
const nodes = () => readFileSync(`${dir}/nodes`, "utf8").trim().split("\n").map((l) => {
  const [name, sock, port, pid] = l.split(" ");
  return { name, sock, port, pid };
});
function nodeSql(n, q) {
  const out = execFileSync("mariadb", ["--socket", n.sock, "-uroot", "-N", "-B", "rekey", "-e", q], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  return out.trim() === "" ? [] : out.trim().split("\n").map((l) => l.split("\t"));
}
function wsrep(n) { // { state, size, ready } or null when the node does not answer
  try {
    const v = Object.fromEntries(nodeSql(n, "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_local_state_comment', 'wsrep_cluster_size', 'wsrep_ready')"));
    return { state: v.wsrep_local_state_comment, size: Number(v.wsrep_cluster_size), ready: v.wsrep_ready };
  } catch { return null; }
}
const logLines = (f, re) => { try { return (readFileSync(`${dir}/log/${f}`, "utf8").match(re) || []).length; } catch { return 0; } };
// requests each rekeyd answered (its access log) and the transaction conflicts it logged
const served = () => [logLines("access.log", /\n/g), logLines("access2.log", /\n/g)];
const conflicts = () => logLines("rekeyd.log", /transaction conflict/g) + logLines("rekeyd2.log", /transaction conflict/g);
// transactions the witness (db_tx_witness, #15) found rolled back with no error reported
const unreported = () => logLines("rekeyd.log", /rolled back under it with no error reported/g) + logLines("rekeyd2.log", /rolled back under it with no error reported/g);
// ... and which routes they were, and when found: "POST /api/x (before COMMIT)" per catch, per log
const catchesOf = () => ["rekeyd.log", "rekeyd2.log"].map((f) => {
  try {
    return [...readFileSync(`${dir}/log/${f}`, "utf8").matchAll(/transaction of (\S+ \S+) was rolled back under it with no error reported, found (.+?) \(\d+ in this/g)]
      .map((m) => `${m[1]} (${m[2]})`);
  } catch { return []; }
});
const catchesSince = (before) => {
  const by = {};
  catchesOf().forEach((l, i) => l.slice(before[i].length).forEach((k) => { by[k] = (by[k] || 0) + 1; }));
  return Object.entries(by).sort((x, y) => y[1] - x[1]).map(([k, n]) => `${n}× ${k}`).join("; ");
};
function shares(before) {
  const now2 = served();
  return [now2[0] - before[0], now2[1] - before[1]];
}

async function clusterUp() {
  console.log("\n== the cluster: three Galera nodes, two rekeyd behind one nginx upstream");
  const st = nodes().map((n) => [n.name, wsrep(n)]);
  line(st.map(([name, w]) => `${name} ${w ? `${w.state} (cluster size ${w.size})` : "down"}`).join("; "));
  check(st.length === 3 && st.every(([, w]) => w && w.state === "Synced" && w.size === 3 && w.ready === "ON"), "three nodes Synced, wsrep_cluster_size 3");
  const seen = new Set();
  for (let i = 0; i < 12; i++) {
    const r = await fetch(base + "/api/health");
    const j = await r.json();
    if (r.status === 200 && j.node && j.node.wsrep && j.node.state === "Synced") seen.add(j.node.name);
  }
  check(seen.has("node1") && seen.has("node2"), `/api/health through nginx reaches both rekeyd, on node1 and node2 (${[...seen].sort().join(", ")})`);
}

// one account with one passkey and TOTP, its delete flow at the second factor
async function deleteFlowAtSecondFactor() {
  const { email, id } = newAccount("cdel");
  const c = new Client();
  const si = await c.signIn(email); // through either rekeyd, and so either node, right after the account was made through node1
  if (si.status !== 200) throw new Error(`delete flow set-up: sign-in ${si.status} ${si.text}`);
  const auth = new SoftAuthenticator({ origin });
  const o = await c.post("/api/passkeys/registration/options", {});
  const pk = await c.post("/api/passkeys/registration", { response: auth.create(o.json), name: "Key" });
  const s = await c.post("/api/totp/setup", {});
  const secret = base32Decode(s.json.secret);
  await c.post("/api/totp/confirm", { code: totp(secret) });
  const before = mails(email).length;
  const start = await c.post(`/api/passkeys/${pk.json.id}/delete`, {});
  const flow = start.json.id;
  await c.post(`/api/delete-flows/${flow}/next`, {});
  const code = await codeMail(email, before);
  const r = await c.post(`/api/delete-flows/${flow}/email-code`, { code });
  if (r.status !== 200) throw new Error(`delete flow set-up: ${r.status} ${r.text}`);
  return { c, id, flow, secret };
}

// ---- races, each repeated ----
// the answers of the repetitions that failed, for the report
let failedReps = [];
function tally(rs, extra = "") {
  const by = {};
  for (const r of rs) { const k = `${r.status}${r.json?.error?.code ? " " + r.json.error.code : ""}`; by[k] = (by[k] || 0) + 1; }
  failedReps.push(`${JSON.stringify(by)}${extra ? " " + extra : ""}`);
}
// REPS repetitions of fn, `parallel` at a time; fn answers whether its repetition held
async function repeat(fn, parallel = PARALLEL) {
  let next = 0, ok = 0;
  await Promise.all(Array.from({ length: Math.max(1, parallel) }, async () => {
    while (next < REPS) { next++; if (await fn()) ok++; }
  }));
  return ok;
}
function why() {
  if (failedReps.length) line(`     failed repetitions: ${failedReps.slice(0, 3).join("; ")}`);
  failedReps = [];
}
async function races() {
  console.log(`\n== races, each repeated ${REPS} times (${PARALLEL} at a time where each has its own account)${cluster ? ", the requests split over both rekeyd (and so node1 and node2)" : ""}`);
  const split = (what, before) => { if (cluster) { const [a, b] = shares(before); check(a > 0 && b > 0, `${what}: both rekeyd answered (${a} and ${b} requests)`); } };
  let sv = served(), c0 = conflicts(), u0 = unreported(), k0 = catchesOf();
  let ok = 0, worst = 0;
  ok = await repeat(async () => {
    const a = subject("unverified", "100000", { tool: false });
    const f = await toEmailCode(a.email);
    const code = await codeMail(a.email, f.before);
    const rs = await Promise.all(Array.from({ length: 50 }, () => f.c.post(`/api/reset/${f.id}/email-code`, { code })));
    const wins = rs.filter((r) => r.status === 200).length;
    worst = Math.max(worst, wins);
    if (wins === 1 && rs.every((r) => r.status < 500)) return true;
    tally(rs); return false;
  });
  why();
  check(ok === REPS, `50 parallel submissions of one email code: one success in ${ok} of ${REPS} (most successes at once: ${worst})`);
  split("email codes", sv); sv = served();

  ok = await repeat(async () => {
    const a = subject("unverified", "100000", { tool: false });
    const f1 = await toEmailCode(a.email);
    const c1 = await codeMail(a.email, f1.before);
    const f2 = await toEmailCode(a.email);
    const c2 = await codeMail(a.email, f2.before);
    const rs = await Promise.all([f1.c.post(`/api/reset/${f1.id}/email-code`, { code: c1 }), f2.c.post(`/api/reset/${f2.id}/email-code`, { code: c2 })]);
    const cases = sql(`SELECT COUNT(*) FROM reset_cases WHERE account_id = ${a.id}`)[0][0];
    if (cases === "1" && rs.every((r) => r.status === 200) && rs[0].json.case === rs[1].json.case) return true;
    tally(rs, `cases ${cases}`); return false;
  });
  why();
  check(ok === REPS, `2 concurrent reset starts for one account: one case in ${ok} of ${REPS}`);
  split("reset starts", sv); sv = served();

  let most = 0;
  ok = await repeat(async () => {
    const a = subject();
    const f = await routed(a);
    const q = await f.c.post(`/api/reset/${f.id}/questions`, {});
    if (q.status !== 200) { failedReps.push(`questions ${q.status} ${q.text.slice(0, 120)}`); return false; }
    const wrong = q.json.questions.map((x) => { const c = correct(a.id, x); return x.options.map((o) => o.id).filter((k) => !c.includes(k)).slice(0, 1); });
    const rs = await Promise.all(Array.from({ length: 20 }, () => f.c.post(`/api/reset/${f.id}/answers`, { answers: wrong })));
    const attempts = Number(sql(`SELECT questions_attempts FROM reset_cases WHERE account_id = ${a.id}`)[0][0]);
    most = Math.max(most, attempts);
    if (attempts <= 3 && attempts >= 1 && rs.every((r) => r.status < 500)) return true;
    tally(rs, `attempts ${attempts}`); return false;
  });
  why();
  check(ok === REPS, `20 parallel security-question answers: at most 3 attempts counted in ${ok} of ${REPS} (most counted: ${most})`);
  split("question answers", sv); sv = served();

  ok = 0;
  const r1 = await reviewer(), r2 = await reviewer();
  for (let i = 0; i < REPS; i++) {
    const { caseId } = await documentsCase();
    await Promise.all([r1.c.post(`/api/review/cases/${caseId}/claim`), r2.c.post(`/api/review/cases/${caseId}/claim`)]);
    const rs = await Promise.all([decide(r1.c, caseId, "reject", "evidence_forged", "No."), decide(r2.c, caseId, "approve", "evidence_consistent"),
      decide(r1.c, caseId, "approve", "evidence_consistent"), decide(r2.c, caseId, "reject", "evidence_forged", "No.")]);
    const n = sql(`SELECT COUNT(*) FROM review_decisions WHERE case_id = ${caseId}`)[0][0];
    if (n === "1" && rs.filter((r) => r.status === 200).length === 1 && rs.every((r) => r.status < 500)) ok++; else tally(rs, `decisions ${n}`);
  }
  why();
  check(ok === REPS, `two reviewers deciding one case: one decision in ${ok} of ${REPS}`);
  split("review decisions", sv); sv = served();
  if (!cluster) return;

  let mostWins = 0;
  ok = await repeat(async () => {
    let d;
    try { d = await deleteFlowAtSecondFactor(); } catch (e) { failedReps.push(String(e.message).slice(0, 160)); return false; }
    const code = totp(d.secret, 1);
    const rs = await Promise.all(Array.from({ length: 10 }, () => d.c.post(`/api/delete-flows/${d.flow}/verify`, { method: "totp", code })));
    // the rows as every node has them: the query waits until the node has applied what the cluster committed
    const counts = nodes().map((n) => nodeSql(n, `SET SESSION wsrep_sync_wait = 1; SELECT (SELECT COUNT(*) FROM passkeys WHERE account_id = ${d.id} AND suspended_until IS NULL), ` + /* deleted: suspended (#18) */
      `(SELECT COUNT(*) FROM holds WHERE account_id = ${d.id} AND reason = 'passkey_deleted'), ` +
      `(SELECT COUNT(*) FROM audit_log WHERE chain_id = ${d.id} AND event = 'passkey_deleted')`)[0].join(" "));
    // the answers: one 200 (the deletion), every other one says the flow has ended
    const wins = rs.filter((r) => r.status === 200);
    const ended = rs.filter((r) => (r.status === 409 || r.status === 410) && r.json?.error?.code === "flow_finished").length;
    mostWins = Math.max(mostWins, wins.length);
    if (wins.length === 1 && wins[0].json.state === "deleted" && ended === rs.length - 1 && counts.every((c) => c === "0 1 1")) return true;
    tally(rs, `passkeys, holds, audit entries on node1/node2/node3: ${counts.join(" / ")}`); return false;
  });
  why();
  check(ok === REPS, `10 parallel completions of one delete flow: one 200, nine 'flow_finished' (409/410), one deletion, one hold, one audit entry on every node in ${ok} of ${REPS} (most 200s at once: ${mostWins})`);
  split("delete completions", sv); sv = served();

  ok = 0;
  {
    const { email, id } = newAccount("crpl");
    const c = new Client();
    await c.signIn(email);
    const auth = new SoftAuthenticator({ origin });
    const o = await c.post("/api/passkeys/registration/options", {});
    await c.post("/api/passkeys/registration", { response: auth.create(o.json), name: "Key" });
    for (let i = 0; i < REPS; i++) {
      const b = new Client();
      const opts = (await b.post("/api/passkeys/authentication/options", {})).json;
      const resp = auth.get(opts);
      const replayer = new Client();
      replayer.cookie = b.cookie;
      const n0 = Number(sql(`SELECT COUNT(*) FROM sessions WHERE account_id = ${id}`)[0][0]);
      const rs = await Promise.all([b, replayer, b, replayer].map((x) => x.post("/api/passkeys/authentication", { response: resp })));
      const n1 = Number(sql(`SELECT COUNT(*) FROM sessions WHERE account_id = ${id}`)[0][0]);
      if (rs.filter((r) => r.status === 200).length === 1 && rs.every((r) => r.status < 500) && n1 === n0 + 1) ok++; else tally(rs, `sessions +${n1 - n0}`);
    }
  }
  why();
  check(ok === REPS, `one passkey assertion replayed 4 times at once: one session in ${ok} of ${REPS}`);
  split("assertion replays", sv);
  const audit = ctl("audit-verify").trim();
  check(/every chain intact/.test(audit), `the audit chains are intact with appends through both nodes (${audit})`);
  line(`transaction conflicts (deadlocks, certification failures) rolled back and retried during the races: ${conflicts() - c0}`);
  // the witness is on by itself on Galera: every rekeyd process that wrote has its row, moved during the races
  const w = cluster ? Number(sql("SELECT COUNT(*) FROM tx_witness WHERE at > UTC_TIMESTAMP(6) - INTERVAL 10 MINUTE")[0][0]) : 0;
  if (cluster) check(w >= 2, `the write transactions' witness was on in both rekeyd (${w} processes' rows written); ` +
    `transactions it found rolled back with no error reported, run again: ${unreported() - u0}` +
    (unreported() > u0 ? ` (${catchesSince(k0)})` : ""));
}

// ---- one node killed under a write load, restarted, rejoining by IST ----
function checksumsPerNode() {
  const t = tables();
  return nodes().map((n) => nodeSql(n, `CHECKSUM TABLE ${t.join(", ")}`).map((r) => r.join(" ")).join("\n"));
}
async function waitSynced(n, ms = 120000) {
  const end = Date.now() + ms;
  while (Date.now() < end) { const w = wsrep(n); if (w && w.state === "Synced" && w.size === 3) return true; await sleep(200); }
  return false;
}
const givenUp = () => logLines("rekeyd.log", /given up \(503\)/g) + logLines("rekeyd2.log", /given up \(503\)/g);
async function nodeKills(kills) {
  console.log(`\n== a database node killed (kill -9) ${kills} time(s) under a write load through both rekeyd, restarted, rejoining by IST`);
  const st = writeLoad(8);
  const windows = [];
  const c0 = conflicts(), g0 = givenUp();
  await sleep(1000);
  for (let k = 0; k < kills; k++) {
    const n = nodes()[k % 3];
    const pid = readFileSync(n.pid, "utf8").trim();
    const down = now();
    execFileSync("kill", ["-9", pid]);
    for (let i = 0; i < 100; i++) { try { execFileSync("kill", ["-0", pid], { stdio: "ignore" }); await sleep(20); } catch { break; } }
    await sleep(1000); // the load runs on two nodes
    const t0 = now();
    const logf = n.sock.replace(/mysqld\.sock$/, "mariadb.log"), at = statSync(logf).size;
    // not execFileSync: the load keeps running while the node rejoins
    await promisify(execFile)(new URL("../../cgi/ops/stack.sh", import.meta.url).pathname, ["node-start", dir, n.name.replace("node", "")]).catch(() => null);
    const synced = await waitSynced(n);
    const tail = readFileSync(logf, "utf8").slice(at);
    const how = /IST received/.test(tail) ? "by IST" : /SST received|SST succeeded/.test(tail) ? "by SST" : "state transfer not seen in its log";
    line(`${n.name} killed; restarted and ${synced ? "Synced" : "NOT Synced"} ${((now() - t0) / 1000).toFixed(1)} s later (${how})`);
    check(synced, `${n.name} rejoined the cluster and is Synced`);
    windows.push([down, now()]);
    await sleep(1000);
  }
  st.stop = true;
  await Promise.all(st.promises);
  await sleep(500);
  const per = nodes().map((n) => lostWrites(st, (q) => nodeSql(n, q)));
  const l = per[0];
  const by = {};
  for (const a of st.answers) by[a.status] = (by[a.status] || 0) + 1;
  line(`${l.starts} reset starts and ${l.agrees} agree steps answered 2xx; answers by status ${JSON.stringify(by)}; ${conflicts() - c0} transaction conflicts retried`);
  check(per.every((x) => x.lostStarts + x.lostAgrees === 0),
    `every write answered 2xx is on every node (lost on node1/node2/node3: ${per.map((x) => `${x.lostStarts}+${x.lostAgrees}`).join(" / ")} starts+agree steps)`);
  check(st.answers.filter((a) => a.status >= 500 && a.status !== 503).length === 0, "no 5xx but 503 while a node went away");
  // a request in flight when the node died started before it (and may have retried with back-off)
  const stray = outsideWindows(st, windows.map(([d, u]) => [d - 500, u]));
  // and the 503s of requests that met a conflict at every try (hot rows: the per-IP rate-limit window), as rekeyd logged them
  const gaveUp = givenUp() - g0;
  if (stray.length) line(`     outside: ${stray.slice(0, 8).map((a) => `${a.status} at ${((a.t - windows[0][0]) / 1000).toFixed(2)} s`).join(", ")} (from the first kill; windows ${windows.map(([d, u]) => `${((d - windows[0][0]) / 1000).toFixed(2)}-${((u - windows[0][0]) / 1000).toFixed(2)}`).join(", ")})`);
  check(stray.every((a) => a.status === 503) && stray.length <= gaveUp,
    `503 or no answer only while a node was down or rejoining, or after a conflict at every try (${stray.length} outside the outages; ${gaveUp} given up after conflicts)`);
  // every node holds the same rows: per-table checksums, once the last writes are applied everywhere
  let sums = null, same = false;
  for (let i = 0; i < 30 && !same; i++) {
    await sleep(i ? 1000 : 300);
    sums = checksumsPerNode();
    same = sums.every((x) => x === sums[0]);
  }
  const counts = nodes().map((n) => nodeSql(n, "SELECT COUNT(*) FROM reset_flows")[0][0]);
  line(`per-table checksums of ${tables().length} tables on node1, node2, node3: ${same ? "equal" : "DIFFERENT"}; reset_flows rows ${counts.join(" / ")}`);
  if (!same) line(sums.map((x, i) => `node${i + 1}:\n${x}`).join("\n"));
  check(same, "CHECKSUM TABLE equal on all three nodes");
}

// ---- hostile input across every route ----
function tables() {
  return sql("SELECT table_name FROM information_schema.tables WHERE table_schema = 'rekey' AND table_type = 'BASE TABLE' ORDER BY table_name").map((r) => r[0]);
}
// rate_limits is left out: counting refused attempts (per IP, per email) is what it is for
const checksums = () => sql(`CHECKSUM TABLE ${tables().filter((t) => t !== "rate_limits").join(", ")}`).map((r) => r.join(" ")).join("\n");


async function hostile() {
  console.log("\n== hostile input across every route");
  const user = new Client();
  const a = newAccount("hostile");
  await user.signIn(a.email);
  const rv = await reviewer();
  const doc = (await routed(subject("unverified", "100000", { tool: false }))); // a flow waiting for screenshots (Case 3 or questions)
  const routes = ctl("routes").trim().split("\n").map((l) => { const [m, p] = l.split(" "); return { m, p: p.replace("{id}", "1") }; });
  const b64 = (s) => Buffer.from(s).toString("base64url");
  const badCred = (over) => JSON.stringify({ response: { id: "AAAA", rawId: "AAAA", type: "public-key", response: { clientDataJSON: b64("{}"),
    authenticatorData: b64("x"), signature: b64("x"), attestationObject: b64("\xa1\x63fmt"), ...over }, clientExtensionResults: {} } });
  const bodies = [
    ["not JSON", "{"], ["array", "[1,2]"], ["string", "\"x\""], ["number", "1e999999"],
    ["deep nesting", "[".repeat(5000) + "]".repeat(5000)],
    ["deep objects", "{\"a\":".repeat(3000) + "1" + "}".repeat(3000)],
    ["duplicate keys", "{\"email\":\"a@b.co\",\"email\":\"c@d.co\"}"],
    ["unknown field", "{\"admin\":true}"],
    ["wrong types", "{\"email\":42,\"password\":[],\"code\":123456,\"token\":{},\"agree\":\"yes\",\"decision\":1}"],
    ["huge integer", "{\"score\":99999999999999999999999,\"code\":\"1\"}"],
    ["NUL", "{\"email\":\"a\\u0000@b.co\",\"token\":\"a\\u0000b\"}"],
    ["overlong", JSON.stringify({ email: "a".repeat(5000) + "@b.co", token: "t".repeat(5000), note_user: "n".repeat(5000), code: "1".repeat(500) })],
    ["SQL", JSON.stringify({ email: "x' OR '1'='1@b.co", password: "'; DROP TABLE accounts; --", token: "' OR 1=1 --", reason: "x'--" })],
    ["HTML", JSON.stringify({ email: "<script>@x.co", name: "<img src=x onerror=alert(1)>", token: "<svg/onload=1>" })],
    ["bad base64url", JSON.stringify({ response: { id: "!!!", rawId: "a+b/c==", type: "public-key", response: { clientDataJSON: "***" } } })],
    ["bad CBOR", badCred({})],
    ["truncated CBOR", badCred({ attestationObject: b64("\xa3\x63fmt\x64none\x67attStmt") })],
  ];
  // each route's body fields, from the OpenAPI document the server serves
  const doc2 = await (await fetch(base + "/api/openapi.json")).json();
  const fieldsOf = {};
  const optionalOnly = new Set(); // {} and nulls are valid bodies there
  for (const [p, ops] of Object.entries(doc2.paths))
    for (const [m, op] of Object.entries(ops)) {
      const props = op.requestBody?.content?.["application/json"]?.schema?.properties;
      if (props && Object.keys(props).length) fieldsOf[`${m.toUpperCase()} ${p.replace("{id}", "1")}`] = Object.keys(props);
      if (!(op.requestBody?.content?.["application/json"]?.schema?.required || []).length) optionalOnly.add(`${m.toUpperCase()} ${p.replace("{id}", "1")}`);
    }
  const shaped = [["NUL", "a\u0000b"], ["overlong", "x".repeat(70000)], ["number", 1e308], ["null", null], ["array", ["x"]],
    ["object", { $gt: "" }], ["negative", -1], ["control characters", "\u0001\u0002\u001b[31m"], ["lone surrogate", "\ud800"],
    ["empty", ""], ["whitespace", "   "], ["SQL", "' OR '1'='1' --"], ["HTML", "<script>alert(1)</script>"]];
  const invalidUtf8 = Buffer.concat([Buffer.from("{\"email\":\""), Buffer.from([0xc3, 0x28, 0xff, 0xfe]), Buffer.from("@b.co\"}")]);
  const images = [["not an image", Buffer.from("hello"), "image/png"], ["PNG header only", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), "image/png"],
    ["JPEG header only", Buffer.from([0xff, 0xd8, 0xff, 0xe0]), "image/jpeg"], ["HTML as PNG", Buffer.from("<html><script>1</script>"), "image/png"],
    ["SVG", Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"), "image/svg+xml"]];
  await sleep(1500); // the mailer settles what the set-up queued
  const before = checksums();
  let n = 0, fives = 0;
  const bad = [];
  const assertError = (r, what) => {
    n++;
    if (r.status >= 500) fives++;
    if (!(r.status >= 400 && r.status < 500 && r.json && r.json.error && /^[a-z0-9_]+$/.test(r.json.error.code))) bad.push(`${what}: ${r.status} ${r.text.slice(0, 80)}`);
  };
  for (const who of [["signed out", {}], ["account", { Cookie: user.cookie, "X-CSRF-Token": user.csrf }],
    ["reviewer", { Cookie: rv.c.cookie, "X-CSRF-Token": rv.c.csrf }], ["reset flow", { Cookie: doc.c.cookie }]]) {
    for (const r of routes) {
      if (r.m === "GET") {
        // the GET routes that read their query string
        if (["/api/cases/status", "/api/review/queue", "/api/holds/withdrawal"].includes(r.p))
          for (const q of ["?token=%00%ff", "?token=" + "A".repeat(5000), "?route=<script>&status='--", "?tier=high&tier=high", "?account=1%27%20OR%201=1",
            "?min_age_hours=-1", "?min_age_hours=99999999999999999999", "?route=face%00"])
            assertError(await raw("GET", r.p + q, { type: null, headers: who[1] }), `${who[0]} GET ${r.p}${q.slice(0, 20)}`);
        continue;
      }
      // bodies with the route's own field names (from the OpenAPI document) and hostile values
      for (const [what, v] of shaped)
        if (fieldsOf[`${r.m} ${r.p}`] && !(what === "null" && optionalOnly.has(`${r.m} ${r.p}`))) {
          const body = Object.fromEntries(fieldsOf[`${r.m} ${r.p}`].map((f) => [f, v]));
          assertError(await raw(r.m, r.p, { body: JSON.stringify(body), headers: who[1] }), `${who[0]} ${r.m} ${r.p} shaped ${what}`);
        }
      for (const [what, body] of bodies) {
        if (r.m === "DELETE" && what !== "not JSON") continue;
        assertError(await raw(r.m, r.p, { body, headers: who[1] }), `${who[0]} ${r.m} ${r.p} ${what}`);
      }
      assertError(await raw(r.m, r.p, { body: invalidUtf8, headers: who[1] }), `${who[0]} ${r.m} ${r.p} invalid UTF-8`);
      assertError(await raw(r.m, r.p, { body: "{}", type: "text/plain", headers: who[1] }), `${who[0]} ${r.m} ${r.p} wrong type`);
      assertError(await raw(r.m, r.p, { body: "{}", headers: { ...who[1], "X-Injected": "a\tb", Origin: "http://localhost:1\r\nX: y".replace(/[\r\n]/g, " ") } }),
        `${who[0]} ${r.m} ${r.p} header injection`);
      if (r.p.endsWith("/evidence"))
        for (const [what, buf, type] of images)
          assertError(await raw("POST", `/api/reset/${doc.id}/evidence?kind=operator_email&email_kind=withdrawal`, { body: buf, type, headers: who[1] }), `${who[0]} upload ${what}`);
    }
  }
  const after = checksums();
  line(`${n} hostile requests on ${routes.length} routes as 4 kinds of caller; ${fives} answered 5xx`);
  check(n >= 300, `at least 300 requests (${n})`);
  check(fives === 0, "zero 5xx");
  check(bad.length === 0, `every refusal a 4xx with the error body${bad.length ? ": " + bad.slice(0, 5).join("; ") : ""}`);
  check(before === after, `every table's checksum unchanged (${tables().length - 1} tables; rate_limits counts the attempts)`);
}

// ---- one rekeyd killed entirely (supervisor, workers, mailer) under load: nginx serves through the other ----
function rekeydTree(pidFile) {
  const sup = readFileSync(pidFile, "utf8").trim();
  return [sup, ...execFileSync("ps", ["-o", "pid=", "--ppid", sup], { encoding: "utf8" }).trim().split(/\s+/).filter(Boolean)];
}
async function rekeydKill() {
  console.log("\n== rekeyd 2 killed entirely (kill -9: supervisor, workers, mailer) under a write load");
  const st = writeLoad(8);
  await sleep(1500);
  const pids = rekeydTree(`${dir}/run/rekeyd2.pid`);
  const t = now();
  execFileSync("kill", ["-9", ...pids]);
  await sleep(4000);
  st.stop = true;
  await Promise.all(st.promises);
  const after = st.answers.filter((a) => a.t > t + 300);
  const bad = after.filter((a) => a.status === 0 || a.status >= 500).length;
  const inFlight = st.answers.filter((a) => a.t <= t + 300 && (a.status === 0 || a.status >= 500)).length;
  line(`${pids.length} processes killed; ${after.length} requests in the 3.7 s after, ${bad} of them failed; ${inFlight} failed that were in flight at the kill`);
  check(after.length > 50 && bad === 0, "nginx kept serving through rekeyd 1 (no 5xx after the requests in flight)");
  const per = nodes().map((n) => lostWrites(st, (q) => nodeSql(n, q)));
  check(per.every((x) => x.lostStarts + x.lostAgrees === 0), "every write answered 2xx is on every node");
  // back up, for the rest of the run and a clean stop
  const { spawn } = await import("node:child_process");
  const { openSync } = await import("node:fs");
  const build = process.env.BUILD || new URL("../../build", import.meta.url).pathname;
  const child = spawn(`${build}/rekeyd`, ["-c", `${dir}/rekey2.conf`], { detached: true, stdio: ["ignore", "ignore", openSync(`${dir}/log/rekeyd2.log`, "a")] });
  child.unref();
  execFileSync("sh", ["-c", `echo ${child.pid} > ${dir}/run/rekeyd2.pid`]);
  await sleep(1000);
}

// ---- the control: node2 restarted outside the cluster (wsrep_on=OFF) while rekeyd 2 writes through it ----
async function clusterControl() {
  console.log("\n== control: node2 restarted with wsrep_on=OFF (out of the cluster) while rekeyd 2 writes through it: the harness must see writes missing on the other nodes");
  const n2 = nodes()[1];
  const stack = new URL("../../cgi/ops/stack.sh", import.meta.url).pathname;
  execFileSync(stack, ["node-stop", dir, "2"]);
  const { spawn } = await import("node:child_process");
  spawn("mariadbd", [`--defaults-file=${n2.sock.replace(/mysqld\.sock$/, "my.cnf")}`, "--wsrep-on=OFF"], { detached: true, stdio: "ignore" }).unref();
  for (let i = 0; i < 300; i++) { try { nodeSql(n2, "SELECT 1"); break; } catch { await sleep(100); } }
  const st = writeLoad(4);
  await sleep(3000);
  st.stop = true;
  await Promise.all(st.promises);
  const per = nodes().map((n) => { try { return lostWrites(st, (q) => nodeSql(n, q)); } catch { return null; } });
  const lost = per.map((x) => (x ? x.lostStarts + x.lostAgrees : "node down"));
  line(`${st.started.size} starts answered 2xx; missing on node1/node2/node3: ${lost.join(" / ")}`);
  check(per.some((x) => x && x.lostStarts + x.lostAgrees > 0), "control: the harness sees writes acknowledged through a non-replicating node missing elsewhere");
}

const t0 = now();
if (cluster && control) {
  await clusterUp();
  await clusterControl();
} else if (cluster) {
  await clusterUp();
  await races();
  await nodeKills(short ? 1 : 10);
  if (!short) {
    await rekeydKill();
    await clusterControl();
  }
} else if (control) {
  await dbKills(short ? 3 : 10);
} else {
  await dbKills(short ? 3 : 10);
  await workerKills(short ? 5 : 20);
  await races();
  await hostile();
}
console.log(`\n${failures.length === 0 ? "all checks passed" : `${failures.length} check(s) FAILED: ${failures.join("; ")}`} (${((now() - t0) / 1000).toFixed(0)} s)`);
process.exit(failures.length ? 1 : 0);
