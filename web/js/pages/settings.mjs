// settings.mjs -- security settings: tools, holds, sessions (and sign out
// everywhere else), the password, recent sign-ins.
import { api, requireAccount } from "../api.mjs";
import { $, el, notice, formatTime, timeEl, busy, device, fieldError } from "../dom.mjs";
import { loadCore } from "../core.mjs";
import { withStepUp } from "../stepup.mjs";
import { signOutOthers } from "../signout-others.mjs";
import "../durations.mjs"; // the hold's duration, as configured
import "../support.mjs"; // the support contact, where this page offers help
import { addPasskey, passkeysSupported } from "../webauthn.mjs";

const messages = $("#messages");

async function render() {
  const me = await requireAccount();
  tools = me.tools;
  $("#password-username").value = me.email; // for password managers: which account this password is of
  const h = me.withdrawal_hold;
  $("#hold-card").hidden = !h.held;
  if (h.held) $("#hold-text").textContent = `For your security, withdrawals are held until ${formatTime(h.until)} (${h.holds.map((x) => x.reason.replace(/_/g, " ")).join(", ")}).`;
  $("#passkey-state").replaceChildren(el("span", { class: me.tools.passkeys ? "status-on" : "status-off", text: me.tools.passkeys ? `${me.tools.passkeys} bound ` : "None " }),
    el("a", { class: "button secondary", href: "/account/passkeys.html", text: "Manage" }));
  $("#no-protection").hidden = !(me.no_passkey_protection || !me.tools.passkeys);
  $("#totp-state").replaceChildren(me.tools.totp
    ? el("span", { class: "status-on", text: "On" })
    : el("a", { class: "button secondary", href: "/account/bind-totp.html", text: "Bind" }));
  $("#phone-state").replaceChildren(me.tools.phone
    ? el("span", { class: "status-on", text: me.tools.phone })
    : el("a", { class: "button secondary", href: "/account/bind-phone.html", text: "Bind" }));
  /* seed: reset step 1 -- passkeys only: the link at the bottom; with TOTP or a
   * phone too: Switch verification tool, and the reset through the passkey option */
  const other = me.tools.totp || me.tools.phone;
  $("#unavailable-link").hidden = !!other;
  $("#switch-tool").hidden = !other;
  await renderRecovery(me);
  const { sessions } = await api("GET", "/api/sessions");
  $("#sessions").replaceChildren(...sessions.map((s) => el("tr", {},
    el("td", { title: s.user_agent, text: device(s.user_agent) + (s.current ? " (this device)" : "") }),
    el("td", {}, timeEl(s.last_seen_at)),
    el("td", { text: s.ip }),
    el("td", {}, s.current ? null : el("button", {
      type: "button", class: "danger", "aria-label": `Sign out session ${s.id}`,
      onclick: async (ev) => {
        const button = ev.currentTarget; // null once the handler awaits
        busy(button, true);
        try { await api("DELETE", `/api/sessions/${s.id}`); notice(messages, "ok", "That session was signed out."); await render(); }
        catch (e) { notice(messages, "error", e.message); busy(button, false); }
      },
    }, "Sign out")))));
  $("#freeze-code-state").textContent = me.freeze_code
    ? `You made a freeze code on ${formatTime(me.freeze_code.issued_at)}${me.freeze_code.used ? "; it was used" : ""}. Making a new one stops the old one.`
    : "You have no freeze code yet.";
  $("#freeze-code-new").textContent = me.freeze_code ? "Make a new freeze code" : "Make a freeze code";
  $("#signins").replaceChildren(...me.recent_signins.map((s) => el("tr", {},
    el("td", {}, timeEl(s.at)), el("td", { title: s.device, text: device(s.device) }), el("td", { text: s.ip }), el("td", { text: s.country || "—" }))));
}

// Recovery (issue #17): the codes left, the addresses, the anti-phishing code;
// and the prompt for a second passkey when one passkey is all there is (item 7)
async function renderRecovery(me) {
  const [codes, { contacts }, ap] = await Promise.all([api("GET", "/api/recovery-codes"), api("GET", "/api/account/contacts"),
    api("GET", "/api/account/anti-phishing")]);
  $("#recovery-state").textContent = codes.created_at ? `${codes.remaining} of ${codes.total} left` : "None";
  const confirmed = contacts.filter((c) => c.confirmed).length;
  $("#contacts-state").textContent = confirmed ? `${confirmed} besides your email` : "Only your email";
  $("#ap-state").textContent = ap.code ? "Set" : "Not set";
  $("#second-prompt").hidden = !(me.tools.passkeys === 1 && !me.tools.totp && !me.tools.phone && codes.remaining === 0);
}

$("#prompt-add").addEventListener("click", async (ev) => {
  const button = ev.currentTarget;
  if (!passkeysSupported()) return notice(messages, "error", "This browser does not support passkeys.");
  busy(button, true);
  try {
    const core = await loadCore();
    const p = await withStepUp(core, () => addPasskey(core));
    notice(messages, "ok", `Passkey "${p.name}" added. Your account now has a second way in.`);
    await render();
  } catch (e) {
    notice(messages, "error", e.message);
  } finally {
    busy(button, false);
  }
});

// each choice says what that tool does here, or how to bind it (issue #16: two did nothing)
let tools = {};
$("#tool").addEventListener("change", (ev) => {
  const v = ev.currentTarget.value;
  $("#tool-passkey").hidden = v !== "passkey";
  $("#tool-totp-on").hidden = !(v === "totp" && tools.totp);
  $("#tool-totp-off").hidden = !(v === "totp" && !tools.totp);
  $("#tool-sms-on").hidden = !(v === "sms" && tools.phone);
  $("#tool-sms-off").hidden = !(v === "sms" && !tools.phone);
});

// #18: a freeze code, shown once
$("#freeze-code-new").addEventListener("click", async (ev) => {
  const button = ev.currentTarget;
  busy(button, true);
  try {
    // recovery information: a recent second factor, asked in place when the server wants it
    const { code } = await withStepUp(await loadCore(), () => api("POST", "/api/account/freeze-code", {}));
    $("#freeze-code").textContent = code;
    $("#freeze-code-shown").hidden = false;
    await render();
    notice(messages, "ok", "Your new freeze code is shown below the Freeze code heading. Write it down now: we show it once.");
  } catch (e) {
    notice(messages, "error", e.message);
  } finally {
    busy(button, false);
  }
});

// #18: Freeze my account -- one click and a confirmation, always allowed
$("#freeze-ask").addEventListener("click", () => {
  $("#freeze-confirm").hidden = false;
  $("#freeze-ask").hidden = true;
  $("#freeze-no").focus();
});
$("#freeze-no").addEventListener("click", () => {
  $("#freeze-confirm").hidden = true;
  $("#freeze-ask").hidden = false;
  $("#freeze-ask").focus();
});
$("#freeze-yes").addEventListener("click", async (ev) => {
  const button = ev.currentTarget;
  busy(button, true);
  try {
    await api("POST", "/api/account/freeze-now", { confirm: true });
    location.assign("/freeze.html?frozen=settings");
  } catch (e) {
    notice(messages, "error", e.message);
    busy(button, false);
  }
});

// sign out everywhere else: the list below shows the sessions that are left
signOutOthers($("#signout-others"), () => render());

// change the password: the current one, a fresh second factor (asked in place), the core's policy
$("#password-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const cur = $("#current-password"), next = $("#new-password"), button = $("#password-button");
  const core = await loadCore();
  const v = core.validate.password(next.value);
  fieldError(cur, cur.value ? "" : "Enter your current password.");
  fieldError(next, v.ok ? "" : core.message(v.problems[0]));
  if (!cur.value) return cur.focus();
  if (!v.ok) return next.focus();
  busy(button, true);
  try {
    const r = await withStepUp(core, () => api("POST", "/api/account/password", { current_password: cur.value, new_password: next.value }));
    cur.value = next.value = "";
    $("#password-done-text").textContent = `Your password was changed. ${r.sessions_revoked === 1 ? "1 other session was" : `${r.sessions_revoked} other sessions were`} signed out, and withdrawals are held until ${formatTime(r.withdrawal_hold.until)}. We sent a notice to your email.`;
    const box = $("#password-done-signout");
    box.replaceChildren();
    signOutOthers(box, () => render());
    $("#password-done").hidden = false;
    $("#password-done").focus();
    await render();
  } catch (e) {
    if (e.code === "password_wrong" || e.code === "too_many_attempts") fieldError(cur, e.message);
    else if (e.code === "step_up_cancelled") notice(messages, "error", "The password was not changed: confirming it's you is needed.");
    else if (/^password_/.test(e.code)) fieldError(next, e.message);
    else notice(messages, "error", e.message);
  } finally {
    busy(button, false);
  }
});

render().catch((e) => notice(messages, "error", e.message));
