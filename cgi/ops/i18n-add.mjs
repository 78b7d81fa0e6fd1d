#!/usr/bin/env node
// i18n-add.mjs -- adds (or with --replace changes) keys in all five
// catalogues at once (docs/i18n.md, "How to add a string"):
//   node cgi/ops/i18n-add.mjs batch.json [--replace]
// where batch.json is { "page.key": { "en": "...", "de": "...", "zh": "...", "es": "...", "ar": "..." }, ... }.
// Refuses a key without every language, a message that does not parse, a
// translation whose {values} or plural forms differ from the English, and
// (without --replace) a key that exists already. Nothing is written then.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { LANGUAGES, parse, args } from "../../web/js/messages.mjs";

const dir = fileURLToPath(new URL("../../web/i18n/", import.meta.url));
const file = process.argv[2];
const replace = process.argv.includes("--replace");
if (!file) { console.error("usage: i18n-add.mjs batch.json [--replace]"); process.exit(2); }
const batch = JSON.parse(readFileSync(file, "utf8"));
const cats = Object.fromEntries(LANGUAGES.map((l) => {
  try { return [l, JSON.parse(readFileSync(dir + l + ".json", "utf8"))]; } catch { return [l, {}]; }
}));
const errors = [];
const names = (m) => Object.keys(args(m)).sort().join(",");
for (const [key, t] of Object.entries(batch)) {
  if (!/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(key)) errors.push(`${key}: keys are dotted snake_case (page.name)`);
  if (!replace && key in cats.en) errors.push(`${key}: exists (--replace to change it)`);
  for (const l of LANGUAGES) {
    if (typeof t[l] !== "string" || !t[l]) { errors.push(`${key}: no ${l}`); continue; }
    try { parse(t[l]); } catch (e) { errors.push(`${key} ${l}: ${e.message}`); continue; }
    if (t.en && names(t[l]) !== names(t.en)) errors.push(`${key} ${l}: values {${names(t[l])}} differ from the English {${names(t.en)}}`);
  }
}
if (errors.length) { console.error(errors.join("\n")); process.exit(1); }
for (const l of LANGUAGES) {
  for (const [key, t] of Object.entries(batch)) cats[l][key] = t[l];
  writeFileSync(dir + l + ".json", JSON.stringify(cats[l], null, 1) + "\n");
}
console.log(`${Object.keys(batch).length} keys in ${LANGUAGES.length} catalogues`);
