// api_explain.test.mjs -- issue #21: EXPLAIN of every statement in the SQL
// array (cgi/base/db_sql.h, listed by `rekeyctl sql`) on a generated data set
// (rekeyctl seed-bulk: 3,000 accounts with their history, audit chains,
// cases, evidence, expired codes) in a database of its own on the test
// stack's MariaDB. A statement that reads a table from end to end (a plan
// row of type ALL or index on a table of the schema) fails the test unless it
// is named in ALLOWED below with the reason it may. A table the plan could
// read by a key (possible_keys) but scans because it holds a few hundred
// rows is the optimizer's choice on small data, not a missing index: such a
// table is a scan only from SMALL rows up.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from "node:fs";
import { dir, conf, sqlStatements } from "./stack.mjs";

const root = new URL("../../", import.meta.url).pathname;
const SMALL = 1000;
// statement -> why it may scan (every entry is checked to still exist and to still scan)
export const ALLOWED = {
  STMT_AUDIT_CHAINS: "rekeyctl audit-verify / audit-checkpoint: every chain's head, by design (operator commands, never a request)",
  STMT_AUDIT_HEADS_ENTRY: "rekeyctl audit-verify --since: one pass over every head with its entry, by design (operator command, never a request)",
  STMT_OUTBOX_LIST: "dev mode only (/api/dev/mail, refused unless dev_mode = 1 on localhost): the last 100 messages by the primary key read backwards",
  STMT_REVIEWER_LIST: "rekeyctl reviewer list: every reviewer (staff, tens of rows), never a request",
  STMT_ADMIN_REVIEWERS: "the admin console's reviewer list (#22): every reviewer by design (staff, tens of rows, LIMIT 1000), admins only",
  STMT_SUMMARY_DIFFER: "rekeyctl summaries check (schema/031): every account's kept summary against the view that makes it set-wise, by design (operator command and make test's check, never a request)",
  STMT_VAULT_KEY_COUNTS: "rekeyctl keys list / retire (#22): rows per key id over the sealed tables' key_id index, by design (operator command, never a request)",
};

let db, tmp, cfg, sock;
function mariadb(query, database = db) {
  return execFileSync("mariadb", ["--socket", sock, "-uroot", "-B", ...(database ? [database] : []), "-e", query],
    { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

before(() => {
  sock = `${dir}/run/mysqld.sock`;
  db = `rekey_explain_${process.pid}`;
  tmp = mkdtempSync("/tmp/rekey-explain.");
  // the stack's configuration on another database; no passwords for rekeyd's
  // users, so that migrate leaves the running stack's users alone
  cfg = `${tmp}/rekey.conf`;
  writeFileSync(cfg, readFileSync(conf, "utf8").replace(/^db_name = .*$/m, `db_name = ${db}`)
    .replace(/^db_app_password = .*$/m, "db_app_password =").replace(/^db_review_password = .*$/m, "db_review_password ="));
  mariadb(`CREATE DATABASE ${db}`, null);
  execFileSync(`${root}build/rekeyctl`, ["-c", cfg, "migrate"], { stdio: "ignore" });
  // the review queue's columns as the generator writes them (seed-bulk.sh may load with the triggers off)
  mariadb("DROP TRIGGER reset_cases_queue_insert; DROP TRIGGER reset_cases_queue_update");
  execFileSync(`${root}tests/bench/seed-bulk.sh`, [cfg, "--accounts", "3000", "--backlog", "40", "--expired", "3000"],
    { stdio: "ignore", env: { ...process.env, REKEY_PWHASH_OPSLIMIT: "1", REKEY_PWHASH_MEMLIMIT_MIB: "8" } });
});
after(() => {
  try { mariadb(`DROP DATABASE IF EXISTS ${db}`, null); } finally { rmSync(tmp, { recursive: true, force: true }); }
});

// the statement with literals for its parameters: a number where SQL takes
// only one (LIMIT, INTERVAL), else '1' (compared with an integer column, a
// constant string still uses the key)
export function literal(text) {
  let out = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") quoted = !quoted;
    if (c === "?" && !quoted) out += /(LIMIT|INTERVAL)\s*$/i.test(out) ? "1" : "'1'";
    else out += c;
  }
  return out;
}

// plan rows that read a whole table: [table, type, possible_keys, rows]
function scans(plan, sizes) {
  // (an INSERT's own row names the table it writes: no read)
  return plan.filter((r) => r.select_type !== "INSERT" && (r.type === "ALL" || r.type === "index") && sizes.has(r.table_name ?? r.table) &&
    !(r.possible_keys && r.possible_keys !== "NULL" && sizes.get(r.table_name ?? r.table) < SMALL));
}


// EXPLAIN's rows of one statement, as objects; aliases resolved to the tables they name
function explain(text) {
  const out = mariadb(`EXPLAIN ${literal(text)}`).trim().split("\n");
  const head = out[0].split("\t");
  const alias = new Map();
  for (const m of text.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)(?:\s+(?:AS\s+)?([a-z][a-z0-9_]*))?/gi))
    if (m[2] && !/^(WHERE|ON|JOIN|LEFT|GROUP|ORDER|LIMIT|SET|UNION|FOR)$/i.test(m[2])) alias.set(m[2], m[1]);
  return out.slice(1).map((l) => {
    const o = Object.fromEntries(l.split("\t").map((v, i) => [head[i], v]));
    o.table_name = alias.get(o.table) ?? o.table;
    return o;
  });
}

test("the literal() helper: numbers after LIMIT and INTERVAL, strings elsewhere, quotes left alone", () => {
  assert.equal(literal("SELECT a FROM t WHERE id = ? AND x > NOW() - INTERVAL ? SECOND LIMIT ?"),
    "SELECT a FROM t WHERE id = '1' AND x > NOW() - INTERVAL 1 SECOND LIMIT 1");
  assert.equal(literal("SELECT DATE_FORMAT(at, '%Y?') FROM t WHERE b = ?"), "SELECT DATE_FORMAT(at, '%Y?') FROM t WHERE b = '1'");
});

test("EXPLAIN of every statement in the SQL array: no full scan but the justified ones", () => {
  const sizes = new Map(mariadb(`SELECT table_name, table_rows FROM information_schema.tables WHERE table_schema = '${db}'`)
    .trim().split("\n").slice(1).map((l) => { const [t, n] = l.split("\t"); return [t, Number(n)]; }));
  assert.ok(sizes.get("accounts") > 2000 && sizes.get("audit_log") > 20000, "the generated data set is there");
  const list = sqlStatements();
  assert.ok(list.length > 150, `the SQL array (${list.length} statements)`);
  const found = new Map(), explained = [];
  for (const s of list) {
    if (!/^\(?\s*(WITH|SELECT|UPDATE|DELETE|INSERT|REPLACE)\b/i.test(s.text)) continue; // SET, CREATE: no plan
    const bad = scans(explain(s.text), sizes);
    explained.push(s.name);
    if (bad.length) found.set(s.name, bad.map((r) => `${r.table_name} (${r.type}, ${r.rows} rows)`).join(", "));
  }
  assert.ok(explained.length > 140, `statements explained: ${explained.length}`);
  const unjustified = [...found].filter(([n]) => !ALLOWED[n]).map(([n, t]) => `${n}: ${t}`);
  assert.deepEqual(unjustified, [], "full scans on request paths (add an index, or name the statement in ALLOWED with its reason)");
  // the allow-list stays honest: each entry names a statement that exists and still scans
  assert.deepEqual(Object.keys(ALLOWED).filter((n) => !list.some((s) => s.name === n)), [], "ALLOWED names statements of the SQL array");
  assert.deepEqual(Object.keys(ALLOWED).filter((n) => !found.has(n)), [], `ALLOWED names statements that still scan (scans: ${[...found.keys()].join(", ")})`);
});

test("the scan detector: a statement without a usable key on a generated table is reported, a keyed one is not", () => {
  const sizes = new Map([["audit_log", 60000], ["accounts", 3000], ["reviewers", 2]]);
  assert.equal(scans(explain("SELECT seq FROM audit_log WHERE event = ?"), sizes).length, 1, "no key on event: a scan");
  assert.equal(scans(explain("SELECT COUNT(*) FROM accounts a WHERE a.display_name = ?"), sizes).length, 1, "an aliased table");
  assert.equal(scans(explain("SELECT seq FROM audit_log WHERE chain_id = ? AND seq = ?"), sizes).length, 0, "by the primary key");
  assert.equal(scans(explain("SELECT id FROM accounts WHERE email = ?"), sizes).length, 0, "by a unique key");
});

// issue #21: a queue page costs a page, not the backlog. The plan reads
// reset_cases only by the due indexes of schema/029 (a range per class of due
// time, from the cursor on, LIMITed) and sorts nothing but the merged pages
// (a derived table); before, every open case's due time was computed and
// sorted (reset_cases by (status, submitted_at) with "Using filesort").
export function queueSortsOnlyPages(plan) {
  const cases = plan.filter((r) => r.table_name === "reset_cases");
  return cases.length === 3 && cases.every((r) => /^reset_cases_due(_status)?$/.test(r.key) && !/filesort/.test(r.Extra)) &&
    plan.filter((r) => /filesort/.test(r.Extra)).every((r) => /^<derived\d+>$/.test(r.table));
}

test("the review queue's page (every open case, one status): each class by its due index, only the merged pages sorted", () => {
  const list = sqlStatements();
  // the console's values (literal() would make every filter '1', which no class can match: no plan to look at)
  const bind = (name, values) => {
    const s = list.find((x) => x.name === name);
    assert.equal(values.length, s.n, name);
    let i = 0;
    return s.text.replace(/\?/g, () => (typeof values[i] === "number" ? String(values[i++]) : `'${values[i++]}'`));
  };
  const head = [10000000, 24, 24, 48, "", "", 0, 0, 0, 30]; // value, SLA hours x3, kind, tier, min age, cursor, claim minutes
  const texts = { STMT_REVIEW_QUEUE: bind("STMT_REVIEW_QUEUE", [...head, 50, 50, 50, 50]),
    STMT_REVIEW_QUEUE_STATUS: bind("STMT_REVIEW_QUEUE_STATUS", [...head, "under_review", 50, "under_review", 50, "under_review", 50, 50]) };
  for (const [name, text] of Object.entries(texts)) {
    const plan = explain(text);
    assert.ok(queueSortsOnlyPages(plan), `${name}: ${JSON.stringify(plan.map((r) => [r.table, r.type, r.key, r.Extra]))}`);
  }
  const one = explain(texts.STMT_REVIEW_QUEUE_STATUS).filter((r) => r.table_name === "reset_cases");
  assert.deepEqual(one.map((r) => r.key), ["reset_cases_due_status", "reset_cases_due_status", "reset_cases_due_status"], "a status keys the index");
  // the detector: the whole backlog sorted is caught
  assert.equal(queueSortsOnlyPages(explain("SELECT id FROM reset_cases WHERE status IN ('under_review', 'needs_more_info') " +
    "AND submitted_at IS NOT NULL ORDER BY submitted_at + INTERVAL (CASE WHEN route = 'face' THEN 24 ELSE 48 END) HOUR, id LIMIT 50")), false);
});

test("the generated backlog is in the review queue: rekeyctl seed-bulk writes each case's queue class and status as schema/029's triggers would", () => {
  const [[open, wrong]] = mariadb(`SELECT SUM(queue_class IS NOT NULL) AS open, SUM(NOT (queue_class <=> IF(status IN ('under_review', 'needs_more_info', 'disputed')
      AND submitted_at IS NOT NULL, CASE WHEN route = 'face' THEN 'face' WHEN questions_attempts > 0 THEN 'questions_failed' ELSE 'documents' END, NULL))
    OR NOT (queue_status <=> IF(status IN ('under_review', 'needs_more_info', 'disputed') AND submitted_at IS NOT NULL,
      IF(status IN ('under_review', 'disputed') AND first_approval_by IS NOT NULL, 'second_approval', status), NULL))) AS wrong FROM reset_cases`)
    .trim().split("\n").slice(1).map((l) => l.split("\t").map(Number));
  assert.ok(open >= 40, `cases waiting: ${open} (the backlog is 40)`);
  assert.equal(wrong, 0, "rows whose queue columns are not the rule's");
});
