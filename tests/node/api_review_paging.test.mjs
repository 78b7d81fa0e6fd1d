// api_review_paging.test.mjs -- issue #21: GET /api/review/queue's cursor
// reaches every case. 260 cases of mixed kinds (face, questions failed,
// screenshots), statuses (under review, second approval, waiting for the
// user, disputed; closed and unsubmitted ones that must not show) and value
// tiers, in groups of twelve submitted at the same microsecond (due at the
// same time within a kind, and across face and questions failed while their
// SLA hours are the same), are walked 7 a page by following `next`: every open
// case of the database appears exactly once, in due order (due time, then
// id), with every filter. The expected order is computed here from the rows
// and the configured SLA hours, not by the server's statement. The cases
// are closed again at the end, so that other suites' queues are as before.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { sql, setting, sqlStatement } from "./stack.mjs";
import { reviewer } from "./review-helpers.mjs";

const TAG = `paging${process.pid}x${Date.now().toString(36)}`;
const N = 260;
let r1;

before(async () => {
  r1 = await reviewer();
  sql(`INSERT INTO accounts (email, password_hash, user_handle, asset_value_cents, created_at)
    SELECT CONCAT('${TAG}-', seq, '@rekey.test'), 'x', UNHEX(SHA2(CONCAT('${TAG}', seq), 256)), IF(seq % 6 = 0, 100000000000, 0), UTC_TIMESTAMP(6)
    FROM seq_1_to_${N}`);
  // i % 3: face, documents with failed questions, documents; i % 10 < 2 waiting for the user, i % 13 = 0 disputed;
  // i % 4 = 0 has a first approval; i % 17 = 5 closed, i % 19 = 3 not submitted; submitted 5 x (i DIV 12) hours and 30 minutes ago
  sql(`INSERT INTO reset_cases (account_id, open_account_id, route, status, questions_attempts, status_token_hash, route_rule,
      created_at, updated_at, closed_at, submitted_at, first_approval_by)
    SELECT a.id, IF(s.seq % 17 = 5, NULL, a.id), IF(s.seq % 3 = 0, 'face', 'documents'),
      CASE WHEN s.seq % 17 = 5 THEN 'expired' WHEN s.seq % 19 = 3 THEN 'awaiting_evidence' WHEN s.seq % 10 < 2 THEN 'needs_more_info'
        WHEN s.seq % 13 = 0 THEN 'disputed' ELSE 'under_review' END,
      IF(s.seq % 3 = 1, 1, 0), UNHEX(SHA2(CONCAT('${TAG}case', s.seq), 256)), 1, t.now - INTERVAL 300 HOUR, t.now,
      IF(s.seq % 17 = 5, t.now, NULL), IF(s.seq % 19 = 3 AND s.seq % 17 <> 5, NULL, t.now - INTERVAL (s.seq DIV 12) * 5 HOUR - INTERVAL 30 MINUTE),
      IF(s.seq % 4 = 0 AND s.seq % 10 >= 2 AND s.seq % 17 <> 5 AND s.seq % 19 <> 3, ${r1.id}, NULL)
    FROM seq_1_to_${N} s JOIN accounts a ON a.email = CONCAT('${TAG}-', s.seq, '@rekey.test') JOIN (SELECT UTC_TIMESTAMP(6) AS now) t`);
});

after(() => {
  sql(`UPDATE reset_cases c JOIN accounts a ON a.id = c.account_id SET c.status = 'expired', c.open_account_id = NULL,
    c.closed_at = UTC_TIMESTAMP(6) WHERE a.email LIKE '${TAG}-%'`);
});

// every open case of the database as the queue should show it, in due order
function expected() {
  const sla = { face: Number(setting("review_sla_face_hours")), questions_failed: Number(setting("review_sla_questions_failed_hours")),
    documents: Number(setting("review_sla_documents_hours")) };
  const high = BigInt(setting("high_value_cents"));
  return sql(`SELECT c.id, c.route, c.status, c.questions_attempts, c.first_approval_by IS NOT NULL,
      CAST(UNIX_TIMESTAMP(c.submitted_at) * 1000000 AS UNSIGNED), a.asset_value_cents, TIMESTAMPDIFF(HOUR, c.submitted_at, UTC_TIMESTAMP(6))
    FROM reset_cases c JOIN accounts a ON a.id = c.account_id
    WHERE c.status IN ('under_review', 'needs_more_info', 'disputed') AND c.submitted_at IS NOT NULL`).map(([id, route, status, qa, first, sub, cents, age]) => {
    const cls = route === "face" ? "face" : Number(qa) > 0 ? "questions_failed" : "documents";
    return {
      id: Number(id), due: BigInt(sub) + BigInt(sla[cls]) * 3600000000n, age: Number(age),
      kind: route === "documents" && Number(qa) > 0 ? "questions_failed" : route,
      status: first === "1" && status !== "needs_more_info" ? "second_approval" : status,
      tier: BigInt(cents) >= high ? "high" : "standard",
    };
  }).sort((x, y) => (x.due < y.due ? -1 : x.due > y.due ? 1 : x.id - y.id));
}

// the whole queue for these filters, following `next` a page at a time
async function walk(filters, limit = 7) {
  const seen = [];
  let next = null, pages = 0;
  do {
    const q = new URLSearchParams({ ...filters, limit: String(limit), ...(next ? { after_due: String(next.after_due), after_id: String(next.after_id) } : {}) });
    const r = await r1.c.get(`/api/review/queue?${q}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.cases.length <= limit);
    seen.push(...r.json.cases);
    next = r.json.next;
    assert.ok(++pages < 500, "the walk ends");
  } while (next);
  return seen;
}

function sameQueue(seen, want, what) {
  const ids = seen.map((c) => c.id);
  assert.equal(new Set(ids).size, ids.length, `${what}: no case twice`);
  assert.deepEqual(ids, want.map((c) => c.id), `${what}: every case, in due order`);
  const byId = new Map(want.map((c) => [c.id, c]));
  for (const c of seen) {
    const w = byId.get(c.id);
    assert.deepEqual([c.kind, c.status, c.tier], [w.kind, w.status, w.tier], `${what}: case ${c.id}`);
    assert.equal(BigInt(Date.parse(c.due_at)) * 1000n, w.due - (w.due % 1000n), `${what}: case ${c.id}'s due time`);
  }
}

test("All open, 7 a page: every open case exactly once, in due order, across ties and kinds", async () => {
  const want = expected();
  assert.ok(want.length > 200, `open cases: ${want.length}`);
  // the data has what the walk must cross: ties on due time within a kind and across kinds, every kind and status
  const dues = new Map();
  for (const c of want) dues.set(c.due, [...(dues.get(c.due) ?? []), c]);
  assert.ok([...dues.values()].some((g) => g.length >= 3 && new Set(g.map((c) => c.kind)).size === 1), "a tie within a kind");
  assert.ok([...dues.values()].some((g) => new Set(g.map((c) => c.kind)).size > 1), "a tie across kinds");
  // (other suites' cases may add a kind: make test's database has an open case on the questions route)
  for (const kind of ["face", "questions_failed", "documents"]) assert.ok(want.some((c) => c.kind === kind), kind);
  for (const status of ["under_review", "second_approval", "needs_more_info", "disputed"]) assert.ok(want.some((c) => c.status === status), status);
  sameQueue(await walk({}), want, "all open");
  // the console's page size too
  sameQueue(await walk({}, 200), want, "all open, 200 a page");
});

test("each status (second approval apart), kind, tier and age filter: every matching case exactly once, in due order", async () => {
  const want = expected();
  for (const status of ["under_review", "second_approval", "needs_more_info", "disputed"])
    sameQueue(await walk({ status }), want.filter((c) => c.status === status), status);
  for (const route of ["face", "questions_failed", "documents"])
    sameQueue(await walk({ route }, 11), want.filter((c) => c.kind === route), route);
  sameQueue(await walk({ tier: "high" }, 5), want.filter((c) => c.tier === "high"), "high value");
  sameQueue(await walk({ min_age_hours: "30" }), want.filter((c) => c.age >= 30), "30 h and older");
  sameQueue(await walk({ status: "second_approval", route: "face", tier: "standard", min_age_hours: "4" }, 3),
    want.filter((c) => c.status === "second_approval" && c.kind === "face" && c.tier === "standard" && c.age >= 4), "all four");
});

test("a cursor inside a tie continues with the tie's next case, not after the tie", async () => {
  const want = expected();
  const i = want.findIndex((c, k) => k + 1 < want.length && want[k + 1].due === c.due);
  assert.ok(i >= 0, "a tie");
  const r = await r1.c.get(`/api/review/queue?limit=1&after_due=${want[i].due}&after_id=${want[i].id}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.cases.map((c) => c.id), [want[i + 1].id]);
  assert.deepEqual(r.json.next, { after_due: Number(want[i + 1].due), after_id: want[i + 1].id });
  // the last case's cursor: nothing after it
  const last = want[want.length - 1];
  const end = await r1.c.get(`/api/review/queue?limit=5&after_due=${last.due}&after_id=${last.id}`);
  assert.deepEqual([end.json.cases, end.json.next], [[], null]);
});

// schema/029: the queue's class and status columns are kept by triggers on
// every write, so a case moves in the queue as its row changes
test("a case's place follows its row: first approval, more information asked, a new route, a new submission, closed", async () => {
  const mine = sql(`SELECT c.id FROM reset_cases c JOIN accounts a ON a.id = c.account_id
    WHERE a.email LIKE '${TAG}-%' AND c.status = 'under_review' AND c.first_approval_by IS NULL ORDER BY c.id LIMIT 5`).map(([id]) => id);
  assert.equal(mine.length, 5);
  sql(`UPDATE reset_cases SET first_approval_by = ${r1.id} WHERE id = ${mine[0]}`);
  sql(`UPDATE reset_cases SET status = 'needs_more_info' WHERE id = ${mine[1]}`);
  sql(`UPDATE reset_cases SET route = IF(route = 'face', 'documents', 'face'), questions_attempts = 0 WHERE id = ${mine[2]}`);
  sql(`UPDATE reset_cases SET submitted_at = UTC_TIMESTAMP(6) - INTERVAL 7 MINUTE WHERE id = ${mine[3]}`);
  sql(`UPDATE reset_cases SET status = 'rejected', open_account_id = NULL, closed_at = UTC_TIMESTAMP(6) WHERE id = ${mine[4]}`);
  const want = expected();
  assert.equal(want.find((c) => c.id === Number(mine[0])).status, "second_approval");
  assert.equal(want.some((c) => c.id === Number(mine[4])), false);
  sameQueue(await walk({}), want, "all open, after the changes");
  for (const status of ["second_approval", "needs_more_info"])
    sameQueue(await walk({ status }), want.filter((c) => c.status === status), `${status}, after the changes`);
});

// schema/033: the header counts read the value each waiting case carries,
// kept equal to its account's by triggers, not the accounts themselves
function countsOf(list) {
  const counts = { kind: {}, status: {}, tier: {}, total: list.length };
  for (const c of list)
    for (const [k, v] of [["kind", c.kind], ["status", c.status], ["tier", c.tier]]) counts[k][v] = (counts[k][v] ?? 0) + 1;
  return counts;
}

test("the header counts are the queue's own, per kind, status and tier, and follow a value the exchange changes", async () => {
  const sorted = (o) => Object.fromEntries(Object.entries(o).sort());
  const same = (got, want, what) => {
    for (const k of ["kind", "status", "tier"]) assert.deepEqual(sorted(got[k]), sorted(want[k]), `${what}: counts per ${k}`);
    assert.equal(got.total, want.total, `${what}: total`);
  };
  const q = await r1.c.get("/api/review/queue?limit=1");
  assert.equal(q.status, 200, q.text);
  same(q.json.counts, countsOf(expected()), "as seeded");
  // the ledger moves five high-value accounts below the threshold and five standard ones above it
  const high = setting("high_value_cents");
  const move = (cond) => sql(`SELECT a.id, c.id FROM accounts a JOIN reset_cases c ON c.account_id = a.id
    WHERE a.email LIKE '${TAG}-%' AND c.queue_class IS NOT NULL AND ${cond} ORDER BY a.id LIMIT 5`);
  const downRows = move(`a.asset_value_cents >= ${high}`), upRows = move(`a.asset_value_cents < ${high}`);
  assert.equal(downRows.length + upRows.length, 10);
  const down = downRows.map(([a]) => a), up = upRows.map(([a]) => a);
  sql(`UPDATE accounts SET asset_value_cents = 0 WHERE id IN (${down})`);
  sql(`UPDATE accounts SET asset_value_cents = ${high} WHERE id IN (${up})`);
  try {
    const want = expected();
    for (const [, id] of upRows) assert.equal(want.find((c) => c.id === Number(id)).tier, "high");
    for (const [, id] of downRows) assert.equal(want.find((c) => c.id === Number(id)).tier, "standard");
    same((await r1.c.get("/api/review/queue?limit=1")).json.counts, countsOf(want), "after the values moved");
    sameQueue(await walk({ tier: "high" }, 50), want.filter((c) => c.tier === "high"), "high value, after the values moved");
    sameQueue(await walk({ tier: "standard" }, 50), want.filter((c) => c.tier === "standard"), "standard, after the values moved");
  } finally {
    sql(`UPDATE accounts SET asset_value_cents = 100000000000 WHERE id IN (${down})`);
    sql(`UPDATE accounts SET asset_value_cents = 0 WHERE id IN (${up})`);
  }
  same((await r1.c.get("/api/review/queue?limit=1")).json.counts, countsOf(expected()), "after the values moved back");
});

test("the counts' statement reads the waiting cases from their index alone: no account, no temporary table, no sort", async () => {
  const text = sqlStatement("STMT_REVIEW_COUNTS_SIGNED_IN");
  // EXPLAIN's columns: id, select_type, table, type, possible_keys, key, key_len, ref, rows, Extra
  // with a live session of this suite's reviewer (else the plan stops at the session: impossible WHERE)
  const [hash] = sql(`SELECT HEX(token_hash) FROM reviewer_sessions WHERE reviewer_id = ${r1.id} AND revoked_at IS NULL ORDER BY id DESC LIMIT 1`)[0];
  const args = [`X'${hash}'`, "86400", setting("high_value_cents"), `X'${hash}'`, "86400"];
  const plan = sql(`EXPLAIN ${text.replace(/\?/g, () => args.shift())}`);
  assert.ok(!plan.some((r) => r[2] === "a" || r[2] === "accounts"), `no account read: ${JSON.stringify(plan)}`);
  const c = plan.find((r) => r[2] === "c");
  assert.ok(c, JSON.stringify(plan));
  assert.equal(c[5], "reset_cases_counts");
  assert.match(c[9], /Using index/, "the index alone");
  // (MariaDB names a grouping's temporary table and sort on the first table of its select)
  for (const row of plan.filter((r) => r[0] === c[0])) assert.doesNotMatch(row[9], /temporary|filesort/, `${row[2]}: ${row[9]}`);
});

test("CHECKSUM TABLE reset_cases does not change with what was read before it (the backup drill and the cluster compare with it)", () => {
  const sum = () => sql("CHECKSUM TABLE reset_cases")[0][1];
  const first = sum();
  sql("SELECT * FROM reset_cases LIMIT 100");
  sql("SELECT COUNT(*) FROM reset_cases FORCE INDEX (reset_cases_due) WHERE queue_class = 'face'");
  sql("SELECT * FROM reset_cases");
  assert.equal(sum(), first);
});
