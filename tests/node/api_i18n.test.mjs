// api_i18n.test.mjs -- issue #20: one catalogue per language, complete; no
// key missing, none unused; no user-facing English outside the catalogue in
// web/ or cgi/; the language chosen from the account's preference, else
// Accept-Language, else English; mails and SMS in the account's language.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Client, newAccount, mails, waitFor } from "./stack.mjs";
import { root, sourceFiles } from "./vectors.mjs";
import { LANGUAGES, LOCALE, parse, args } from "../../web/js/messages.mjs";
import { TECHNICAL } from "../../web/js/i18n-problems.mjs";
import { catalogues, rel, htmlFiles, jsFiles, scanHtml, literals, isProse, problemCodes, decodeMail as decode } from "./i18n-scan.mjs";

const en = catalogues.en;

test("every language has exactly the English keys", () => {
  for (const l of LANGUAGES) {
    const missing = Object.keys(en).filter((k) => !(k in catalogues[l]));
    const extra = Object.keys(catalogues[l]).filter((k) => !(k in en));
    assert.deepEqual({ l, missing, extra }, { l, missing: [], extra: [] });
  }
});

test("every message parses; a translation keeps the English values and has every plural form its language needs", () => {
  const wrong = [];
  for (const l of LANGUAGES) {
    const cats = new Intl.PluralRules(LOCALE[l]).resolvedOptions().pluralCategories;
    for (const [k, m] of Object.entries(catalogues[l])) {
      let a;
      try { a = args(m); } catch (e) { wrong.push(`${l} ${k}: ${e.message}`); continue; }
      const ea = args(en[k] ?? m);
      if (Object.keys(a).sort().join() !== Object.keys(ea).sort().join()) wrong.push(`${l} ${k}: {${Object.keys(a)}} is not the English {${Object.keys(ea)}}`);
      for (const [name, forms] of Object.entries(a)) {
        if (!forms.length) continue;
        // integer counts only: Arabic's "many" and "few" matter, a decimal "many" in es does not
        // (a million hours or attempts is no count of ours: Spanish's "many" is for 10^6 and up)
        const need = cats.filter((c) => [0, 1, 2, 3, 5, 11, 21, 100, 101, 1001].some((n) => new Intl.PluralRules(LOCALE[l]).select(n) === c));
        for (const c of need) if (!forms.includes(c)) wrong.push(`${l} ${k}: {${name}} lacks the "${c}" form`);
      }
    }
  }
  assert.deepEqual(wrong, []);
});

// Words that are the same in both languages, each checked by hand; every
// other translation that equals its English is a placeholder copy.
// a command and a code's shape, the same in every language
const VERBATIM = ["admin.rekeyctl_audit_verify_file", "reset.xxxx_xxxx_xxxx_xxxx"];
const SAME = {
  de: new Set(["passkeys.passkeys", "passkeys.name", "passkeys.authenticator", "passkeys.name_optional", "signin.totp_code", "settings.ip",
    "time.month.4", "time.month.8", "time.month.9", "time.month.11", "settings.passkey", "reset.coin", "device.on", "common.list_separator",
    "review.status", "review.filter_status", ...VERBATIM]),
  es: new Set(["settings.ip", "common.list_separator", ...VERBATIM]),
  zh: new Set(VERBATIM), ar: new Set(VERBATIM),
};
test("no translation is a copy of the English", () => {
  const copies = [];
  for (const l of LANGUAGES.filter((x) => x !== "en")) {
    for (const [k, m] of Object.entries(catalogues[l])) if (m === en[k] && /\p{L}{2}/u.test(m.replace(/\{[^}]*\}/g, "")) && !SAME[l].has(k)) copies.push(`${l} ${k}: "${m}"`);
  }
  assert.deepEqual(copies, []);
});

// The keys the sources name: data-i18n in pages, quoted keys in scripts and
// in C (a NOTICE_TABLE row's "name" names mail.name.subject and .body), and
// the problem codes of both tables.
function usedKeys() {
  const used = new Set();
  for (const f of htmlFiles()) for (const k of scanHtml(f).used) used.add(k);
  const quoted = (src) => { for (const m of src.matchAll(/["'`]([a-z0-9_]+(?:\.[a-z0-9_]+)+)["'`]/g)) used.add(m[1]); };
  for (const f of jsFiles()) {
    const src = readFileSync(f, "utf8");
    quoted(src);
    for (const m of src.matchAll(/\bproblem\("([a-z0-9_]+)"\)/g)) used.add("problem." + m[1]); // i18n.mjs: problem(code)
  }
  for (const f of sourceFiles("cgi", /\.[ch]$/, ["ops"])) {
    const src = readFileSync(f, "utf8");
    quoted(src);
    // a NOTICE_TABLE row (base/mail.h) or a call naming "name" says mail.name.subject and mail.name.body
    for (const m of src.matchAll(/"([a-z0-9_.]+)"/g)) if (`mail.${m[1]}.subject` in en) { used.add(`mail.${m[1]}.subject`); used.add(`mail.${m[1]}.body`); }
  }
  for (const c of problemCodes()) if (!TECHNICAL.has(c)) used.add("problem." + c);
  return used;
}

test("no key is unused: each is named by a page, a script or the C sources", () => {
  const used = usedKeys();
  assert.deepEqual(Object.keys(en).filter((k) => !used.has(k)), []);
});

test("every problem code a user can meet has its words in the catalogue; the others are listed as technical", () => {
  const missing = [...problemCodes()].filter((c) => !TECHNICAL.has(c) && !("problem." + c in en));
  assert.deepEqual(missing, []);
  assert.deepEqual([...TECHNICAL].filter((c) => !problemCodes().has(c)), [], "TECHNICAL names codes of the tables only");
  assert.deepEqual([...TECHNICAL].filter((c) => "problem." + c in en), [], "a technical code has no words of its own");
});

test("no page says English outside the catalogue, and each page's English is the catalogue's", () => {
  const problems = [];
  for (const f of htmlFiles()) problems.push(...scanHtml(f).problems);
  assert.deepEqual(problems, []);
});

test("no script says English outside the catalogue", () => {
  const found = [];
  for (const f of jsFiles()) {
    const src = readFileSync(f, "utf8"), lines = src.split("\n");
    // "i18n-exempt: why" on the line: English that is parsed, never shown (the API's own labels)
    for (const l of literals(src)) if (isProse(l.text) && !/i18n-exempt: \S/.test(lines[l.line - 1])) found.push(`${rel(f)}:${l.line}: ${JSON.stringify(l.text)}`);
  }
  assert.deepEqual(found, []);
});

// C: what rekeyd sends people (mails, SMS, a reason it writes for them)
// comes from the catalogue. English stays where it is for API clients and
// operators, each said here: the pages show the catalogue's words in its
// place (the key named must exist), or it is protocol (HTTP reason phrases,
// the OpenAPI summaries of the route table). Logs, audit, SQL and problem
// rows (pages say those by code) are left out by the line's call.
const API_TEXTS = {
  "cgi/api/reset.c": "reset.instruction.only_if",       // the reset's instructions and the credential step's answers
  "cgi/api/delete.c": "delete.this_passkey_stops_working", // the deletion's warning
  "cgi/store/resetflow.c": "reset.question.deposit_coins", // the security questions and their options
  "cgi/api/password.c": "pwreset.code_sent",              // the forgotten-password steps' messages (pages say them by state and "why")
};
const PROTOCOL = new Set(["cgi/base/http.c", "cgi/routes.c",
  "cgi/api/metrics.c", // Prometheus HELP lines: the exposition format's text, for the operator's monitoring (#22)
  "cgi/base/keys.c"]); // the key file's header comment, for the operator (rekeyctl keys)
test("no mail or SMS text in C outside the catalogue; the API's own English is named", () => {
  const found = [];
  for (const [f, key] of Object.entries(API_TEXTS)) assert.ok(key in en, `${f}: ${key}`);
  for (const f of sourceFiles("cgi", /\.c$/, ["ops", "ctl"])) {
    if (/(config|ctl_main|main|server)\.c$/.test(f) || PROTOCOL.has(rel(f)) || rel(f) in API_TEXTS) continue;
    const src = readFileSync(f, "utf8"), lines = src.split("\n");
    for (const l of literals(src, { template: false })) {
      if (l.quote !== '"' || !isProse(l.text)) continue;
      if (/\blog_|fprintf|syslog|json_pack|STMT_|audit_append|http_fail/.test(lines[l.line - 1])) continue;
      found.push(`${rel(f)}:${l.line}: ${JSON.stringify(l.text)}`);
    }
  }
  assert.deepEqual(found, []);
});

test("GET /api/settings answers the best language for Accept-Language, else English", async () => {
  const ask = async (h) => (await new Client().get("/api/settings", h ? { headers: { "Accept-Language": h } } : {})).json.language;
  assert.equal(await ask("de-CH,de;q=0.9,en;q=0.8"), "de");
  assert.equal(await ask("fr-FR,fr;q=0.9,ar;q=0.5"), "ar");
  assert.equal(await ask("zh-CN,zh;q=0.9"), "zh");
  assert.equal(await ask("zh-TW"), "en");
  assert.equal(await ask("fr"), "en");
  assert.equal(await ask(null), "en");
  const s = (await new Client().get("/api/settings")).json;
  assert.equal(s.seconds.hold, s.hold_hours * 3600);
  assert.equal(s.seconds.code, s.code_seconds);
});

test("the account's language: saved by PUT /api/account/language, said by /api/me, refused outside the catalogues", async () => {
  const { email } = newAccount("i18n");
  const c = new Client();
  await c.signIn(email);
  assert.equal((await c.get("/api/me")).json.language, null);
  for (const bad of ["fr", "EN", "de-DE", "", 1, null]) {
    const r = await c.req("PUT", "/api/account/language", { language: bad });
    assert.equal(r.status, 400, `${bad}: ${r.text}`);
  }
  assert.equal((await c.req("PUT", "/api/account/language", {})).status, 400);
  assert.equal((await c.get("/api/me")).json.language, null);
  const r = await c.req("PUT", "/api/account/language", { language: "es" });
  assert.equal(r.status, 200, r.text);
  assert.equal((await c.get("/api/me")).json.language, "es");
  // not signed in: refused
  assert.equal((await new Client().req("PUT", "/api/account/language", { language: "de" })).status, 401);
});

test("mails go out in the account's language: a code mail in German, Chinese, Spanish and Arabic", async () => {
  const expect = {
    de: [/Subject: .*Bestätigungscode/, /Ihr Bestätigungscode lautet: \d{6}/, /Er läuft in 10 Minuten ab/],
    zh: [/您的验证码是：\d{6}/, /10 分钟后失效/],
    es: [/Su código de verificación es: \d{6}/, /Caduca en 10 minutos/],
    ar: [/رمز التحقق الخاص بك هو: \d{6}/, /خلال 10 دقائق/],
    en: [/Your verification code is: \d{6}/, /It expires in 10 minutes/],
  };
  for (const [l, patterns] of Object.entries(expect)) {
    const { email } = newAccount("i18n-" + l);
    const c = new Client();
    await c.signIn(email);
    if (l !== "en") assert.equal((await c.req("PUT", "/api/account/language", { language: l })).status, 200);
    const before = mails(email).length;
    const r = await c.post("/api/codes/email", { purpose: "step_up" });
    assert.equal(r.status, 202, r.text);
    const mail = await waitFor(() => mails(email).slice(before).find((m) => /\d{6}/.test(m)), "the code mail");
    const text = decode(mail);
    for (const p of patterns) assert.match(text, p, `${l}: ${text}`);
  }
});


// #17's notice table with #20's catalogue: the whole notice -- subject, the
// anti-phishing line, the body with its durations, When/Device/Where -- in
// the account's language; an account without one gets English.
test("a security notice from the notice table goes out in the account's language, its common lines too", async () => {
  const expect = {
    de: [/Anti-Phishing-Code: nicht festgelegt/, /Ihr Konto wurde eingefroren: Auszahlungen sind für \d+ (Tage|Stunden?) gesperrt/,
      /\nWann: \d+\. \p{L}+ \d{4}, \d\d:\d\d UTC\nGerät: nicht erfasst \(.*\)\nWo: -\n/u],
    ar: [/رمز مكافحة التصيّد: غير مُعيَّن/, /تم تجميد حسابك: السحوبات معلّقة لمدة/, /\nمتى: \d+ \p{L}+ \d{4}، الساعة \d\d:\d\d بالتوقيت العالمي \(UTC\)\nالجهاز: غير مسجَّل \(.*\)\nأين: -\n/u],
    en: [/Anti-phishing code: not set/, /Your account was frozen: withdrawals are held for \d+ (days|hours?)/,
      /\nWhen: \d+ \w+ \d{4}, \d\d:\d\d UTC\nDevice: not recorded \(.*\)\nWhere: -\n/],
  };
  for (const [l, patterns] of Object.entries(expect)) {
    const { email } = newAccount("i18n-notice-" + l);
    const c = new Client();
    await c.signIn(email);
    if (l !== "en") assert.equal((await c.req("PUT", "/api/account/language", { language: l })).status, 200);
    const before = mails(email).length;
    // the freeze's notice has no request of the holder's to describe (store/dispute.c): "not recorded", in words of l
    const r = await c.req("POST", "/api/account/freeze-now", { confirm: true });
    assert.equal(r.status, 200, r.text);
    const mail = await waitFor(() => mails(email).slice(before).map(decode).find((m) => /frozen|eingefroren|تجميد/i.test(m)), "the freeze notice");
    for (const p of patterns) assert.match(mail, p, `${l}: ${mail}`);
    // no English left in another language's notice
    if (l !== "en") assert.doesNotMatch(mail, /When:|Device:|Where:|Anti-phishing code|Your account was frozen/, `${l}: ${mail}`);
  }
});
