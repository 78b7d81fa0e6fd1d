// password-reset.mjs -- the forgotten password (issue #23), signed out:
// the email -> a code by mail -> the account's passkey or authenticator app
// (an account with neither goes to the passkey reset's document review) ->
// a new password (the core's policy, common passwords refused) -> sign in.
// The server decides every step (/api/password-reset, its cookie); the page
// checks formats first with the same core.
import { loadCore } from "../core.mjs";
import { api } from "../api.mjs";
import { $, fieldError, notice, busy, codeForm, formatTime } from "../dom.mjs";
import { getAssertion } from "../webauthn.mjs";
import "../durations.mjs"; // the code's life, as configured
import "../support.mjs"; // the support contact, where this page offers help
import { t } from "../i18n.mjs";

const core = await loadCore();
const messages = $("#messages");
const STEPS = ["step-email", "step-code", "step-factor", "step-documents", "step-password", "step-done"];
let email = "";

function show(id, focus) {
  for (const s of STEPS) $("#" + s).hidden = s !== id;
  notice(messages, "", "");
  const f = focus ? $(focus) : $("#" + id).querySelector("input:not([hidden]), button");
  if (f) f.focus();
}

// a refusal that ends the flow (dead, expired, gone): back to the start
function failed(e, input) {
  if (["flow_dead", "flow_expired", "not_found"].includes(e.code)) {
    show("step-email");
    notice(messages, "error", e.message);
  } else if (input) {
    fieldError(input, e.message);
    input.select();
  } else {
    notice(messages, "error", e.message);
  }
}

$("#step-email").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const input = $("#email"), button = $("#email-button");
  const v = core.validate.email(input.value.trim());
  fieldError(input, v.ok ? "" : core.message(v.problems[0]));
  if (!v.ok) return input.focus();
  busy(button, true);
  try {
    email = input.value.trim();
    const r = await api("POST", "/api/password-reset", { email });
    $("#code-sent").textContent = t("pwreset.code_sent");
    $("#password-username").value = email;
    show("step-code");
  } catch (e) {
    notice(messages, "error", e.message);
  } finally {
    busy(button, false);
  }
});

function factor(r) {
  if (r.state === "documents") {
    $("#documents-text").textContent = t(r.why === "frozen" ? "pwreset.documents.frozen" : "pwreset.documents.no_factor");
    $("#documents-link").href = r.next;
    try { sessionStorage.setItem("rekey.signin.email", email); } catch { /* no storage */ }
    return show("step-documents", "#documents-link");
  }
  $("#factor-passkey").hidden = !r.methods.includes("passkey");
  $("#factor-totp").hidden = !r.methods.includes("totp");
  show("step-factor", r.methods.includes("passkey") ? "#passkey-button" : "#totp-code");
}

codeForm($("#step-code"), {
  core, input: $("#code"), button: $("#code-button"),
  submit: async (code) => {
    try { factor(await api("POST", "/api/password-reset/code", { code })); } catch (e) {
      if (["flow_dead", "flow_expired", "not_found"].includes(e.code)) failed(e);
      else throw e;
    }
  },
  onOk: () => {},
});

$("#passkey-button").addEventListener("click", async (ev) => {
  const button = ev.currentTarget;
  busy(button, true);
  try {
    const options = await api("POST", "/api/password-reset/factor/options", {});
    await api("POST", "/api/password-reset/factor", { method: "passkey", response: await getAssertion(core, options) });
    show("step-password");
  } catch (e) {
    failed(e);
  } finally {
    busy(button, false);
  }
});

codeForm($("#factor-totp"), {
  core, input: $("#totp-code"), button: $("#totp-button"),
  submit: async (code) => {
    try { await api("POST", "/api/password-reset/factor", { method: "totp", code }); show("step-password"); } catch (e) {
      if (["flow_dead", "flow_expired", "not_found"].includes(e.code)) failed(e);
      else throw e;
    }
  },
  onOk: () => {},
});

$("#step-password").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const input = $("#new-password"), button = $("#password-button");
  const v = core.validate.password(input.value);
  fieldError(input, v.ok ? "" : core.message(v.problems[0]));
  if (!v.ok) return input.focus();
  busy(button, true);
  try {
    const r = await api("POST", "/api/password-reset/password", { password: input.value });
    input.value = "";
    $("#done-text").textContent = t("pwreset.done", { time: formatTime(r.withdrawal_hold.until) });
    show("step-done", "#done-title");
  } catch (e) {
    failed(e, input);
  } finally {
    busy(button, false);
  }
});
