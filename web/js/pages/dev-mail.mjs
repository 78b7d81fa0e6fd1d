// dev-mail.mjs -- the dev-mode outbox page.
import { api } from "../api.mjs";
import { $, el, notice, formatTime } from "../dom.mjs";

try {
  const { messages } = await api("GET", "/api/dev/mail");
  $("#list").replaceChildren(...messages.map((m) => el("article", { class: "card" },
    el("h2", { text: `${m.channel === "sms" ? "SMS" : "Email"} to ${m.to}` }),
    el("p", { class: "hint", text: `${formatTime(m.created_at)} · ${m.delivered ? "delivered" : "waiting"}${m.channel === "email" ? " · " + m.subject : ""}` }),
    el("pre", { class: "mail", text: m.body }))));
  if (!messages.length) notice($("#messages"), "ok", "Nothing sent yet.");
} catch (e) {
  notice($("#messages"), "error", e.status === 404 ? "The outbox page is only available in dev mode." : e.message);
}
