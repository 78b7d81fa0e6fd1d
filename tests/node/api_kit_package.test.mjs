// api_kit_package.test.mjs -- @rekey/kit as its users get it (issue #19):
// `npm pack` of the repository, the tarball installed into an empty project
// in a temporary folder, and there, with nothing of the repository on the
// module path: the three examples of docs/node.md (taken from the installed
// package), `tsc --noEmit` over them and a typed file, and rekey-smoke against
// this stack and against a stack whose origin is deliberately wrong.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, cpSync, lstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { root } from "./vectors.mjs";
import { base, origin, mailDir, uniqueEmail, ctl, DEMO_PASSWORD } from "./stack.mjs";

const pkg = JSON.parse(readFileSync(root + "package.json", "utf8"));
const work = mkdtempSync("/tmp/rekey-kit.");
const project = `${work}/project`;
const installed = `${project}/node_modules/@rekey/kit`;
let tarball;

// a command in the project: { status, out } (stdout + stderr)
function inProject(cmd, args, env = {}) {
  const clean = { ...process.env, NODE_PATH: "", ...env };
  delete clean.NODE_TEST_CONTEXT; // set by the runner of this file: a nested `node --test` would not run its own
  const r = spawnSync(cmd, args, { cwd: project, encoding: "utf8", env: clean, timeout: 120e3 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

before(() => {
  chmod711(work);
  const out = execFileSync("npm", ["pack", "--silent", "--pack-destination", work], { cwd: root, encoding: "utf8" }).trim().split("\n").pop();
  tarball = `${work}/${out}`;
  mkdirSync(project);
  writeFileSync(`${project}/package.json`, JSON.stringify({ name: "kit-consumer", private: true, type: "module" }, null, 2));
  execFileSync("npm", ["install", "--offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: project, stdio: "pipe" });
  // the type checker, Node's types and playwright-core (example 3 in a browser): tools of the
  // project, copied in from this repository's dev dependencies (the package itself needs none of them)
  for (const m of ["typescript", "@types/node", "undici-types", "playwright-core"])
    cpSync(`${root}node_modules/${m}`, `${project}/node_modules/${m}`, { recursive: true });
});

after(() => rmSync(work, { recursive: true, force: true }));

function chmod711(p) { execFileSync("chmod", ["711", p]); }

test("npm pack: the name and version from the repository, the exports map, the bin, only what the package needs", () => {
  assert.match(tarball, new RegExp(`rekey-kit-${pkg.version.replace(/\./g, "\\.")}\\.tgz$`));
  const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").map((f) => f.replace(/^package\//, "")).sort();
  assert.deepEqual(files, ["README.md", "docs/node.md", "kit/authenticator.d.ts", "kit/authenticator.mjs", "kit/client.d.ts", "kit/client.mjs",
    "kit/core.d.ts", "kit/smoke.mjs", "package.json", "web/js/core.mjs", "web/js/core.wasm", "web/js/loader.mjs"]);
  const p = JSON.parse(readFileSync(`${installed}/package.json`, "utf8"));
  assert.equal(p.name, "@rekey/kit");
  assert.equal(p.version, pkg.version);
  assert.deepEqual(Object.keys(p.exports), ["./core", "./client", "./authenticator", "./package.json"]);
  assert.equal(p.engines.node, ">=20");
  assert.equal(p.dependencies, undefined, "no runtime dependency");
  assert.deepEqual(p.bin, { "rekey-smoke": "kit/smoke.mjs" });
  assert.equal(readFileSync(`${installed}/web/js/core.wasm`).compare(readFileSync(root + "web/js/core.wasm")), 0, "the wasm of this build");
});

test("installed as a copy: the three entry points resolve inside the project, a path outside the exports map does not", () => {
  assert.ok(!lstatSync(installed).isSymbolicLink());
  const r = inProject("node", ["--input-type=module", "-e", `
    for (const s of ["@rekey/kit/core", "@rekey/kit/client", "@rekey/kit/authenticator"]) console.log(import.meta.resolve(s));
    try { import.meta.resolve("@rekey/kit/kit/client.mjs"); console.log("resolved"); } catch (e) { console.log(e.code); }
    const { loadCore } = await import("@rekey/kit/core");
    const core = await loadCore();
    console.log("core " + core.version + " " + core.validate.email("a@b.co").ok);`]);
  assert.equal(r.status, 0, r.out);
  const lines = r.out.trim().split("\n");
  for (const l of lines.slice(0, 3)) assert.ok(l.startsWith(`file://${realpathSync(project)}/node_modules/@rekey/kit/`), l);
  assert.equal(lines[3], "ERR_PACKAGE_PATH_NOT_EXPORTED");
  assert.equal(lines[4], "core 0.1.0 true");
});

// ```js blocks of the installed docs/node.md that start with "// example: NAME"
function examples() {
  const md = readFileSync(`${installed}/docs/node.md`, "utf8");
  const out = {};
  for (const m of md.matchAll(/```js\n(\/\/ example: (\S+)[^\n]*\n[\s\S]*?)```/g)) out[m[2]] = m[1];
  return out;
}

test("docs/node.md has the three examples (the third also in a browser); they and a typed file pass tsc --noEmit in the project", () => {
  const ex = examples();
  assert.deepEqual(Object.keys(ex), ["validate-screenshot.mjs", "reset.mjs", "passkeys.test.mjs", "passkeys-browser.test.mjs"]);
  for (const [name, code] of Object.entries(ex)) writeFileSync(`${project}/${name}`, code);
  cpSync(`${root}tests/node/kit-types.ts`, `${project}/kit-types.ts`);
  writeFileSync(`${project}/tsconfig.json`, JSON.stringify({
    compilerOptions: { target: "es2022", module: "nodenext", moduleResolution: "nodenext", strict: true, allowJs: true, checkJs: true,
      noEmit: true, skipLibCheck: false, types: ["node"] },
    files: [...Object.keys(ex), "kit-types.ts"],
  }, null, 2));
  const r = inProject("node", ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "tsconfig.json"]);
  assert.equal(r.status, 0, r.out);
  // older and bundler resolutions find the same declarations (typesVersions, exports)
  for (const resolution of ["node10", "bundler"]) {
    const o = inProject("node", ["node_modules/typescript/bin/tsc", "--noEmit", "--strict", "--target", "es2022", "--module", "esnext",
      "--moduleResolution", resolution, "--types", "node", "kit-types.ts"]);
    assert.equal(o.status, 0, `${resolution}: ${o.out}`);
  }
});

test("tsc --noEmit refuses a wrong call, so the check above means something", () => {
  writeFileSync(`${project}/wrong.ts`, `import { RekeyClient } from "@rekey/kit/client";
const c = new RekeyClient({ baseUrl: "http://x" });
c.deleteFlow.verify(1, { method: "email" });
c.passkeys.nope();\n`);
  const r = inProject("node", ["node_modules/typescript/bin/tsc", "--noEmit", "--strict", "--module", "nodenext", "--moduleResolution", "nodenext", "wrong.ts"]);
  assert.notEqual(r.status, 0);
  assert.match(r.out, /wrong\.ts\(3,/);
  assert.match(r.out, /wrong\.ts\(4,.*'nope' does not exist/);
});

test("example 1 validates screenshots with the packaged core", () => {
  cpSync(`${root}tests/vectors/image/corpus/email-1080x2400.png`, `${project}/email.png`);
  cpSync(`${root}tests/vectors/image/corpus/bad-crc.png`, `${project}/bad-crc.png`);
  let r = inProject("node", ["validate-screenshot.mjs", "email.png"]);
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /^email\.png: png 1080x2400, fingerprint [0-9a-f]{16}$/m);
  r = inProject("node", ["validate-screenshot.mjs", "email.png", "bad-crc.png"]);
  assert.equal(r.status, 1, r.out);
  assert.match(r.out, /^bad-crc\.png: refused: image_bad_crc \(/m);
});

const stackEnv = (email) => ({ REKEY_URL: base, REKEY_ORIGIN: origin, REKEY_EMAIL: email, REKEY_PASSWORD: DEMO_PASSWORD, REKEY_MAIL_DIR: mailDir });

test("example 2 drives a reset to documents and uploads a screenshot with progress", () => {
  const email = uniqueEmail("kitex");
  ctl("account-add", email, DEMO_PASSWORD, "unverified", "0");
  const r = inProject("node", ["reset.mjs"], { ...stackEnv(email), SCREENSHOT: "email.png" });
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /^route: documents \(rule \d\), case \d+$/m);
  assert.match(r.out, /uploaded 100%/);
  assert.match(r.out, /^evidence \d+: png 1080x2400, sha256 [0-9a-f]{16}\.\.\.$/m);
  assert.match(r.out, /^1 file\(s\) on the case/m);
});

test("example 3 (node:test) registers, checks and signs in with the software authenticator", () => {
  const email = uniqueEmail("kitex");
  ctl("account-add", email, DEMO_PASSWORD, "unverified", "0");
  const r = inProject("node", ["--test", "passkeys.test.mjs"], stackEnv(email));
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /^# pass 2$/m);
  assert.match(r.out, /^# fail 0$/m);
});

test("example 3 in a browser: Chromium adds a passkey on My passkeys with the software authenticator (Playwright)", () => {
  const email = uniqueEmail("kitex");
  ctl("account-add", email, DEMO_PASSWORD, "unverified", "0");
  const r = inProject("node", ["--test", "passkeys-browser.test.mjs"], stackEnv(email));
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /^# pass 1$/m);
  assert.match(r.out, /^# fail 0$/m);
});

const smoke = (args) => inProject("node_modules/.bin/rekey-smoke", args);

test("rekey-smoke (the installed bin) passes against this stack, with a test account and its Maildir", () => {
  const email = uniqueEmail("smoke");
  ctl("account-add", email, DEMO_PASSWORD, "unverified", "0");
  const args = ["--url", base, "--origin", origin, "--account", email, "--password", DEMO_PASSWORD, "--mail-dir", mailDir, "--state", `${work}/smoke.json`];
  let r = smoke(args);
  assert.equal(r.status, 0, r.out);
  for (const c of ["health", "openapi", "headers", "reset-enumeration", "passkey-register", "passkey-signin", "passkey-delete"])
    assert.match(r.out, new RegExp(`^ok +${c} `, "m"), r.out);
  assert.match(r.out, /^rekey-smoke: passed: 7 passed, 0 failed, 0 skipped/m);
  // again, --json: the passkey left by the first run signs this one in (--state)
  r = smoke([...args, "--json"]);
  assert.equal(r.status, 0, r.out);
  const j = JSON.parse(r.out);
  assert.deepEqual([j.ok, j.passed, j.failed, j.skipped], [true, 7, 0, 0]);
  assert.deepEqual(j.checks.map((c) => c.name), ["health", "openapi", "headers", "reset-enumeration", "passkey-register", "passkey-signin", "passkey-delete"]);
  assert.ok(j.checks.every((c) => c.ok && typeof c.detail === "string" && typeof c.ms === "number"));
});

test("rekey-smoke: exit 2 and the usage on bad arguments (through npx, as the issue runs it)", () => {
  let r = inProject("npx", ["--offline", "--no-install", "rekey-smoke"]);
  assert.equal(r.status, 2);
  assert.match(r.out, /--url http\(s\):\/\/\.\.\. is required/);
  r = smoke(["--url", base, "--account", "x@y.z"]);
  assert.equal(r.status, 2);
  assert.match(r.out, /go together/);
});

test("rekey-smoke fails, exit 1 and one clear line, against a stack whose origin is wrong; and against no stack", () => {
  const dir = `${work}/wrong-stack`;
  const free = Number(execFileSync("/usr/bin/python3", ["-c", 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'], { encoding: "utf8" }));
  try {
    // the same build and migrations, rekeyd configured with another origin than the one it is reached at
    // its daemons keep stdout and stderr: a file, not a pipe that execFileSync would wait on
    const log = openSync(`${work}/wrong-stack.log`, "w");
    try {
      execFileSync(`${root}cgi/ops/stack.sh`, ["start", dir, String(free)],
        { env: { ...process.env, REKEY_ORIGIN: "http://localhost:9", REKEY_WORKERS: "1" }, stdio: ["ignore", log, log] });
    } finally {
      closeSync(log);
    }
    const url = `http://127.0.0.1:${free}`, o = `http://localhost:${free}`;
    const r = smoke(["--url", url, "--origin", o]);
    assert.equal(r.status, 1, r.out);
    assert.match(r.out, /^ok +health /m);
    // with the request id the error carried (issue #22: every error body has one), for the operator's logs
    assert.match(r.out, new RegExp(`^FAIL reset-enumeration +POST /api/reset answered .*\\(403 csrf_origin\\) \\[request [0-9a-f]{32}\\] -- the deployment does not accept Origin ${o}`, "m"));
    assert.match(r.out, /^rekey-smoke: FAILED: 3 passed, 1 failed, 3 skipped/m);
    const j = JSON.parse(smoke(["--url", url, "--origin", o, "--json"]).out);
    assert.equal(j.ok, false);
    assert.deepEqual(j.checks.filter((c) => !c.ok).map((c) => c.name), ["reset-enumeration"]);
  } finally {
    execFileSync(`${root}cgi/ops/stack.sh`, ["stop", dir], { stdio: "ignore" });
  }
  const r = smoke(["--url", `http://127.0.0.1:${free}`]);
  assert.equal(r.status, 1);
  assert.match(r.out, /^FAIL health +GET \/api\/health: no answer from http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/m);
});
