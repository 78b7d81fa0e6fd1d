// delete-passkey.mjs -- seed: "How to delete an unusable passkey?", steps 3-6.
import { t, problem } from "../i18n.mjs";
import { loadCore } from "../core.mjs";
import { api, requireAccount, ApiError } from "../api.mjs";
import { $, el, notice, busy, fieldError, formatTime } from "../dom.mjs";
import { signOutOthers } from "../signout-others.mjs";
import { passkeysSupported, PasskeyError, getAssertion, signalAccepted } from "../webauthn.mjs";
import "../support.mjs"; // the support contact, where this page offers help
import { duration } from "../durations.mjs";

const core = await loadCore();
const messages = $("#messages");
const steps = ["step-confirm", "step-email", "step-factor", "step-done"];
let flow = null;
let methods = [];
let method = null;

function show(step) {
  notice(messages); // a message belongs to the step it was said in
  $("#sms-sent").textContent = "";
  steps.forEach((s, i) => {
    $("#" + s).hidden = s !== step;
    const li = $("#s" + (i + 1));
    if (s === step) li.setAttribute("aria-current", "step"); else li.removeAttribute("aria-current");
  });
  const first = $("#" + step).querySelector("input, button");
  if (first) first.focus();
}

function failed(e) {
  if (e instanceof ApiError && ["flow_dead", "flow_expired", "flow_finished"].includes(e.code)) {
    notice(messages, "error", e.message);
    steps.forEach((s) => { $("#" + s).hidden = true; });
    messages.append(el("a", { class: "button", href: "/account/passkeys.html", text: t("delete.back_to_my_passkeys") }));
    return;
  }
  notice(messages, "error", e.message);
}

function pick(m) {
  method = m;
  for (const k of ["passkey", "totp", "sms"]) $("#factor-" + k).hidden = k !== m;
  $("#switch").hidden = true;
  notice(messages);
  const f = $("#factor-" + m);
  const first = f.querySelector("input, button");
  if (first) first.focus();
}

function toFactor(json) {
  methods = json.methods;
  show("step-factor");
  $("#switch-method").hidden = methods.length < 2;
  const sms = methods.find((m) => m.method === "sms");
  if (sms) $("#sms-phone").textContent = sms.phone;
  if (methods.length) pick(methods[0].method);
  else notice(messages, "warn", t("delete.none_usable"));
}

function done(json) {
  show("step-done");
  $("#done-hold").textContent = t("delete.held_until", { until: formatTime(json.withdrawal_hold.until) });
  $("#done-unprotected").hidden = !json.no_passkey_protection;
  // the passkey provider stops offering the deleted passkey (WebAuthn L3 §5.1.10; #18)
  api("GET", "/api/passkeys").then((l) => signalAccepted(l.signal), () => {});
  $("#done-signout").replaceChildren();
  signOutOthers($("#done-signout")); // #23: offered after every security change
}

async function verify(body, button) {
  busy(button, true);
  try {
    done(await api("POST", `/api/delete-flows/${flow}/verify`, body));
  } catch (e) {
    failed(e);
  } finally {
    busy(button, false);
  }
}

// "d•••@example.com": enough to recognise the address on a shared screen
function maskEmail(email) {
  const at = email.lastIndexOf("@");
  return at < 1 ? email : `${email[0]}•••${email.slice(at)}`;
}

async function start() {
  const me = await requireAccount();
  $("#email-sent").textContent = t("delete.email_sent_to", { email: maskEmail(me.email), code: await duration("code", "10 minutes") });
  const id = new URLSearchParams(location.search).get("passkey");
  if (!/^\d+$/.test(id || "")) return notice(messages, "error", t("delete.choose_passkey"));
  try {
    const r = await api("POST", `/api/passkeys/${id}/delete`, {});
    flow = r.id;
    $("#passkey-name").textContent = r.passkey.name;
    show("step-confirm");
  } catch (e) {
    failed(e);
  }
}

$("#confirm-next").addEventListener("click", async (ev) => {
  const button = ev.currentTarget; // null once the handler awaits
  busy(button, true);
  try {
    await api("POST", `/api/delete-flows/${flow}/next`, {});
    show("step-email");
  } catch (e) {
    if (e.code === "flow_last_factor") {
      // not a dead end: what to bind first, or the reset
      $("#step-confirm").hidden = true;
      $("#last-tool").hidden = false;
      $("#last-tool").querySelector("a").focus();
    } else failed(e);
  } finally {
    busy(button, false);
  }
});

$("#step-email").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const input = $("#email-code"), button = $("#email-next");
  const v = core.validate.code(input.value.trim());
  fieldError(input, v.ok ? "" : problem(v.problems[0]));
  if (!v.ok) return input.focus();
  busy(button, true);
  try {
    toFactor(await api("POST", `/api/delete-flows/${flow}/email-code`, { code: input.value.trim() }));
  } catch (e) {
    if (e.code === "code_wrong" || e.code === "code_expired") { fieldError(input, e.message); input.select(); } else failed(e);
  } finally {
    busy(button, false);
  }
});

$("#email-resend").addEventListener("click", async () => {
  try {
    await api("POST", `/api/delete-flows/${flow}/email-code/resend`, {});
    notice(messages, "ok", t("delete.new_code_sent"));
  } catch (e) { failed(e); }
});

$("#switch-method").addEventListener("click", () => {
  const box = $("#switch-options");
  const names = { passkey: t("delete.method.passkey"), totp: t("delete.method.totp"), sms: t("delete.sms_code") };
  box.replaceChildren(...methods.map((m) => el("label", {},
    el("input", { type: "radio", name: "method", value: m.method, checked: m.method === method, onchange: () => pick(m.method) }),
    " " + names[m.method])));
  $("#switch").hidden = false;
  box.querySelector("input").focus();
});

$("#use-passkey").addEventListener("click", async (ev) => {
  if (!passkeysSupported()) return notice(messages, "error", t("delete.no_passkeys"));
  const button = ev.currentTarget;
  busy(button, true);
  try {
    const options = await api("POST", `/api/delete-flows/${flow}/passkey-options`, {});
    let json;
    try {
      json = await getAssertion(core, options);
    } catch (e) {
      if (e.code === "NotAllowedError") throw new PasskeyError(t("delete.passkey_cancelled"), e.code);
      throw e;
    }
    busy(button, false);
    await verify({ method: "passkey", response: json }, button);
  } catch (e) {
    failed(e);
  } finally {
    busy(button, false);
  }
});

for (const kind of ["totp", "sms"]) {
  $("#factor-" + kind).addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const input = $(`#${kind}-code`);
    const v = core.validate.code(input.value.trim());
    fieldError(input, v.ok ? "" : problem(v.problems[0]));
    if (!v.ok) return input.focus();
    await verify({ method: kind, code: input.value.trim() }, $(`#${kind}-next`));
  });
}

$("#sms-send").addEventListener("click", async () => {
  try {
    await api("POST", `/api/delete-flows/${flow}/sms`, {});
    $("#sms-sent").textContent = t("delete.sms_sent");
    $("#sms-code").focus();
  } catch (e) { failed(e); }
});

$("#unavailable").addEventListener("click", async () => {
  try {
    const r = await api("POST", `/api/delete-flows/${flow}/unavailable`, {});
    location.assign(r.next);
  } catch (e) { failed(e); }
});

start();
