// api_holds_audit.test.mjs -- withdrawal holds (extend-only, service API),
// the hash-chained audit log (verify, tamper, delete), migrations.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client, newAccount, sql, sqlAs, ctl, ctlStatus, serviceToken } from "./stack.mjs";

const hold = (id, token = serviceToken()) =>
  new Client().get(`/api/holds/withdrawal?account=${id}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });

test("holds extend and never shorten; the service API and /api/me show them", async () => {
  const { email, id } = newAccount("hold");
  let r = await hold(id);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json, { held: false, until: null, holds: [], account: id });
  ctl("hold", String(id), "48", "operator_review");
  r = await hold(id);
  assert.equal(r.json.held, true);
  const until48 = Date.parse(r.json.until);
  assert.ok(Math.abs(until48 - (Date.now() + 48 * 3600e3)) < 120e3);
  ctl("hold", String(id), "24", "passkey_deleted");
  r = await hold(id);
  assert.equal(Date.parse(r.json.until), until48, "a shorter hold does not shorten the end");
  assert.equal(r.json.holds.length, 2);
  ctl("hold", String(id), "72", "passkey_reset");
  r = await hold(id);
  assert.ok(Date.parse(r.json.until) > until48, "a longer hold extends");
  assert.equal(r.json.holds[0].reason, "passkey_reset");
  const c = new Client();
  await c.signIn(email);
  assert.equal((await c.get("/api/me")).json.withdrawal_hold.until, r.json.until);
});

test("the holds API needs the service token and a real account", async () => {
  const { id } = newAccount("hold2");
  for (const token of [null, "wrong-token", serviceToken() + "x"]) {
    const r = await hold(id, token);
    assert.equal(r.json?.error?.code, "unauthenticated", `${token}: ${r.text}`);
    assert.equal(r.status, 401);
  }
  assert.equal((await hold(999999999)).status, 404);
  // issue #14 finding 9: a repeated parameter (the first one won) and an unknown one are refused
  for (const q of ["", "?account=", "?account=abc", "?account=1%00", "?account=-1", "?account=99999999999999999999",
    `?account=${id}&account=${id + 1}`, `?account=${id}&account=${id}`, `?account=${id}&verbose=1`]) {
    const r = await new Client().get(`/api/holds/withdrawal${q}`, { headers: { Authorization: `Bearer ${serviceToken()}` } });
    assert.equal(r.status, 400, q);
  }
  // a session cookie is not a service token
  const c = new Client();
  await c.signIn("demo@rekey.test");
  assert.equal((await c.get(`/api/holds/withdrawal?account=${id}`)).status, 401);
});

test("the audit chain verifies, and an edit or a deletion is named", () => {
  const { id } = newAccount("audit");
  ctl("hold", String(id), "1", "audit_test");
  ctl("hold", String(id), "2", "audit_test");
  let v = ctlStatus("audit-verify");
  assert.equal(v.code, 0, v.out);
  assert.match(v.out, /every chain intact/);
  const [seq, detail] = sql(`SELECT seq, HEX(detail) FROM audit_log WHERE chain_id = ${id} ORDER BY seq LIMIT 1 OFFSET 1`)[0];
  sql(`UPDATE audit_log SET detail = '{"reason":"nothing to see"}' WHERE chain_id = ${id} AND seq = ${seq}`);
  v = ctlStatus("audit-verify");
  assert.equal(v.code, 1);
  assert.match(v.out, new RegExp(`BROKEN at chain ${id} entry ${seq}: content does not match`));
  sql(`UPDATE audit_log SET detail = UNHEX('${detail}') WHERE chain_id = ${id} AND seq = ${seq}`);
  assert.equal(ctlStatus("audit-verify").code, 0);
  const last = sql(`SELECT seq, event, actor, ip, HEX(detail), created_at, HEX(prev_hash), HEX(hash) FROM audit_log WHERE chain_id = ${id} ORDER BY seq DESC LIMIT 1`)[0];
  sql(`DELETE FROM audit_log WHERE chain_id = ${id} AND seq = ${last[0]}`);
  v = ctlStatus("audit-verify");
  assert.equal(v.code, 1);
  assert.match(v.out, /entries deleted/);
  sql(`INSERT INTO audit_log VALUES (${id}, ${last[0]}, '${last[1]}', '${last[2]}', '${last[3]}', UNHEX('${last[4]}'), '${last[5]}', UNHEX('${last[6]}'), UNHEX('${last[7]}'))`);
  assert.equal(ctlStatus("audit-verify").code, 0);
  const first = sql(`SELECT seq, event, actor, ip, HEX(detail), created_at, HEX(prev_hash), HEX(hash) FROM audit_log WHERE chain_id = ${id} AND seq = 1`)[0];
  sql(`DELETE FROM audit_log WHERE chain_id = ${id} AND seq = 1`);
  v = ctlStatus("audit-verify");
  assert.match(v.out, new RegExp(`BROKEN at chain ${id} entry 1: entry 1 is missing`));
  sql(`INSERT INTO audit_log VALUES (${id}, 1, '${first[1]}', '${first[2]}', '${first[3]}', UNHEX('${first[4]}'), '${first[5]}', UNHEX('${first[6]}'), UNHEX('${first[7]}'))`);
  assert.equal(ctlStatus("audit-verify").code, 0);
});

test("an entry moves its chain's head only when it extends the chain", () => {
  const { id } = newAccount("audithead");
  const head = () => sql(`SELECT seq, HEX(hash) FROM audit_heads WHERE chain_id = ${id}`)[0].join();
  const lastEntry = () => sql(`SELECT seq, HEX(hash) FROM audit_log WHERE chain_id = ${id} ORDER BY seq DESC LIMIT 1`)[0].join();
  ctl("hold", String(id), "1", "audit_test");
  assert.equal(head(), lastEntry(), "an append moved the head to its entry");
  const [seq, hash] = head().split(",");
  const before = head();
  const forge = (s, prev) => sql(`INSERT INTO audit_log VALUES (${id}, ${s}, 'forged', 'x', '', '{}', UTC_TIMESTAMP(6), UNHEX('${prev}'), UNHEX('${"11".repeat(32)}'))`);
  forge(Number(seq) + 2, hash); // skips a seq
  assert.equal(head(), before);
  let v = ctlStatus("audit-verify");
  assert.equal(v.code, 1, v.out);
  sql(`DELETE FROM audit_log WHERE chain_id = ${id} AND seq = ${Number(seq) + 2}`);
  forge(Number(seq) + 1, "22".repeat(32)); // the next seq on another hash
  assert.equal(head(), before);
  v = ctlStatus("audit-verify");
  assert.equal(v.code, 1, v.out);
  sql(`DELETE FROM audit_log WHERE chain_id = ${id} AND seq = ${Number(seq) + 1}`);
  assert.equal(ctlStatus("audit-verify").code, 0);
  ctl("hold", String(id), "2", "audit_test");
  assert.equal(head(), lastEntry());
  assert.equal(Number(head().split(",")[0]), Number(seq) + 1);
});

test("a signed checkpoint of the heads, kept outside the database, shows a chain cut back consistently", (t) => {
  const { id } = newAccount("checkpoint");
  for (const h of ["1", "2", "3"]) ctl("hold", String(id), h, "checkpoint_test");
  const dir = mkdtempSync(join(tmpdir(), "rekey-cp-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "checkpoint.txt");
  const cp = ctl("audit-checkpoint");
  assert.match(cp, /^rekey-audit-checkpoint v1\nat \S+\nkey [0-9a-f]{64}\n(chain \d+ seq \d+ hash [0-9a-f]{64}\n)+sig [0-9a-f]{128}\n$/);
  writeFileSync(file, cp);
  let v = ctlStatus("audit-verify", file);
  assert.equal(v.code, 0, v.out);
  assert.match(v.out, /the checkpoint .* holds/);
  // history goes on: the checkpoint still holds
  ctl("hold", String(id), "4", "checkpoint_test");
  assert.equal(ctlStatus("audit-verify", file).code, 0);
  // someone with write access cuts the chain back two entries and sets its head to match:
  // the chain alone still verifies; the checkpoint does not
  const [headSeq] = sql(`SELECT seq FROM audit_heads WHERE chain_id = ${id}`)[0];
  const cutFrom = Number(headSeq) - 2;
  const kept = sql(`SELECT seq, event, actor, ip, HEX(detail), created_at, HEX(prev_hash), HEX(hash) FROM audit_log WHERE chain_id = ${id} AND seq > ${cutFrom} ORDER BY seq`);
  const [cutHash] = sql(`SELECT HEX(hash) FROM audit_log WHERE chain_id = ${id} AND seq = ${cutFrom}`)[0];
  sql(`DELETE FROM audit_log WHERE chain_id = ${id} AND seq > ${cutFrom}`);
  sql(`UPDATE audit_heads SET seq = ${cutFrom}, hash = UNHEX('${cutHash}') WHERE chain_id = ${id}`);
  // (the checkpoint was made before the fourth hold: its head for this chain is one entry back, still cut)
  assert.equal(ctlStatus("audit-verify").code, 0, "the chain alone cannot tell");
  v = ctlStatus("audit-verify", file);
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, new RegExp(`REWOUND at chain ${id}: entry ${Number(headSeq) - 1}`));
  // put it back (each entry extends the head again)
  for (const e of kept)
    sql(`INSERT INTO audit_log VALUES (${id}, ${e[0]}, '${e[1]}', '${e[2]}', '${e[3]}', UNHEX('${e[4]}'), '${e[5]}', UNHEX('${e[6]}'), UNHEX('${e[7]}'))`);
  assert.equal(ctlStatus("audit-verify", file).code, 0);
  // a checkpoint that was edited, or signed with another key, is refused
  writeFileSync(file, cp.replace(/seq (\d+) hash/, (m, n) => `seq ${Number(n) + 1} hash`));
  v = ctlStatus("audit-verify", file);
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /signature does not verify/);
  writeFileSync(file, cp.replace(/^sig [0-9a-f]{2}/m, (m) => `sig ${m.endsWith("00") ? "01" : "00"}`));
  assert.match(ctlStatus("audit-verify", file).out, /signature does not verify/);
});

test("security events are audited and notified", () => {
  const { id } = newAccount("notify");
  ctl("hold", String(id), "3", "notify_test");
  assert.equal(sql(`SELECT event FROM audit_log WHERE chain_id = ${id} ORDER BY seq`).map((r) => r[0]).join(","), "account_created,hold_started");
  assert.equal(sql(`SELECT COUNT(*) FROM outbox WHERE account_id = ${id} AND subject = 'Withdrawals are on hold'`)[0][0], "1");
});

test("migrations are recorded and re-running them is a no-op", () => {
  const before = sql("SELECT version, name FROM schema_migrations ORDER BY version");
  assert.ok(before.length >= 1);
  const out = ctl("migrate");
  assert.match(out, /0 applied/);
  assert.deepEqual(sql("SELECT version, name FROM schema_migrations ORDER BY version"), before);
});

test("the account API runs as its own database user: audit entries and holds are insert-only, review tables out of reach", async () => {
  const { email } = newAccount("appuser");
  const c = new Client();
  await c.signIn(email);
  assert.equal((await c.get("/api/me")).status, 200);
  const users = sql("SELECT DISTINCT USER FROM information_schema.PROCESSLIST WHERE USER LIKE 'rekey%'").map((r) => r[0]).sort();
  assert.ok(users.includes("rekey_app"), `rekeyd connected as rekey_app (${users})`);
  // what the API needs, it has
  assert.match(sqlAs("rekey_app", "SELECT COUNT(*) FROM audit_log"), /^\d+$/);
  assert.match(sqlAs("rekey_app", "SELECT COUNT(*) FROM holds"), /^\d+$/);
  // and no more: history cannot be edited or removed, reviewers are not its business
  for (const q of ["UPDATE audit_log SET event = event WHERE chain_id = 0", "DELETE FROM audit_log WHERE chain_id = 0",
    "UPDATE holds SET ends_at = ends_at WHERE id = 0", "DELETE FROM holds WHERE id = 0", "DELETE FROM accounts WHERE id = 0",
    "INSERT INTO accounts (email) VALUES ('x')", "SELECT * FROM reviewers LIMIT 1", "UPDATE reviewers SET roles = 'admin' WHERE id = 0",
    "SELECT * FROM review_decisions LIMIT 1", "DELETE FROM case_events WHERE id = 0", "DROP TABLE sessions",
    "CREATE USER 'x'@'localhost'", "UPDATE schema_migrations SET name = name",
    "UPDATE audit_heads SET seq = seq WHERE chain_id = 0", "DROP TRIGGER audit_log_moves_head"])
    assert.throws(() => sqlAs("rekey_app", q), /denied/, q);
});

// issue #21: the nightly run verifies only what was added since the last checkpoint
test("audit-verify --since CHECKPOINT reads only what was added, and names an edit, a cut or a forged checkpoint", (t) => {
  const { id } = newAccount("since");
  for (const h of ["1", "2"]) ctl("hold", String(id), h, "since_test");
  const dir = mkdtempSync(join(tmpdir(), "rekey-since-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "checkpoint.txt");
  writeFileSync(file, ctl("audit-checkpoint"));
  const since = () => ctlStatus("audit-verify", "--since", file);
  let v = since();
  assert.equal(v.code, 0, v.out);
  assert.match(v.out, /since the checkpoint .*: 0 new entries in 0 chains, every chain intact/);
  // two more entries on this chain, and a new chain: only those are read
  const headAt = () => Number(sql(`SELECT seq FROM audit_heads WHERE chain_id = ${id}`)[0][0]);
  const atCheckpoint = headAt();
  ctl("hold", String(id), "3", "since_test");
  ctl("hold", String(id), "4", "since_test");
  const fresh = newAccount("since-new");
  const expected = headAt() - atCheckpoint + Number(sql(`SELECT COUNT(*) FROM audit_log WHERE chain_id = ${fresh.id}`)[0][0]);
  v = since();
  assert.equal(v.code, 0, v.out);
  const m = v.out.match(/: (\d+) new entries in (\d+) chains/);
  assert.ok(m, v.out);
  assert.ok(Number(m[1]) >= expected && Number(m[1]) <= expected + 20, `the new entries only: ${m[1]} read, ${expected} added here`);
  assert.ok(Number(sql("SELECT COUNT(*) FROM audit_log")[0][0]) > 2 * Number(m[1]), "not the whole history");
  // an entry added since, edited: named
  const [seq, detail] = sql(`SELECT seq, HEX(detail) FROM audit_log WHERE chain_id = ${id} ORDER BY seq DESC LIMIT 1`)[0];
  sql(`UPDATE audit_log SET detail = '{"reason":"nothing"}' WHERE chain_id = ${id} AND seq = ${seq}`);
  v = since();
  assert.equal(v.code, 1);
  assert.match(v.out, new RegExp(`BROKEN at chain ${id} entry ${seq}: content does not match`));
  sql(`UPDATE audit_log SET detail = UNHEX('${detail}') WHERE chain_id = ${id} AND seq = ${seq}`);
  assert.equal(since().code, 0);
  // the checkpointed entry itself changed: REWOUND
  const [cpSeq] = ctl("audit-checkpoint").match(new RegExp(`chain ${id} seq (\\d+)`)).slice(1);
  const cpFile = join(dir, "cp2.txt");
  writeFileSync(cpFile, ctl("audit-checkpoint"));
  const [h] = sql(`SELECT HEX(hash) FROM audit_log WHERE chain_id = ${id} AND seq = ${cpSeq}`)[0];
  sql(`UPDATE audit_log SET hash = UNHEX('${"33".repeat(32)}') WHERE chain_id = ${id} AND seq = ${cpSeq}`);
  v = ctlStatus("audit-verify", "--since", cpFile);
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, new RegExp(`REWOUND at chain ${id}: entry ${cpSeq}`));
  sql(`UPDATE audit_log SET hash = UNHEX('${h}') WHERE chain_id = ${id} AND seq = ${cpSeq}`);
  assert.equal(ctlStatus("audit-verify", "--since", cpFile).code, 0);
  // the chain cut back below the checkpoint, its head set to match: REWOUND
  const keep = sql(`SELECT seq, event, actor, ip, HEX(detail), created_at, HEX(prev_hash), HEX(hash) FROM audit_log WHERE chain_id = ${id} AND seq = ${cpSeq}`)[0];
  const [prevHash] = sql(`SELECT HEX(hash) FROM audit_log WHERE chain_id = ${id} AND seq = ${Number(cpSeq) - 1}`)[0];
  sql(`DELETE FROM audit_log WHERE chain_id = ${id} AND seq = ${cpSeq}`);
  sql(`UPDATE audit_heads SET seq = ${Number(cpSeq) - 1}, hash = UNHEX('${prevHash}') WHERE chain_id = ${id}`);
  v = ctlStatus("audit-verify", "--since", cpFile);
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, new RegExp(`REWOUND at chain ${id}: entry ${cpSeq}`));
  sql(`INSERT INTO audit_log VALUES (${id}, ${keep[0]}, '${keep[1]}', '${keep[2]}', '${keep[3]}', UNHEX('${keep[4]}'), '${keep[5]}', UNHEX('${keep[6]}'), UNHEX('${keep[7]}'))`);
  assert.equal(ctlStatus("audit-verify", "--since", cpFile).code, 0);
  // a checkpoint edited after it was signed is refused
  writeFileSync(join(dir, "edited.txt"), readFileSync(cpFile, "utf8").replace(/seq (\d+) hash/, (_, n) => `seq ${Number(n) + 1} hash`));
  v = ctlStatus("audit-verify", "--since", join(dir, "edited.txt"));
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, /signature does not verify/);
});

// issue #21: --since reads the grown chains twelve at a time (one statement
// per chain was slower than the full verify once thousands had grown); every
// chain of every batch is verified from its own checkpointed entry on, and a
// fault in a chain of a later batch is still named
test("audit-verify --since over many grown chains: only the entries since, and an edit or a rewound entry in a later batch is named", (t) => {
  const ids = Array.from({ length: 30 }, (_, i) => newAccount(`sinceb${i}`).id).sort((x, y) => x - y);
  const dir = mkdtempSync(join(tmpdir(), "rekey-since-batch-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "checkpoint.txt");
  writeFileSync(file, ctl("audit-checkpoint"));
  const heads = () => new Map(sql(`SELECT chain_id, seq FROM audit_heads WHERE chain_id IN (${ids})`).map(([c, s]) => [Number(c), Number(s)]));
  const before = heads();
  for (const id of ids) ctl("hold", String(id), "1", "since_batch");
  const after = heads();
  const added = ids.reduce((n, id) => n + after.get(id) - before.get(id), 0);
  assert.ok(added >= ids.length, `each chain grew (${added} entries)`);
  const since = () => ctlStatus("audit-verify", "--since", file);
  let v = since();
  assert.equal(v.code, 0, v.out);
  const m = v.out.match(/: (\d+) new entries in (\d+) chains, every chain intact/);
  assert.ok(m, v.out);
  // the entries after the checkpointed ones, of these chains and any other suite's request meanwhile (none in a quiet stack)
  assert.ok(Number(m[1]) >= added && Number(m[1]) <= added + 20, `${m[1]} entries read, ${added} added`);
  assert.ok(Number(m[2]) >= ids.length, `${m[2]} chains read`);
  // an entry after the checkpoint edited, in the 20th of these chains (the second batch or later)
  const id = ids[19];
  const seq = after.get(id);
  const [detail] = sql(`SELECT HEX(detail) FROM audit_log WHERE chain_id = ${id} AND seq = ${seq}`)[0];
  sql(`UPDATE audit_log SET detail = '{"reason":"edited"}' WHERE chain_id = ${id} AND seq = ${seq}`);
  v = since();
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, new RegExp(`BROKEN at chain ${id} entry ${seq}: content does not match`));
  sql(`UPDATE audit_log SET detail = UNHEX('${detail}') WHERE chain_id = ${id} AND seq = ${seq}`);
  assert.equal(since().code, 0);
  // the checkpointed entry of the 27th chain changed (a history rewritten under the checkpoint): REWOUND
  const id2 = ids[26], cpSeq = before.get(id2);
  const [h] = sql(`SELECT HEX(hash) FROM audit_log WHERE chain_id = ${id2} AND seq = ${cpSeq}`)[0];
  sql(`UPDATE audit_log SET hash = UNHEX('${"44".repeat(32)}') WHERE chain_id = ${id2} AND seq = ${cpSeq}`);
  v = since();
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, new RegExp(`REWOUND at chain ${id2}: entry ${cpSeq}`));
  sql(`UPDATE audit_log SET hash = UNHEX('${h}') WHERE chain_id = ${id2} AND seq = ${cpSeq}`);
  // the last entry of the 30th chain deleted, its head left: named
  const id3 = ids[29], last = after.get(id3);
  const keep = sql(`SELECT seq, event, actor, ip, HEX(detail), created_at, HEX(prev_hash), HEX(hash) FROM audit_log WHERE chain_id = ${id3} AND seq = ${last}`)[0];
  sql(`DELETE FROM audit_log WHERE chain_id = ${id3} AND seq = ${last}`);
  v = since();
  assert.equal(v.code, 1, v.out);
  assert.match(v.out, new RegExp(`BROKEN at chain ${id3} entry ${last}: chain ends at ${last - 1} but its head says ${last}`));
  sql(`INSERT INTO audit_log VALUES (${id3}, ${keep[0]}, '${keep[1]}', '${keep[2]}', '${keep[3]}', UNHEX('${keep[4]}'), '${keep[5]}', UNHEX('${keep[6]}'), UNHEX('${keep[7]}'))`);
  assert.equal(since().code, 0);
  assert.equal(ctlStatus("audit-verify").code, 0, "and the full verify agrees");
});
