// signout-others.mjs -- "Sign out everywhere else" (issue #23; OWASP ASVS 5.0
// 7.4.3 asks to offer it after a factor changes): a button that ends every
// other session of the account (POST /api/sessions/revoke-others, one
// statement on the server) and says how many ended. Settings show it beside
// the session list; the done page of every security change (delete, reset,
// password, tools) adds one with signOutOthers(container).
import { api } from "./api.mjs";
import { el, busy } from "./dom.mjs";
import { t } from "./i18n.mjs";

// Appends the button and its status line to container; onDone(revoked) after a success.
export function signOutOthers(container, onDone) {
  const status = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "button", class: "secondary signout-others", onclick: async () => {
    busy(button, true);
    try {
      const { revoked } = await api("POST", "/api/sessions/revoke-others", {});
      status.textContent = t(revoked === 0 ? "signout_others.none" : "signout_others.done", { n: revoked });
      if (onDone) await onDone(revoked);
    } catch (e) {
      status.textContent = e.message;
    } finally {
      busy(button, false);
    }
  } }, t("signout_others.button"));
  const box = el("div", { class: "signout-others-box" }, el("p", { class: "hint", text: t("signout_others.hint") }), button, status);
  container.append(box);
  return box;
}
