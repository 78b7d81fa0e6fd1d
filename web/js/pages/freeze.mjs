// freeze.mjs -- the "this was not me" link from the deletion mail.
import { t } from "../i18n.mjs";
import { api } from "../api.mjs";
import { $, notice, busy } from "../dom.mjs";
import "../support.mjs"; // the support contact, where this page offers help

const token = new URLSearchParams(location.search).get("token") || "";
$("#freeze").addEventListener("click", async (ev) => {
  const button = ev.currentTarget; // null once the handler awaits
  busy(button, true);
  try {
    await api("POST", "/api/account/freeze", { token });
    $("#ask").hidden = true;
    notice($("#messages"), "ok", t("freeze.done"));
  } catch (e) {
    notice($("#messages"), "error", e.message);
  } finally {
    busy(button, false);
  }
});
