// words.mjs -- what the pages say for the server's codes (case statuses,
// routes, reasons, timeline events), in one place so that people never read a
// raw code (issue #16); the words are the catalogue's (web/i18n/, #20), each
// key written out so that the catalogue test sees it used. Every value is a
// whole phrase; a code without an entry falls back to a neutral one.
import { t } from "./i18n.mjs";

const words = (keys) => Object.fromEntries(Object.entries(keys).map(([code, key]) => [code, t(key)]));

export const CASE_STATUS = words({
  verifying: "words.case_status.verifying",
  awaiting_evidence: "words.case_status.awaiting_evidence",
  under_review: "words.case_status.under_review",
  second_approval: "words.case_status.second_approval",
  needs_more_info: "words.case_status.needs_more_info",
  approved: "words.case_status.approved",
  rejected: "words.case_status.rejected",
  completed: "words.case_status.completed",
  expired: "words.case_status.expired",
  disputed: "words.case_status.disputed",
});

export const ROUTE = words({ questions: "words.route.questions", questions_failed: "words.route.questions_failed", face: "words.route.face",
  documents: "words.route.documents" });

export const DECISION = words({ approve: "words.decision.approve", reject: "words.decision.reject", more_info: "words.decision.more_info" });
export const FIRST_APPROVAL = t("words.first_approval");

export const REASON = words({
  evidence_consistent: "words.reason.evidence_consistent",
  records_match: "words.reason.records_match",
  face_match: "words.reason.face_match",
  evidence_unreadable: "words.reason.evidence_unreadable",
  evidence_inconsistent: "words.reason.evidence_inconsistent",
  evidence_forged: "words.reason.evidence_forged",
  face_mismatch: "words.reason.face_mismatch",
  identity_invalid: "words.reason.identity_invalid",
  suspected_fraud: "words.reason.suspected_fraud",
  clearer_screenshot: "words.reason.clearer_screenshot",
  other_transaction: "words.reason.other_transaction",
  operator_email: "words.reason.operator_email",
  face_frames: "words.reason.face_frames",
});
// Reasons that only fit one route: a face case is never approved because
// "the screenshots are consistent", a screenshots case never for a face match.
export const REASON_ROUTE = {
  face_match: "face", face_mismatch: "face", face_frames: "face",
  evidence_consistent: "documents", records_match: "documents", evidence_unreadable: "documents", evidence_inconsistent: "documents",
  evidence_forged: "documents", clearer_screenshot: "documents", other_transaction: "documents", operator_email: "documents",
};
export const reasonFits = (reason, route) => !REASON_ROUTE[reason] || REASON_ROUTE[reason] === (route === "face" ? "face" : "documents");

export const IDENTITY = words({ verified: "words.identity.verified", unverified: "words.identity.unverified", invalid: "words.identity.invalid" });
export const TIER = words({ high: "words.tier.high", standard: "words.tier.standard" });
export const FACE_STATUS = words({ queued: "words.face.queued", sent: "words.face.sent", match: "words.face.match", no_match: "words.face.no_match",
  identity_invalid: "words.face.identity_invalid", failed: "words.face.failed" });

export const REVIEW_EVENT = words({
  case_opened: "words.event.case_opened", routed: "words.event.routed", documents_chosen: "words.event.documents_chosen",
  questions_passed: "words.event.questions_passed", questions_failed: "words.event.questions_failed", evidence_added: "words.event.evidence_added",
  evidence_submitted: "words.event.evidence_submitted", more_info_requested: "words.event.more_info_requested",
  more_info_submitted: "words.event.more_info_submitted", first_approval: "words.event.first_approval", approved: "words.event.approved",
  rejected: "words.event.rejected", completed: "words.event.completed", face_check_sent: "words.event.face_check_sent",
  face_check_result: "words.event.face_check_result", disputed: "words.event.disputed", first_decision: "words.event.first_decision",
  decisions_differ: "words.event.decisions_differ", dispute_decided: "words.event.dispute_decided",
});

// The holds' reasons as the settings page names them.
export const HOLD_REASON = words({ passkey_deleted: "hold_reason.passkey_deleted", passkey_reset: "hold_reason.passkey_reset",
  account_frozen: "hold_reason.account_frozen", operator: "hold_reason.operator" });

// The user's own timeline: what happened, said for them. The server's detail
// (a rule number, a file's kind and id, how the case was opened) is for
// reviewers; here only its meaning is kept.
const EVIDENCE_KIND = words({ operator_email: "words.user.evidence.operator_email", transaction: "words.user.evidence.transaction",
  face_frame: "words.user.evidence.face_frame" });
const ROUTED = words({ face: "words.user.routed.face", documents: "words.user.routed.documents", questions: "words.user.routed.questions" });
const USER_EVENT = words({
  case_opened: "words.user.case_opened", documents_chosen: "words.user.documents_chosen", questions_passed: "words.user.questions_passed",
  questions_failed: "words.user.questions_failed", evidence_submitted: "words.user.evidence_submitted",
  face_check_sent: "words.user.face_check_sent", face_check_result: "words.user.face_check_result",
  more_info_requested: "words.user.more_info_requested", more_info_submitted: "words.user.more_info_submitted",
  first_approval: "words.user.first_approval", approved: "words.user.approved", rejected: "words.user.rejected", completed: "words.user.completed",
  disputed: "words.user.disputed", first_decision: "words.user.first_decision", decisions_differ: "words.user.first_decision",
});
export function userEvent(e) {
  const d = e.detail || "";
  if (e.event === "routed") return ROUTED[d.split(" ")[0]] || t("words.user.routed.other");
  if (e.event === "evidence_added") return EVIDENCE_KIND[d.split(" ")[0]] || t("words.user.evidence_added");
  // the server's detail of a dispute's decision (store/dispute.c), never shown as it is
  if (e.event === "dispute_decided") return t(d === "the reset stands" ? "words.user.dispute_reset_stands" : "words.user.dispute_owner_keeps"); // i18n-exempt: the server's detail, compared
  return USER_EVENT[e.event] || t("words.user.other");
}
