// recoverycodes.mjs -- a new set of saved recovery codes, shown once (issue #17):
// the list, Download (a text file), Print, and "I have saved them" before the
// codes leave the screen. Used by the recovery page and by the reset's done page.
import { el, formatTime } from "./dom.mjs";
import { t } from "./i18n.mjs";

// Renders the set into container; resolves when the person confirms they saved it.
export function showCodes(container, set, { operator = "Rekey", email = "" } = {}) {
  const text = [t(email ? "codes.file_title_for" : "codes.file_title", { operator, email }), t("codes.file_made", { time: formatTime(set.created_at) }), "",
    t("codes.file_each"), t("codes.file_keep"), "",
    ...set.codes.map((c, i) => `${String(i + 1).padStart(2, " ")}. ${c}`), ""].join("\n");
  const url = URL.createObjectURL(new Blob([text], { type: "text/plain" }));
  const list = el("ol", { class: "recovery-list", id: "recovery-list", "aria-label": t("codes.list_label") },
    ...set.codes.map((c) => el("li", {}, el("code", { text: c }))));
  const download = el("a", { class: "button secondary", id: "codes-download", href: url, download: "recovery-codes.txt", text: t("codes.download") });
  const print = el("button", { type: "button", class: "secondary", id: "codes-print", text: t("codes.print"), onclick: () => window.print() });
  const saved = el("input", { type: "checkbox", id: "codes-saved" });
  const done = el("button", { type: "button", id: "codes-done", text: t("codes.done"), disabled: true });
  saved.addEventListener("change", () => { done.disabled = !saved.checked; });
  const box = el("div", { class: "recovery-codes", role: "group", "aria-labelledby": "codes-title" },
    el("h3", { id: "codes-title", text: t("codes.title") }),
    el("p", { class: "notice warn", text: t("codes.shown_once") }),
    list, el("p", { class: "actions" }, download, " ", print),
    el("p", {}, el("label", { for: "codes-saved" }, saved, " ", t("codes.saved"))), done);
  container.replaceChildren(box);
  container.hidden = false;
  list.setAttribute("tabindex", "-1");
  list.focus();
  return new Promise((resolve) => {
    done.addEventListener("click", () => {
      URL.revokeObjectURL(url);
      container.replaceChildren();
      container.hidden = true;
      resolve();
    });
  });
}
