// browser.mjs -- Debian's Chromium driven by playwright-core (never a downloaded browser).
import { chromium } from "playwright-core";

export async function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", ...extraArgs],
  });
}

// Collects console errors and CSP violations so a test can assert there were none.
export function watch(page) {
  const problems = [];
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  page.on("pageerror", (e) => problems.push(String(e)));
  return problems;
}
