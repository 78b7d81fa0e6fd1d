// sizes.mjs -- the sizes run so far (var/reports/bench-size-*.json, written by
// `make bench SIZE=...`) side by side: req/s and p99 per route at each size,
// and p99 at the largest size over p99 at the smallest (issue #21: at 1m
// over 10k, target <= 1.2 for every request route); the operator's
// commands' times likewise.
import { readFileSync, existsSync } from "node:fs";

const order = ["10k", "100k", "1m"];
const runs = order.map((s) => `var/reports/bench-size-${s}.json`).filter(existsSync).map((f) => JSON.parse(readFileSync(f, "utf8")));
if (runs.length === 0) process.exit(0);
// a route's name without the counts that differ between runs ("64 cases", "of 10000")
const key = (n) => n.replace(/\d[\d,]*/g, "#");
const first = runs[0], last = runs[runs.length - 1];
console.log(`\nby size (${runs.map((r) => `${r.size}: ${r.at}, seeded in ${r.seedSecs} s, ${r.load}`).join("; ")})`);
console.log(`  ${"endpoint".padEnd(58)}${runs.map((r) => `${(r.size + " req/s").padStart(12)}${(r.size + " p99").padStart(10)}`).join("")}` +
  `${`p99 ${last.size}/${first.size}`.padStart(14)}`);
const ratios = [];
for (const row of first.http) {
  const cells = runs.map((r) => r.http.find((x) => key(x.name) === key(row.name)));
  const tail = cells[cells.length - 1];
  const ratio = tail && runs.length > 1 ? tail.p99 / row.p99 : NaN;
  if (!Number.isNaN(ratio) && /^(GET|POST)/.test(row.name)) ratios.push({ name: row.name, ratio });
  console.log(`  ${row.name.slice(0, 57).padEnd(58)}${cells.map((c) => c ? `${c.rps.toFixed(0).padStart(12)}${c.p99.toFixed(2).padStart(10)}` : "-".padStart(22)).join("")}` +
    `${Number.isNaN(ratio) ? "" : ratio.toFixed(2).padStart(14)}`);
}
for (const op of first.ops) {
  const cells = runs.map((r) => r.ops.find((x) => key(x.name) === key(op.name)));
  console.log(`  ${op.name.slice(0, 57).padEnd(58)}${cells.map((c) => c ? `${(c.secs.toFixed(1) + " s").padStart(22)}` : "-".padStart(22)).join("")}`);
}
if (runs.length > 1) {
  const over = ratios.filter((r) => r.ratio > 1.2);
  console.log(`  target p99(${last.size}) / p99(${first.size}) <= 1.2 for every request route: ${over.length ? "NOT met (" + over.map((r) => `${r.name}: ${r.ratio.toFixed(2)}`).join("; ") + ")" : "met"}`);
}
