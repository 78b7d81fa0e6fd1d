// delete_race.mjs -- the delete flow's completion race alone, repeated, for a
// targeted run against a running cluster stack (the race is probabilistic:
// make reliability CLUSTER=1 runs it 100 times among everything else).
//   REKEY_TEST_DIR=DIR REKEY_TEST_PORT=PORT REKEY_TEST_MAIL=DIR/mail node tests/reliability/delete_race.mjs [REPS] [PARALLEL]
// (DIR: a stack from `cgi/ops/stack.sh cluster DIR PORT`, started with the
// reliability run's REKEY_* settings). Each repetition: one account with one
// passkey and TOTP, its delete flow at the second factor, PARALLEL completions
// with the same code at once through both rekeyd. It must answer one 200 and
// PARALLEL - 1 flow_finished (409/410), and the cluster must hold one
// passkey_deleted audit entry (read on node 1 once it has applied every
// write-set committed before). Prints each failed repetition; exits 1 if any.
import { Client, sql, origin, newAccount, codeMail, mails, totp, base32Decode } from "../node/stack.mjs";
import { SoftAuthenticator } from "../node/authenticator.mjs";

const N = Number(process.argv[2] || 50), PAR = Number(process.argv[3] || 10);
async function setup() {
  const { email, id } = newAccount("cdel");
  const c = new Client();
  const si = await c.signIn(email);
  if (si.status !== 200) throw new Error(`sign-in ${si.status}`);
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
  if (r.status !== 200) throw new Error(`email-code ${r.status}`);
  return { c, id, flow, secret };
}
let bad = 0, skipped = 0;
for (let i = 0; i < N; i++) {
  let d;
  try { d = await setup(); } catch (e) { skipped++; console.log(`rep ${i}: set-up failed: ${e.message}`); continue; }
  const code = totp(d.secret, 1);
  const rs = await Promise.all(Array.from({ length: PAR }, () => d.c.post(`/api/delete-flows/${d.flow}/verify`, { method: "totp", code })));
  const by = {};
  for (const r of rs) { const k = `${r.status} ${r.json?.error?.code || ""}`; by[k] = (by[k] || 0) + 1; }
  const wins = rs.filter((r) => r.status === 200);
  const ended = rs.filter((r) => (r.status === 409 || r.status === 410) && r.json?.error?.code === "flow_finished").length;
  // node 1, once it has applied what the cluster committed
  const audit = sql(`SET SESSION wsrep_sync_wait = 1; SELECT COUNT(*) FROM audit_log WHERE chain_id = ${d.id} AND event = 'passkey_deleted'`)[0][0];
  if (wins.length !== 1 || ended !== rs.length - 1 || audit !== "1") {
    bad++;
    console.log(`rep ${i} flow ${d.flow} account ${d.id}: ${JSON.stringify(by)}, passkey_deleted audit entries ${audit}`);
    for (const w of wins) console.log("    200:", w.text.slice(0, 300));
  }
}
console.log(`${bad} of ${N - skipped} repetitions failed (${skipped} set-ups failed)`);
process.exit(bad ? 1 : 0);
