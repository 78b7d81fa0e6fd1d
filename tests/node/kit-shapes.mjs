// kit-shapes.mjs -- the keys an interface of a .d.ts declares (its own and
// those it extends), and a check that a value has exactly those: every
// required one and nothing undeclared, unless the interface is open
// ([k: string]: unknown). The kit suites hold the package's declarations to
// what the core and the server really return.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

export function shapes(file) {
  // without comments: their words and arrows are not members
  const dts = readFileSync(file, "utf8").replace(/\/\*[\s\S]*?\*\//g, "").replace(/\/\/.*$/gm, "");

  function declared(name) {
    const m = dts.match(new RegExp(`export interface ${name}(?: extends ([\\w, ]+))? \\{`));
    assert.ok(m, `interface ${name} in ${file}`);
    const out = { required: new Set(), optional: new Set(), open: false };
    for (const base of (m[1] || "").split(",").map((x) => x.trim()).filter(Boolean)) {
      const b = declared(base);
      b.required.forEach((k) => out.required.add(k));
      b.optional.forEach((k) => out.optional.add(k));
      out.open ||= b.open;
    }
    // the members at depth 0, up to the interface's closing brace
    const members = [];
    let member = "";
    for (let i = m.index + m[0].length, depth = 0; i < dts.length; i++) {
      const ch = dts[i];
      if (depth === 0 && ch === "}") break;
      if ("{([<".includes(ch)) depth++;
      if ("})]>".includes(ch) && !(ch === ">" && dts[i - 1] === "=")) depth--;
      if (depth === 0 && (ch === ";" || ch === "\n")) { members.push(member); member = ""; } else member += ch;
    }
    members.push(member);
    for (const raw of members) {
      const t = raw.trim();
      if (/^\[\w+: string\]/.test(t)) out.open = true;
      const k = t.match(/^(?:readonly\s+)?(\w+)(\?)?\s*[:(]/); // a property or a method
      if (k) (k[2] ? out.optional : out.required).add(k[1]);
    }
    return out;
  }

  function shape(name, value) {
    const d = declared(name);
    for (const k of d.required) assert.ok(k in value, `${name}.${k} is in the answer: ${JSON.stringify(value).slice(0, 300)}`);
    if (!d.open) for (const k of Object.keys(value)) assert.ok(d.required.has(k) || d.optional.has(k), `${name} declares ${k}`);
  }

  return { declared, shape };
}
