// settings.mjs -- security settings: tools, holds, sessions (and sign out
// everywhere else), the password, recent sign-ins.
import { t, regionName } from "../i18n.mjs";
import { HOLD_REASON } from "../words.mjs";
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
  if (h.held) $("#hold-text").textContent = t("settings.hold_text", { until: formatTime(h.until), reasons: h.holds.map((x) => HOLD_REASON[x.reason] || x.reason).join(t("common.list_separator")) });
  $("#passkey-state").replaceChildren(el("span", { class: me.tools.passkeys ? "status-on" : "status-off", text: (me.tools.passkeys ? t("settings.passkeys_bound", { n: me.tools.passkeys }) : t("settings.none")) + " " }),
    el("a", { class: "button secondary", href: "/account/passkeys.html", text: t("settings.manage") }));
  $("#no-protection").hidden = !(me.no_passkey_protection || !me.tools.passkeys);
  $("#totp-state").replaceChildren(me.tools.totp
    ? el("span", { class: "status-on", text: t("settings.on") })
    : el("a", { class: "button secondary", href: "/account/bind-totp.html", text: t("settings.bind") }));
  $("#phone-state").replaceChildren(me.tools.phone
    ? el("span", { class: "status-on", text: me.tools.phone })
    : el("a", { class: "button secondary", href: "/account/bind-phone.html", text: t("settings.bind") }));
  /* seed: reset step 1 -- passkeys only: the link at the bottom; with TOTP or a
   * phone too: Switch verification tool, and the reset through the passkey option */
  const other = me.tools.totp || me.tools.phone;
  $("#unavailable-link").hidden = !!other;
  $("#switch-tool").hidden = !other;
  await renderRecovery(me);
  const { sessions } = await api("GET", "/api/sessions");
  $("#sessions").replaceChildren(...sessions.map((s) => el("tr", {},
    el("td", { title: s.user_agent, text: s.current ? t("settings.this_device", { device: device(s.user_agent) }) : device(s.user_agent) }),
    el("td", {}, timeEl(s.last_seen_at)),
    el("td", { text: s.ip }),
    el("td", {}, s.current ? null : el("button", {
      type: "button", class: "danger", "aria-label": t("settings.signout_session", { id: s.id }),
      onclick: async (ev) => {
        const button = ev.currentTarget; // null once the handler awaits
        busy(button, true);
        try { await api("DELETE", `/api/sessions/${s.id}`); notice(messages, "ok", t("settings.session_signed_out")); await render(); }
        catch (e) { notice(messages, "error", e.message); busy(button, false); }
      },
    }, t("settings.signout"))))));
  $("#freeze-code-state").textContent = me.freeze_code
    ? t(me.freeze_code.used ? "settings.freeze_code.made_used" : "settings.freeze_code.made", { time: formatTime(me.freeze_code.issued_at) })
    : t("settings.freeze_code.none");
  $("#freeze-code-new").textContent = t(me.freeze_code ? "settings.freeze_code.new" : "settings.make_a_freeze_code");
  $("#signins").replaceChildren(...me.recent_signins.map((s) => el("tr", {},
    el("td", {}, timeEl(s.at)), el("td", { title: s.device, text: device(s.device) }), el("td", { text: s.ip }), el("td", { text: s.country ? regionName(s.country) : "—" }))));
}

// Recovery (issue #17): the codes left, the addresses, the anti-phishing code;
// and the prompt for a second passkey when one passkey is all there is (item 7)
async function renderRecovery(me) {
  const [codes, { contacts }, ap] = await Promise.all([api("GET", "/api/recovery-codes"), api("GET", "/api/account/contacts"),
    api("GET", "/api/account/anti-phishing")]);
  $("#recovery-state").textContent = codes.created_at ? t("settings.codes_left", { n: codes.remaining, total: codes.total }) : t("settings.none");
  const confirmed = contacts.filter((c) => c.confirmed).length;
  $("#contacts-state").textContent = confirmed ? t("settings.contacts_besides", { n: confirmed }) : t("settings.only_your_email");
  $("#ap-state").textContent = t(ap.code ? "settings.ap_set" : "settings.ap_not_set");
  $("#second-prompt").hidden = !(me.tools.passkeys === 1 && !me.tools.totp && !me.tools.phone && codes.remaining === 0);
}

$("#prompt-add").addEventListener("click", async (ev) => {
  const button = ev.currentTarget;
  if (!passkeysSupported()) return notice(messages, "error", t("passkeys.no_passkeys"));
  busy(button, true);
  try {
    const core = await loadCore();
    const p = await withStepUp(core, () => addPasskey(core));
    notice(messages, "ok", t("settings.second_added", { name: p.name }));
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
    notice(messages, "ok", t("settings.freeze_code.shown"));
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
  fieldError(cur, cur.value ? "" : t("settings.password.enter_current"));
  fieldError(next, v.ok ? "" : core.message(v.problems[0]));
  if (!cur.value) return cur.focus();
  if (!v.ok) return next.focus();
  busy(button, true);
  try {
    const r = await withStepUp(core, () => api("POST", "/api/account/password", { current_password: cur.value, new_password: next.value }));
    cur.value = next.value = "";
    $("#password-done-text").textContent = t("settings.password.changed", { n: r.sessions_revoked, time: formatTime(r.withdrawal_hold.until) });
    const box = $("#password-done-signout");
    box.replaceChildren();
    signOutOthers(box, () => render());
    $("#password-done").hidden = false;
    $("#password-done").focus();
    await render();
  } catch (e) {
    if (e.code === "password_wrong" || e.code === "too_many_attempts") fieldError(cur, e.message);
    else if (e.code === "step_up_cancelled") notice(messages, "error", t("settings.password.not_changed"));
    else if (/^password_/.test(e.code)) fieldError(next, e.message);
    else notice(messages, "error", e.message);
  } finally {
    busy(button, false);
  }
});

render().catch((e) => notice(messages, "error", e.message));
