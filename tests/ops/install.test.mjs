// install.test.mjs -- `make install PREFIX=... DESTDIR=...` and the systemd
// unit (issue #22): the tree it installs, paths that name PREFIX and never
// DESTDIR, `systemd-analyze verify` of the installed unit and its
// `systemd-analyze security --offline=true` exposure at 2.0 or less (and a
// unit without the hardening well above, so the check can fail). No stack.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { root } from "../node/vectors.mjs";

const dest = mkdtempSync(`${tmpdir()}/rekey-install-`);
const prefix = "/opt/rekey";
const tree = dest + prefix;
const haveAnalyze = spawnSync("systemd-analyze", ["--version"]).status === 0;
const analyzeSkip = haveAnalyze ? false : "systemd-analyze is missing: `make deps` installs systemd (cgi/ops/deps.sh)";

function walk(d) {
  return readdirSync(d, { withFileTypes: true }).flatMap((e) => e.isDirectory() ? walk(`${d}/${e.name}`) : [`${d}/${e.name}`]);
}

test.after(() => rmSync(dest, { recursive: true, force: true }));

test("make install DESTDIR=... PREFIX=... puts binaries, web files, schema, the unit and the examples in the tree", () => {
  execFileSync("make", ["-s", "install", `DESTDIR=${dest}`, `PREFIX=${prefix}`], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
  for (const b of ["rekeyd", "rekeyctl"]) assert.equal(statSync(`${tree}/bin/${b}`).mode & 0o777, 0o755, b);
  // the installed rekeyctl runs and knows the routes, /metrics among them
  assert.match(execFileSync(`${tree}/bin/rekeyctl`, ["-c", "/dev/null", "routes"], { encoding: "utf8" }), /^GET \/metrics /m);
  assert.equal(spawnSync(`${tree}/bin/rekeyd`, ["-x"]).status, 2, "rekeyd runs (usage)");
  const schema = readdirSync(`${root}schema`).filter((f) => f.endsWith(".sql")).sort();
  assert.deepEqual(readdirSync(`${tree}/share/rekey/schema`).sort(), schema);
  for (const f of ["index.html", "reset.html", "js/core.wasm", "js/core.mjs", "css/site.css", "review/index.html", "account/passkeys.html"])
    assert.ok(existsSync(`${tree}/share/rekey/web/${f}`), f);
  assert.equal(existsSync(`${tree}/share/rekey/web/dev`), false, "the dev mail page stays out of an installation");
  assert.ok(existsSync(`${tree}/share/rekey/openapi.json`) && existsSync(`${tree}/share/rekey/aaguids.tsv`));
  for (const f of ["README.md", "alerts.yml", "nginx-site.conf.example", "rekey.conf.example", "OPERATIONS.md"])
    assert.ok(existsSync(`${tree}/share/doc/rekey/${f}`), f);
  assert.match(readFileSync(`${tree}/lib/sysusers.d/rekey.conf`, "utf8"), /^u rekey /m);
  const unit = readFileSync(`${tree}/lib/systemd/system/rekeyd.service`, "utf8");
  assert.match(unit, new RegExp(`^ExecStart=${prefix}/bin/rekeyd -c /etc/rekey/rekey.conf$`, "m"));
  assert.match(unit, /^User=rekey$/m);
  // every installed text names PREFIX, never the staging DESTDIR nor a placeholder
  for (const f of walk(dest).filter((p) => /\.(service|conf|example|md|yml|json|html|mjs)$/.test(p))) {
    const t = readFileSync(f, "utf8");
    assert.ok(!t.includes(dest), `${f} names DESTDIR`);
    assert.ok(!t.includes("@PREFIX@"), `${f} keeps @PREFIX@`);
  }
  assert.match(readFileSync(`${tree}/share/doc/rekey/rekey.conf.example`, "utf8"), new RegExp(`^schema_dir = ${prefix}/share/rekey/schema$`, "m"));
});

// the installed unit, its ExecStart pointed into the DESTDIR tree (verify checks that it is executable)
function stagedUnit(text = readFileSync(`${tree}/lib/systemd/system/rekeyd.service`, "utf8")) {
  const d = mkdtempSync(`${tmpdir()}/rekey-unit-`);
  writeFileSync(`${d}/rekeyd.service`, text.replace(`ExecStart=${prefix}/bin/rekeyd`, `ExecStart=${tree}/bin/rekeyd`));
  return `${d}/rekeyd.service`;
}

function exposure(unitPath) {
  const r = spawnSync("systemd-analyze", ["security", "--offline=true", "--threshold=20", unitPath], { encoding: "utf8" });
  const m = r.stdout.match(/Overall exposure level for rekeyd\.service: (\d+\.\d)/);
  assert.ok(m, r.stdout + r.stderr);
  return { score: Number(m[1]), status: r.status, text: r.stdout };
}

test("systemd-analyze verify accepts the installed unit", { skip: analyzeSkip }, () => {
  const u = stagedUnit();
  const r = spawnSync("systemd-analyze", ["verify", u], { encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.equal(r.stderr.trim(), "");
  // and refuses a unit whose command is missing: the check can fail
  const bad = stagedUnit(readFileSync(`${tree}/lib/systemd/system/rekeyd.service`, "utf8").replace(`${prefix}/bin/rekeyd`, `${prefix}/bin/no-such-rekeyd`));
  assert.notEqual(spawnSync("systemd-analyze", ["verify", bad]).status, 0);
});

test("systemd-analyze security --offline=true: exposure 2.0 or less; without the hardening far above", { skip: analyzeSkip }, () => {
  const good = exposure(stagedUnit());
  console.log(`# rekeyd.service exposure: ${good.score}`);
  assert.ok(good.score <= 2.0, good.text);
  assert.equal(good.status, 0, "--threshold=20 (2.0) passes");
  for (const opt of ["ProtectSystem=strict", "NoNewPrivileges=yes", "PrivateTmp=yes", "RestrictAddressFamilies=", "SystemCallFilter=@system-service", "CapabilityBoundingSet="])
    assert.match(readFileSync(`${tree}/lib/systemd/system/rekeyd.service`, "utf8"), new RegExp(`^${opt}`, "m"), opt);
  const unit = readFileSync(`${tree}/lib/systemd/system/rekeyd.service`, "utf8");
  const plain = exposure(stagedUnit(unit.slice(0, unit.indexOf("# ---- hardening")) + "\n[Install]\nWantedBy=multi-user.target\n"));
  assert.ok(plain.score > 5, `unhardened: ${plain.score}`);
  assert.notEqual(plain.status, 0, "--threshold=20 fails it");
});
