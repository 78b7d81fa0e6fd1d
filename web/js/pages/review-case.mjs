// review-case.mjs -- one case in the review console: the account's context,
// the timeline, the evidence viewer (zoom, rotate, side by side; face frames
// beside the identity photo on file), the typed transaction's match against
// the account's records, fraud-ring flags, and the decision form.
import { api, setCsrf } from "../api.mjs";
import { $, el, notice, busy, formatTime, timeEl, device, fieldError } from "../dom.mjs";
import { CASE_STATUS, ROUTE, DECISION, FIRST_APPROVAL, REASON, reasonFits, IDENTITY, TIER, FACE_STATUS, REVIEW_EVENT } from "../words.mjs";
import { duration } from "../durations.mjs";

const claimLapse = await duration("review_claim", "30 minutes");

const messages = $("#messages");
const id = Number(new URLSearchParams(location.search).get("id"));
// a case in one of these is decided: no claim, no decision form, no files
const CLOSED = new Set(["approved", "rejected", "completed", "expired"]);
const OUTCOME = {
  approved: "This case is decided: approved.",
  completed: "This case is decided: approved, and the account's passkeys were reset.",
  rejected: "This case is decided: rejected. The user was told the reason.",
  expired: "This case expired without a decision.",
};
const FILES_CLOSED = "The files of a decided case are no longer shown: only the reviewer who holds an open case may view them.";
let c = null;
let reasons = null;
let zoom = 1, turn = 0, side = false;
let shown = [];

const fact = (k, v) => [el("dt", { text: k }), el("dd", {}, v)];

function imageUrl(item) {
  return item.identity ? `/api/review/cases/${id}/identity-photo` : `/api/review/evidence/${item.id}`;
}

function label(item) {
  if (item.identity) return "Identity photo on file";
  if (item.kind === "face_frame") return `Face frame #${item.id}`;
  if (item.kind === "operator_email") return `Email from us (${item.email_kind}) #${item.id}`;
  return `Transaction from ${item.transaction.counterparty} #${item.id}`;
}

function applyView() {
  for (const img of $("#panes").querySelectorAll("img")) {
    img.style.transform = `rotate(${turn}deg) scale(${zoom})`;
  }
}

function view(item) {
  const faces = c.evidence.filter((e) => e.kind === "face_frame");
  if (!side) shown = [item];
  else if (shown.length === 0 || shown[shown.length - 1] !== item) shown = [...shown.slice(-1), item];
  if (side && item.kind === "face_frame" && c.identity_photo && !shown.some((s) => s.identity)) shown = [{ identity: true }, item];
  $("#panes").replaceChildren(...shown.map((s) => el("figure", { tabindex: "0", "aria-label": label(s) },
    el("img", { src: imageUrl(s), alt: label(s) }), el("figcaption", { class: "hint", text: label(s) }))));
  $("#viewer").hidden = false;
  applyView();
  if (faces.length && !c.identity_photo) notice(messages, "warn", "No identity photo on file for this account.");
}

// a picture that opens in the viewer: a button, so Enter and Space work too
function thumb(e) {
  return el("button", { type: "button", class: "thumb", "aria-label": `Open ${label(e)} in the viewer`, onclick: () => view(e) },
    el("img", { src: imageUrl(e), alt: label(e) }));
}

function evidenceCard(e, canView) {
  const parts = [el("h3", { text: label(e) }),
    el("p", { class: "hint", text: `${e.format.toUpperCase()} ${e.width}×${e.height}, ${Math.round(e.bytes / 1024)} KB, received ${formatTime(e.created_at)}` })];
  if (canView) parts.push(thumb(e));
  if (e.transaction) {
    const t = e.transaction;
    parts.push(el("dl", { class: "facts" }, fact("Direction", t.direction), fact("Coin / network", `${t.coin} / ${t.network}`),
      fact("Amount", t.amount), fact("Time", t.time), fact("Address or TXID", t.reference), fact("Platform", t.counterparty),
      fact("Match with records", el("span", { class: "score", text: `${t.match_score} / 100` })),
      fact("Why", t.match_reasons || "Nothing matches")));
  }
  if (e.ring_cases) parts.push(el("p", { class: "ring", text: `Near-identical image in other accounts' cases: ${e.ring_cases}. Possible fraud ring.` }));
  parts.push(el("p", { class: "hint", text: `SHA-256 ${e.sha256.slice(0, 16)}…` }));
  return el("article", {}, ...parts);
}

function render() {
  const a = c.account;
  $("#case-id").textContent = `#${c.id}`;
  const closed = CLOSED.has(c.status);
  $("#case-badges").replaceChildren(el("span", { class: "badge", text: ROUTE[c.route] || c.route }), el("span", { class: "badge", text: CASE_STATUS[c.status] || c.status }),
    a.value_tier === "high" ? el("span", { class: "badge high", text: "High value" }) : "",
    c.four_eyes.needed ? el("span", { class: "badge", text: "Four-eyes" }) : "");
  $("#account").replaceChildren(...fact("Account", `#${a.id} ${a.name || ""}`), ...fact("Email", a.email),
    ...fact("Identity verification", IDENTITY[a.identity_status] || a.identity_status), ...fact("Value tier", TIER[a.value_tier] || a.value_tier),
    ...fact("Registered", timeEl(a.registered_at)),
    ...fact("Bound tools", [a.tools.passkeys ? `${a.tools.passkeys} passkey(s)` : "", a.tools.totp ? "authenticator app" : "",
      a.tools.phone ? `phone ${a.tools.phone}` : ""].filter(Boolean).join(", ") || "none"),
    ...fact("Security questions", `${c.questions_attempts} attempt(s)`),
    ...(c.residence_country ? fact("Country of residence", c.residence_country) : []),
    ...(c.face_check ? fact("Face provider", `${c.face_check.provider}: ${FACE_STATUS[c.face_check.status] || c.face_check.status}${c.face_check.score >= 0 ? ` (score ${c.face_check.score})` : ""}`) : []),
    ...(a.frozen ? fact("Frozen", "yes") : []));
  $("#signins").replaceChildren(...a.recent_signins.map((s) => el("li", { title: s.device }, timeEl(s.at), ` · ${s.country || "?"} · ${s.ip} · ${device(s.device)}`)));
  $("#previous").replaceChildren(...(c.previous_cases.length ? c.previous_cases.map((p) => el("li", {}, `#${p.id} ${ROUTE[p.route] || p.route}: ${CASE_STATUS[p.status] || p.status} (`, timeEl(p.created_at), ")"))
    : [el("li", { class: "hint", text: "None" })]));
  $("#timeline").replaceChildren(...c.timeline.map((t) => el("li", {}, timeEl(t.at), " ",
    REVIEW_EVENT[t.event] || t.event, t.detail ? el("span", { class: "hint", text: ` — ${t.detail}` }) : "")));
  const mine = c.claim.mine && !closed;
  $("#outcome").hidden = !closed;
  $("#outcome").textContent = OUTCOME[c.status] || "";
  $("#claim").hidden = mine || closed || !["under_review", "disputed"].includes(c.status);
  $("#release").hidden = !mine;
  $("#claim-state").textContent = closed ? "" : mine ? `You hold this case. An idle claim lapses after ${claimLapse}.` : c.claim.held ? "Another reviewer holds this case." : "";
  $("#ev-claim").hidden = mine;
  $("#ev-claim").textContent = closed ? FILES_CLOSED : "Claim the case to view its files.";
  const items = [...c.evidence];
  if (c.route === "face" && c.identity_photo && mine) items.unshift({ identity: true, format: "png", width: 0, height: 0, bytes: 0, created_at: "", sha256: "" });
  $("#evidence").replaceChildren(...items.map((e) => e.identity
    ? el("article", {}, el("h3", { text: "Identity photo on file" }), thumb(e))
    : evidenceCard(e, mine)));
  if (!mine) $("#panes").replaceChildren();
  $("#viewer").hidden = !mine || $("#panes").children.length === 0;
  $("#decisions").replaceChildren(...(c.decisions.length ? c.decisions.map((d) => el("li", {},
    timeEl(d.at), ` ${d.reviewer}: ${d.effective ? DECISION[d.decision] || d.decision : FIRST_APPROVAL} — ${REASON[d.reason] || d.reason}`,
    d.note_user ? el("div", { text: `To the user: ${d.note_user}` }) : "", d.note_internal ? el("div", { class: "hint", text: `Internal: ${d.note_internal}` }) : ""))
    : [el("li", { class: "hint", text: "No decision yet" })]));
  $("#decide").hidden = !mine;
  showReasons();
  const fe = $("#four-eyes");
  fe.hidden = !c.four_eyes.needed;
  fe.textContent = !c.four_eyes.needed ? "" : c.status === "disputed"
    ? "The owner said this reset was not them. Two reviewers decide, the second a senior, both the same way: Approve -- the reset stands; Reject -- the owner keeps the account."
    : c.four_eyes.first_approval_by
    ? (c.four_eyes.mine ? "You gave the first approval: a different senior reviewer must give the second." : "One approval recorded: yours completes it (senior role required).")
    : "This case needs two approvals: yours returns it to the queue for a senior reviewer.";
}

async function load() {
  c = await api("GET", `/api/review/cases/${id}`);
  render();
}

try {
  if (!Number.isInteger(id) || id <= 0) throw new Error("No case given.");
  const who = await api("GET", "/api/review/me");
  setCsrf(who.csrf);
  reasons = await api("GET", "/api/review/reasons");
  await load();
  $("#case").hidden = false;
} catch (e) {
  if (e.status === 401) location.assign("/review/");
  else notice(messages, "error", e.message);
}

// An error is said next to the control that caused it, and focus goes there
// (issue #16: the page's top was out of view).
function controlError(box, message) {
  box.textContent = message || "";
  box.hidden = !message;
  if (message) box.focus();
}

$("#claim").addEventListener("click", async (ev) => {
  const button = ev.currentTarget; // null once the handler awaits
  busy(button, true);
  controlError($("#claim-error"));
  try {
    await api("POST", `/api/review/cases/${id}/claim`, {});
    await load();
  } catch (e) { controlError($("#claim-error"), e.message); } finally { busy(button, false); }
});

$("#release").addEventListener("click", async () => {
  controlError($("#claim-error"));
  try {
    await api("POST", `/api/review/cases/${id}/release`, {});
    location.assign("/review/");
  } catch (e) { controlError($("#claim-error"), e.message); }
});

$("#zoom-in").addEventListener("click", () => { zoom = Math.min(4, zoom * 1.25); applyView(); });
$("#zoom-out").addEventListener("click", () => { zoom = Math.max(0.25, zoom / 1.25); applyView(); });
$("#rotate").addEventListener("click", () => { turn = (turn + 90) % 360; applyView(); });
$("#side").addEventListener("click", (ev) => {
  side = !side;
  ev.currentTarget.setAttribute("aria-pressed", String(side));
  if (shown.length) view(shown[shown.length - 1]);
});

// Only the reasons that fit this case's route (a face case is not approved
// because "the screenshots are consistent").
function showReasons() {
  const decision = document.querySelector("input[name=decision]:checked")?.value;
  const keep = $("#reason").value;
  if (!decision) return;
  const list = (reasons[decision] || []).filter((x) => reasonFits(x, c.route));
  $("#reason").replaceChildren(el("option", { value: "", text: "Choose a reason" }), ...list.map((x) => el("option", { value: x, text: REASON[x] || x })));
  if (list.includes(keep)) $("#reason").value = keep;
  showFlags();
}

// An approval despite a fraud-ring flag or a weak match needs an explicit
// confirmation that names them.
function flags() {
  const out = [];
  for (const e of c.evidence) {
    if (e.ring_cases) out.push(`${label(e)}: a near-identical image is in other accounts' cases (${e.ring_cases}), a possible fraud ring.`);
    if (e.transaction && e.transaction.match_score < 50) out.push(`${label(e)}: the transaction matches the account's records only ${e.transaction.match_score} / 100.`);
  }
  return out;
}

function showFlags() {
  const decision = document.querySelector("input[name=decision]:checked")?.value;
  const list = flags();
  const box = $("#flags");
  box.hidden = decision !== "approve" || list.length === 0;
  $("#flag-list").replaceChildren(...list.map((f) => el("li", { text: f })));
  if (box.hidden) $("#flags-ok").checked = false;
}

for (const r of document.querySelectorAll("input[name=decision]")) r.addEventListener("change", showReasons);

$("#decide").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const decision = document.querySelector("input[name=decision]:checked")?.value;
  const reason = $("#reason").value;
  const noteUser = $("#note-user").value.trim();
  const first = document.querySelector("input[name=decision]");
  fieldError($("#decision-set"), decision ? "" : "Choose a decision.");
  if (!decision) return first.focus();
  fieldError($("#reason"), reason ? "" : "Choose a reason.");
  if (!reason) return $("#reason").focus();
  const flagged = decision === "approve" && flags().length > 0;
  fieldError($("#flags-ok"), flagged && !$("#flags-ok").checked ? "Confirm that you checked these flags, or choose another decision." : "");
  if (flagged && !$("#flags-ok").checked) return $("#flags-ok").focus();
  fieldError($("#note-user"), decision !== "approve" && !noteUser ? "Write what the user should be told." : "");
  if (decision !== "approve" && !noteUser) return $("#note-user").focus();
  controlError($("#decide-error"));
  const button = $("#submit-decision");
  busy(button, true);
  try {
    const r = await api("POST", `/api/review/cases/${id}/decision`, { decision, reason, note_user: noteUser, note_internal: $("#note-internal").value.trim() });
    const words = { completed: "Approved: the account's passkeys were reset and the user was told.", awaiting_second_approval: "First approval recorded: the case waits for a senior reviewer.",
      awaiting_second_decision: "First decision recorded: the dispute waits for a senior reviewer.", decisions_differ: "The two decisions differ: the dispute goes back to the queue.",
      owner_keeps: "Decided: the owner keeps the account; it is unfrozen.", reset_stands: "Decided: the reset stands; the passkeys were removed for good.",
      rejected: "Rejected: the user was told the reason.", needs_more_info: "The user was asked for more information." };
    notice(messages, "ok", words[r.status] || r.status);
    await load();
    const done = $("#messages").querySelector(".notice");
    if (done) { done.tabIndex = -1; done.focus(); }
  } catch (e) {
    controlError($("#decide-error"), e.message);
  } finally {
    busy(button, false);
  }
});
