// recovery.mjs -- recovery prepared before loss (issue #17): saved recovery
// codes, second notification addresses, the anti-phishing code. Each change
// asks "Confirm it's you" in place (stepup.mjs) when the server wants it.
import { loadCore } from "../core.mjs";
import { api, requireAccount } from "../api.mjs";
import { $, el, notice, busy, fieldError, formatTime } from "../dom.mjs";
import { withStepUp } from "../stepup.mjs";
import { showCodes } from "../recoverycodes.mjs";
import { t } from "../i18n.mjs";

const core = await loadCore();
const messages = $("#messages");
let me = null;

function failed(e) {
  // no passkey or app yet: this page cannot confirm anything; say what to add
  if (e.code === "step_up_no_factor") {
    notice(messages, "error", t("recovery.add_passkey_first"));
    messages.append(el("a", { class: "button", href: "/account/passkeys.html", text: t("passkeys.add_a_passkey") }));
    return;
  }
  notice(messages, "error", e.message);
}

async function run(button, fn) {
  busy(button, true);
  try { await fn(); } catch (e) { if (e.code !== "step_up_cancelled") failed(e); else notice(messages, "error", e.message); } finally { busy(button, false); }
}

async function renderCodes() {
  const s = await api("GET", "/api/recovery-codes");
  $("#codes-state").textContent = s.created_at
    ? t("recovery.codes_left", { n: s.remaining, total: s.total, time: formatTime(s.created_at) })
    : t("recovery.no_codes");
  $("#codes-make").textContent = t(s.created_at ? "recovery.make_new_set" : "recovery.make_recovery_codes");
}

async function renderContacts() {
  const { contacts, max } = await api("GET", "/api/account/contacts");
  $("#contacts").replaceChildren(...contacts.map((c) => el("li", {},
    el("span", { text: c.email }),
    el("span", {}, el("span", { class: c.confirmed ? "status-on" : "status-off", text: t(c.confirmed ? "recovery.confirmed" : "recovery.not_confirmed") + " " }),
      el("button", { type: "button", class: "danger", "aria-label": t("recovery.remove_address", { email: c.email }), onclick: (ev) => {
        const b = ev.currentTarget;
        run(b, async () => {
          await withStepUp(core, () => api("DELETE", `/api/account/contacts/${c.id}`));
          notice(messages, "ok", t("recovery.removed", { email: c.email }));
          await renderContacts();
        });
      } }, t("recovery.remove"))))));
  $("#contact-add").hidden = contacts.length >= max;
}

async function renderAntiPhishing() {
  const { code } = await api("GET", "/api/account/anti-phishing");
  $("#ap-state").textContent = code ? t("recovery.your_code", { code }) : t("recovery.no_code");
}

$("#codes-make").addEventListener("click", (ev) => run(ev.currentTarget, async () => {
  const set = await withStepUp(core, () => api("POST", "/api/recovery-codes", {}));
  $("#codes-make").hidden = true;
  await renderCodes();
  await showCodes($("#codes-new"), set, { email: me.email, operator: me.operator });
  $("#codes-make").hidden = false;
  notice(messages, "ok", t("recovery.codes_ready"));
  $("#codes-make").focus();
}));

let pending = null;
$("#contact-add").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const input = $("#contact-email");
  const v = core.validate.email(input.value.trim());
  fieldError(input, v.ok ? "" : core.message(v.problems[0]));
  if (!v.ok) return input.focus();
  run($("#contact-add-button"), async () => {
    const r = await withStepUp(core, () => api("POST", "/api/account/contacts", { email: input.value.trim() }));
    pending = r;
    $("#contact-pending").textContent = r.email;
    $("#contact-confirm").hidden = false;
    $("#contact-code").value = "";
    $("#contact-code").focus();
    await renderContacts();
  });
});

$("#contact-confirm").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const input = $("#contact-code");
  const v = core.validate.code(input.value.trim());
  fieldError(input, v.ok ? "" : core.message(v.problems[0]));
  if (!v.ok || !pending) return input.focus();
  run($("#contact-confirm-button"), async () => {
    try {
      await api("POST", `/api/account/contacts/${pending.id}/confirm`, { code: input.value.trim() });
    } catch (e) {
      if (e.code === "code_wrong") { fieldError(input, e.message); input.select(); return; }
      throw e;
    }
    notice(messages, "ok", t("recovery.contact_confirmed", { email: pending.email }));
    pending = null;
    $("#contact-confirm").hidden = true;
    $("#contact-email").value = "";
    await renderContacts();
  });
});

$("#ap-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const input = $("#ap-code");
  const code = input.value;
  const ok = code.length >= 4 && code.length <= 20 && /^[\x20-\x7e]+$/.test(code) && !/[<>]/.test(code) && code.trim() !== "";
  fieldError(input, ok ? "" : t("recovery.ap_invalid"));
  if (!ok) return input.focus();
  run($("#ap-button"), async () => {
    await withStepUp(core, () => api("PUT", "/api/account/anti-phishing", { code }));
    input.value = "";
    notice(messages, "ok", t("recovery.ap_saved"));
    await renderAntiPhishing();
  });
});

me = await requireAccount();
await Promise.all([renderCodes(), renderContacts(), renderAntiPhishing()]).catch(failed);
