// review-admin.mjs -- the review console's administration (/review/admin.html),
// for reviewers with the admin role: reviewers (add with a one-time enrolment
// link, roles, disable/enable, new link, last sign-in), the review policy in
// force, the audit state (verify, a signed checkpoint to download), and the
// health of mail delivery and face checks. The server checks the role on
// every request; this page only hides what a non-admin cannot use.
import { loadCore } from "../core.mjs";
import { api, setCsrf } from "../api.mjs";
import { $, el, notice, busy, timeEl } from "../dom.mjs";
import { getAssertion, passkeysSupported } from "../webauthn.mjs";
import { t, formatNumber } from "../i18n.mjs";
import { FACE_STATUS } from "../words.mjs";

const messages = $("#messages");
const ROLES = ["reviewer", "senior", "admin"];
const ROLE_NAME = { reviewer: t("admin.reviewer"), senior: t("admin.senior"), admin: t("admin.admin") };
const ROUTE_NAME = { face: t("admin.route.face"), documents: t("review.screenshots"), questions_failed: t("admin.route.questions_failed") };
const DECISION_NAME = { approve: t("admin.reasons.approve"), reject: t("admin.reasons.reject"), more_info: t("admin.reasons.more_info") };
let checkpointUrl = null;

function age(seconds) {
  const unit = (n, u) => formatNumber(n, { style: "unit", unit: u, unitDisplay: "short" });
  if (seconds < 60) return unit(seconds, "second");
  if (seconds < 3600) return unit(Math.floor(seconds / 60), "minute");
  if (seconds < 172800) return unit(Math.floor(seconds / 3600), "hour");
  return unit(Math.floor(seconds / 86400), "day");
}

async function me() {
  try {
    return await api("GET", "/api/review/me");
  } catch (e) {
    if (e.status === 401) return null;
    throw e;
  }
}

// ---- reviewers ----

function rolesFieldset(id, legend, checked) {
  return el("fieldset", { id }, el("legend", { text: legend }),
    ...ROLES.map((r) => el("label", { class: "check" },
      el("input", { type: "checkbox", name: "role", value: r, checked: checked.includes(r) }), ` ${ROLE_NAME[r]}`)));
}
const chosen = (box) => [...box.querySelectorAll("input[name=role]:checked")].map((i) => i.value);

function showLink(email, r) {
  $("#link-intro").textContent = t("admin.link_intro", { email });
  $("#link").value = r.enrol_url;
  $("#link-hint").textContent = t("admin.link_hint", { n: r.enrol_hours });
  $("#link-box").hidden = false;
  $("#link").focus();
  $("#link").select();
}

function reviewerRow(x) {
  const error = el("p", { class: "field-error", role: "alert" });
  const act = async (button, fn) => {
    error.textContent = "";
    busy(button, true);
    try { await fn(); } catch (e) { error.textContent = e.message; button.focus(); } finally { busy(button, false); }
  };
  const editor = el("form", { class: "roles-editor", hidden: true, "aria-label": t("admin.roles_of", { email: x.email }) },
    rolesFieldset(`roles-${x.id}`, t("admin.roles_of", { email: x.email }), x.roles),
    el("button", { type: "submit", text: t("admin.save_roles") }),
    el("button", { type: "button", class: "secondary", text: t("delete.cancel"), onclick: () => { editor.hidden = true; change.focus(); } }));
  editor.addEventListener("submit", (ev) => {
    ev.preventDefault();
    act(ev.submitter || editor.querySelector("button[type=submit]"), async () => {
      await api("POST", `/api/review/admin/reviewers/${x.id}/roles`, { roles: chosen(editor) });
      notice(messages, "ok", t("admin.roles_saved", { email: x.email }));
      await loadReviewers(`change-${x.id}`);
    });
  });
  const change = el("button", { type: "button", class: "secondary", id: `change-${x.id}`, text: t("admin.change_roles"), "aria-label": t("admin.change_roles_of", { email: x.email }),
    onclick: () => { editor.hidden = false; editor.querySelector("input").focus(); } });
  const toggle = el("button", { type: "button", class: x.disabled ? "secondary" : "danger", id: `toggle-${x.id}`,
    text: t(x.disabled ? "admin.enable" : "admin.disable"), "aria-label": t(x.disabled ? "admin.enable_named" : "admin.disable_named", { email: x.email }),
    onclick: (ev) => act(ev.currentTarget, async () => {
      await api("POST", `/api/review/admin/reviewers/${x.id}/${x.disabled ? "enable" : "disable"}`, {});
      notice(messages, "ok", t(x.disabled ? "admin.enabled_done" : "admin.disabled_done", { email: x.email }));
      await loadReviewers(`toggle-${x.id}`);
    }) });
  const link = el("button", { type: "button", class: "secondary", text: t("admin.new_link"), "aria-label": t("admin.new_link_for", { email: x.email }),
    onclick: (ev) => act(ev.currentTarget, async () => showLink(x.email, await api("POST", `/api/review/admin/reviewers/${x.id}/enrol-link`, {}))) });
  return el("tr", { "data-id": x.id },
    el("td", {}, x.email, x.you ? el("span", { class: "badge", text: t("admin.you") }) : null),
    el("td", { text: x.roles.map((r) => ROLE_NAME[r]).join(t("common.list_separator")) }),
    el("td", { text: t(x.disabled ? "admin.disabled" : "admin.active") }),
    el("td", { text: String(x.passkeys) }),
    el("td", {}, x.last_sign_in ? timeEl(x.last_sign_in) : t("passkeys.never")),
    el("td", {}, el("div", { class: "toolbar" }, change, x.you ? null : toggle, x.disabled ? null : link), editor, error));
}

async function loadReviewers(focusId) {
  const r = await api("GET", "/api/review/admin/reviewers");
  $("#reviewers").replaceChildren(...r.reviewers.map(reviewerRow));
  if (focusId && document.getElementById(focusId)) document.getElementById(focusId).focus();
}

$("#add-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const email = $("#add-email").value.trim(), roles = chosen($("#add-roles"));
  $("#add-roles-error").textContent = roles.length ? "" : t("admin.choose_roles");
  if (!roles.length) return $("#add-roles input").focus();
  busy($("#add-button"), true);
  try {
    const r = await api("POST", "/api/review/admin/reviewers", { email, roles });
    $("#add-email").value = "";
    $("#add-email").setAttribute("aria-invalid", "false");
    notice(messages, "ok", t("admin.added", { email }));
    await loadReviewers();
    showLink(email, r);
  } catch (e) {
    $("#add-email").setAttribute("aria-invalid", "true");
    $("#add-roles-error").textContent = e.message;
    $("#add-email").focus();
  } finally {
    busy($("#add-button"), false);
  }
});

// ---- policy, audit, health ----

function fact(term, ...desc) {
  return [el("dt", { text: term }), el("dd", {}, ...desc)];
}

async function loadPolicy() {
  const p = await api("GET", "/api/review/admin/policy");
  $("#policy").replaceChildren(
    ...Object.entries(DECISION_NAME).flatMap(([k, v]) => fact(v, p.reasons[k].join(t("common.list_separator")))),
    ...Object.entries(ROUTE_NAME).flatMap(([k, v]) => fact(t("admin.review_within", { route: v }), age(p.sla_hours[k] * 3600))),
    ...fact(t("admin.claim_lapses"), age(p.claim_minutes * 60)),
    ...fact(t("admin.four_eyes_from"), formatNumber(p.four_eyes_cents / 100, { minimumFractionDigits: 2 })),
    ...fact(t("admin.enrol_links_last"), age(p.enrol_hours * 3600)),
    ...fact(t("admin.sessions_end"), t("admin.sessions_end_value", { idle: age(p.session_idle_seconds), most: age(p.session_absolute_seconds) })));
}

async function verify() {
  const a = await api("GET", "/api/review/admin/audit");
  const s = $("#audit-state");
  s.className = a.intact ? "status-on" : "notice error";
  s.textContent = a.intact ? t("admin.audit_intact", { n: a.entries })
    : t("admin.audit_broken", { chain: a.broken.chain, seq: a.broken.seq, why: a.broken.why });
}

async function checkpoint(button) {
  busy(button, true);
  try {
    const c = await api("POST", "/api/review/admin/audit/checkpoint", {});
    if (checkpointUrl) URL.revokeObjectURL(checkpointUrl);
    checkpointUrl = URL.createObjectURL(new Blob([c.checkpoint], { type: "text/plain" }));
    const a = $("#checkpoint-link");
    a.href = checkpointUrl;
    a.download = c.filename;
    a.textContent = t("admin.download_file", { file: c.filename });
    $("#checkpoint-sha").textContent = c.sha256;
    $("#checkpoint-box").hidden = false;
    a.focus();
  } catch (e) {
    notice(messages, "error", e.message);
  } finally {
    busy(button, false);
  }
}

async function loadHealth() {
  const h = await api("GET", "/api/review/admin/health");
  $("#sent-head").textContent = t("admin.sent_in_last", { time: age(h.sent_window_hours * 3600) });
  const channels = ["email", "sms"].filter((c) => h.mail[c]);
  $("#mail").replaceChildren(...(channels.length ? channels.map((c) => {
    const m = h.mail[c];
    return el("tr", {}, el("td", { text: t(c === "sms" ? "admin.sms" : "common.email") }), el("td", { text: String(m.pending) }),
      el("td", { class: m.failing ? "overdue" : "", text: String(m.failing) }),
      el("td", { text: m.pending ? age(m.oldest_pending_seconds) : "—" }), el("td", { text: String(m.sent_recently) }));
  }) : [el("tr", {}, el("td", { colspan: "5", text: t("admin.no_mail") }))]));
  const statuses = Object.keys(h.face_checks);
  $("#face").replaceChildren(...(statuses.length ? statuses.map((s) => el("tr", {}, el("td", { text: FACE_STATUS[s] || s }),
    el("td", { class: s === "failed" ? "overdue" : "", text: String(h.face_checks[s].count) }), el("td", { text: age(h.face_checks[s].oldest_seconds) })))
    : [el("tr", {}, el("td", { colspan: "3", text: t("admin.no_face_checks") }))]));
  $("#provider").textContent = h.face_provider === "manual" ? t("admin.provider_manual") : t("admin.provider", { name: h.face_provider });
}

// ---- sign-in and start ----

async function show(who) {
  setCsrf(who.csrf);
  $("#who").textContent = `${who.email} (${who.roles.map((r) => ROLE_NAME[r] || r).join(t("common.list_separator"))})`;
  $("#signout").hidden = false;
  $("#signin").hidden = true;
  if (!who.roles.includes("admin")) {
    $("#not-admin").hidden = false;
    return;
  }
  $("#admin").hidden = false;
  await Promise.all([loadReviewers(), loadPolicy(), verify(), loadHealth()]);
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

$("#signout").addEventListener("click", async () => {
  try { await api("DELETE", "/api/review/session"); } catch { /* signed out either way */ }
  location.assign("/review/");
});

$("#verify").addEventListener("click", async (ev) => {
  const button = ev.currentTarget;
  busy(button, true);
  try { await verify(); } catch (e) { notice(messages, "error", e.message); } finally { busy(button, false); }
});
$("#checkpoint").addEventListener("click", (ev) => checkpoint(ev.currentTarget));
$("#refresh-health").addEventListener("click", () => loadHealth().catch((e) => notice(messages, "error", e.message)));
