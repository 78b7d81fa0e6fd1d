// vectors.mjs -- reads tests/vectors/**.tsv the same way the Check suites do.
import { readFileSync } from "node:fs";

export const root = new URL("../../", import.meta.url).pathname;

export function tsv(rel) {
  return readFileSync(root + "tests/vectors/" + rel, "utf8")
    .split("\n")
    .map((l, i) => ({ f: l.replace(/\r$/, "").split("\t"), line: i + 1 }))
    .filter((r) => r.f[0] !== "" ? !r.f[0].startsWith("#") : r.f.length > 1);
}

export const hex = (s) => Uint8Array.from(Buffer.from(s, "hex"));
export const toHex = (u8) => Buffer.from(u8).toString("hex");
