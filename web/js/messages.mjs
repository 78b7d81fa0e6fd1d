// messages.mjs -- the catalogues' message syntax, without the DOM (Node's
// tests import it too). A catalogue is web/i18n/<language>.json: one flat
// object of key -> message per language. A message is plain text with the
// ICU MessageFormat subset that translators know:
//   {name}                                   a value, or a child element of the page
//   {n, plural, =0 {...} one {...} other {...}}   plural forms (Intl.PluralRules),
//                                            "#" in a form is n, formatted for the language
// The C twin (cgi/base/i18n.c) reads the same syntax for mails and SMS.
export const LANGUAGES = ["en", "de", "zh", "es", "ar"];
export const DEFAULT = "en";
export const RTL = new Set(["ar"]);
// The Intl locale of each language: Simplified Chinese; Arabic with Latin
// digits, as in its mails and as the codes people type (docs/i18n.md).
export const LOCALE = { en: "en-GB", de: "de-DE", zh: "zh-CN", es: "es-ES", ar: "ar-u-nu-latn" };

// A message as a list of parts: strings, {arg} and {arg, plural, forms}.
export function parse(msg) {
  let i = 0;
  function text(stopAtBrace) {
    const out = [];
    let s = "";
    while (i < msg.length) {
      const c = msg[i];
      if (c === "{") {
        if (s) out.push(s), (s = "");
        i++;
        out.push(arg());
      } else if (c === "}") {
        if (!stopAtBrace) throw new SyntaxError(`unbalanced } at ${i} in ${JSON.stringify(msg)}`);
        break;
      } else if (c === "#" && stopAtBrace) {
        if (s) out.push(s), (s = "");
        out.push({ hash: true });
        i++;
      } else {
        s += c;
        i++;
      }
    }
    if (s) out.push(s);
    return out;
  }
  function word() {
    const m = /^\s*([A-Za-z0-9_=]+)\s*/.exec(msg.slice(i));
    if (!m) throw new SyntaxError(`expected a name at ${i} in ${JSON.stringify(msg)}`);
    i += m[0].length;
    return m[1];
  }
  function arg() {
    const name = word();
    if (msg[i] === "}") { i++; return { arg: name }; }
    if (msg[i] !== ",") throw new SyntaxError(`expected , or } at ${i} in ${JSON.stringify(msg)}`);
    i++;
    const kind = word();
    if (kind !== "plural" || msg[i] !== ",") throw new SyntaxError(`only {${name}, plural, ...} is known, in ${JSON.stringify(msg)}`);
    i++;
    const forms = {};
    for (;;) {
      while (/\s/.test(msg[i] || "")) i++;
      if (msg[i] === "}") { i++; break; }
      const cat = word();
      if (msg[i] !== "{") throw new SyntaxError(`expected { after ${cat} in ${JSON.stringify(msg)}`);
      i++;
      forms[cat] = text(true);
      if (msg[i] !== "}") throw new SyntaxError(`unclosed form ${cat} in ${JSON.stringify(msg)}`);
      i++;
    }
    if (!forms.other) throw new SyntaxError(`a plural needs an "other" form: ${JSON.stringify(msg)}`);
    return { arg: name, plural: forms };
  }
  const parts = text(false);
  if (i < msg.length) throw new SyntaxError(`unbalanced } in ${JSON.stringify(msg)}`);
  return parts;
}

// The names a message takes, and for plurals the forms it has: what a
// translation must keep ({"name": [], "n": ["one", "other"]}).
export function args(msg) {
  const found = {};
  const walk = (parts) => {
    for (const p of parts) {
      if (typeof p === "string" || p.hash) continue;
      found[p.arg] = found[p.arg] || [];
      if (p.plural) {
        found[p.arg] = [...new Set([...found[p.arg], ...Object.keys(p.plural)])];
        for (const f of Object.values(p.plural)) walk(f);
      }
    }
  };
  walk(parse(msg));
  return found;
}

const rulesCache = new Map();
const numbersCache = new Map();
function rules(lang) {
  if (!rulesCache.has(lang)) rulesCache.set(lang, new Intl.PluralRules(LOCALE[lang] || lang));
  return rulesCache.get(lang);
}
export function number(lang, n, opts) {
  const k = lang + JSON.stringify(opts || {});
  if (!numbersCache.has(k)) numbersCache.set(k, new Intl.NumberFormat(LOCALE[lang] || lang, opts));
  return numbersCache.get(k).format(n);
}

// The message with its values: a list of parts (strings and the values as
// given, e.g. DOM nodes), so a page can put elements in their place.
export function formatParts(lang, msg, vars = {}) {
  const out = [];
  const walk = (parts, n) => {
    for (const p of parts) {
      if (typeof p === "string") out.push(p);
      else if (p.hash) out.push(number(lang, n));
      else if (p.plural) {
        const v = Number(vars[p.arg]);
        const form = p.plural["=" + v] || p.plural[rules(lang).select(v)] || p.plural.other;
        walk(form, v);
      } else {
        const v = vars[p.arg];
        out.push(v === undefined || v === null ? "{" + p.arg + "}" : typeof v === "number" ? number(lang, v) : v);
      }
    }
  };
  walk(parse(msg), 0);
  return out;
}

export function format(lang, msg, vars) {
  return formatParts(lang, msg, vars).map(String).join("");
}

// A configured duration in seconds as the largest whole unit, like the
// server's config_duration_text(): "48 hours" rather than "2 days".
export function durationUnit(seconds) {
  for (const [unit, name] of [[86400, "days"], [3600, "hours"], [60, "minutes"], [1, "seconds"]]) {
    if (seconds >= unit && seconds % unit === 0 && !(unit === 86400 && seconds / unit <= 2)) return { unit: name, n: seconds / unit };
  }
  return { unit: "seconds", n: seconds };
}

// The best of LANGUAGES for a list of language tags in order of preference
// (navigator.languages, or Accept-Language's); null when none fits.
// Traditional Chinese (zh-TW, zh-HK, zh-Hant) is not offered as Simplified.
export function negotiate(tags) {
  for (const tag of tags || []) {
    const t = String(tag).toLowerCase();
    if (/^zh-(tw|hk|mo|hant)/.test(t)) continue;
    const primary = t.split("-")[0];
    if (LANGUAGES.includes(primary)) return primary;
  }
  return null;
}
