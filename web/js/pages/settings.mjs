// settings.mjs -- security settings: tools, holds, sessions, recent sign-ins.
import { api, requireAccount } from "../api.mjs";
import { $, el, notice, formatTime, busy } from "../dom.mjs";

const messages = $("#messages");

async function render() {
  const me = await requireAccount();
  const h = me.withdrawal_hold;
  $("#hold-card").hidden = !h.held;
  if (h.held) $("#hold-text").textContent = `For your security, withdrawals are held until ${formatTime(h.until)} (${h.holds.map((x) => x.reason.replace(/_/g, " ")).join(", ")}).`;
  $("#totp-state").replaceChildren(me.tools.totp
    ? el("span", { class: "status-on", text: "On" })
    : el("a", { class: "button secondary", href: "/account/bind-totp.html", text: "Bind" }));
  $("#phone-state").replaceChildren(me.tools.phone
    ? el("span", { class: "status-on", text: me.tools.phone })
    : el("a", { class: "button secondary", href: "/account/bind-phone.html", text: "Bind" }));
  const { sessions } = await api("GET", "/api/sessions");
  $("#sessions").replaceChildren(...sessions.map((s) => el("tr", {},
    el("td", { text: (s.user_agent || "Unknown device") + (s.current ? " (this device)" : "") }),
    el("td", { text: formatTime(s.last_seen_at) }),
    el("td", { text: s.ip }),
    el("td", {}, s.current ? null : el("button", {
      type: "button", class: "danger", "aria-label": `Sign out session ${s.id}`,
      onclick: async (ev) => {
        busy(ev.currentTarget, true);
        try { await api("DELETE", `/api/sessions/${s.id}`); notice(messages, "ok", "That session was signed out."); await render(); }
        catch (e) { notice(messages, "error", e.message); busy(ev.currentTarget, false); }
      },
    }, "Sign out")))));
  $("#signins").replaceChildren(...me.recent_signins.map((s) => el("tr", {},
    el("td", { text: formatTime(s.at) }), el("td", { text: s.device }), el("td", { text: s.ip }), el("td", { text: s.country || "—" }))));
}

$("#signout").addEventListener("click", async () => {
  try { await api("DELETE", "/api/session"); } finally { location.assign("/"); }
});

render().catch((e) => notice(messages, "error", e.message));
