// ops.bench.mjs -- the operator's commands on the generated data (issue #21),
// against the bench stack (REKEY_TEST_DIR): audit-verify over every chain
// (entries/s) and from the last signed checkpoint only (--since), the sweep
// of a million expired rows, and a column added online to the largest
// table. The sweep and the migration run under a concurrent load (signed-in
// reads and durable writes, wrk, 16 connections each); the figures are the
// command's time and what the load saw meanwhile (p99, the slowest request,
// InnoDB's longest row-lock wait) beside the same load alone.
import { execFileSync, spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { writeFileSync } from "node:fs";
import { Client, newAccount, base, origin, dir, conf } from "../node/stack.mjs";

const ctlBin = new URL("../../build/rekeyctl", import.meta.url).pathname;
const sock = `${dir}/run/mysqld.sock`;
const q = (sql) => execFileSync("mariadb", ["--socket", sock, "-uroot", "-N", "-B", "rekey", "-e", sql], { encoding: "utf8" }).trim();
const status = (name) => Number(q(`SHOW GLOBAL STATUS LIKE '${name}'`).split("\t")[1]);
const ms = (s) => { const m = s.match(/([\d.]+)(us|ms|s)/); return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1); };
const out = { ops: [] };

function timed(args) {
  const t0 = performance.now();
  const text = execFileSync(ctlBin, ["-c", conf, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  return { secs: (performance.now() - t0) / 1000, text };
}

// ---- audit-verify: every chain, then from the checkpoint only ----
{
  const full = timed(["audit-verify"]);
  const entries = Number(full.text.match(/audit: (\d+) entries/)[1]);
  out.ops.push({ name: "rekeyctl audit-verify (every chain)", secs: full.secs, detail: `${entries} entries, ${Math.round(entries / full.secs)} entries/s` });
  if (process.env.BENCH_CHECKPOINT) {
    const inc = timed(["audit-verify", "--since", process.env.BENCH_CHECKPOINT]);
    const m = inc.text.match(/: (\d+) new entries in (\d+) chains/);
    out.ops.push({ name: "rekeyctl audit-verify --since CHECKPOINT", secs: inc.secs, detail: `${m[1]} new entries in ${m[2]} chains since the checkpoint` });
  }
}

// ---- a concurrent load: signed-in reads and durable writes ----
const { email } = newAccount("ops");
const me = new Client();
await me.signIn(email);
function load(secs) {
  const run = (path, extra) => {
    const p = spawn("wrk", ["-t1", "-c16", `-d${secs}s`, "--latency", ...extra, base + path], { stdio: ["ignore", "pipe", "ignore"] });
    let text = "";
    p.stdout.on("data", (d) => { text += d; });
    return { p, done: new Promise((ok) => p.on("close", () => ok(text))) };
  };
  const post = `${dir}/ops-post.lua`;
  writeFileSync(post, `wrk.method = "POST"\nwrk.body = "{}"\nwrk.headers["Content-Type"] = "application/json"\nwrk.headers["Origin"] = "${origin}"\n`);
  const me2 = `${dir}/ops-me.lua`;
  writeFileSync(me2, `wrk.headers["Cookie"] = "${me.cookie}"\n`);
  return [run("/api/me", ["-s", me2]), run("/api/reset", ["-s", post])];
}
function figures(text) {
  const lat = text.match(/Latency\s+(\S+)\s+(\S+)\s+(\S+)/);
  return { p99: ms(text.match(/^\s+99%\s+(\S+)/m)[1]), max: ms(lat[3]), n: Number(text.match(/(\d+) requests in/)[1]) };
}
async function underLoad(name, fn) {
  // the same load alone first, as long as the command took before (at least 5 s)
  const waits0 = status("Innodb_row_lock_waits"), time0 = status("Innodb_row_lock_time");
  const t0 = performance.now();
  const runs = load(600);
  await new Promise((r) => setTimeout(r, 1000));
  const r = await fn();
  await new Promise((ok) => setTimeout(ok, 500));
  for (const x of runs) x.p.kill("SIGINT");
  const [meF, postF] = (await Promise.all(runs.map((x) => x.done))).map(figures);
  const alone = load(Math.max(5, Math.round(r.secs)));
  const [meA, postA] = (await Promise.all(alone.map((x) => x.done))).map(figures);
  out.ops.push({ name, secs: r.secs, detail: r.detail, load: { me: meF, reset: postF, meAlone: meA, resetAlone: postA,
    rowLockWaits: status("Innodb_row_lock_waits") - waits0, rowLockMs: status("Innodb_row_lock_time") - time0,
    rowLockMaxSinceStart: status("Innodb_row_lock_time_max"), wall: (performance.now() - t0) / 1000 } });
}

// ---- the sweep: a million expired codes (the generator's) ----
await underLoad("rekeyctl sweep", async () => {
  // (a sized bench runs rekeyd with sweep_seconds = 0: this is the only sweep)
  const expired = Number(q("SELECT COUNT(*) FROM codes WHERE expires_at < UTC_TIMESTAMP(6) - INTERVAL 24 HOUR"));
  const s = timed(["sweep"]);
  return { secs: s.secs, detail: `${expired} expired codes before; ${s.text.trim()}` };
});

// ---- a column added online to the largest table ----
const [largest, rowsIn] = q(`SELECT table_name, table_rows FROM information_schema.tables WHERE table_schema = 'rekey' ORDER BY data_length + index_length DESC LIMIT 1`).split("\t");
let algo = "";
await underLoad(`ALTER TABLE ${largest} ADD COLUMN (online)`, async () => {
  for (const a of ["ALGORITHM=INSTANT, LOCK=NONE", "ALGORITHM=NOCOPY, LOCK=NONE", "ALGORITHM=INPLACE, LOCK=NONE", "ALGORITHM=COPY, LOCK=SHARED"]) {
    const t0 = performance.now();
    try {
      q(`ALTER TABLE ${largest} ADD COLUMN bench_note VARCHAR(32) NULL, ${a}`);
      algo = a;
      return { secs: (performance.now() - t0) / 1000, detail: `${rowsIn} rows; MariaDB allowed ${a}` };
    } catch { /* refused: the next, weaker one */ }
  }
  throw new Error("no ALTER was allowed");
});
{
  const t0 = performance.now();
  q(`ALTER TABLE ${largest} DROP COLUMN bench_note, ${algo}`);
  out.ops.push({ name: `ALTER TABLE ${largest} DROP COLUMN (the same way back)`, secs: (performance.now() - t0) / 1000, detail: algo });
}

console.log("\noperator commands on this data set (the load: GET /api/me and POST /api/reset, wrk, 16 connections each)");
console.log(`  ${"command".padEnd(48)}${"time s".padStart(8)}  detail`);
for (const o of out.ops) {
  console.log(`  ${o.name.padEnd(48)}${o.secs.toFixed(2).padStart(8)}  ${o.detail}`);
  if (o.load) {
    const l = o.load;
    console.log(`  ${"".padEnd(56)}meanwhile: /api/me p99 ${l.me.p99.toFixed(1)} ms, slowest ${l.me.max.toFixed(1)} ms; POST /api/reset p99 ${l.reset.p99.toFixed(1)} ms, slowest ${l.reset.max.toFixed(1)} ms`);
    console.log(`  ${"".padEnd(56)}alone:     /api/me p99 ${l.meAlone.p99.toFixed(1)} ms, slowest ${l.meAlone.max.toFixed(1)} ms; POST /api/reset p99 ${l.resetAlone.p99.toFixed(1)} ms, slowest ${l.resetAlone.max.toFixed(1)} ms`);
    console.log(`  ${"".padEnd(56)}InnoDB row-lock waits meanwhile: ${l.rowLockWaits}, ${l.rowLockMs} ms in all (the longest since the server started: ${l.rowLockMaxSinceStart} ms)`);
  }
}
if (process.env.BENCH_OPS_JSON) writeFileSync(process.env.BENCH_OPS_JSON, JSON.stringify(out));
