// reset.mjs -- seed: "How to reset when all passkeys are unavailable", steps 2-5 and Case 1.
import { loadCore } from "../core.mjs";
import { api } from "../api.mjs";
import { $, el, notice, busy, fieldError } from "../dom.mjs";

const core = await loadCore();
const messages = $("#messages");
const steps = ["instructions", "credentials", "code", "attention", "questions", "failed", "review", "done"];
const entry = new URLSearchParams(location.search).get("from");
let flow = null;
let forgot = false;
let questions = [];

function show(step) {
  for (const s of steps) $("#step-" + s).hidden = s !== step;
  const first = $("#step-" + step).querySelector("input, button");
  if (first) first.focus();
}

function failed(e) {
  notice(messages, "error", e.message);
  if (["flow_dead", "flow_expired"].includes(e.code)) {
    for (const s of steps) $("#step-" + s).hidden = true;
    messages.append(el("a", { class: "button", href: "/reset.html", text: "Start again" }));
  }
}

function routed(r) {
  notice(messages);
  if (r.state === "questions_attention") return show("attention");
  if (r.state === "face" || r.state === "documents") {
    $("#review-title").textContent = r.state === "face" ? "Face verification" : "Documents for review";
    $("#review-text").textContent = r.state === "face"
      ? "Your account needs face verification before the reset. Your case is open and waits for it."
      : "Your account needs a review of screenshots by our team: an email we sent you, and a transaction record from the other platform. Your case is open and waits for them.";
    return show("review");
  }
  show(r.state);
}

async function run(button, fn) {
  busy(button, true);
  try { await fn(); } catch (e) { failed(e); } finally { busy(button, false); }
}

async function start() {
  const r = await api("POST", "/api/reset", ["settings", "delete_passkey", "signin"].includes(entry) ? { entry } : {});
  // coming from the account (settings, the delete flow): carry its email over
  if (entry === "settings" || entry === "delete_passkey") {
    try { $("#email").value = (await api("GET", "/api/me")).email; } catch { /* signed out: type it */ }
  }
  flow = r.id;
  $("#instructions").replaceChildren(...r.instructions.filter(Boolean).map((t) => el("li", { text: t })));
  show("instructions");
}

$("#step-instructions").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const agree = $("#agree");
  fieldError(agree, agree.checked ? "" : "Tick \"I agree\" to continue.");
  if (!agree.checked) return agree.focus();
  run($("#agree-button"), async () => { await api("POST", `/api/reset/${flow}/agree`, { agree: true }); show("credentials"); });
});

$("#forgot").addEventListener("click", () => {
  forgot = !forgot;
  $("#password-field").hidden = forgot;
  $("#forgot-note").hidden = !forgot;
  $("#forgot").textContent = forgot ? "I know my password" : "Forgot password?";
});

$("#step-credentials").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const email = $("#email"), pw = $("#password");
  const v = core.validate.email(email.value.trim());
  fieldError(email, v.ok ? "" : core.message(v.problems[0]));
  if (!v.ok) return email.focus();
  if (!forgot && !pw.value) { fieldError(pw, "Enter your password."); return pw.focus(); }
  run($("#credentials-button"), async () => {
    const r = forgot ? await api("POST", `/api/reset/${flow}/forgot-password`, { email: email.value.trim() })
      : await api("POST", `/api/reset/${flow}/credentials`, { email: email.value.trim(), password: pw.value });
    $("#code-hint").textContent = r.message;
    show("code");
  });
});

$("#step-code").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const code = $("#code");
  const v = core.validate.code(code.value.trim());
  fieldError(code, v.ok ? "" : core.message(v.problems[0]));
  if (!v.ok) return code.focus();
  run($("#code-button"), async () => {
    try {
      routed(await api("POST", `/api/reset/${flow}/email-code`, { code: code.value.trim() }));
    } catch (e) {
      if (e.code === "code_wrong") { fieldError(code, e.message); code.select(); } else throw e;
    }
  });
});

function renderQuestions(r) {
  questions = r.questions;
  $("#attempts").textContent = `Attempts left: ${r.attempts_left}.`;
  $("#questions").replaceChildren(...questions.map((q, i) => el("fieldset", {},
    el("legend", { text: `${i + 1}. ${q.text}` }),
    ...q.options.map((o) => el("label", {},
      el("input", { type: q.kind === "single" ? "radio" : "checkbox", name: `q${i}`, value: String(o.id) }), " " + o.label)))));
  show("questions");
}

async function newQuestions(button) {
  await run(button, async () => renderQuestions(await api("POST", `/api/reset/${flow}/questions`, {})));
}
$("#start-now").addEventListener("click", (ev) => newQuestions(ev.currentTarget));
$("#continue").addEventListener("click", (ev) => newQuestions(ev.currentTarget));

$("#step-questions").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const answers = questions.map((q, i) => [...document.querySelectorAll(`input[name=q${i}]:checked`)].map((x) => Number(x.value)));
  const missing = answers.findIndex((a) => a.length === 0);
  if (missing >= 0) {
    notice(messages, "error", `Answer question ${missing + 1}.`);
    return document.querySelector(`input[name=q${missing}]`).focus();
  }
  run($("#answers-button"), async () => {
    const r = await api("POST", `/api/reset/${flow}/answers`, { answers });
    if (r.reset) return show("done");
    $("#failed-text").textContent = r.attempts_left > 0
      ? `Attempts left: ${r.attempts_left}. Continue with new questions, or submit documents for a manual review.`
      : "No attempts are left. You can still reset your passkeys by submitting documents for a manual review.";
    $("#continue").hidden = r.attempts_left === 0;
    show("failed");
  });
});

for (const b of document.querySelectorAll("button.documents")) {
  b.addEventListener("click", (ev) => run(ev.currentTarget, async () => routed(await api("POST", `/api/reset/${flow}/documents`, {}))));
}

start().catch(failed);
