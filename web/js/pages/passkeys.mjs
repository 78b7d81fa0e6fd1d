// passkeys.mjs -- My passkeys: list, add, rename. Deleting is the delete flow's job.
import { t, tParts } from "../i18n.mjs";
import { loadCore } from "../core.mjs";
import { api, requireAccount } from "../api.mjs";
import { $, el, notice, timeEl, busy, fieldError } from "../dom.mjs";
import { addPasskey, passkeysSupported, signalAccepted } from "../webauthn.mjs";
import { withStepUp } from "../stepup.mjs";

const core = await loadCore();
const messages = $("#messages");

function renameForm(p) {
  const input = el("input", { id: `rename-${p.id}`, type: "text", maxlength: "64", value: p.name, "aria-label": t("passkeys.new_name_for", { name: p.name }) });
  const form = el("form", { class: "rename", novalidate: true }, input, el("button", { type: "submit", class: "secondary", text: t("passkeys.save") }));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const name = input.value.trim();
    fieldError(input, name ? "" : t("passkeys.enter_name"));
    if (!name) return input.focus();
    try {
      await api("PATCH", `/api/passkeys/${p.id}`, { name });
      await render(); // the list first: the message says what the list already shows
      notice(messages, "ok", t("passkeys.renamed", { name }));
    } catch (e) {
      fieldError(input, e.message);
    }
  });
  return form;
}

async function render() {
  const me = await requireAccount();
  const { passkeys, signal } = await api("GET", "/api/passkeys");
  const active = passkeys.filter((p) => !p.removed);
  $("#no-protection").hidden = active.length > 0;
  $("#empty").hidden = passkeys.length > 0;
  // the provider is told which passkeys still count (#18): a deleted one stops being offered
  signalAccepted(signal);
  $("#passkeys").replaceChildren(...passkeys.map((p) => {
    if (p.removed) { // suspended by a reset or a deletion until the dispute window ends
      return el("tr", { "data-id": p.id, class: "removed" },
        el("td", {}, el("span", { class: "passkey-name", text: p.name })),
        el("td", { text: p.authenticator }),
        el("td", {}, timeEl(p.created_at)),
        el("td", {}, p.last_used_at ? timeEl(p.last_used_at) : t("passkeys.never")),
        el("td", { text: t("passkeys.removed") }),
        el("td", {}, ...tParts("passkeys.removed_until", { time: timeEl(p.removed_until) })));
    }
    const nameCell = el("td", {}, el("span", { class: "passkey-name", text: p.name }));
    const renameButton = el("button", { type: "button", class: "secondary", text: t("passkeys.rename"), "aria-label": t("passkeys.rename_named", { name: p.name }),
      onclick: () => { nameCell.replaceChildren(renameForm(p)); nameCell.querySelector("input").focus(); } });
    return el("tr", { "data-id": p.id },
      nameCell,
      el("td", { text: p.authenticator }),
      el("td", {}, timeEl(p.created_at)),
      el("td", {}, p.last_used_at ? timeEl(p.last_used_at) : t("passkeys.never")),
      el("td", { text: p.synced ? t("passkeys.synced") : p.device_bound ? t("passkeys.device_bound") : t("passkeys.not_backed_up") }),
      el("td", {}, renameButton, " ", el("a", { class: "button danger", href: `/account/delete-passkey.html?passkey=${p.id}`,
        "aria-label": t("passkeys.delete_named", { name: p.name }), text: t("passkeys.delete") })));
  }));
  return me;
}

$("#add").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const button = $("#add-button");
  notice(messages);
  if (!passkeysSupported()) return notice(messages, "error", t("passkeys.no_passkeys"));
  busy(button, true);
  try {
    const p = await withStepUp(core, () => addPasskey(core, $("#name").value.trim() || undefined));
    notice(messages, "ok", `Passkey "${p.name}" added.`);
    $("#name").value = "";
    await render();
  } catch (e) {
    notice(messages, "error", e.message);
  } finally {
    busy(button, false);
  }
});

$("#add-button").disabled = false; // the page's script is ready (the HTML keeps it off until then)
render().catch((e) => notice(messages, "error", e.message));
