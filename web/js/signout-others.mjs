// signout-others.mjs -- "Sign out everywhere else" (issue #23; OWASP ASVS 5.0
// 7.4.3 asks to offer it after a factor changes): a button that ends every
// other session of the account (POST /api/sessions/revoke-others, one
// statement on the server) and says how many ended. Settings show it beside
// the session list; the done page of every security change (delete, reset,
// password, tools) adds one with signOutOthers(container).
import { api } from "./api.mjs";
import { el, busy } from "./dom.mjs";

// Appends the button and its status line to container; onDone(revoked) after a success.
export function signOutOthers(container, onDone) {
  const status = el("p", { class: "hint", role: "status", "aria-live": "polite" });
  const button = el("button", { type: "button", class: "secondary signout-others", onclick: async () => {
    busy(button, true);
    try {
      const { revoked } = await api("POST", "/api/sessions/revoke-others", {});
      status.textContent = revoked === 0 ? "No other session was signed in."
        : revoked === 1 ? "1 other session was signed out." : `${revoked} other sessions were signed out.`;
      if (onDone) await onDone(revoked);
    } catch (e) {
      status.textContent = e.message;
    } finally {
      busy(button, false);
    }
  } }, "Sign out everywhere else");
  const box = el("div", { class: "signout-others-box" }, el("p", { class: "hint", text: "Signed in somewhere you no longer use? End every other session of your account; this one stays." }), button, status);
  container.append(box);
  return box;
}
