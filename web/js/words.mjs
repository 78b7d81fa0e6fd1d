// words.mjs -- what the pages say for the server's codes (case statuses,
// routes, reasons, timeline events), in one place so that people never read a
// raw code (issue #16) and a translation has one file to start from. Every
// value is a whole phrase; a code without an entry falls back to a neutral one.

export const CASE_STATUS = {
  verifying: "Verifying",
  awaiting_evidence: "Waiting for evidence",
  under_review: "Under review",
  second_approval: "Waiting for a second approval",
  needs_more_info: "Waiting for the user",
  approved: "Approved",
  rejected: "Rejected",
  completed: "Completed",
  expired: "Expired",
  disputed: "Disputed by the owner",
};

export const ROUTE = { questions: "Security questions", questions_failed: "Security questions failed", face: "Face verification", documents: "Screenshots" };

export const DECISION = { approve: "Approved", reject: "Rejected", more_info: "Asked for more information" };
export const FIRST_APPROVAL = "First approval";

export const REASON = {
  evidence_consistent: "The screenshots are consistent",
  records_match: "The transaction matches our records",
  face_match: "The face matches the identity photo",
  evidence_unreadable: "The files cannot be read",
  evidence_inconsistent: "The files contradict each other or our records",
  evidence_forged: "The files look edited or forged",
  face_mismatch: "The face does not match the identity photo",
  identity_invalid: "The identity verification on file is not valid",
  suspected_fraud: "Suspected fraud",
  clearer_screenshot: "A clearer screenshot is needed",
  other_transaction: "Another transaction is needed",
  operator_email: "An email from us is needed",
  face_frames: "New face pictures are needed",
};
// Reasons that only fit one route: a face case is never approved because
// "the screenshots are consistent", a screenshots case never for a face match.
export const REASON_ROUTE = {
  face_match: "face", face_mismatch: "face", face_frames: "face",
  evidence_consistent: "documents", records_match: "documents", evidence_unreadable: "documents", evidence_inconsistent: "documents",
  evidence_forged: "documents", clearer_screenshot: "documents", other_transaction: "documents", operator_email: "documents",
};
export const reasonFits = (reason, route) => !REASON_ROUTE[reason] || REASON_ROUTE[reason] === (route === "face" ? "face" : "documents");

export const IDENTITY = { verified: "Verified", unverified: "Not verified", invalid: "Not valid" };
export const TIER = { high: "High value", standard: "Standard" };
export const FACE_STATUS = { queued: "Waiting for the provider", sent: "Sent to the provider", match: "Match", no_match: "No match",
  identity_invalid: "Match, but the identity verification is not valid", failed: "The provider failed" };

export const REVIEW_EVENT = {
  case_opened: "Case opened", routed: "Verification chosen", documents_chosen: "Documents chosen",
  questions_passed: "Security questions answered", questions_failed: "Security questions not passed", evidence_added: "File received",
  evidence_submitted: "Sent for review", more_info_requested: "More information requested", more_info_submitted: "More information received",
  first_approval: "First approval", approved: "Approved", rejected: "Rejected", completed: "Reset completed",
  face_check_sent: "Sent to the face provider", face_check_result: "Face provider result",
  disputed: "The owner said \"this was not me\"", first_decision: "First decision on the dispute", decisions_differ: "The two decisions differed",
  dispute_decided: "Dispute decided",
};

// The user's own timeline: what happened, said for them. The server's detail
// (a rule number, a file's kind and id, how the case was opened) is for
// reviewers; here only its meaning is kept.
const EVIDENCE_KIND = { operator_email: "An email from us was received.", transaction: "A transaction record was received.",
  face_frame: "A face picture was received." };
const ROUTED = { face: "Face verification was chosen for your reset.", documents: "A review of your documents was chosen for your reset.",
  questions: "Security questions were chosen for your reset." };
export function userEvent(e) {
  const d = e.detail || "";
  switch (e.event) {
    case "case_opened": return "You started a passkey reset.";
    case "routed": return ROUTED[d.split(" ")[0]] || "The verification for your reset was chosen.";
    case "documents_chosen": return "You chose a review of your documents.";
    case "questions_passed": return "You answered the security questions.";
    case "questions_failed": return "The security questions were not answered right: your documents will be reviewed instead.";
    case "evidence_added": return EVIDENCE_KIND[d.split(" ")[0]] || "A file was received.";
    case "evidence_submitted": return "You sent your evidence for review.";
    case "face_check_sent": return "Your face pictures were sent for verification.";
    case "face_check_result": return "The face verification answered.";
    case "more_info_requested": return "Our team asked for more information.";
    case "more_info_submitted": return "You sent the information asked for.";
    case "first_approval": return "A first reviewer approved your reset; a second one checks it.";
    case "approved": return "Your reset was approved.";
    case "rejected": return "Your reset was not approved.";
    case "completed": return "Your passkeys were reset.";
    case "disputed": return "The account's owner said this reset was not them: our reviewers decide who keeps the account.";
    case "first_decision": case "decisions_differ": return "A reviewer looked at the dispute; a second one checks it.";
    case "dispute_decided": return d === "the reset stands" ? "The reviewers decided that the reset stands." : "The reviewers decided that the owner keeps the account.";
    default: return "Your case was updated.";
  }
}
