// i18n-scan.mjs -- what tests/node/api_i18n.test.mjs reads from the tree:
// the catalogues, the keys the sources use, and the user-facing English
// left outside the catalogue (docs/i18n.md).
import { readFileSync } from "node:fs";
import { relative } from "node:path";
import { root, sourceFiles } from "./vectors.mjs";
import { LANGUAGES } from "../../web/js/messages.mjs";

export const catalogues = Object.fromEntries(LANGUAGES.map((l) => [l, JSON.parse(readFileSync(`${root}web/i18n/${l}.json`, "utf8"))]));
export const rel = (f) => relative(root, f);

// Pages that are not for the people Rekey serves: the dev-mode outbox (only
// in dev mode, for the developer). Every other page is scanned.
export const NOT_USER_FACING = new Set(["web/dev/mail.html", "web/js/pages/dev-mail.mjs"]);
// The portable core and its loader are the Node kit's too (docs/node.md):
// their English is for developers; pages say problems through i18n.problem().
const JS_SKIP = new Set(["web/js/core.mjs", "web/js/loader.mjs", "web/js/messages.mjs"]);

export const htmlFiles = () => sourceFiles("web", /\.html$/).filter((f) => !NOT_USER_FACING.has(rel(f)));
export const jsFiles = () => sourceFiles("web/js", /\.mjs$/).filter((f) => !NOT_USER_FACING.has(rel(f)) && !JS_SKIP.has(rel(f)));

// The problem codes of both tables (cgi/base/problems.h, wasm/problem.h).
export function problemCodes() {
  const codes = new Set();
  for (const f of ["cgi/base/problems.h", "wasm/problem.h"]) {
    for (const m of readFileSync(root + f, "utf8").matchAll(/X\([A-Z0-9_]+,\s*"([a-z0-9_]+)"/g)) codes.add(m[1]);
  }
  return codes;
}

// ---- HTML: a tiny tokenizer for the pages' hand-written markup ----
const VOID = new Set(["meta", "link", "input", "br", "img", "hr", "source", "col", "wbr"]);
export function parseHtml(src) {
  const rootEl = { tag: "#root", attrs: {}, children: [], parent: null };
  let cur = rootEl;
  const re = /<!--[\s\S]*?-->|<!doctype[^>]*>|<(\/?)([a-zA-Z0-9]+)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>|([^<]+)/gi;
  for (const m of src.matchAll(re)) {
    if (m[5] !== undefined) { cur.children.push({ text: m[5], parent: cur }); continue; }
    if (!m[2]) continue;
    const tag = m[2].toLowerCase();
    if (m[1]) {
      let e = cur;
      while (e && e.tag !== tag) e = e.parent;
      if (e) cur = e.parent;
      continue;
    }
    const attrs = {};
    for (const a of m[3].matchAll(/([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) attrs[a[1].toLowerCase()] = a[2] ?? a[3] ?? a[4] ?? "";
    const el = { tag, attrs, children: [], parent: cur };
    cur.children.push(el);
    if (!VOID.has(tag) && !m[4] && tag !== "script" && tag !== "style") cur = el;
  }
  return rootEl;
}
const norm = (s) => s.replace(/\s+/g, " ").trim();
const LETTERS = /\p{L}{2}/u;
// Text that is not words in a language: the brand, a dash.
const NOT_WORDS = new Set(["Rekey", "Rekey review"]);

// The English a page shows outside the catalogue, and the data-i18n texts
// that differ from the English catalogue's (the page reads right without
// the script only when they are equal).
export function scanHtml(file) {
  const problems = [];
  const used = new Set();
  const en = catalogues.en;
  const where = (e) => `${rel(file)}: <${e.tag}${e.attrs.id ? "#" + e.attrs.id : ""}>`;
  function template(e) {
    return norm(e.children.map((c) => (c.text !== undefined ? c.text : c.attrs["data-i18n-arg"] !== undefined ? `{${c.attrs["data-i18n-arg"]}}` : "\u0000")).join(""));
  }
  function walk(e, covered) {
    if (e.text !== undefined) {
      const t = norm(e.text);
      if (LETTERS.test(t) && !covered && !NOT_WORDS.has(t)) problems.push(`${where(e.parent)} says "${t}" outside the catalogue`);
      return;
    }
    if (e.tag === "script" || e.tag === "style") return;
    for (const [name, value] of Object.entries(e.attrs)) {
      if (["aria-label", "title", "placeholder", "alt"].includes(name) && LETTERS.test(value)) {
        const keyed = (e.attrs["data-i18n-attr"] || "").split(";").some((p) => p.split(":")[0].trim() === name);
        if (!keyed) problems.push(`${where(e)} ${name}="${value}" outside the catalogue`);
      }
    }
    for (const p of (e.attrs["data-i18n-attr"] || "").split(";").filter(Boolean)) {
      const [name, key] = p.split(":").map((s) => s.trim());
      used.add(key);
      if (!(key in en)) problems.push(`${where(e)} ${name}: no key ${key}`);
      else if (e.attrs[name] !== undefined && norm(e.attrs[name]) !== norm(en[key])) problems.push(`${where(e)} ${name}="${e.attrs[name]}" is not en.json's "${en[key]}"`);
    }
    let own = covered;
    const key = e.attrs["data-i18n"];
    if (key !== undefined) {
      used.add(key);
      own = true;
      if (!(key in en)) problems.push(`${where(e)}: no key ${key} in en.json`);
      else {
        const tpl = template(e);
        if (tpl.includes("\u0000")) problems.push(`${where(e)}: a child element without data-i18n-arg in ${key}`);
        else if (tpl !== norm(en[key])) problems.push(`${where(e)}: "${tpl}" is not en.json's ${key} "${en[key]}"`);
      }
    }
    // an element the message places keeps its own words: its own key, or
    // text the page fills in (a configured duration, the support contact, data)
    if (e.attrs["data-i18n-arg"] !== undefined && key === undefined) {
      own = e.attrs["data-duration"] !== undefined || e.attrs["data-estimate"] !== undefined;
    }
    for (const c of e.children) walk(c, own);
  }
  walk(parseHtml(readFileSync(file, "utf8")), false);
  return { problems, used };
}

// ---- JS and C: string literals, comments left out ----
export function literals(src, { template = true } = {}) {
  const out = [];
  let i = 0, line = 1;
  while (i < src.length) {
    const c = src[i], n = src[i + 1];
    if (c === "\n") { line++; i++; continue; }
    if (c === "/" && n === "/") { while (i < src.length && src[i] !== "\n") i++; continue; }
    if (c === "/" && n === "*") { const e = src.indexOf("*/", i + 2); line += (src.slice(i, e).match(/\n/g) || []).length; i = e < 0 ? src.length : e + 2; continue; }
    if (c === '"' || c === "'" || (c === "`" && template)) {
      let j = i + 1, s = "", depth = 0;
      const start = line;
      while (j < src.length && !(src[j] === c && depth === 0)) {
        if (src[j] === "\\") { s += src[j + 1] === "n" ? "\n" : src[j + 1]; j += 2; continue; }
        if (c === "`" && src[j] === "$" && src[j + 1] === "{") { depth++; s += "{x}"; j += 2; continue; }
        if (depth > 0) { if (src[j] === "{") depth++; else if (src[j] === "}") depth--; j++; continue; }
        if (src[j] === "\n") line++;
        s += src[j++];
      }
      out.push({ text: s, line: start, quote: c });
      i = j + 1;
      continue;
    }
    i++;
  }
  return out;
}

// A literal that reads as English words for people: two words or more,
// and a capitalised start ("Sign in") or a sentence's end ("... left.").
// CSS selectors and class lists ("thead th", "button danger") are neither.
export const isProse = (t) => /\p{L}{2,}[ ,]+\p{L}/u.test(t) && (/^\W*[A-Z][a-z]/.test(t) || /\p{L}[.?!:…]["”»]?\s*$/u.test(t));

// A mail file as text: its body may be quoted-printable or base64 (UTF-8).
export function decodeMail(mail) {
  const [head, ...rest] = mail.split(/\r?\n\r?\n/);
  let body = rest.join("\n\n");
  if (/Content-Transfer-Encoding:\s*base64/i.test(head)) body = Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  else if (/Content-Transfer-Encoding:\s*quoted-printable/i.test(head)) {
    body = Buffer.from(body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8");
  }
  const subject = ((head.replace(/\r?\n /g, "").match(/^Subject: (.*)$/m) || [])[1] || "").replace(/\?=\s*=\?/g, "?==?");
  const words = subject.replace(/=\?utf-8\?b\?([^?]*)\?=/gi, (_, b) => Buffer.from(b, "base64").toString("utf8"))
    .replace(/=\?utf-8\?q\?([^?]*)\?=/gi, (_, q) => Buffer.from(q.replace(/_/g, " ").replace(/=([0-9A-F]{2})/gi, (__, h) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8"));
  return `Subject: ${words}\n\n${body}`;
}
