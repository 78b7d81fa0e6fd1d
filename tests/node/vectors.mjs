// vectors.mjs -- reads tests/vectors/**.tsv the same way the Check suites do.
import { readFileSync, readdirSync } from "node:fs";

export const root = new URL("../../", import.meta.url).pathname;

export function tsv(rel) {
  return readFileSync(root + "tests/vectors/" + rel, "utf8")
    .split("\n")
    .map((l, i) => ({ f: l.replace(/\r$/, "").split("\t"), line: i + 1 }))
    .filter((r) => r.f[0] !== "" ? !r.f[0].startsWith("#") : r.f.length > 1);
}

export const hex = (s) => Uint8Array.from(Buffer.from(s, "hex"));
export const toHex = (u8) => Buffer.from(u8).toString("hex");

// The files below dir (a path from the repository root) whose names match
// re, leaving out folders named in skip: the source scans of the API suites.
export function sourceFiles(dir, re, skip = []) {
  const out = [];
  for (const e of readdirSync(root + dir, { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) { if (!skip.includes(e.name)) out.push(...sourceFiles(rel, re, skip)); } else if (re.test(e.name)) out.push(root + rel);
  }
  return out;
}
