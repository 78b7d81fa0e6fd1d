// case.mjs -- the user's case page, reached by the private link in the mail:
// the status in words, what to do next, and the timeline with times.
import { api } from "../api.mjs";
import { $, el, notice, formatTime, timeEl } from "../dom.mjs";
import { userEvent } from "../words.mjs";
import "../support.mjs"; // the support contact, where this page offers help
import { duration } from "../durations.mjs";

const words = {
  verifying: ["Verifying", "Answer the security questions in the reset page to finish."],
  awaiting_evidence: ["Waiting for your evidence", "Submit the requested evidence so that our team can review your case."],
  under_review: ["Under review", "Our team is reviewing your case. We email you at each change."],
  needs_more_info: ["More information needed", "Our team asked for more information. Use the upload link in our email; it expires after a few days."],
  approved: ["Approved", "Your reset was approved."],
  rejected: ["Rejected", "Your reset was not approved. Nothing changed on your account. You can start a new reset at any time."],
  completed: ["Completed", "Your passkeys were reset and every session was signed out. Withdrawals are held for {hold}. Sign in and bind a new passkey now."],
  expired: ["Expired", "This case expired. Start a new reset if you still need one."],
  disputed: ["Disputed", "The account's owner said this reset was not them. The account is frozen while two of our reviewers decide who keeps it; we email you the decision."],
};
const token = new URLSearchParams(location.search).get("token") || "";
// without the mail's link the holder came from the header ("My case"), signed in: the header again
if (!token) import("../nav.mjs");

// a fresh upload link for this browser (the case link is the proof), then the reset page
const uploadButton = (text) => !token ? el("p", { class: "hint", text: "Use the link in our email to continue: it opens this case on the reset page." }) : el("button", { type: "button", text, onclick: async (ev) => {
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
  $("#case-explain").textContent = (words[c.status] || ["", ""])[1].replace("{hold}", await duration("hold", "24 hours"));
  const next = $("#case-next");
  next.replaceChildren();
  if (c.status === "needs_more_info" && last("more_info_requested")) {
    next.append(el("p", {}, el("strong", { text: "Our team asked: " }), last("more_info_requested").detail));
    next.append(el("p", { text: `Answer before ${formatTime(c.more_info_expires_at)}.` }));
    next.append(uploadButton("Upload what was asked"));
  }
  if (c.status === "awaiting_evidence")
    next.append(uploadButton("Continue uploading"));
  if (c.status === "rejected" && last("rejected"))
    next.append(el("p", {}, el("strong", { text: "Reason: " }), last("rejected").detail));
  if (c.status === "rejected" || c.status === "expired")
    next.append(el("a", { class: "button", href: "/reset.html", text: "Start a new reset" }));
  if (c.status === "completed")
    next.append(el("a", { class: "button", href: "/?next=/account/passkeys.html", text: "Sign in and bind a new passkey" }));
  // for the user: what happened in their words, not the server's codes and rule numbers
  $("#timeline").replaceChildren(...c.timeline.map((e) => el("tr", {}, el("td", {}, timeEl(e.at)), el("td", { text: userEvent(e) }))));
  $("#summary").hidden = false;
  $("#timeline-card").hidden = false;
} catch (e) {
  notice($("#messages"), "error", e.status === 404 ? "This link is not valid." : e.message);
}
