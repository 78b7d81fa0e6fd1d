// stepup.mjs -- "Confirm it's you" in place (issue #17 item 6). Changing
// recovery information or the tools needs a second factor used within the
// last few minutes (step_up_seconds). withStepUp(core, fn) runs fn; when the
// server answers step_up_required it opens a dialog offering the account's
// factors (a passkey, an authenticator-app code), steps the session up
// (POST /api/step-up) and runs fn once more. The server decides; this only asks.
import { api, ApiError } from "./api.mjs";
import { el, busy } from "./dom.mjs";
import { getAssertion, PasskeyError } from "./webauthn.mjs";
import { duration } from "./durations.mjs";
import { t, tParts } from "./i18n.mjs";

export async function withStepUp(core, fn) {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof ApiError) || e.code !== "step_up_required") throw e;
    await stepUp(core);
    return fn();
  }
}

let open = null;

// The dialog; resolves when the session is stepped up, rejects with
// ApiError code "step_up_cancelled" when the person closes it.
export function stepUp(core) {
  if (open) return open;
  open = ask(core).finally(() => { open = null; });
  return open;
}

async function ask(core) {
  const state = await api("GET", "/api/step-up");
  if (state.fresh) return state;
  if (!state.methods.length)
    throw new ApiError(409, "step_up_no_factor", t("problem.step_up_no_factor"));
  const within = await duration("step_up", "5 minutes");
  const last = document.activeElement;
  const error = el("p", { id: "step-up-error", class: "field-error", role: "alert" });
  const title = el("h2", { id: "step-up-title", text: t("stepup.title") });
  const why = el("p", { id: "step-up-why" }, ...tParts("stepup.why", { step_up: el("span", { "data-duration": "step_up", text: within }) }));
  const dialog = el("dialog", { class: "step-up", "aria-labelledby": "step-up-title", "aria-describedby": "step-up-why" }, title, why);

  return new Promise((resolve, reject) => {
    const done = (v) => { dialog.close(); dialog.remove(); if (last && last.focus) last.focus(); resolve(v); };
    const fail = (message) => { error.textContent = message; };
    if (state.methods.includes("passkey")) {
      const b = el("button", { type: "button", id: "step-up-passkey", class: "primary", text: t("stepup.use_passkey") });
      b.addEventListener("click", async () => {
        busy(b, true);
        fail("");
        try {
          const options = await api("POST", "/api/step-up/options", {});
          done(await api("POST", "/api/step-up", { method: "passkey", response: await getAssertion(core, options) }));
        } catch (e) {
          fail(e instanceof PasskeyError || e instanceof ApiError ? e.message : String(e));
        } finally {
          busy(b, false);
        }
      });
      dialog.append(el("p", {}, b));
    }
    if (state.methods.includes("totp")) {
      const input = el("input", { id: "step-up-code", name: "code", inputmode: "numeric", autocomplete: "one-time-code",
        pattern: "[0-9]{6}", maxlength: "6", required: true, "aria-describedby": "step-up-error" });
      const b = el("button", { type: "submit", id: "step-up-totp", text: t("stepup.confirm_code") });
      const form = el("form", { class: "step-up-code" },
        el("label", { for: "step-up-code", text: t("stepup.code_label") }), input, b);
      form.addEventListener("submit", async (ev) => {
        ev.preventDefault();
        const code = input.value.trim();
        if (!/^[0-9]{6}$/.test(code)) {
          input.setAttribute("aria-invalid", "true");
          return fail(t("stepup.code_invalid"));
        }
        busy(b, true);
        fail("");
        try {
          done(await api("POST", "/api/step-up", { method: "totp", code }));
        } catch (e) {
          input.setAttribute("aria-invalid", "true");
          fail(e.message);
        } finally {
          busy(b, false);
        }
      });
      dialog.append(form);
    }
    const cancel = el("button", { type: "button", id: "step-up-cancel", text: t("delete.cancel") });
    const stop = () => {
      dialog.close();
      dialog.remove();
      if (last && last.focus) last.focus();
      reject(new ApiError(0, "step_up_cancelled", t("stepup.cancelled")));
    };
    cancel.addEventListener("click", stop);
    dialog.addEventListener("cancel", (ev) => { ev.preventDefault(); stop(); });
    dialog.append(error, el("p", {}, cancel));
    document.body.append(dialog);
    dialog.showModal();
  });
}
