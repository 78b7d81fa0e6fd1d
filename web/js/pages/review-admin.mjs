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

const messages = $("#messages");
const ROLES = ["reviewer", "senior", "admin"];
const ROLE_NAME = { reviewer: "Reviewer", senior: "Senior", admin: "Admin" };
const ROUTE_NAME = { face: "Face verification", documents: "Screenshots", questions_failed: "Security questions failed" };
const DECISION_NAME = { approve: "Approve", reject: "Reject", more_info: "More information" };
let checkpointUrl = null;

function age(seconds) {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 172800) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
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
  $("#link-intro").textContent = `Give this link to ${email}, by a channel you trust: it enrols their passkey.`;
  $("#link").value = r.enrol_url;
  $("#link-hint").textContent = `It works once, for ${r.enrol_hours} hours. It is not stored and is not shown again; a new one can be made.`;
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
  const editor = el("form", { class: "roles-editor", hidden: true, "aria-label": `Roles of ${x.email}` },
    rolesFieldset(`roles-${x.id}`, `Roles of ${x.email}`, x.roles),
    el("button", { type: "submit", text: "Save roles" }),
    el("button", { type: "button", class: "secondary", text: "Cancel", onclick: () => { editor.hidden = true; change.focus(); } }));
  editor.addEventListener("submit", (ev) => {
    ev.preventDefault();
    act(ev.submitter || editor.querySelector("button[type=submit]"), async () => {
      await api("POST", `/api/review/admin/reviewers/${x.id}/roles`, { roles: chosen(editor) });
      notice(messages, "ok", `Roles of ${x.email} saved.`);
      await loadReviewers(`change-${x.id}`);
    });
  });
  const change = el("button", { type: "button", class: "secondary", id: `change-${x.id}`, text: "Change roles", "aria-label": `Change roles of ${x.email}`,
    onclick: () => { editor.hidden = false; editor.querySelector("input").focus(); } });
  const toggle = el("button", { type: "button", class: x.disabled ? "secondary" : "danger", id: `toggle-${x.id}`,
    text: x.disabled ? "Enable" : "Disable", "aria-label": `${x.disabled ? "Enable" : "Disable"} ${x.email}`,
    onclick: (ev) => act(ev.currentTarget, async () => {
      await api("POST", `/api/review/admin/reviewers/${x.id}/${x.disabled ? "enable" : "disable"}`, {});
      notice(messages, "ok", `${x.email} is ${x.disabled ? "enabled" : "disabled and signed out"}.`);
      await loadReviewers(`toggle-${x.id}`);
    }) });
  const link = el("button", { type: "button", class: "secondary", text: "New enrolment link", "aria-label": `New enrolment link for ${x.email}`,
    onclick: (ev) => act(ev.currentTarget, async () => showLink(x.email, await api("POST", `/api/review/admin/reviewers/${x.id}/enrol-link`, {}))) });
  return el("tr", { "data-id": x.id },
    el("td", {}, x.email, x.you ? el("span", { class: "badge", text: "you" }) : null),
    el("td", { text: x.roles.map((r) => ROLE_NAME[r]).join(", ") }),
    el("td", { text: x.disabled ? "Disabled" : "Active" }),
    el("td", { text: String(x.passkeys) }),
    el("td", {}, x.last_sign_in ? timeEl(x.last_sign_in) : "Never"),
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
  $("#add-roles-error").textContent = roles.length ? "" : "Choose one or more roles.";
  if (!roles.length) return $("#add-roles input").focus();
  busy($("#add-button"), true);
  try {
    const r = await api("POST", "/api/review/admin/reviewers", { email, roles });
    $("#add-email").value = "";
    $("#add-email").setAttribute("aria-invalid", "false");
    notice(messages, "ok", `${email} was added.`);
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
    ...Object.entries(DECISION_NAME).flatMap(([k, v]) => fact(`Reasons to ${v.toLowerCase()}`, p.reasons[k].join(", "))),
    ...Object.entries(ROUTE_NAME).flatMap(([k, v]) => fact(`Review within (${v})`, `${p.sla_hours[k]} h`)),
    ...fact("An idle claim lapses after", `${p.claim_minutes} min`),
    ...fact("Four-eyes from an account value of", (p.four_eyes_cents / 100).toLocaleString(undefined, { minimumFractionDigits: 2 })),
    ...fact("Enrolment links last", `${p.enrol_hours} h`),
    ...fact("Reviewer sessions end after", `${age(p.session_idle_seconds)} idle, ${age(p.session_absolute_seconds)} at most`));
}

async function verify() {
  const a = await api("GET", "/api/review/admin/audit");
  const s = $("#audit-state");
  s.className = a.intact ? "status-on" : "notice error";
  s.textContent = a.intact ? `Every chain intact: ${a.entries} entries checked.`
    : `BROKEN at chain ${a.broken.chain}, entry ${a.broken.seq}: ${a.broken.why}`;
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
    a.textContent = `Download ${c.filename}`;
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
  $("#sent-head").textContent = `Sent in the last ${h.sent_window_hours} h`;
  const channels = ["email", "sms"].filter((c) => h.mail[c]);
  $("#mail").replaceChildren(...(channels.length ? channels.map((c) => {
    const m = h.mail[c];
    return el("tr", {}, el("td", { text: c === "sms" ? "SMS" : "Email" }), el("td", { text: String(m.pending) }),
      el("td", { class: m.failing ? "overdue" : "", text: String(m.failing) }),
      el("td", { text: m.pending ? age(m.oldest_pending_seconds) : "—" }), el("td", { text: String(m.sent_recently) }));
  }) : [el("tr", {}, el("td", { colspan: "5", text: "No mail waiting or sent recently." }))]));
  const statuses = Object.keys(h.face_checks);
  $("#face").replaceChildren(...(statuses.length ? statuses.map((s) => el("tr", {}, el("td", { text: s }),
    el("td", { class: s === "failed" ? "overdue" : "", text: String(h.face_checks[s].count) }), el("td", { text: age(h.face_checks[s].oldest_seconds) })))
    : [el("tr", {}, el("td", { colspan: "3", text: "None: every face check has its result." }))]));
  $("#provider").textContent = `Face provider: ${h.face_provider === "manual" ? "manual (reviewers compare the pictures)" : h.face_provider}.`;
}

// ---- sign-in and start ----

async function show(who) {
  setCsrf(who.csrf);
  $("#who").textContent = `${who.email} (${who.roles.join(", ")})`;
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
  if (!passkeysSupported()) return notice(messages, "error", "This browser does not support passkeys.");
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
