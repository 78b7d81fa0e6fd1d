// settings.mjs -- security settings: tools, holds, sessions, recent sign-ins.
import { t, regionName } from "../i18n.mjs";
import { HOLD_REASON } from "../words.mjs";
import { api, requireAccount } from "../api.mjs";
import { $, el, notice, formatTime, timeEl, busy, device } from "../dom.mjs";
import "../support.mjs"; // the support contact, where this page offers help

const messages = $("#messages");

async function render() {
  const me = await requireAccount();
  tools = me.tools;
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
  $("#signins").replaceChildren(...me.recent_signins.map((s) => el("tr", {},
    el("td", {}, timeEl(s.at)), el("td", { title: s.device, text: device(s.device) }), el("td", { text: s.ip }), el("td", { text: s.country ? regionName(s.country) : "—" }))));
}

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

$("#signout").addEventListener("click", async () => {
  try { await api("DELETE", "/api/session"); } finally { location.assign("/"); }
});

render().catch((e) => notice(messages, "error", e.message));
