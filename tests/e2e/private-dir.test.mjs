// private-dir.test.mjs -- `make run` from a clone inside a 0700 folder (a home
// directory, root's /root): the pages and the API answer (issue #16: nginx's
// workers ran as nobody and got 502 on every call), the run log says nothing
// odd after `make stop`. The clone is a copy of what run.sh needs; the
// stack is its own (MariaDB, rekeyd, nginx on a free port), stopped at the end.
import { test, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, cpSync, symlinkSync, rmSync, statSync, openSync, readSync, closeSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { launch, watch, VIEWPORTS } from "./browser.mjs";
import { root } from "../node/vectors.mjs";

const home = mkdtempSync(tmpdir() + "/rekey-home-"); // mkdtemp makes it 0700
const clone = `${home}/rekey`;
let run = null;
after(() => {
  try { execFileSync(`${clone}/cgi/ops/stack.sh`, ["stop", `${clone}/var`], { stdio: "ignore" }); } catch { /* never started */ }
  if (run && run.exitCode === null) run.kill("SIGTERM");
  rmSync(home, { recursive: true, force: true });
});

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

test("make run from a 0700 home: pages and API answer at both viewports, make stop leaves a clean log", async () => {
  assert.equal(statSync(home).mode & 0o777, 0o700);
  for (const p of ["web", "schema", "cgi/ops", "cgi/openapi.json", "cgi/aaguids.tsv", "tests/vectors/image/corpus"]) {
    cpSync(`${root}${p}`, `${clone}/${p}`, { recursive: true });
  }
  symlinkSync(`${root}build`, `${clone}/build`);
  mkdirSync(`${clone}/var`);
  const port = await freePort();
  // the suites' own settings (an external face provider, SMTP) are not make run's
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("REKEY_")));
  let log = "";
  run = spawn(`${clone}/cgi/ops/run.sh`, ["var", String(port)], { cwd: clone, env: { ...env, REKEY_WORKERS: "2" }, stdio: ["ignore", "pipe", "pipe"] });
  run.stdout.on("data", (d) => { log += d; });
  run.stderr.on("data", (d) => { log += d; });
  // "close", not "exit": the last output can still be in the pipes when the
  // process has exited (CI once saw the log end before "Rekey stopped.")
  const closed = new Promise((resolve) => run.on("close", (c) => resolve(c)));
  const end = Date.now() + 120000;
  while (!log.includes("Rekey is running.")) {
    assert.ok(run.exitCode === null && Date.now() < end, "make run did not come up:\n" + log);
    await new Promise((r) => setTimeout(r, 200));
  }
  const site = `http://localhost:${port}`;
  // the demo video for Chromium's fake camera, and how to use it (issue #16)
  const head = Buffer.alloc(9), fd = openSync(`${clone}/var/demo-face.y4m`, "r");
  readSync(fd, head, 0, 9, 0);
  closeSync(fd);
  assert.equal(head.toString(), "YUV4MPEG2");
  assert.match(log, /--use-file-for-fake-video-capture=\S+\/var\/demo-face\.y4m/);
  assert.equal((await fetch(`${site}/api/health`)).status, 200);
  assert.equal((await fetch(`${site}/account/passkeys.html`)).status, 200);
  const browser = await launch();
  try {
    for (const viewport of Object.values(VIEWPORTS)) {
      const ctx = await browser.newContext({ viewport });
      const page = await ctx.newPage();
      const problems = watch(page);
      await page.goto(site + "/");
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      await page.getByLabel("Email").fill("demo@rekey.test");
      await page.getByLabel("Password").fill("rekey-demo-2026");
      await page.getByRole("button", { name: "Sign in", exact: true }).click();
      await page.waitForURL((u) => u.pathname === "/account/settings.html");
      await page.getByRole("heading", { name: "Security settings" }).waitFor();
      assert.deepEqual(problems, []);
      await ctx.close();
    }
  } finally {
    await browser.close();
  }
  // `make stop` from another terminal
  execFileSync(`${clone}/cgi/ops/stack.sh`, ["stop", `${clone}/var`]);
  const code = await closed;
  assert.equal(code, 0, log);
  assert.doesNotMatch(log, /No such file|cannot|error/i);
  assert.match(log, /Rekey stopped\.\n$/);
});
