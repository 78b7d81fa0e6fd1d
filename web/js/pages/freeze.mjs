// freeze.mjs -- freezing an account without signing in (#18): the "this was
// not me" link from a reset's or a deletion's mail (it undoes the change),
// or the email address and the freeze code from Security settings (for a
// person whose mailbox was taken). Settings' own "Freeze my account" comes
// here afterwards (?frozen=settings).
import { t } from "../i18n.mjs";
import { api } from "../api.mjs";
import { $, notice, busy, fieldError } from "../dom.mjs";
import "../support.mjs"; // the support contact, where this page offers help

const params = new URLSearchParams(location.search);
const token = params.get("token") || "";
const messages = $("#messages");
const FROZEN = t("freeze.done");

function finished(text) {
  $("#ask").hidden = true;
  $("#by-code").hidden = true;
  notice(messages, "ok", text);
}

if (params.get("frozen") === "settings") finished(FROZEN);
else if (token) $("#ask").hidden = false;
else $("#by-code").hidden = false;

$("#freeze").addEventListener("click", async (ev) => {
  const button = ev.currentTarget; // null once the handler awaits
  busy(button, true);
  try {
    const r = await api("POST", "/api/account/freeze", { token });
    finished(r.undone ? t("freeze.undone", { n: r.restored }) : FROZEN);
  } catch (e) {
    notice(messages, "error", e.message);
  } finally {
    busy(button, false);
  }
});

$("#by-code").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const email = $("#email"), code = $("#code");
  fieldError(email, email.value.trim() ? "" : t("freeze.enter_email"));
  fieldError(code, code.value.trim() ? "" : t("freeze.enter_code"));
  if (!email.value.trim()) return email.focus();
  if (!code.value.trim()) return code.focus();
  const button = $("#code-button");
  busy(button, true);
  try {
    await api("POST", "/api/account/freeze-by-code", { email: email.value.trim(), code: code.value.trim() });
    finished(FROZEN);
  } catch (e) {
    notice(messages, "error", e.message);
  } finally {
    busy(button, false);
  }
});
