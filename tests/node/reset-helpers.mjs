// reset-helpers.mjs -- accounts with a history for the reset suites, and the
// answers their owner knows.
import { readFileSync } from "node:fs";
import { newAccount, sql, base, origin } from "./stack.mjs";
import { root } from "./vectors.mjs";

// The account's history: deposits, withdrawals, sign-ins (what Case 1 asks about).
export function history(id) {
  sql(`INSERT INTO transfers (account_id, direction, coin, network, amount, occurred_at, address, txid, counterparty) VALUES
    (${id}, 'deposit', 'BTC', 'BTC', 0.5, UTC_TIMESTAMP(6) - INTERVAL 200 DAY, 'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq', '${"1".repeat(64)}', 'Kraken'),
    (${id}, 'deposit', 'ETH', 'ETH', 2, UTC_TIMESTAMP(6) - INTERVAL 100 DAY, '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed', '0x${"2".repeat(64)}', 'Binance'),
    (${id}, 'withdrawal', 'USDT', 'TRX', 250, '2026-11-01 10:30:00', 'THXnVfYBJdhehBoWGWi4vavFNWKAUhk8Nj', '${"3".repeat(64)}', 'OKX')`);
  sql(`INSERT INTO signins (account_id, at, ip, country, device) VALUES (${id}, UTC_TIMESTAMP(6) - INTERVAL 30 DAY, '203.0.113.9', 'CH', 'x'),
    (${id}, UTC_TIMESTAMP(6) - INTERVAL 60 DAY, '198.51.100.7', 'DE', 'y')`);
}
export const bindPhone = (id) => sql(`INSERT INTO phones (account_id, number, confirmed_at, created_at) VALUES (${id}, '+41790000${String(id).padStart(3, "0").slice(-3)}', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))`);

export function subject(identity = "unverified", cents = "100000", { tool = true, hist = true } = {}) {
  const a = newAccount("rst", identity, cents);
  if (hist) history(a.id);
  if (tool) bindPhone(a.id);
  return a;
}

// The correct option ids, as the account holder knows them.
export function correct(id, q) {
  const labels = (rows) => rows.map((r) => r[0]);
  const want = {
    deposit_coins: () => labels(sql(`SELECT DISTINCT coin FROM transfers WHERE account_id = ${id} AND direction = 'deposit'`)),
    withdraw_networks: () => labels(sql(`SELECT DISTINCT network FROM transfers WHERE account_id = ${id} AND direction = 'withdrawal'`)),
    signin_countries: () => labels(sql(`SELECT DISTINCT country FROM signins WHERE account_id = ${id} AND country <> ''`)),
    account_opened: () => [sql(`SELECT DATE_FORMAT(created_at, '%M %Y') FROM accounts WHERE id = ${id}`)[0][0]],
    last_withdrawal: () => {
      const [coin, amt] = sql(`SELECT coin, amount FROM transfers WHERE account_id = ${id} AND direction = 'withdrawal' ORDER BY occurred_at DESC LIMIT 1`)[0];
      const v = Number(amt), b = v < 0.1 ? 0 : v < 1 ? 1 : v < 10 ? 2 : v < 1000 ? 3 : 4;
      return [["Less than 0.1", "0.1 to 1", "1 to 10", "10 to 1,000", "More than 1,000"][b] + " " + coin];
    },
  }[q.id]();
  return q.options.filter((o) => want.includes(o.label)).map((o) => o.id);
}


import { Client, mails, codeMail, DEMO_PASSWORD } from "./stack.mjs";
import assert from "node:assert/strict";

// A browser-like client through instructions, consent and credentials.
export async function toEmailCode(email, password = DEMO_PASSWORD, { forgot = false, entry = "direct" } = {}) {
  const c = new Client();
  const s = await c.post("/api/reset", { entry });
  assert.equal(s.status, 201);
  const id = s.json.id;
  assert.equal((await c.post(`/api/reset/${id}/agree`, { agree: true })).json.state, "credentials");
  const before = mails(email).length;
  const r = forgot ? await c.post(`/api/reset/${id}/forgot-password`, { email }) : await c.post(`/api/reset/${id}/credentials`, { email, password });
  assert.equal(r.status, 200, r.text);
  return { c, id, before, r };
}

// A new account with a history, through the email code, routed to state.
export async function routedTo(state, identity, opts = {}) {
  const a = subject(identity, "100000", { tool: false, ...opts });
  const f = await routed(a);
  assert.equal(f.routed.state, state);
  return { a, f };
}

// ... and through the email code: the flow is routed to its case.
export async function routed(a, opts = {}) {
  const f = await toEmailCode(a.email, DEMO_PASSWORD, opts);
  const code = await codeMail(a.email, f.before);
  const r = await f.c.post(`/api/reset/${f.id}/email-code`, { code });
  assert.equal(r.status, 200, r.text);
  return { ...f, routed: r.json };
}

// Evidence (Cases 2 and 3): the image corpus, the typed fields of a screenshot, an upload with the flow's cookie.
export const corpus = (n) => readFileSync(root + "tests/vectors/image/corpus/" + n);
export const EMAIL = { kind: "operator_email", email_kind: "withdrawal" };
export const TX = { kind: "counterparty_tx", direction: "withdrawal", coin: "USDT", network: "TRX", amount: "250", time: "2026-11-01T10:30",
  reference: "3".repeat(64), counterparty: "OKX" };

export async function upload(f, file, fields, type = "image/png") {
  const res = await fetch(`${base}/api/reset/${f.id}/evidence?${new URLSearchParams(fields)}`, {
    method: "POST", headers: { Origin: origin, Cookie: f.c.cookie, "Content-Type": type }, body: file });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, text };
}
