// case.mjs -- the user's case page, reached by the private link in the mail.
import { api } from "../api.mjs";
import { $, el, notice, formatTime } from "../dom.mjs";

const words = {
  verifying: ["Verifying", "Answer the security questions in the reset page to finish."],
  awaiting_evidence: ["Waiting for your evidence", "Submit the requested evidence so that our team can review your case."],
  under_review: ["Under review", "Our team is reviewing your case. We email you at each change."],
  needs_more_info: ["More information needed", "Our team asked for more information."],
  approved: ["Approved", "Your reset was approved."],
  rejected: ["Rejected", "Your reset was rejected."],
  completed: ["Completed", "Your passkeys were reset. Bind a new passkey now."],
  expired: ["Expired", "This case expired. Start a new reset if you still need one."],
};
const events = { case_opened: "Case opened", routed: "Verification chosen", documents_chosen: "Documents chosen",
  questions_passed: "Security questions answered", questions_failed: "Security questions not passed", completed: "Reset completed",
  evidence_added: "File received", evidence_submitted: "Sent for review", face_check_sent: "Sent to face verification",
  face_check_result: "Face verification result", rejected: "Not approved" };

const token = new URLSearchParams(location.search).get("token") || "";
try {
  const c = await api("GET", `/api/cases/status?token=${encodeURIComponent(token)}`);
  $("#case-id").textContent = String(c.case);
  $("#case-status").textContent = (words[c.status] || [c.status])[0];
  $("#case-explain").textContent = (words[c.status] || ["", ""])[1];
  $("#timeline").replaceChildren(...c.timeline.map((e) => el("tr", {}, el("td", { text: formatTime(e.at) }),
    el("td", { text: (events[e.event] || e.event) + (e.detail ? ` (${e.detail})` : "") }))));
  $("#summary").hidden = false;
  $("#timeline-card").hidden = false;
} catch (e) {
  notice($("#messages"), "error", e.status === 404 ? "This link is not valid." : e.message);
}
