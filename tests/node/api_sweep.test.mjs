// api_sweep.test.mjs -- the sweep (cgi/jobs/sweep.c, schema/013): challenges,
// codes and rate windows a day past their end, and reset flows a week past
// theirs that never opened a case nor handed off to a phone, are deleted --
// by `rekeyctl sweep` and by the delivery process on its own (the test
// stack sweeps every second: REKEY_SWEEP_SECONDS in tests/test-stack.sh). Live
// and recently expired rows, and flows with a case or a hand-off, stay.
// Issue #21: a pass takes at most sweep_batches_per_pass batches of 5,000
// rows (1 in the test stack), the mail is delivered between passes, and the
// next pass goes on where the last one stopped; `rekeyctl sweep` goes to the
// end, a pass at a time, with the running total on stderr.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { sql, ctl, newAccount, waitFor, dir, conf } from "./stack.mjs";

const ago = (n, unit) => `UTC_TIMESTAMP(6) - INTERVAL ${n} ${unit}`;
const hex = () => randomBytes(32).toString("hex");

function challenge(expired) {
  const c = hex();
  sql(`INSERT INTO webauthn_challenges (challenge, ceremony, created_at, expires_at) VALUES (UNHEX('${c}'), 'authenticate', ${expired}, ${expired})`);
  return () => sql(`SELECT COUNT(*) FROM webauthn_challenges WHERE challenge = UNHEX('${c}')`)[0][0] === "1";
}
function code(account, expired) {
  const h = hex();
  sql(`INSERT INTO codes (account_id, purpose, bound_to, channel, code_hash, created_at, expires_at) VALUES (${account}, 'sweep_test', 'x', 'email', UNHEX('${h}'), ${expired}, ${expired})`);
  return () => sql(`SELECT COUNT(*) FROM codes WHERE code_hash = UNHEX('${h}')`)[0][0] === "1";
}
function rateWindow(ended) {
  const b = hex();
  sql(`INSERT INTO rate_limits (bucket, window_end, hits) VALUES (UNHEX('${b}'), ${ended}, 3)`);
  return () => sql(`SELECT COUNT(*) FROM rate_limits WHERE bucket = UNHEX('${b}')`)[0][0] === "1";
}
function flow(expired, { caseId = "NULL", handoff = false } = {}) {
  sql(`INSERT INTO reset_flows (browser_hash, entry, state, case_id, created_at, expires_at) VALUES (UNHEX('${hex()}'), 'direct', 'instructions', ${caseId}, ${expired}, ${expired})`);
  const id = sql("SELECT MAX(id) FROM reset_flows")[0][0];
  if (handoff)
    sql(`INSERT INTO face_handoffs (flow_id, token_hash, expires_at, created_at) VALUES (${id}, UNHEX('${hex()}'), ${expired}, ${expired})`);
  return () => sql(`SELECT COUNT(*) FROM reset_flows WHERE id = ${id}`)[0][0] === "1";
}

test("rekeyctl sweep deletes what is long expired and keeps the rest", () => {
  const { id } = newAccount("sweep");
  const gone = [challenge(ago(3, "DAY")), code(id, ago(3, "DAY")), rateWindow(ago(2, "DAY")), flow(ago(8, "DAY"))];
  const kept = [
    challenge(ago(2, "HOUR")), challenge("UTC_TIMESTAMP(6) + INTERVAL 5 MINUTE"), // recently expired, live
    code(id, ago(2, "HOUR")), code(id, "UTC_TIMESTAMP(6) + INTERVAL 10 MINUTE"),
    rateWindow(ago(1, "HOUR")), rateWindow("UTC_TIMESTAMP(6) + INTERVAL 10 MINUTE"),
    flow(ago(2, "DAY")), // expired, but less than a week ago
    flow(ago(8, "DAY"), { caseId: 1 }), // opened a case: part of its history
    flow(ago(8, "DAY"), { handoff: true }), // handed off to a phone
  ];
  // the witness rows (#15) of processes gone a day, not those of live ones
  const witness = (at) => { const wid = 9000000000000 + Math.floor(Math.random() * 1e9);
    sql(`INSERT INTO tx_witness (id, token, at) VALUES (${wid}, REPEAT('w', 16), ${at})`);
    return () => sql(`SELECT COUNT(*) FROM tx_witness WHERE id = ${wid}`)[0][0] === "1"; };
  gone.push(witness(ago(2, "DAY")));
  kept.push(witness(ago(2, "HOUR")));
  assert.match(ctl("sweep"), /^sweep: \d+ challenges, \d+ codes, \d+ rate windows, \d+ reset flows, \d+ delivered mail bodies, \d+ suspended passkeys, \d+ witness rows$/m);
  assert.deepEqual(gone.map((present) => present()), [false, false, false, false, false]);
  assert.deepEqual(kept.map((present) => present()), kept.map(() => true));
  ctl("sweep");
  assert.ok(kept.every((present) => present()), "a second run keeps them too");
});

test("the delivery process sweeps by itself", async () => {
  const { id } = newAccount("sweep2");
  const rows = [challenge(ago(3, "DAY")), code(id, ago(3, "DAY")), rateWindow(ago(2, "DAY")), flow(ago(8, "DAY"))];
  const live = challenge("UTC_TIMESTAMP(6) + INTERVAL 5 MINUTE");
  await waitFor(() => rows.every((present) => !present()), "the delivery process's sweep");
  assert.ok(live());
});

test("delivered mail keeps no body (its codes and links), except in dev mode, whose mail page shows them", () => {
  const mail = (sent) => {
    const marker = `sweep-body-${hex()}`;
    // not due (a retry an hour away): the stack's delivery process leaves it alone
    sql(`INSERT INTO outbox (channel, recipient, subject, body, created_at, sent_at, next_attempt_at) VALUES ('email', 'x@rekey.test', 'Your code', '${marker}', ${ago(3, "HOUR")}, ${sent}, UTC_TIMESTAMP(6) + INTERVAL 1 HOUR)`);
    const id = sql(`SELECT id FROM outbox WHERE body = '${marker}'`)[0][0];
    return () => sql(`SELECT body = '${marker}' FROM outbox WHERE id = ${id}`)[0][0] === "1";
  };
  // the test stack runs in dev mode: its sweeps keep the bodies
  const shown = mail(ago(2, "HOUR"));
  ctl("sweep");
  assert.ok(shown(), "dev mode keeps the body");
  // a production configuration empties what was delivered, and only that
  const queued = mail("NULL"), sent = mail(ago(2, "HOUR"));
  process.env.REKEY_DEV_MODE = "0";
  try {
    assert.match(ctl("sweep"), /[1-9]\d* delivered mail bodies/);
  } finally {
    delete process.env.REKEY_DEV_MODE;
  }
  assert.equal(sent(), false, "the delivered body is gone");
  assert.equal(shown(), false);
  assert.ok(queued(), "mail still to deliver keeps its body");
});

// n codes a day and more past their end, for one account, in one statement (then `then`, in the same call)
const expiredCodes = (account, n, then = "") =>
  `INSERT INTO codes (account_id, purpose, bound_to, channel, code_hash, created_at, expires_at)
    SELECT ${account}, 'sweep_batch', 'x', 'email', UNHEX(SHA2(CONCAT('${hex()}', seq), 256)), ${ago(3, "DAY")}, ${ago(3, "DAY")} FROM seq_1_to_${n}; ${then}`;

test("the delivery process sweeps one batch a pass (sweep_batches_per_pass = 1), delivers mail between passes, and the next pass goes on", async () => {
  const { id } = newAccount("sweepbatch");
  const since = Date.now();
  const marker = `sweep-batch-${hex()}`;
  // 12,000 rows: three batches; a mail due now, written right after them
  sql(expiredCodes(id, 12000, `INSERT INTO outbox (channel, recipient, subject, body, created_at, next_attempt_at)
    VALUES ('email', 'sweep-batch@rekey.test', 'Between passes', '${marker}', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`));
  const left = () => Number(sql(`SELECT COUNT(*) FROM codes WHERE account_id = ${id}`)[0][0]);
  await waitFor(() => left() === 0, "the sweep of 12,000 expired codes", 30000);
  // the passes that deleted codes, from the delivery process's log
  const passes = readFileSync(`${dir}/log/rekeyd.log`, "utf8").split("\n").filter((l) => l.includes("rekeyd: sweep:")).map((l) => JSON.parse(l))
    .filter((e) => Date.parse(e.time) >= since).map((e) => ({ at: Date.parse(e.time), codes: Number(e.msg.match(/(\d+) codes/)[1]), more: /more next round/.test(e.msg) }))
    .filter((e) => e.codes > 0);
  assert.deepEqual(passes.map((e) => e.codes), [5000, 5000, 2000], `one batch a pass: ${JSON.stringify(passes)}`);
  assert.deepEqual(passes.map((e) => e.more), [true, true, true], "each says it goes on (the tables after codes are still to do)");
  const sent = sql(`SELECT CAST(UNIX_TIMESTAMP(sent_at) * 1000 AS UNSIGNED) FROM outbox WHERE body = '${marker}' AND sent_at IS NOT NULL`);
  assert.equal(sent.length, 1, "the mail was delivered");
  assert.ok(Number(sent[0][0]) <= passes[2].at, "before the sweep's last batch of codes: the mail did not wait for the sweep");
});

test("rekeyctl sweep goes to the end a pass at a time, with the running total on stderr", () => {
  // a database of its own: the stack's delivery process sweeps the stack's
  const db = `rekey_sweep_${process.pid}`, tmp = mkdtempSync("/tmp/rekey-sweep.");
  const sock = `${dir}/run/mysqld.sock`;
  const root = (q, d = "") => execFileSync("mariadb", ["--socket", sock, "-uroot", "-N", "-B", ...(d ? [d] : []), "-e", q], { encoding: "utf8" });
  const cfg = `${tmp}/rekey.conf`;
  writeFileSync(cfg, readFileSync(conf, "utf8").replace(/^db_name = .*$/m, `db_name = ${db}`)
    .replace(/^db_app_password = .*$/m, "db_app_password =").replace(/^db_review_password = .*$/m, "db_review_password ="));
  const sweep = (batches) => spawnSync(`${new URL("../../", import.meta.url).pathname}build/rekeyctl`, ["-c", cfg, "sweep"],
    { encoding: "utf8", env: { ...process.env, REKEY_SWEEP_BATCHES_PER_PASS: batches } });
  try {
    root(`CREATE DATABASE ${db}`);
    execFileSync(`${new URL("../../", import.meta.url).pathname}build/rekeyctl`, ["-c", cfg, "migrate"], { stdio: "ignore" });
    root(`INSERT INTO accounts (email, password_hash, user_handle, created_at) VALUES ('s@rekey.test', 'x', RANDOM_BYTES(32), UTC_TIMESTAMP(6))`, db);
    root(expiredCodes(1, 12000), db);
    const one = sweep("1");
    assert.equal(one.status, 0, one.stderr);
    assert.match(one.stdout, /^sweep: 0 challenges, 12000 codes, 0 rate windows/m, "every row, to the end");
    const so = [...one.stderr.matchAll(/^sweep: pass (\d+): \d+ challenges, (\d+) codes.* so far$/gm)].map((m) => [Number(m[1]), Number(m[2])]);
    // pass 1 the challenges (none), 2-4 a batch of codes each, then a table a pass
    assert.deepEqual(so.slice(0, 4), [[1, 0], [2, 5000], [3, 10000], [4, 12000]]);
    assert.equal(root("SELECT COUNT(*) FROM codes", db).trim(), "0");
    // no limit configured: 20 batches a pass, all of it in one
    root(expiredCodes(1, 12000), db);
    const all = sweep("0");
    assert.equal(all.status, 0, all.stderr);
    assert.match(all.stdout, /12000 codes/);
    assert.equal(all.stderr, "", "one pass");
  } finally {
    root(`DROP DATABASE IF EXISTS ${db}`);
    rmSync(tmp, { recursive: true, force: true });
  }
});
