// review-case.mjs -- one case in the review console: the account's context,
// the timeline, the evidence viewer (zoom, rotate, side by side; face frames
// beside the identity photo on file), the typed transaction's match against
// the account's records, fraud-ring flags, and the decision form.
import { t, problem, lang, languageName, regionName, formatNumber } from "../i18n.mjs";
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
  approved: t("rcase.outcome.approved"),
  completed: t("rcase.outcome.completed"),
  rejected: t("rcase.outcome.rejected"),
  expired: t("rcase.outcome.expired"),
};
const FILES_CLOSED = t("rcase.files_closed");
let c = null;
let reasons = null;
let zoom = 1, turn = 0, side = false;
let shown = [];

const fact = (k, v) => [el("dt", { text: k }), el("dd", {}, v)];
const tr = t; // evidenceCard's own "t" is the transaction
const EMAIL_KIND = { deposit: t("reset.deposit_notification"), withdrawal: t("reset.withdrawal_notification"),
  signup: t("reset.sign_up_notification"), signin: t("reset.sign_in_notification") };
const DIRECTION = { deposit: t("reset.a_deposit_to_us"), withdrawal: t("reset.a_withdrawal_from_us") };

function imageUrl(item) {
  return item.identity ? `/api/review/cases/${id}/identity-photo` : `/api/review/evidence/${item.id}`;
}

function label(item) {
  if (item.identity) return t("rcase.identity_photo");
  if (item.kind === "face_frame") return t("rcase.label.face_frame", { id: item.id });
  if (item.kind === "operator_email") return t("rcase.label.operator_email", { kind: EMAIL_KIND[item.email_kind] || item.email_kind, id: item.id });
  return t("rcase.label.transaction", { platform: item.transaction.counterparty, id: item.id });
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
  if (faces.length && !c.identity_photo) notice(messages, "warn", t("rcase.no_identity_photo"));
}

// a picture that opens in the viewer: a button, so Enter and Space work too
function thumb(e) {
  return el("button", { type: "button", class: "thumb", "aria-label": t("rcase.open_in_viewer", { label: label(e) }), onclick: () => view(e) },
    el("img", { src: imageUrl(e), alt: label(e) }));
}

function evidenceCard(e, canView) {
  const parts = [el("h3", { text: label(e) }),
    el("p", { class: "hint", text: t("rcase.file_facts", { format: e.format.toUpperCase(), width: String(e.width), height: String(e.height), kb: Math.round(e.bytes / 1024), time: formatTime(e.created_at) }) })];
  if (canView) parts.push(thumb(e));
  if (e.transaction) {
    const t = e.transaction;
    parts.push(el("dl", { class: "facts" }, fact(tr("rcase.fact.direction"), DIRECTION[t.direction] || t.direction), fact(tr("rcase.fact.coin_network"), `${t.coin} / ${t.network}`),
      fact(tr("rcase.fact.amount"), isNaN(Number(t.amount)) ? t.amount : `${formatNumber(Number(t.amount), { maximumFractionDigits: 18 })} ${t.coin}`), fact(tr("rcase.fact.time"), t.time), fact(tr("rcase.fact.reference"), t.reference), fact(tr("rcase.fact.platform"), t.counterparty),
      fact(tr("rcase.fact.match"), el("span", { class: "score", text: tr("rcase.score", { score: t.match_score }) })),
      fact(tr("rcase.fact.why"), t.match_reasons || tr("rcase.nothing_matches"))));
  }
  if (e.ring_cases) parts.push(el("p", { class: "ring", text: t("rcase.ring", { cases: e.ring_cases }) }));
  parts.push(el("p", { class: "hint", text: `SHA-256 ${e.sha256.slice(0, 16)}…` }));
  return el("article", {}, ...parts);
}

function render() {
  const a = c.account;
  $("#case-id").textContent = `#${c.id}`;
  const closed = CLOSED.has(c.status);
  $("#case-badges").replaceChildren(el("span", { class: "badge", text: ROUTE[c.route] || c.route }), el("span", { class: "badge", text: CASE_STATUS[c.status] || c.status }),
    a.value_tier === "high" ? el("span", { class: "badge high", text: TIER.high }) : "",
    c.four_eyes.needed ? el("span", { class: "badge", text: t("rcase.four_eyes") }) : "");
  $("#account").replaceChildren(...fact(t("rcase.account"), `#${a.id} ${a.name || ""}`), ...fact(t("common.email"), a.email),
    // #20: the user's language, so that a note to the user can be written in it
    ...fact(t("rcase.fact.language"), a.language ? languageName(a.language, lang) : t("rcase.language_unset")),
    ...fact(t("rcase.fact.identity"), IDENTITY[a.identity_status] || a.identity_status), ...fact(t("rcase.fact.tier"), TIER[a.value_tier] || a.value_tier),
    ...fact(t("rcase.fact.registered"), timeEl(a.registered_at)),
    ...fact(t("rcase.fact.tools"), [a.tools.passkeys ? t("rcase.tools.passkeys", { n: a.tools.passkeys }) : "", a.tools.totp ? t("rcase.tools.totp") : "",
      a.tools.phone ? t("rcase.tools.phone", { phone: a.tools.phone }) : ""].filter(Boolean).join(t("common.list_separator")) || t("rcase.tools.none")),
    ...fact(t("rcase.fact.questions"), t("rcase.attempts", { n: c.questions_attempts })),
    ...(c.residence_country ? fact(t("reset.country_of_residence"), `${regionName(c.residence_country)} (${c.residence_country})`) : []),
    ...(c.face_check ? fact(t("rcase.fact.face"), `${c.face_check.provider}: ${FACE_STATUS[c.face_check.status] || c.face_check.status}${c.face_check.score >= 0 ? " " + t("rcase.face_score", { score: c.face_check.score }) : ""}`) : []),
    ...(a.frozen ? fact(t("rcase.fact.frozen"), t("rcase.yes")) : []));
  $("#signins").replaceChildren(...a.recent_signins.map((s) => el("li", { title: s.device }, timeEl(s.at), ` · ${s.country ? regionName(s.country) : "?"} · ${s.ip} · ${device(s.device)}`)));
  $("#previous").replaceChildren(...(c.previous_cases.length ? c.previous_cases.map((p) => el("li", {}, `#${p.id} ${ROUTE[p.route] || p.route}: ${CASE_STATUS[p.status] || p.status} (`, timeEl(p.created_at), ")"))
    : [el("li", { class: "hint", text: t("rcase.tools.none") })]));
  $("#timeline").replaceChildren(...c.timeline.map((t) => el("li", {}, timeEl(t.at), " ",
    REVIEW_EVENT[t.event] || t.event, t.detail ? el("span", { class: "hint", text: ` — ${t.detail}` }) : "")));
  const mine = c.claim.mine && !closed;
  $("#outcome").hidden = !closed;
  $("#outcome").textContent = OUTCOME[c.status] || "";
  $("#claim").hidden = mine || closed || !["under_review", "disputed"].includes(c.status);
  $("#release").hidden = !mine;
  $("#claim-state").textContent = closed ? "" : mine ? t("rcase.you_hold", { lapse: claimLapse }) : c.claim.held ? t("rcase.other_holds") : "";
  $("#ev-claim").hidden = mine;
  $("#ev-claim").textContent = closed ? FILES_CLOSED : t("rcase.ev_claim");
  const items = [...c.evidence];
  if (c.route === "face" && c.identity_photo && mine) items.unshift({ identity: true, format: "png", width: 0, height: 0, bytes: 0, created_at: "", sha256: "" });
  $("#evidence").replaceChildren(...items.map((e) => e.identity
    ? el("article", {}, el("h3", { text: t("rcase.identity_photo") }), thumb(e))
    : evidenceCard(e, mine)));
  if (!mine) $("#panes").replaceChildren();
  $("#viewer").hidden = !mine || $("#panes").children.length === 0;
  $("#decisions").replaceChildren(...(c.decisions.length ? c.decisions.map((d) => el("li", {},
    timeEl(d.at), ` ${d.reviewer}: ${d.effective ? DECISION[d.decision] || d.decision : FIRST_APPROVAL} — ${REASON[d.reason] || d.reason}`,
    d.note_user ? el("div", { text: t("rcase.to_user", { note: d.note_user }) }) : "", d.note_internal ? el("div", { class: "hint", text: t("rcase.internal", { note: d.note_internal }) }) : ""))
    : [el("li", { class: "hint", text: t("rcase.no_decision") })]));
  $("#decide").hidden = !mine;
  showReasons();
  const fe = $("#four-eyes");
  fe.hidden = !c.four_eyes.needed;
  fe.textContent = !c.four_eyes.needed ? "" : c.status === "disputed"
    ? t("rcase.four_eyes.disputed")
    : c.four_eyes.first_approval_by
    ? (c.four_eyes.mine ? t("rcase.four_eyes.mine") : t("rcase.four_eyes.second"))
    : t("rcase.four_eyes.needed");
}

async function load() {
  c = await api("GET", `/api/review/cases/${id}`);
  render();
}

try {
  if (!Number.isInteger(id) || id <= 0) throw new Error(t("rcase.no_case"));
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
  $("#reason").replaceChildren(el("option", { value: "", text: t("rcase.choose_reason") }), ...list.map((x) => el("option", { value: x, text: REASON[x] || x })));
  if (list.includes(keep)) $("#reason").value = keep;
  showFlags();
}

// An approval despite a fraud-ring flag or a weak match needs an explicit
// confirmation that names them.
function flags() {
  const out = [];
  for (const e of c.evidence) {
    if (e.ring_cases) out.push(t("rcase.flag.ring", { label: label(e), cases: e.ring_cases }));
    if (e.transaction && e.transaction.match_score < 50) out.push(t("rcase.flag.weak", { label: label(e), score: e.transaction.match_score }));
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
  fieldError($("#decision-set"), decision ? "" : t("rcase.choose_decision"));
  if (!decision) return first.focus();
  fieldError($("#reason"), reason ? "" : t("rcase.reason_missing"));
  if (!reason) return $("#reason").focus();
  const flagged = decision === "approve" && flags().length > 0;
  fieldError($("#flags-ok"), flagged && !$("#flags-ok").checked ? t("rcase.confirm_flags") : "");
  if (flagged && !$("#flags-ok").checked) return $("#flags-ok").focus();
  fieldError($("#note-user"), decision !== "approve" && !noteUser ? problem("note_user_required") : "");
  if (decision !== "approve" && !noteUser) return $("#note-user").focus();
  controlError($("#decide-error"));
  const button = $("#submit-decision");
  busy(button, true);
  try {
    const r = await api("POST", `/api/review/cases/${id}/decision`, { decision, reason, note_user: noteUser, note_internal: $("#note-internal").value.trim() });
    const words = { completed: t("rcase.done.completed"), awaiting_second_approval: t("rcase.done.first"),
      awaiting_second_decision: t("rcase.done.first_decision"), decisions_differ: t("rcase.done.decisions_differ"),
      owner_keeps: t("rcase.done.owner_keeps"), reset_stands: t("rcase.done.reset_stands"),
      rejected: t("rcase.done.rejected"), needs_more_info: t("rcase.done.more_info") };
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
