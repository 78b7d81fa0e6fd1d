// review-queue.mjs -- the review console's queue: passkey-only sign-in,
// filters with counts, cases by due time, keyboard shortcuts.
import { t, lang, languageName, formatNumber } from "../i18n.mjs";
import { loadCore } from "../core.mjs";
import { api, setCsrf } from "../api.mjs";
import { $, el, notice, busy, timeEl } from "../dom.mjs";
import { getAssertion, passkeysSupported } from "../webauthn.mjs";
import { reviewerNav } from "../nav.mjs";

const messages = $("#messages");
const KIND = { questions_failed: t("review.questions_failed"), face: t("review.face"), documents: t("review.screenshots") };
const STATUS = { under_review: t("review.under_review"), second_approval: t("review.second_approval"), needs_more_info: t("review.waiting_for_the_user"),
  disputed: t("words.case_status.disputed") };
let rows = [];
let selected = 0;

function waiting(hours) {
  return hours < 1 ? t("review.age.under_hour") : hours < 48 ? t("review.age.hours", { n: hours }) : t("review.age.days", { n: Math.floor(hours / 24) });
}

async function me() {
  try {
    return await api("GET", "/api/review/me");
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

function select(i) {
  if (!rows.length) return;
  selected = Math.max(0, Math.min(rows.length - 1, i));
  rows.forEach((r, k) => r.tr.setAttribute("aria-selected", k === selected ? "true" : "false"));
  rows[selected].tr.querySelector("a").focus();
}

// A refused claim is said in the case's row, beside its Claim button, which keeps the focus.
async function claimAndOpen(id) {
  const row = rows.find((r) => r.id === id);
  const box = row && row.tr.querySelector(".field-error");
  if (box) box.textContent = "";
  try {
    await api("POST", `/api/review/cases/${id}/claim`, {});
    location.assign(`/review/case.html?id=${id}`);
  } catch (e) {
    if (!box) return notice(messages, "error", e.message);
    box.textContent = e.message;
    row.tr.querySelector("button")?.focus();
  }
}

// cases a page (the API's limit, 200 at most; /review/?limit=N asks for fewer)
const PAGE = Math.min(200, Math.max(1, Number(new URLSearchParams(location.search).get("limit")) || 200));
let filters = new URLSearchParams();
let next = null; // the cursor of the next page, when the last one was full

function caseRow(x) {
  const open = el("a", { href: `/review/case.html?id=${x.id}`, text: `#${x.id}` });
  const claim = el("button", { type: "button", class: "secondary", text: t("rcase.claim"), "aria-label": t("review.claim_case", { id: x.id }),
    onclick: () => claimAndOpen(x.id) });
  const tr = el("tr", { "data-id": x.id },
    el("td", {}, open), el("td", { text: KIND[x.kind] || x.kind }), el("td", { text: STATUS[x.status] || x.status }),
    el("td", {}, x.tier === "high" ? el("span", { class: "badge high", text: t("review.high_value") }) : t("review.standard")),
    // #20: the user's language beside each case, in the reviewer's
    el("td", { lang: x.language || undefined, text: x.language ? languageName(x.language, lang) : "—" }),
    el("td", { text: waiting(x.age_hours) }),
    el("td", { class: x.overdue ? "overdue" : "" }, timeEl(x.due_at), x.overdue ? " " + t("review.overdue") : ""),
    el("td", { text: x.claimed_by || "—" }),
    el("td", {}, x.status === "needs_more_info" ? "" : claim, el("p", { class: "field-error", role: "alert" })));
  return { id: x.id, tr, x };
}

function showCounts(c) {
  $("#counts").textContent = t("review.counts", { total: c.total, list: [
    ...Object.entries(KIND).map(([k, v]) => `${v} ${formatNumber(c.kind[k] || 0)}`),
    ...Object.entries(STATUS).map(([k, v]) => `${v} ${formatNumber(c.status[k] || 0)}`),
    `${t("review.high_value")} ${formatNumber(c.tier.high || 0)}`].join(" · "), shown: rows.length, more: next ? " " + t("review.more_below") : "" });
}

// Each filter change loads the queue again; an answer that arrives after a
// newer request's (the page's first load, slow under load, after a filter
// chosen at once) is dropped: the list always shows the filters as they are.
// A cursor belongs to the filters of the answer that gave it (issue #21: Show
// more clicked while a new filter loaded sent the old filter's cursor with the
// new filters, and the cases between the two were never shown): both are set
// together when an answer is shown, and there is no cursor while one loads.
let loading = 0;
async function load() {
  const seq = ++loading;
  const q = new URLSearchParams({ limit: String(PAGE) });
  for (const [k, id] of [["route", "#f-route"], ["status", "#f-status"], ["tier", "#f-tier"], ["min_age_hours", "#f-age"]])
    if ($(id).value) q.set(k, $(id).value);
  next = null;
  $("#more").hidden = true;
  const r = await api("GET", "/api/review/queue?" + q);
  if (seq !== loading) return;
  filters = q;
  next = r.next;
  rows = r.cases.map(caseRow);
  $("#queue").replaceChildren(...rows.map((x) => x.tr));
  $("#empty").hidden = rows.length > 0;
  $("#more").hidden = !next;
  showCounts(r.counts);
  selected = 0;
  rows.forEach((x, k) => x.tr.setAttribute("aria-selected", k === 0 ? "true" : "false"));
}

// the next page, appended: the cursor comes from the page before; dropped
// when the filters were changed meanwhile (the list is another one now)
async function more() {
  if (!next) return;
  const seq = loading;
  const q = new URLSearchParams(filters);
  q.set("after_due", String(next.after_due));
  q.set("after_id", String(next.after_id));
  const r = await api("GET", "/api/review/queue?" + q);
  if (seq !== loading) return;
  const first = rows.length;
  const added = r.cases.map(caseRow);
  rows.push(...added);
  $("#queue").append(...added.map((x) => x.tr));
  added.forEach((x) => x.tr.setAttribute("aria-selected", "false"));
  next = r.next;
  $("#more").hidden = !next;
  showCounts(r.counts);
  if (added.length) select(first);
}

// after the header's Sign out: the sign-in again, in place
function signedOut() {
  $("#queue-card").hidden = true;
  $("#queue").replaceChildren();
  $("#signin").hidden = false;
  notice(messages, "ok", t("review.signed_out"));
  $("#signin-button").focus();
}

async function show(who) {
  setCsrf(who.csrf);
  reviewerNav(who, signedOut); // the header: who, the queue, Sign out (nav.mjs)
  $("#signin").hidden = true;
  // an administrator without a reviewing role has no queue (the API answers role_required)
  if (!who.roles.includes("reviewer") && !who.roles.includes("senior"))
    return notice(messages, "ok", t("review.no_review_role"));
  $("#queue-card").hidden = false;
  await load();
}

try {
  const who = await me();
  if (who) await show(who);
  else {
    $("#signin").hidden = false;
    $("#signin-button").focus();
  }
} catch (e) {
  notice(messages, "error", e.message);
}

$("#signin-button").addEventListener("click", async (ev) => {
  const button = ev.currentTarget;
  if (!passkeysSupported()) return notice(messages, "error", t("passkeys.no_passkeys"));
  busy(button, true);
  try {
    const core = await loadCore();
    const options = await api("POST", "/api/review/session/options", {});
    const r = await api("POST", "/api/review/session", { response: await getAssertion(core, options) });
    notice(messages, "", "");
    await show(r.reviewer);
  } catch (e) {
    notice(messages, "error", e.message);
  } finally {
    busy(button, false);
  }
});

$("#filters").addEventListener("change", () => load().catch((e) => notice(messages, "error", e.message)));
$("#more").addEventListener("click", async (ev) => {
  const button = ev.currentTarget;
  busy(button, true);
  try { await more(); } catch (e) { notice(messages, "error", e.message); } finally { busy(button, false); }
});

// Single-key shortcuts can be turned off (WCAG 2.1.4); the choice is kept in this browser.
const KEYS = "rekey.review.shortcuts";
$("#shortcuts").checked = localStorage.getItem(KEYS) !== "off";
$("#shortcuts").addEventListener("change", (ev) => localStorage.setItem(KEYS, ev.currentTarget.checked ? "on" : "off"));

document.addEventListener("keydown", (ev) => {
  if (!$("#shortcuts").checked || $("#queue-card").hidden || ev.target.closest("select, input, textarea") || ev.ctrlKey || ev.metaKey || ev.altKey) return;
  if (ev.key === "j") select(selected + 1);
  else if (ev.key === "k") select(selected - 1);
  else if (ev.key === "Enter" && rows[selected] && ev.target.tagName !== "A" && ev.target.tagName !== "BUTTON") location.assign(`/review/case.html?id=${rows[selected].id}`);
  else if (ev.key === "c" && rows[selected]) claimAndOpen(rows[selected].id);
  else if (ev.key === "r") load().catch((e) => notice(messages, "error", e.message));
  else if (ev.key === "/") { ev.preventDefault(); $("#f-route").focus(); }
  else return;
  ev.preventDefault();
});
