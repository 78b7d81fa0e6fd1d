// review-enrol.mjs -- a reviewer's first passkey, through the one-time link
// printed by `rekeyctl reviewer add`. The link is spent when the passkey is
// registered; the reviewer is then signed in to the console.
import { t } from "../i18n.mjs";
import { loadCore } from "../core.mjs";
import { api } from "../api.mjs";
import { $, notice, busy } from "../dom.mjs";
import { createCredential, passkeysSupported } from "../webauthn.mjs";

const messages = $("#messages");
const token = new URLSearchParams(location.search).get("token") || "";
const core = await loadCore();

async function options() {
  return api("POST", "/api/review/enrol/options", { token });
}

try {
  if (!passkeysSupported()) throw new Error(t("renrol.no_passkeys"));
  const o = await options();
  $("#email").textContent = o.email;
  $("#enrol").hidden = false;
  $("#create").focus();
} catch (e) {
  notice(messages, "error", e.code === "link_invalid" ? t("renrol.link_invalid") : e.message);
}

$("#create").addEventListener("click", async (ev) => {
  const button = ev.currentTarget;
  busy(button, true);
  notice(messages, "status", t("renrol.follow_prompts"));
  try {
    const o = await options(); // a fresh challenge for this attempt
    const response = await createCredential(core, o.options);
    await api("POST", "/api/review/enrol", { token, response });
    notice(messages, "ok", t("renrol.registered"));
    location.assign("/review/");
  } catch (e) {
    notice(messages, "error", e.message);
  } finally {
    busy(button, false);
  }
});
