// api_problems.test.mjs -- the one list of problem codes (#25): the server's
// table (cgi/base/problems.h) and the core's (wasm/problem.h), as printed by
// `rekeyctl problems`, are exactly the codes cgi/openapi.json lists; no error
// answer is written anywhere but cgi/base/http.c (so every code comes from a
// table row); nginx's own JSON errors use codes of the table; and the answers
// a client meets carry codes of the list.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Client, ctl, uniqueEmail } from "./stack.mjs";
import { root, sourceFiles } from "./vectors.mjs";

const rows = ctl("problems").trim().split("\n").map((l) => {
  const [code, status, origin, ...message] = l.split(" ");
  return { code, status: Number(status), origin, message: message.join(" ") };
});
const listed = new Set(rows.map((r) => r.code));
const openapi = JSON.parse(readFileSync(root + "cgi/openapi.json", "utf8"));
const documented = openapi.components.schemas.Error.properties.error.properties.code.enum;

test("rekeyctl problems and the OpenAPI document list the same codes", () => {
  assert.ok(rows.length > 100);
  assert.deepEqual([...listed].sort(), [...documented].sort());
  assert.equal(new Set(documented).size, documented.length, "no code listed twice");
});

test("every row is well formed: snake_case, a 4xx/5xx status, one status per code, words for the user", () => {
  const statusOf = new Map();
  for (const r of rows) {
    assert.match(r.code, /^[a-z0-9_]+$/);
    assert.ok(r.status >= 400 && r.status <= 599, `${r.code} ${r.status}`);
    assert.ok(r.message.length > 0, r.code);
    if (r.origin === "server") {
      const s = statusOf.get(r.code);
      statusOf.set(r.code, (s || new Set()).add(r.status));
    }
  }
  // a code keeps one meaning; the two that differ by situation say so in their rows
  const several = [...statusOf].filter(([, s]) => s.size > 1).map(([c]) => c).sort();
  assert.deepEqual(several, ["counter_regression", "flow_finished"]);
});

test("no error answer is written outside base/http.c: every code comes from a table row", () => {
  const offenders = [];
  for (const f of sourceFiles("cgi", /\.[ch]$/, ["ops"])) {
    if (f.endsWith(join("base", "http.c"))) continue;
    const src = readFileSync(f, "utf8");
    if (/json_pack\([^;]*"error"/.test(src)) offenders.push(f + ": builds an error body");
    // a 4xx/5xx written by hand; the health document's 503 (a status report, not an error) is the one exception
    for (const m of src.matchAll(/\bhttp_json\(\s*r\s*,\s*([45]\d\d)[^;]*;/g))
      if (!(f.endsWith(join("api", "health.c")) && m[1] === "503" && m[0].includes('"degraded"'))) offenders.push(f + ": answers " + m[1] + " with http_json");
    if (/\bhttp_error\(/.test(src)) offenders.push(f + ": http_error outside http.c");
  }
  assert.deepEqual(offenders, []);
  // and every SP_ name a source uses is a row (the compiler says so too; this names it)
  const table = readFileSync(root + "cgi/base/problems.h", "utf8");
  const rowsH = new Set([...table.matchAll(/X\((SP_[A-Z0-9_]+),/g)].map((m) => m[1]));
  for (const f of sourceFiles("cgi", /\.[ch]$/, ["ops"])) {
    for (const m of readFileSync(f, "utf8").matchAll(/\b(SP_[A-Z0-9_]+)\b/g)) {
      if (["SP__MAX", "SP_ENUM", "SP_ROW"].includes(m[1])) continue;
      assert.ok(rowsH.has(m[1]), `${f}: ${m[1]} is not a row of base/problems.h`);
    }
  }
});

test("nginx's own JSON errors under /api/ use codes of the table", () => {
  const conf = readFileSync(root + "cgi/ops/nginx.conf.in", "utf8");
  const answers = [...conf.matchAll(/"code":"([a-z_]+)","message":"([^"]*)"/g)].map((m) => ({ code: m[1], message: m[2] }));
  assert.ok(answers.length >= 3, "nginx answers some errors itself");
  for (const a of answers)
    assert.ok(rows.some((r) => r.code === a.code && r.message === a.message), `nginx answers ${a.code} "${a.message}", which is not a row`);
});

test("the errors a client meets carry listed codes and the row's words", async () => {
  const c = new Client();
  const seen = [
    await c.get("/api/me"),                                                  // no session
    await c.get("/api/no-such-route"),                                       // unknown path
    await c.post("/api/session", { email: "x@rekey.test" }),                 // a missing field
    await c.post("/api/session", { email: "x@rekey.test", password: "p", extra: 1 }), // an unknown field
    await c.req("POST", "/api/session", undefined, { raw: "{", headers: { "Content-Type": "application/json" } }),
    await c.post("/api/session", { email: "not-an-email", password: "p" }),  // the core's validator
    await c.get("/api/me?x=1"),                                              // a parameter the route does not take
  ];
  // and a row with a configured duration, in the configured words
  const { texts } = (await new Client().get("/api/settings")).json;
  const email = uniqueEmail("problems");
  for (let i = 0; i < 10; i++) await new Client().signIn(email, "wrong-" + i);
  const locked = await new Client().signIn(email, "wrong-again");
  assert.equal(locked.status, 429);
  assert.equal(locked.json.error.message, `Too many sign-in attempts. Wait ${texts.signin_window} and try again.`);
  seen.push(locked);
  for (const r of seen) {
    assert.ok(r.status >= 400, r.text);
    assert.ok(listed.has(r.json.error.code), `${r.json.error.code} is listed`);
    const row = rows.filter((x) => x.code === r.json.error.code);
    // a row's {duration} is the configured one (GET /api/settings says it in words)
    const words = (m) => new RegExp("^" + m.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{[a-z_]+\}/g, "[0-9]+ [a-z]+") + "$");
    assert.ok(row.some((x) => words(x.message).test(r.json.error.message) || x.message === "(the field's name)"), r.text);
  }
  assert.equal(seen[5].json.error.code, "email_invalid");
});
