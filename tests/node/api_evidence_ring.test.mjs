// api_evidence_ring.test.mjs -- issue #21, schema/034: the fraud-ring
// statement (STMT_EVIDENCE_RING, run here as rekeyd runs it: the text from
// `rekeyctl sql`, prepared, its parameters bound) finds the other accounts'
// cases whose screenshot is within 4 bits of an upload's fingerprint by an
// index over the fingerprint's five parts, not by reading every row. Its
// answers are compared with a search by brute force over the same rows:
// differing bits in one part, spread over four parts (only the fifth agrees),
// at 5 bits (never found), at part boundaries, and 400 fingerprints drawn at
// random around one; and its plan with 3,000 rows reads the parts' indexes.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { sql, sqlStatement } from "./stack.mjs";

const TAG = `ring${process.pid}x${Date.now().toString(36)}`;
const text = sqlStatement("STMT_EVIDENCE_RING");
const U64 = (1n << 64n) - 1n;
const signed = (u) => BigInt.asIntN(64, u & U64); // the column keeps the bit pattern as a signed BIGINT
const bits = (x) => { let n = 0; for (let v = x & U64; v; v &= v - 1n) n++; return n; };
let rand = 0x9e3779b97f4a7c15n;
const next = () => { rand = (rand * 6364136223846793005n + 1442695040888963407n) & U64; return rand; };

let cases = []; // [case id, account id]
before(() => {
  // 40 accounts with a case each (the rows below are spread over them)
  sql(`INSERT INTO accounts (email, password_hash, user_handle, created_at)
    SELECT CONCAT('${TAG}-', seq, '@rekey.test'), 'x', UNHEX(SHA2(CONCAT('${TAG}', seq), 256)), UTC_TIMESTAMP(6) FROM seq_1_to_40`);
  sql(`INSERT INTO reset_cases (account_id, route, status, status_token_hash, route_rule, created_at, updated_at, closed_at)
    SELECT a.id, 'documents', 'rejected', UNHEX(SHA2(CONCAT('${TAG}case', a.id), 256)), 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)
    FROM accounts a WHERE a.email LIKE '${TAG}-%'`);
  cases = sql(`SELECT c.id, c.account_id FROM reset_cases c JOIN accounts a ON a.id = c.account_id WHERE a.email LIKE '${TAG}-%' ORDER BY c.id`)
    .map(([c, a]) => [Number(c), Number(a)]);
  assert.equal(cases.length, 40);
});

after(() => {
  sql(`DELETE e FROM evidence e JOIN reset_cases c ON c.id = e.case_id JOIN accounts a ON a.id = c.account_id WHERE a.email LIKE '${TAG}-%'`);
});

// evidence rows with these fingerprints, round robin over the cases: [case id, account id, fingerprint]
function store(prints) {
  const rows = prints.map((fp, i) => [...cases[i % cases.length], fp]);
  for (let i = 0; i < rows.length; i += 500)
    sql(`INSERT INTO evidence (case_id, kind, format, width, height, bytes, sha256, fingerprint, key_id, original_sealed, canonical_sealed, created_at) VALUES ` +
      rows.slice(i, i + 500).map(([c, , fp]) => `(${c}, 'operator_email', 'png', 1, 1, 1, UNHEX(SHA2('${TAG}${fp}', 256)), ${signed(fp)}, 1, 'x', 'x', UTC_TIMESTAMP(6))`).join(","));
  return rows;
}

// the statement as rekeyd runs it: the account, then the fingerprint six times
function ring(account, fp) {
  const f = signed(fp);
  const out = sql(`SET @acc = ${account}, @fp = ${f}; PREPARE ring FROM '${text.replace(/'/g, "''")}';
    EXECUTE ring USING @acc, @fp, @fp, @fp, @fp, @fp, @fp; DEALLOCATE PREPARE ring`);
  return out.map(([c]) => Number(c));
}

// what it must answer, by brute force over every evidence row of the database
function expected(account, fp) {
  const all = sql(`SELECT e.case_id, c.account_id, e.fingerprint FROM evidence e JOIN reset_cases c ON c.id = e.case_id`);
  const found = new Set(all.filter(([, a, f]) => Number(a) !== account && bits(BigInt(f) ^ fp) <= 4).map(([c]) => Number(c)));
  return [...found].sort((x, y) => y - x).slice(0, 5);
}

test("the parts are the fingerprint's (triggers on insert and update), rows kept before the migration included", () => {
  const [row] = store([0xfedcba9876543210n]);
  const parts = sql(`SELECT fp_a, fp_b, fp_c, fp_d, fp_e FROM evidence WHERE case_id = ${row[0]} AND fingerprint = ${signed(row[2])}`)[0].map(Number);
  const fp = row[2];
  assert.deepEqual(parts, [fp >> 51n & 8191n, fp >> 38n & 8191n, fp >> 25n & 8191n, fp >> 12n & 8191n, fp & 4095n].map(Number));
  // every row of the database agrees with its fingerprint
  assert.equal(sql(`SELECT COUNT(*) FROM evidence WHERE NOT (fp_a <=> (fingerprint >> 51) & 8191 AND fp_b <=> (fingerprint >> 38) & 8191
    AND fp_c <=> (fingerprint >> 25) & 8191 AND fp_d <=> (fingerprint >> 12) & 8191 AND fp_e <=> fingerprint & 4095)`)[0][0], "0");
});

test("within 4 bits wherever they fall (one part, four parts, across a part's edge) found; 5 bits never", () => {
  // bit positions: parts are [51..63], [38..50], [25..37], [12..24], [0..11]
  const flips = {
    "none": [], "one bit": [0], "4 bits in one part": [52, 55, 60, 63], "4 bits, 4 parts (only the last agrees)": [63, 50, 37, 24],
    "4 bits, the other 4 parts (only the first agrees)": [50, 37, 24, 11], "at the parts' edges": [51, 38, 25, 12],
    "5 bits, one in each part": [63, 50, 37, 24, 11], "5 bits in one part": [0, 1, 2, 3, 4], "6 bits": [1, 14, 27, 40, 53, 60],
  };
  // each case its own base (drawn), so that one probe's answer is about one row
  const bases = Object.keys(flips).map(() => next());
  const prints = Object.values(flips).map((f, i) => f.reduce((v, b) => v ^ (1n << BigInt(b)), bases[i]));
  const rows = store(prints);
  const other = cases[cases.length - 1][1]; // an account of this suite with no row above: every case is another's
  Object.keys(flips).forEach((name, i) => {
    const want = flips[name].length <= 4;
    const found = ring(other, bases[i]);
    assert.equal(found.includes(rows[i][0]), want, `${name}: ${want ? "found" : "not found"}`);
    assert.deepEqual(found, expected(other, bases[i]), name);
  });
  const base = bases[1];
  // the account's own cases are never named
  assert.ok(!ring(rows[1][1], base).includes(rows[1][0]), "its own case");
});

test("400 fingerprints drawn around one, and 3,000 rows of others: the same answers as brute force, from the parts' indexes", () => {
  const base = next();
  const near = Array.from({ length: 400 }, () => {
    let v = base;
    const n = Number(next() % 7n); // 0..6 bits flipped
    for (let k = 0; k < n; k++) v ^= 1n << (next() % 64n);
    return v;
  });
  store([...near, ...Array.from({ length: 3000 }, () => next())]);
  sql("ANALYZE TABLE evidence");
  for (let k = 0; k < 25; k++) {
    const probe = k < 20 ? near[k * 17] : next();
    const account = cases[k % cases.length][1];
    assert.deepEqual(ring(account, probe), expected(account, probe), `probe ${k}`);
  }
  // the plan: evidence by the parts' indexes (index_merge), not read whole
  const plan = sql(`EXPLAIN ${text.replace(/\?/g, "1")}`);
  const ev = plan.find((r) => r[2] === "e");
  assert.ok(ev, JSON.stringify(plan));
  assert.equal(ev[3], "index_merge", `evidence is read by ${ev[3]}: ${ev.join(" ")}`);
  for (const k of ["evidence_fp_a", "evidence_fp_b", "evidence_fp_c", "evidence_fp_d", "evidence_fp_e"]) assert.ok(ev[5].includes(k), `${k} used: ${ev[5]}`);
});
