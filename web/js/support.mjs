// support.mjs -- where people get help: the server's support_contact setting
// (a URL or an email address, from /api/health) fills every
// <p data-support hidden>… <a data-support-link></a></p> on the page; without
// the setting they stay hidden. Imported by the pages that offer help.
import "./i18n.mjs"; // every page that offers help is in the user's language

async function fill() {
  const places = document.querySelectorAll("[data-support]");
  if (!places.length) return;
  let contact = "";
  try {
    const res = await fetch("/api/health", { credentials: "same-origin" });
    contact = ((await res.json()) || {}).support || "";
  } catch { return; }
  const href = /^https?:\/\//.test(contact) ? contact : /^[^@\s/:]+@[^@\s/]+$/.test(contact) ? "mailto:" + contact : "";
  if (!href) return;
  for (const p of places) {
    const a = p.querySelector("[data-support-link]");
    a.href = href;
    a.textContent = contact;
    p.hidden = false;
  }
}
fill();
