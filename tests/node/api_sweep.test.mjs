// api_sweep.test.mjs -- the sweep (cgi/jobs/sweep.c, schema/013): challenges,
// codes and rate windows a day past their end, and reset flows a week past
// theirs that never opened a case nor handed off to a phone, are deleted --
// by `rekeyctl sweep` and by the delivery process on its own (the test
// stack sweeps every second: REKEY_SWEEP_SECONDS in tests/run.sh). Live and
// recently expired rows, and flows with a case or a hand-off, stay.
import { test } from "node:test";
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { sql, ctl, newAccount, waitFor } from "./stack.mjs";

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
  assert.match(ctl("sweep"), /^sweep: \d+ challenges, \d+ codes, \d+ rate windows, \d+ reset flows, \d+ delivered mail bodies, \d+ suspended passkeys$/m);
  assert.deepEqual(gone.map((present) => present()), [false, false, false, false]);
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
