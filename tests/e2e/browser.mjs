// browser.mjs -- Debian's Chromium driven by playwright-core (never a downloaded browser).
// Every page the suites open gets the viewport REKEY_E2E_VIEWPORT names (tests/run.sh
// runs each browser suite at both), and watch() checks every state a page goes
// through: no sideways scroll and no axe-core violation (issue #16).
import { chromium } from "playwright-core";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

export const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };
export const viewportName = process.env.REKEY_E2E_VIEWPORT || "desktop";
if (!VIEWPORTS[viewportName]) throw new Error(`REKEY_E2E_VIEWPORT: desktop or phone, not ${viewportName}`);
export const viewport = VIEWPORTS[viewportName];

export async function launch(extraArgs = []) {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", ...extraArgs],
  });
  // Every context gets the viewport and the state checks before its first page.
  // Closing it fails when any of its pages met a finding, also in a test that
  // does not watch() its pages: every state the suites reach is checked.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (opts = {}) => {
    const ctx = await newContext({ viewport, ...opts });
    await ctx.addInitScript({ content: checksScript });
    const findings = new Set();
    ctx.on("page", (p) => p.on("console", (m) => { if (m.type() === "error" && /^(layout|axe): /.test(m.text())) findings.add(m.text()); }));
    const close = ctx.close.bind(ctx);
    ctx.close = async (...args) => {
      await close(...args);
      if (findings.size) throw new Error(`state checks at ${viewportName}:\n${[...findings].join("\n")}`);
    };
    return ctx;
  };
  browser.newPage = async (opts = {}) => {
    const ctx = await browser.newContext(opts);
    const page = await ctx.newPage();
    page.close = () => ctx.close();
    return page;
  };
  return browser;
}

// Runs in every page (an init script: the CSP does not apply to it). After the
// DOM settles it checks the state: the page must not be wider than the window,
// and axe-core must find nothing. Findings go to console.error, which watch()
// collects, once per rule and page.
function stateChecks() {
  if (window.top !== window || window.__rekeyChecks || location.protocol === "about:") return;
  window.__rekeyChecks = true;
  let timer = 0, running = false, dirty = false;
  const seen = new Set();
  const state = () => [...document.querySelectorAll("h1, h2")].filter((h) => h.getClientRects().length)
    .map((h) => h.textContent.trim()).slice(0, 3).join(" / ");
  const report = (key, msg) => { if (!seen.has(key)) { seen.add(key); console.error(msg); } };
  async function check() {
    if (running) { dirty = true; return; }
    running = true; dirty = false;
    try {
      const de = document.documentElement;
      if (de && document.body && de.scrollWidth > window.innerWidth) {
        const wide = [...document.body.querySelectorAll("*")].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.split(" ")[0] : "")).slice(-3);
        report("scroll " + location.pathname + state(), `layout: ${location.pathname} scrolls sideways at ${window.innerWidth}px (${de.scrollWidth}px wide; ${wide.join(", ")}) [${state()}]`);
      }
      if (window.axe && document.readyState === "complete") {
        const r = await window.axe.run(document, { resultTypes: ["violations"] });
        for (const v of r.violations) {
          const where = v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ");
          report("axe " + location.pathname + v.id + where, `axe: ${location.pathname} ${v.id} (${v.help}) at ${where} [${state()}]`);
        }
      }
    } catch { /* the page went away mid-check */ } finally {
      running = false;
      if (dirty) schedule();
    }
  }
  function schedule() { clearTimeout(timer); timer = setTimeout(check, 50); }
  new MutationObserver(() => { if (running) dirty = true; else schedule(); })
    .observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  window.addEventListener("load", schedule);
  window.addEventListener("resize", schedule);
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const checksScript = `${axeSource}\n;(${stateChecks})();`;

// Collects console errors, CSP violations and the state checks' findings so a
// test can assert there were none.
export function watch(page) {
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  return problems;
}
