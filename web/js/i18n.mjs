// i18n.mjs -- the page in the user's language (issue #20). Every page imports
// it (through dom.mjs); its top-level await means that by the time a page's
// own script runs, the catalogue is loaded and t() answers at once.
//
// The language: the account's saved choice (adopt(), from /api/me or
// /api/review/me), else the one chosen in the menu on this device, else the
// best match of the browser's Accept-Language (the server answers it in
// /api/settings), else English.
//
// In a page: <h1 data-i18n="signin.title">Sign in</h1> -- the English text
// is the catalogue's (tests/node/i18n_catalogue.test.mjs checks), so the page
// reads right before and without the script. A child element that the
// message places keeps its node: <p data-i18n="x">Held for <span
// data-i18n-arg="hold" data-duration="hold">24 hours</span>.</p> with
// "x": "Held for {hold}.". Attributes: data-i18n-attr="aria-label:key;title:key".
import { LANGUAGES, DEFAULT, RTL, LOCALE, formatParts, format, negotiate, number, durationUnit } from "./messages.mjs";
import { settings } from "./settings.mjs";
import { TECHNICAL } from "./i18n-problems.mjs";

const STORE = "rekey.language";
function stored() {
  try { const l = localStorage.getItem(STORE); return LANGUAGES.includes(l) ? l : null; } catch { return null; }
}
function remember(l) {
  try { localStorage.setItem(STORE, l); } catch { /* private mode: the choice lasts this page */ }
}

async function choose() {
  const mine = stored();
  if (mine) return mine;
  const s = await settings();
  if (s && LANGUAGES.includes(s.language)) return s.language;
  return negotiate(navigator.languages) || DEFAULT;
}

async function load(l) {
  try {
    const res = await fetch(`/i18n/${l}.json`, { credentials: "same-origin" });
    if (res.ok) return await res.json();
  } catch { /* below */ }
  return null;
}

export let lang = await choose();
let catalogue = await load(lang);
if (!catalogue) { lang = DEFAULT; catalogue = (await load(DEFAULT)) || {}; }
export const locale = LOCALE[lang];
// the configured durations in words, for problems that state one ("Wait {signin_window}")
const configured = ((await settings()) || {}).seconds || {};

export const has = (key) => Object.prototype.hasOwnProperty.call(catalogue, key);
// The message for key with its values; the key itself when it is missing
// (the catalogue test makes that a failure, never a page's state).
export function t(key, vars) {
  return has(key) ? format(lang, catalogue[key], vars) : key;
}
// The same as a list of strings and nodes (elements placed by the message).
export function tParts(key, vars) {
  return has(key) ? formatParts(lang, catalogue[key], vars) : [key];
}
// A problem code (the server's or the core's) as the user reads it; a
// protocol detail (i18n-problems.mjs) in one sentence.
export function problem(code) {
  if (TECHNICAL.has(code)) return t("problem.technical");
  const words = Object.fromEntries(Object.entries(configured).map(([k, v]) => [k, duration(v)]));
  return has("problem." + code) ? t("problem." + code, words) : t("problem.internal");
}

// Locale-aware values: times with their zone, numbers and amounts, countries, languages, durations.
const TIME = { year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short" };
export function formatTime(iso, timeZone) {
  if (!iso) return "";
  const d = new Date(iso);
  return isNaN(d) ? iso : new Intl.DateTimeFormat(locale, timeZone ? { ...TIME, timeZone } : TIME).format(d);
}
export const formatNumber = (n, opts) => number(lang, n, opts);
export function regionName(code) {
  try { return new Intl.DisplayNames([locale], { type: "region" }).of(code) || code; } catch { return code; }
}
export function languageName(l, inLanguage = l) {
  try { return new Intl.DisplayNames([LOCALE[inLanguage]], { type: "language" }).of(l === "zh" ? "zh-Hans" : l) || l; } catch { return l; }
}
export function duration(seconds) {
  const { unit, n } = durationUnit(seconds);
  return t("unit." + unit, { n });
}

// Fills the marked elements under root with the catalogue's words.
export function apply(root = document) {
  for (const e of root.querySelectorAll("[data-i18n]")) {
    const slots = {};
    for (const c of e.querySelectorAll(":scope > [data-i18n-arg]")) slots[c.dataset.i18nArg] = c;
    e.replaceChildren(...tParts(e.dataset.i18n, slots));
  }
  for (const e of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of e.dataset.i18nAttr.split(";")) {
      const [name, key] = pair.split(":").map((s) => s.trim());
      if (name && key) e.setAttribute(name, t(key));
    }
  }
}

// Saving a choice on the account: api.mjs registers it once the page knows
// who is signed in (adopt()).
let save = null;
async function change(l) {
  remember(l);
  if (save) { try { await save(l); } catch { /* kept on this device */ } }
  location.reload();
}

// The account's (or reviewer's) saved language, from /api/me: it wins; an
// account without one gets the language it reads now, so its mails match.
export function adopt(saved, saver) {
  save = saver;
  if (LANGUAGES.includes(saved)) {
    if (saved !== lang) { remember(saved); location.reload(); return false; }
    remember(saved);
  } else if (saver) {
    saver(lang).catch(() => {});
  }
  return true;
}

// The language menu, in every page's header: each language in its own name.
function menu() {
  const header = document.querySelector("header.top");
  if (!header || header.querySelector("#language")) return;
  const box = document.createElement("div");
  box.className = "language";
  const label = document.createElement("label");
  label.htmlFor = "language";
  label.className = "visually-hidden";
  label.textContent = t("lang.menu");
  const select = document.createElement("select");
  select.id = "language";
  select.name = "language";
  for (const l of LANGUAGES) {
    const o = document.createElement("option");
    o.value = l;
    o.lang = LOCALE[l].split("-u-")[0];
    o.textContent = languageName(l);
    o.selected = l === lang;
    select.append(o);
  }
  select.addEventListener("change", () => change(select.value));
  box.append(label, select);
  header.append(box);
}

const html = document.documentElement;
html.lang = LOCALE[lang].split("-u-")[0];
html.dir = RTL.has(lang) ? "rtl" : "ltr";
apply();
menu();
