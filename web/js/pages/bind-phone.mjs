// bind-phone.mjs -- number, then the SMS code.
import { t } from "../i18n.mjs";
import { loadCore } from "../core.mjs";
import { api, requireAccount } from "../api.mjs";
import { $, fieldError, notice, busy, codeForm } from "../dom.mjs";
import { signOutOthers } from "../signout-others.mjs";
import { duration } from "../durations.mjs";
import { withStepUp } from "../stepup.mjs";

const core = await loadCore();
const messages = $("#messages");
await requireAccount();

$("#number-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const phone = $("#phone"), button = $("#send-button");
  const value = phone.value.replace(/[\s()-]/g, "");
  const ok = /^\+[0-9]{8,15}$/.test(value);
  fieldError(phone, ok ? "" : t("problem.phone_invalid"));
  if (!ok) return phone.focus();
  busy(button, true);
  try {
    await withStepUp(core, () => api("POST", "/api/phone/setup", { phone: value }));
    notice(messages, "ok", t("bindphone.sent", { code: await duration("code", "10 minutes") }));
    $("#code-form").hidden = false;
    $("#code").focus();
  } catch (e) {
    fieldError(phone, e.message);
  } finally {
    busy(button, false);
  }
});

codeForm($("#code-form"), {
  core, input: $("#code"), button: $("#confirm-button"),
  submit: (code) => api("POST", "/api/phone/confirm", { code }),
  onOk: () => {
    notice(messages, "ok", t("bindphone.bound"));
    $("#number-form").hidden = true;
    $("#code-form").hidden = true;
    signOutOthers($("#done-signout")); // #23: after every security change
  },
});
