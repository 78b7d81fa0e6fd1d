// http.bench.mjs -- endpoints through nginx -> rekeyd -> MariaDB on a private
// stack (tests/bench/run.sh starts it). Passkey sign-ins are pre-signed: each
// has its own challenge and browser cookie, spread over 32 passkeys, then sent
// 32 at a time; only the POST /api/passkeys/authentication is timed.
import { performance } from "node:perf_hooks";
import { execFileSync } from "node:child_process";
import { Client, newAccount, origin, base } from "../node/stack.mjs";
import { SoftAuthenticator } from "../node/authenticator.mjs";
import { readFileSync } from "node:fs";
import { subject, routed } from "../node/reset-helpers.mjs";

const CONC = 32;

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
  return { rps: reqs.length / secs, p50: pct(lat, 0.5), p99: pct(lat, 0.99), errors, n: reqs.length };
}

function wrk(path, secs = 8) {
  const out = execFileSync("wrk", ["-t2", `-c${CONC}`, `-d${secs}s`, "--latency", base + path], { encoding: "utf8" });
  const rps = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
  const ms = (s) => { const m = s.match(/([\d.]+)(us|ms|s)/); return Number(m[1]) * (m[2] === "us" ? 0.001 : m[2] === "s" ? 1000 : 1); };
  const p50 = ms(out.match(/50%\s+(\S+)/)[1]), p99 = ms(out.match(/99%\s+(\S+)/)[1]);
  const bad = out.match(/Non-2xx or 3xx responses: (\d+)/);
  return { rps, p50, p99, errors: bad ? Number(bad[1]) : 0 };
}

// 32 accounts, each with a passkey whose authenticator keeps no counter (0)
const auths = [];
for (let i = 0; i < CONC; i++) {
  const { email } = newAccount("bench");
  const c = new Client();
  await c.signIn(email);
  const a = new SoftAuthenticator({ origin });
  const opts = await c.post("/api/passkeys/registration/options", {});
  const r = await c.post("/api/passkeys/registration", { response: a.create(opts.json) });
  if (r.status !== 201) throw new Error("bench setup: " + r.text);
  auths.push(a);
}
const N = Number(process.env.BENCH_N || 3000);
const reqs = [];
for (let i = 0; i < N; i++) {
  const c = new Client();
  const opts = await c.post("/api/passkeys/authentication/options", {});
  const resp = auths[i % CONC].get(opts.json, { counter: 0 });
  reqs.push({ path: "/api/passkeys/authentication", headers: { "Content-Type": "application/json", Origin: origin, Cookie: c.cookie },
    body: JSON.stringify({ response: resp }) });
}
const health = wrk("/api/health");
const auth = await fire(reqs);
const row = (name, r) => console.log(`  ${name.padEnd(44)}${r.rps.toFixed(0).padStart(8)} req/s  p50 ${r.p50.toFixed(2).padStart(7)} ms  p99 ${r.p99.toFixed(2).padStart(7)} ms  errors ${r.errors}`);
console.log(`\nthrough nginx -> rekeyd (${process.env.REKEY_WORKERS || 4} workers) -> MariaDB, ${CONC} connections`);
row("GET /api/health (wrk, 8 s)", health);
row(`POST /api/passkeys/authentication (${N}, pre-signed)`, auth);

// Case 3 uploads: one real 1080x2400 screenshot into each of 64 document cases
// (a case takes a picture once), 32 at a time: core checks, canonical PNG,
// two XChaCha20-Poly1305 seals, one INSERT with both blobs.
const shotPng = readFileSync(new URL("../vectors/image/corpus/email-1080x2400.png", import.meta.url));
const ups = [];
for (let i = 0; i < 64; i++) {
  const f = await routed(subject("unverified", "100000", { tool: false }));
  ups.push({ path: `/api/reset/${f.id}/evidence?kind=operator_email&email_kind=withdrawal`,
    headers: { "Content-Type": "image/png", Origin: origin, Cookie: f.c.cookie }, body: shotPng });
}
row(`POST /api/reset/{id}/evidence (64 x ${Math.round(shotPng.length / 1024)} KB PNG)`, await fire(ups, 201));
