// run.mjs -- `make reliability` (tests/reliability/run.sh starts the stack):
// the database killed under a write load, workers killed under load, races
// repeated, a hostile-input corpus across every route. Prints figures; exits
// non-zero when a check fails. Options: --short (the version make test runs),
// --control (innodb_flush_log_at_trx_commit=0: the harness must see losses).
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { Client, sql, ctl, base, origin, dir, stackCmd, newAccount, raw, codeMail } from "../node/stack.mjs";
import { subject, routed, toEmailCode, correct } from "../node/reset-helpers.mjs";
import { reviewer, documentsCase, decide } from "../node/review-helpers.mjs";

const short = process.argv.includes("--short");
const control = process.argv.includes("--control");
const REPS = short ? 5 : 100;
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
function lostWrites(st) {
  const ids = [...st.started.keys()];
  const states = new Map();
  for (let i = 0; i < ids.length; i += 500)
    for (const [id, s] of sql(`SELECT id, state FROM reset_flows WHERE id IN (${ids.slice(i, i + 500).join(",")})`)) states.set(Number(id), s);
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

// ---- races, each repeated ----
async function races() {
  console.log(`\n== races, each repeated ${REPS} times`);
  let ok = 0, worst = 0;
  for (let i = 0; i < REPS; i++) {
    const a = subject("unverified", "100000", { tool: false });
    const f = await toEmailCode(a.email);
    const code = await codeMail(a.email, f.before);
    const rs = await Promise.all(Array.from({ length: 50 }, () => f.c.post(`/api/reset/${f.id}/email-code`, { code })));
    const wins = rs.filter((r) => r.status === 200).length;
    worst = Math.max(worst, wins);
    if (wins === 1 && rs.every((r) => r.status < 500)) ok++;
  }
  check(ok === REPS, `50 parallel submissions of one email code: one success in ${ok} of ${REPS} (most successes at once: ${worst})`);

  ok = 0;
  for (let i = 0; i < REPS; i++) {
    const a = subject("unverified", "100000", { tool: false });
      const f1 = await toEmailCode(a.email);
    const c1 = await codeMail(a.email, f1.before);
    const f2 = await toEmailCode(a.email);
    const c2 = await codeMail(a.email, f2.before);
    const rs = await Promise.all([f1.c.post(`/api/reset/${f1.id}/email-code`, { code: c1 }), f2.c.post(`/api/reset/${f2.id}/email-code`, { code: c2 })]);
    const cases = sql(`SELECT COUNT(*) FROM reset_cases WHERE account_id = ${a.id}`)[0][0];
    if (cases === "1" && rs.every((r) => r.status === 200) && rs[0].json.case === rs[1].json.case) ok++;
  }
  check(ok === REPS, `2 concurrent reset starts for one account: one case in ${ok} of ${REPS}`);

  ok = 0;
  let most = 0;
  for (let i = 0; i < REPS; i++) {
    const a = subject();
    const f = await routed(a);
    const q = await f.c.post(`/api/reset/${f.id}/questions`, {});
    if (q.status !== 200) continue;
    const wrong = q.json.questions.map((x) => { const c = correct(a.id, x); return x.options.map((o) => o.id).filter((k) => !c.includes(k)).slice(0, 1); });
    const rs = await Promise.all(Array.from({ length: 20 }, () => f.c.post(`/api/reset/${f.id}/answers`, { answers: wrong })));
    const attempts = Number(sql(`SELECT questions_attempts FROM reset_cases WHERE account_id = ${a.id}`)[0][0]);
    most = Math.max(most, attempts);
    if (attempts <= 3 && attempts >= 1 && rs.every((r) => r.status < 500)) ok++;
  }
  check(ok === REPS, `20 parallel security-question answers: at most 3 attempts counted in ${ok} of ${REPS} (most counted: ${most})`);

  ok = 0;
  const r1 = await reviewer(), r2 = await reviewer();
  for (let i = 0; i < REPS; i++) {
    const { caseId } = await documentsCase();
    await Promise.all([r1.c.post(`/api/review/cases/${caseId}/claim`), r2.c.post(`/api/review/cases/${caseId}/claim`)]);
    const rs = await Promise.all([decide(r1.c, caseId, "reject", "evidence_forged", "No."), decide(r2.c, caseId, "approve", "evidence_consistent"),
      decide(r1.c, caseId, "approve", "evidence_consistent"), decide(r2.c, caseId, "reject", "evidence_forged", "No.")]);
    const n = sql(`SELECT COUNT(*) FROM review_decisions WHERE case_id = ${caseId}`)[0][0];
    if (n === "1" && rs.filter((r) => r.status === 200).length === 1 && rs.every((r) => r.status < 500)) ok++;
  }
  check(ok === REPS, `two reviewers deciding one case: one decision in ${ok} of ${REPS}`);
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

const t0 = now();
if (control) {
  await dbKills(short ? 3 : 10);
} else {
  await dbKills(short ? 3 : 10);
  await workerKills(short ? 5 : 20);
  await races();
  await hostile();
}
console.log(`\n${failures.length === 0 ? "all checks passed" : `${failures.length} check(s) FAILED: ${failures.join("; ")}`} (${((now() - t0) / 1000).toFixed(0)} s)`);
process.exit(failures.length ? 1 : 0);
