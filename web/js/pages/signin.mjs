// signin.mjs -- email + password, then a TOTP code when one is bound.
import { t, problem } from "../i18n.mjs";
import { loadCore } from "../core.mjs";
import { api, ApiError } from "../api.mjs";
import { $, fieldError, notice, busy } from "../dom.mjs";
import { signInWithPasskey, passkeysSupported, conditionalSupported } from "../webauthn.mjs";
import "../support.mjs"; // the support contact, where this page offers help

const core = await loadCore();
const messages = $("#messages");
const next = new URLSearchParams(location.search).get("next");
const target = next && next.startsWith("/") && !next.startsWith("//") ? next : "/account/settings.html";

function check(input, verdict) {
  fieldError(input, verdict.ok ? "" : problem(verdict.problems[0]));
  return verdict.ok;
}

// Passkeys in the email field's autofill where the browser offers it
// (autocomplete="username webauthn"); a button or the password form stops it first.
let autofill = null;
async function offerAutofill() {
  if (!(await conditionalSupported())) return;
  autofill = new AbortController();
  const { signal } = autofill;
  try {
    await signInWithPasskey(core, { mediation: "conditional", signal });
    location.assign(target);
  } catch (e) {
    if (!signal.aborted) notice(messages, "error", e.message);
  }
}
function stopAutofill() {
  if (autofill) autofill.abort();
  autofill = null;
}

// the email typed here goes with the reset links (this tab only)
for (const a of document.querySelectorAll('a[href^="/reset.html"]')) {
  a.addEventListener("click", () => { try { sessionStorage.setItem("rekey.signin.email", $("#email").value.trim()); } catch { /* no storage */ } });
}

$("#signin").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  stopAutofill();
  const email = $("#email"), password = $("#password"), button = $("#signin-button");
  notice(messages);
  const okEmail = check(email, core.validate.email(email.value.trim()));
  const okPw = password.value.length > 0;
  fieldError(password, okPw ? "" : t("signin.password_missing"));
  if (!okEmail) return email.focus();
  if (!okPw) return password.focus();
  busy(button, true);
  try {
    const r = await api("POST", "/api/session", { email: email.value.trim(), password: password.value });
    if (r.status === "second_factor_required") {
      $("#signin").hidden = true;
      $("#passkey-first").hidden = true;
      if (r.factors.includes("passkey")) {
        $("#passkey-second").hidden = false;
        $("#passkey-second-button").focus();
      }
      if (r.factors.includes("totp")) {
        $("#totp").hidden = false;
        if (!r.factors.includes("passkey")) $("#totp-code").focus();
      }
    } else {
      location.assign(target);
    }
  } catch (e) {
    notice(messages, "error", e instanceof ApiError ? e.message : String(e));
    password.focus();
  } finally {
    busy(button, false);
  }
});

$("#totp").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const code = $("#totp-code"), button = $("#totp-button");
  notice(messages);
  if (!check(code, core.validate.code(code.value.trim()))) return code.focus();
  busy(button, true);
  try {
    await api("POST", "/api/session/totp", { code: code.value.trim() });
    location.assign(target);
  } catch (e) {
    fieldError(code, e.message);
    code.select();
  } finally {
    busy(button, false);
  }
});

async function passkey(button) {
  stopAutofill();
  notice(messages);
  if (!passkeysSupported()) return notice(messages, "error", t("signin.no_passkeys"));
  busy(button, true);
  try {
    await signInWithPasskey(core);
    location.assign(target);
  } catch (e) {
    notice(messages, "error", e.message);
  } finally {
    busy(button, false);
  }
}
$("#passkey-button").addEventListener("click", (ev) => passkey(ev.currentTarget));
$("#passkey-second-button").addEventListener("click", (ev) => passkey(ev.currentTarget));
offerAutofill();
