// api_questions_draws.test.mjs -- issue #14 finding 1, the attack itself:
// someone with the password and the mailbox draws the security questions
// again and again (new flows, new browsers, after wrong answers) and keeps
// the options that appear in every draw. Whatever they collect must reveal
// nothing that one draw does not: the candidate set left by intersecting
// all draws is, for every question, the whole option list of one draw.
import { test } from "node:test";
import assert from "node:assert/strict";
import { sql } from "./stack.mjs";
import { subject, correct, routed } from "./reset-helpers.mjs";

const DRAWS = 20;

// the credentials step allows 10 tries per email per 15 minutes; an
// attacker waits the window out, the test empties it
const waitOutWindow = () => sql("DELETE FROM rate_limits");

function record(draws, q, how) {
  assert.equal(q.status, 200, q.text);
  draws.push({ how, attempts_left: q.json.attempts_left, questions: q.json.questions });
}

test("20 draws of the security questions leave no fewer candidates than one draw", async () => {
  const a = subject();
  // more history than one question shows: five deposit coins, of which four are shown
  sql(`INSERT INTO transfers (account_id, direction, coin, network, amount, occurred_at, address, txid, counterparty) VALUES
    (${a.id}, 'deposit', 'SOL', 'SOL', 3, UTC_TIMESTAMP(6) - INTERVAL 90 DAY, 'x', '${"4".repeat(64)}', 'Kraken'),
    (${a.id}, 'deposit', 'LTC', 'LTC', 1, UTC_TIMESTAMP(6) - INTERVAL 80 DAY, 'y', '${"5".repeat(64)}', 'Kraken'),
    (${a.id}, 'deposit', 'XRP', 'XRP', 9, UTC_TIMESTAMP(6) - INTERVAL 70 DAY, 'z', '${"6".repeat(64)}', 'Kraken')`);
  const draws = [];
  // new flows in new browsers, never answering (each a fresh cookie jar)
  for (let i = 0; i < DRAWS - 4; i++) {
    if (i % 8 === 0) waitOutWindow();
    const f = await routed(a);
    record(draws, await f.c.post(`/api/reset/${f.id}/questions`, {}), "new flow");
  }
  // the same flow asking twice, then after wrong answers (Continue)
  waitOutWindow();
  const f = await routed(a);
  record(draws, await f.c.post(`/api/reset/${f.id}/questions`, {}), "first draw of a flow");
  for (let attempt = 1; attempt <= 2; attempt++) {
    const q = draws[draws.length - 1].questions;
    const wrong = q.map((x) => { const c = correct(a.id, x); return x.options.map((o) => o.id).filter((i) => !c.includes(i)).slice(0, 1); });
    const r = await f.c.post(`/api/reset/${f.id}/answers`, { answers: wrong });
    assert.equal(r.json.reset, false);
    record(draws, await f.c.post(`/api/reset/${f.id}/questions`, {}), `after wrong answer ${attempt}`);
  }
  const g = await routed(a); // another browser after the wrong answers: the case's counter, not a fresh 3
  record(draws, await g.c.post(`/api/reset/${g.id}/questions`, {}), "new flow after wrong answers");
  assert.equal(draws.length, DRAWS);

  const one = draws[0].questions;
  assert.equal(one.length, 4);
  for (const [qi, q] of one.entries()) {
    // the attacker's candidates: options present in every draw of this question
    let candidates = new Set(q.options.map((o) => o.label));
    for (const d of draws) {
      const same = d.questions.find((x) => x.id === q.id);
      assert.ok(same, `${q.id} is asked in every draw (${d.how})`);
      candidates = new Set(same.options.map((o) => o.label).filter((l) => candidates.has(l)));
      // nothing else differs either: order, count, wording, position
      assert.deepEqual(same, q, `${q.id} is the same in every draw (${d.how})`);
      assert.equal(d.questions.findIndex((x) => x.id === q.id), qi);
    }
    assert.equal(candidates.size, q.options.length, `${q.id}: the intersection of ${DRAWS} draws is no smaller than one draw`);
    // and one draw is not the answer: a multiple-choice question always has six options, some wrong
    if (q.kind === "multiple") {
      assert.equal(q.options.length, 6);
      assert.ok(correct(a.id, q).length < 6);
    }
  }
  // attempts_left counts the case's attempts, whichever flow asks
  assert.deepEqual(draws.map((d) => d.attempts_left), [...Array(DRAWS - 3).fill(3), 2, 1, 1]);
  // the four shown coins are true, and the fifth is never offered as a wrong option
  const coins = one.find((x) => x.id === "deposit_coins");
  if (coins) {
    const truth = ["BTC", "ETH", "SOL", "LTC", "XRP"];
    const shownTrue = coins.options.filter((o) => truth.includes(o.label));
    assert.equal(shownTrue.length, 4);
    assert.deepEqual(correct(a.id, coins).sort(), shownTrue.map((o) => o.id).sort());
  }
  // one set stored for the case until it is answered (not one per draw)
  assert.equal(sql(`SELECT COUNT(*) FROM question_sets s JOIN reset_cases c ON c.id = s.case_id WHERE c.account_id = ${a.id}`)[0][0], "3");
});

test("two accounts with the same history get different distractors (keyed per account)", async () => {
  const a = subject(), b = subject();
  const fa = await routed(a), fb = await routed(b);
  const qa = (await fa.c.post(`/api/reset/${fa.id}/questions`, {})).json.questions;
  const qb = (await fb.c.post(`/api/reset/${fb.id}/questions`, {})).json.questions;
  const labels = (qs) => JSON.stringify(qs.map((q) => [q.id, q.options.map((o) => o.label).sort()]).sort());
  assert.notEqual(labels(qa), labels(qb), "the distractors are not one fixed list for everyone");
});
