// dom.mjs -- building DOM from data with textContent only (never innerHTML).
// Importing it puts the page in the user's language (i18n.mjs).
import { t, problem, formatTime as localTime } from "./i18n.mjs";
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on") && typeof v === "function") e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(typeof c === "string" ? document.createTextNode(c) : c);
  return e;
}

export const $ = (sel, root = document) => root.querySelector(sel);

// Shows a message next to a field and links it for screen readers.
export function fieldError(input, message) {
  const id = input.id + "-error";
  let box = document.getElementById(id);
  if (!box) {
    box = el("p", { id, class: "field-error", "aria-live": "polite" });
    input.insertAdjacentElement("afterend", box);
  }
  box.textContent = message || "";
  input.setAttribute("aria-invalid", message ? "true" : "false");
  const described = new Set((input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
  described.add(id);
  input.setAttribute("aria-describedby", [...described].join(" "));
}

export function notice(container, kind, message) {
  container.replaceChildren();
  if (!message) return;
  const n = el("div", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status", text: message });
  container.append(n);
}

export function busy(button, on) {
  button.disabled = on;
  button.setAttribute("aria-busy", on ? "true" : "false");
}

// "Chrome on Linux" rather than the whole user-agent string (shown whole as a tooltip)
export function device(ua) {
  if (!ua) return t("device.unknown");
  const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrom(e|ium)\//.test(ua) ? "Chrome"
    : /Safari\//.test(ua) ? "Safari" : /curl\//.test(ua) ? "curl" : /node|undici/i.test(ua) ? "Script" : null;
  const os = /iPhone|iPad/.test(ua) ? "iOS" : /Android/.test(ua) ? "Android" : /Mac OS X/.test(ua) ? "macOS"
    : /Windows/.test(ua) ? "Windows" : /Linux|X11/.test(ua) ? "Linux" : null;
  return browser && os ? t("device.on", { browser, os }) : browser || os || t("device.unknown");
}

// A time in the browser's time zone, with the zone's name ("2 Dec 2026, 14:13 CET"),
// in the page's language (Intl.DateTimeFormat): issue #16, every time on a
// page says which zone it is in.
export function formatTime(iso) {
  return localTime(iso);
}

export function formatUtc(iso) {
  const d = new Date(iso);
  return isNaN(d) ? "" : localTime(iso, "UTC");
}

// The same as a <time> element, with the time in UTC on hover.
export function timeEl(iso) {
  return el("time", { datetime: iso, title: formatUtc(iso), text: formatTime(iso) });
}

// A form that takes a 6-digit code: checks it with the core first, posts it,
// shows the server's refusal next to the field. onOk runs after a 2xx.
export function codeForm(form, { core, input, button, submit, onOk }) {
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const code = input.value.trim();
    const v = core.validate.code(code);
    fieldError(input, v.ok ? "" : problem(v.problems[0]));
    if (!v.ok) return input.focus();
    busy(button, true);
    try {
      await submit(code);
      onOk();
    } catch (e) {
      fieldError(input, e.message);
      input.select();
    } finally {
      busy(button, false);
    }
  });
}

// table.cards: on a phone each row is a card and each cell shows its column's
// heading (site.css). The heading is the table's own <th> text, copied here
// into data-label whenever rows are added; a visually hidden heading (Actions)
// stays hidden.
function labelCells(table) {
  const heads = [...table.querySelectorAll("thead th")].map((th) => (th.querySelector(".visually-hidden") ? "" : th.textContent.trim()));
  for (const body of table.tBodies) {
    for (const row of body.rows) {
      [...row.cells].forEach((cell, i) => { if (heads[i] && cell.tagName === "TD") cell.dataset.label = heads[i]; });
    }
  }
}
for (const table of document.querySelectorAll("table.cards")) {
  labelCells(table);
  new MutationObserver(() => labelCells(table)).observe(table, { childList: true, subtree: true });
}
