// bind-phone.mjs -- number, then the SMS code.
import { loadCore } from "../core.mjs";
import { api, requireAccount } from "../api.mjs";
import { $, fieldError, notice, busy } from "../dom.mjs";

const core = await loadCore();
const messages = $("#messages");
await requireAccount();

$("#number-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const phone = $("#phone"), button = $("#send-button");
  const value = phone.value.replace(/[\s()-]/g, "");
  const ok = /^\+[0-9]{8,15}$/.test(value);
  fieldError(phone, ok ? "" : "Enter the number with its country code, like +41791234567.");
  if (!ok) return phone.focus();
  busy(button, true);
  try {
    await api("POST", "/api/phone/setup", { phone: value });
    notice(messages, "ok", "We sent a code by SMS. It expires in 10 minutes.");
    $("#code-form").hidden = false;
    $("#code").focus();
  } catch (e) {
    fieldError(phone, e.message);
  } finally {
    busy(button, false);
  }
});

$("#code-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const code = $("#code"), button = $("#confirm-button");
  const v = core.validate.code(code.value.trim());
  fieldError(code, v.ok ? "" : core.message(v.problems[0]));
  if (!v.ok) return code.focus();
  busy(button, true);
  try {
    await api("POST", "/api/phone/confirm", { code: code.value.trim() });
    notice(messages, "ok", "Your phone is bound.");
    $("#number-form").hidden = true;
    $("#code-form").hidden = true;
  } catch (e) {
    fieldError(code, e.message);
  } finally {
    busy(button, false);
  }
});
