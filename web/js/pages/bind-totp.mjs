// bind-totp.mjs -- start binding (QR + key), then confirm with a code.
import { t } from "../i18n.mjs";
import { loadCore } from "../core.mjs";
import { api, requireAccount } from "../api.mjs";
import { $, notice, codeForm } from "../dom.mjs";
import { withStepUp } from "../stepup.mjs";
import { signOutOthers } from "../signout-others.mjs";

const core = await loadCore();
const messages = $("#messages");

await requireAccount();
try {
  const s = await withStepUp(core, () => api("POST", "/api/totp/setup", {}));
  $("#secret").textContent = s.secret.replace(/(.{4})/g, "$1 ").trim();
  // the server renders the QR as SVG; shown as an image, never parsed into the page
  $("#qr").src = "data:image/svg+xml;base64," + btoa(s.qr_svg);
  $("#qr").hidden = false;
} catch (e) {
  notice(messages, e.code === "totp_already_bound" ? "ok" : "error", e.message);
  $("#confirm").hidden = e.code === "totp_already_bound";
}

codeForm($("#confirm"), {
  core, input: $("#code"), button: $("#confirm-button"),
  submit: (code) => api("POST", "/api/totp/confirm", { code }),
  onOk: () => {
    notice(messages, "ok", t("bindtotp.bound"));
    $("#confirm").hidden = true;
    signOutOthers($("#done-signout")); // #23: after every security change
  },
});
