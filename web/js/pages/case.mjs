// case.mjs -- the user's case page, reached by the private link in the mail:
// the status in words, what to do next, and the timeline with times.
import { api } from "../api.mjs";
import { $, el, notice, formatTime, timeEl } from "../dom.mjs";
import { userEvent } from "../words.mjs";
import { t } from "../i18n.mjs";
import "../support.mjs"; // the support contact, where this page offers help
import { duration } from "../durations.mjs";

const words = {
  verifying: [t("case.status.verifying"), t("case.explain.verifying")],
  awaiting_evidence: [t("case.status.awaiting_evidence"), t("case.explain.awaiting_evidence")],
  under_review: [t("case.status.under_review"), t("case.explain.under_review")],
  needs_more_info: [t("case.status.needs_more_info"), t("case.explain.needs_more_info")],
  approved: [t("case.status.approved"), t("case.explain.approved")],
  rejected: [t("case.status.rejected"), t("case.explain.rejected")],
  completed: [t("case.status.completed"), "case.explain.completed"],
  expired: [t("case.status.expired"), t("case.explain.expired")],
  disputed: [t("case.status.disputed"), t("case.explain.disputed")],
};
const token = new URLSearchParams(location.search).get("token") || "";
// without the mail's link the holder came from the header ("My case"), signed in: the header again
if (!token) import("../nav.mjs");

// a fresh upload link for this browser (the case link is the proof), then the reset page
const uploadButton = (text) => !token ? el("p", { class: "hint", text: t("case.use_the_link") }) : el("button", { type: "button", text, onclick: async (ev) => {
  const b = ev.currentTarget;
  b.disabled = true;
  try {
    // the reset page repeats what the reviewer asked for (this tab only)
    const asked = [...caseData.timeline].reverse().find((e) => e.event === "more_info_requested");
    try { if (asked && asked.detail) sessionStorage.setItem("rekey.more.asked", asked.detail); } catch { /* no storage */ }
    location.assign((await api("POST", "/api/cases/upload-link", { token })).url);
  } catch (e) {
    b.disabled = false;
    notice($("#messages"), "error", e.message);
  }
} });
let caseData = null;
try {
  // without the mail's link: the signed-in account's open case (#23, the header's "My case")
  const c = caseData = await api("GET", token ? `/api/cases/status?token=${encodeURIComponent(token)}` : "/api/cases/status");
  const last = (ev) => [...c.timeline].reverse().find((e) => e.event === ev);
  $("#case-id").textContent = String(c.case);
  $("#case-status").textContent = (words[c.status] || [c.status])[0];
  $("#case-explain").textContent = c.status === "completed" ? t("case.explain.completed", { hold: await duration("hold", "24 hours") })
    : (words[c.status] || ["", ""])[1];
  const next = $("#case-next");
  next.replaceChildren();
  if (c.status === "needs_more_info" && last("more_info_requested")) {
    next.append(el("p", {}, el("strong", { text: t("case.asked") + " " }), last("more_info_requested").detail));
    next.append(el("p", { text: t("case.answer_before", { time: formatTime(c.more_info_expires_at) }) }));
    next.append(uploadButton(t("case.upload_asked")));
  }
  if (c.status === "awaiting_evidence")
    next.append(uploadButton(t("case.continue_uploading")));
  if (c.status === "rejected" && last("rejected"))
    next.append(el("p", {}, el("strong", { text: t("case.reason") + " " }), last("rejected").detail));
  if (c.status === "rejected" || c.status === "expired")
    next.append(el("a", { class: "button", href: "/reset.html", text: t("case.new_reset") }));
  if (c.status === "completed")
    next.append(el("a", { class: "button", href: "/?next=/account/passkeys.html", text: t("case.sign_in_bind") }));
  // for the user: what happened in their words, not the server's codes and rule numbers
  $("#timeline").replaceChildren(...c.timeline.map((e) => el("tr", {}, el("td", {}, timeEl(e.at)), el("td", { text: userEvent(e) }))));
  $("#summary").hidden = false;
  $("#timeline-card").hidden = false;
} catch (e) {
  notice($("#messages"), "error", e.status === 404 ? t("problem.link_invalid") : e.message);
}
