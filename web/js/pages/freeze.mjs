// freeze.mjs -- the "this was not me" link from the deletion mail.
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
    notice($("#messages"), "ok", "Your account is frozen. Withdrawals are held and everyone is signed out. To get back in, use the passkey reset.");
  } catch (e) {
    notice($("#messages"), "error", e.message);
  } finally {
    busy(button, false);
  }
});
