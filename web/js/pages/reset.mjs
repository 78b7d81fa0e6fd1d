// reset.mjs -- seed: "How to reset when all passkeys are unavailable", steps 2-5 and Case 1.
import { loadCore } from "../core.mjs";
import { api, upload } from "../api.mjs";
import { $, el, notice, busy, fieldError, formatTime } from "../dom.mjs";
import "../support.mjs"; // the support contact, where this page offers help
import { duration } from "../durations.mjs";
import { t, problem, regionName as countryName, locale, formatNumber } from "../i18n.mjs";
import { showCodes } from "../recoverycodes.mjs";
import { signalAccepted } from "../webauthn.mjs";
import { signOutOthers } from "../signout-others.mjs";

const core = await loadCore();
const messages = $("#messages");
const steps = ["instructions", "credentials", "code", "recovery", "attention", "questions", "failed", "review", "more", "evidence-email", "evidence-tx", "evidence-send", "face-intro", "face-device", "face-country", "face-capture", "done"];
const entry = new URLSearchParams(location.search).get("from");
let flow = null;
let forgot = false;
let questions = [];
let moreMode = false; // answering a reviewer's request: any new file may be sent
let route = "";      // the verification the email code led to
let questionsFailed = false;
// a reload goes on with the reset this browser's cookie holds (issue #16)
const KEEP = "rekey.reset.flow";
const keep = (id) => { try { sessionStorage.setItem(KEEP, String(id)); } catch { /* private mode: no resume */ } };

// After a completed reset this browser holds a new session (Case 1): the
// passkey provider is told that none of the old passkeys counts any more
// (WebAuthn L3 §5.1.10; #18), so it stops offering them.
async function tellProvider() {
  try { await signalAccepted((await api("GET", "/api/passkeys")).signal); } catch { /* signed out: nothing to tell */ }
}

function show(step) {
  if (step === "done") tellProvider();
  if (step === "done" && !$("#done-signout").firstChild) signOutOthers($("#done-signout")); // #23: after every security change
  for (const s of steps) $("#step-" + s).hidden = s !== step;
  for (const li of $("#progress").children) {
    if (li.dataset.steps.split(" ").includes(step)) li.setAttribute("aria-current", "step");
    else li.removeAttribute("aria-current");
  }
  const first = $("#step-" + step).querySelector("input, button");
  if (first) first.focus();
}

function failed(e) {
  notice(messages, "error", e.message);
  if (["flow_dead", "flow_expired"].includes(e.code)) {
    for (const s of steps) $("#step-" + s).hidden = true;
    messages.append(el("a", { class: "button", href: "/reset.html", text: t("reset.start_again") }));
  }
}

// "Under review" names what was sent and the route's own deadline (the server's configuration)
const REVIEW = {
  face: [t("reset.review.face_title"), (h) => t("reset.review.face_text", { n: h })],
  documents: [t("reset.review.documents_title"), (h) => t("reset.review.documents_text", { n: h })],
  resumed: [t("reset.review.resumed_title"), () => t("reset.review.resumed_text")],
};

function attemptsText(n) {
  return t("reset.attempts_you_have", { n });
}

// The server's questions in the page's language: each has an id; the months
// and the amounts of its options are re-said with Intl (the API's words are English).
const QUESTION = { deposit_coins: "reset.question.deposit_coins", withdraw_networks: "reset.question.withdraw_networks",
  signin_countries: "reset.question.signin_countries", account_opened: "reset.question.account_opened",
  last_withdrawal: "reset.question.last_withdrawal" };
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const BUCKETS = [["Less than 0.1 ", "reset.bucket.below"], ["0.1 to 1 ", "reset.bucket.range"], ["1 to 10 ", "reset.bucket.range"], // i18n-exempt: the API's labels, parsed
  ["10 to 1,000 ", "reset.bucket.range"], ["More than 1,000 ", "reset.bucket.above"]]; // i18n-exempt: the API's labels, parsed
const BOUNDS = [[0.1], [0.1, 1], [1, 10], [10, 1000], [1000]];
function questionText(q) { return QUESTION[q.id] ? t(QUESTION[q.id]) : q.text; }
function optionText(q, label) {
  const month = /^([A-Z][a-z]+) (\d{4})$/.exec(label);
  if (q.id === "account_opened" && month && MONTHS.includes(month[1]))
    return new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(Date.UTC(Number(month[2]), MONTHS.indexOf(month[1]), 1));
  const b = BUCKETS.findIndex(([prefix]) => label.startsWith(prefix));
  if (q.id === "last_withdrawal" && b >= 0) {
    const [lo, hi] = BOUNDS[b];
    return t(BUCKETS[b][1], { low: formatNumber(lo), high: formatNumber(hi ?? lo), coin: label.slice(BUCKETS[b][0].length) });
  }
  if (q.id === "signin_countries" && /^[A-Z]{2}$/.test(label)) return `${countryName(label)} (${label})`;
  return label;
}

function routed(r) {
  notice(messages);
  if (r.route) route = r.route;
  if (r.state === "questions_attention") {
    $("#attention-attempts").textContent = r.attempts_left === undefined ? "" : attemptsText(r.attempts_left);
    return show("attention");
  }
  if (r.state === "documents") return show("evidence-email");
  if (r.state === "recovery_code") return show("recovery"); // the decision table's first row (issue #17)
  if (r.state === "under_review") {
    const hours = r.review_hours || {};
    const [title, text] = REVIEW[route] || REVIEW.resumed;
    $("#review-title").textContent = title;
    $("#review-text").textContent = text(route === "face" ? hours.face : questionsFailed ? hours.questions_failed : hours.documents);
    return show("review");
  }
  if (r.state === "face") return show("face-intro");
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
  keep(flow);
  // the email typed on the sign-in page, carried over in this tab only
  try {
    const typed = sessionStorage.getItem("rekey.signin.email");
    if (typed && !$("#email").value) $("#email").value = typed;
  } catch { /* no storage */ }
  // the server's instructions, in the page's language (the API's own words are English)
  const words = [t("reset.instruction.only_if"), t("reset.instruction.credentials"), t("reset.instruction.verify"),
    t("reset.instruction.after", { hold: await duration("hold", "24 hours") }), r.instructions[4] ? t("reset.instruction.bind") : ""];
  $("#instructions").replaceChildren(...words.filter(Boolean).map((w) => el("li", { text: w })));
  show("instructions");
}

// The reset this tab had before a reload, where it stopped; a new one when it
// cannot go on (finished, expired, or the cookie is gone).
const RESUME = { credentials: "credentials", email_code: "code", recovery_code: "recovery", questions_attention: "attention", questions_failed: "failed",
  face: "face-intro", documents: "evidence-email", under_review: "review", reset_done: "done" };
async function resume() {
  let id = null;
  try { id = sessionStorage.getItem(KEEP); } catch { /* no storage */ }
  if (!id) return start();
  let r;
  try { r = await api("GET", `/api/reset/${encodeURIComponent(id)}`); } catch { return start(); }
  flow = r.id;
  if (r.state === "questions") {
    let open = null;
    try { open = JSON.parse(sessionStorage.getItem(KEEP + ".questions")); } catch { /* none */ }
    if (open && open.flow === flow) return renderQuestions(open);
    return start();
  }
  if (!RESUME[r.state]) return start();
  if (r.state === "credentials") return show("credentials");
  if (r.state === "email_code") { $("#code-hint").textContent = t("reset.enter_emailed_code"); return show("code"); }
  if (r.state === "questions_failed") {
    $("#failed-text").textContent = t("reset.failed_continue");
    return show("failed");
  }
  if (r.state === "reset_done") return show("done");
  return routed(r);
}

$("#step-instructions").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const agree = $("#agree");
  fieldError(agree, agree.checked ? "" : problem("flow_not_agreed"));
  if (!agree.checked) return agree.focus();
  run($("#agree-button"), async () => { await api("POST", `/api/reset/${flow}/agree`, { agree: true }); show("credentials"); });
});

$("#forgot").addEventListener("click", () => {
  forgot = !forgot;
  $("#password-field").hidden = forgot;
  $("#forgot-note").hidden = !forgot;
  $("#forgot").textContent = forgot ? t("reset.know_password") : t("reset.forgot");
});

$("#step-credentials").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const email = $("#email"), pw = $("#password");
  const v = core.validate.email(email.value.trim());
  fieldError(email, v.ok ? "" : problem(v.problems[0]));
  if (!v.ok) return email.focus();
  if (!forgot && !pw.value) { fieldError(pw, t("signin.password_missing")); return pw.focus(); }
  run($("#credentials-button"), async () => {
    const r = forgot ? await api("POST", `/api/reset/${flow}/forgot-password`, { email: email.value.trim() })
      : await api("POST", `/api/reset/${flow}/credentials`, { email: email.value.trim(), password: pw.value });
    // the server's words say the same for a match and a miss (no enumeration); these are theirs
    $("#code-hint").textContent = forgot ? t("reset.code_sent_forgot") : t("reset.code_sent");
    show("code");
  });
});

// Send a new code: the flow's code again (the old one stops working)
$("#code-resend").addEventListener("click", (ev) => run(ev.currentTarget, async () => {
  await api("POST", `/api/reset/${flow}/email-code/resend`, {});
  $("#code").value = "";
  fieldError($("#code"), "");
  notice(messages, "ok", t("reset.new_code_sent"));
  $("#code").focus();
}));

$("#step-code").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const code = $("#code");
  const v = core.validate.code(code.value.trim());
  fieldError(code, v.ok ? "" : problem(v.problems[0]));
  if (!v.ok) return code.focus();
  run($("#code-button"), async () => {
    try {
      routed(await api("POST", `/api/reset/${flow}/email-code`, { code: code.value.trim() }));
    } catch (e) {
      if (e.code === "code_wrong") { fieldError(code, e.message); code.select(); } else throw e;
    }
  });
});

// A saved recovery code (issue #17): the reset completes, and the new set is shown at once
$("#step-recovery").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const input = $("#recovery-code");
  const code = input.value.trim();
  const ok = /^[A-Za-z2-7]{16}$/.test(code.replace(/[-\s]/g, ""));
  fieldError(input, ok ? "" : t("reset.recovery_code_invalid"));
  if (!ok) return input.focus();
  run($("#recovery-button"), async () => {
    let r;
    try {
      r = await api("POST", `/api/reset/${flow}/recovery-code`, { code });
    } catch (e) {
      if (e.code === "recovery_code_wrong") {
        fieldError(input, e.tries_left === undefined ? e.message : `${e.message} Tries left: ${e.tries_left}.`);
        return input.select();
      }
      throw e;
    }
    show("done");
    $("#done-bind").hidden = true;
    await showCodes($("#done-codes"), r.recovery_codes);
    $("#done-bind").hidden = false;
    $("#done-bind").focus();
  });
});
$("#recovery-skip").addEventListener("click", (ev) => run(ev.currentTarget, async () => {
  routed(await api("POST", `/api/reset/${flow}/recovery-code/skip`, {}));
}));

function renderQuestions(r) {
  questions = r.questions;
  // the open set, for a reload: the server shows a set once, then waits for its answers
  try { sessionStorage.setItem(KEEP + ".questions", JSON.stringify({ flow, questions: r.questions, attempts_left: r.attempts_left })); } catch { /* no storage */ }
  $("#attempts").textContent = t("reset.attempts_left", { n: r.attempts_left });
  $("#questions").replaceChildren(...questions.map((q, i) => el("fieldset", { "data-question": q.id },
    el("legend", { text: `${formatNumber(i + 1)}. ${questionText(q)}` }),
    ...q.options.map((o) => el("label", {},
      el("input", { type: q.kind === "single" ? "radio" : "checkbox", name: `q${i}`, value: String(o.id), "data-label": o.label }), " " + optionText(q, o.label))))));
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
    notice(messages, "error", t("reset.answer_question", { n: missing + 1 }));
    return document.querySelector(`input[name=q${missing}]`).focus();
  }
  run($("#answers-button"), async () => {
    const r = await api("POST", `/api/reset/${flow}/answers`, { answers });
    if (r.reset) return show("done");
    questionsFailed = true;
    $("#failed-text").textContent = r.attempts_left > 0
      ? t("reset.attempts_left", { n: r.attempts_left }) + " " + t("reset.failed_continue")
      : t("reset.failed_none_left");
    $("#continue").hidden = r.attempts_left === 0;
    show("failed");
  });
});

for (const b of document.querySelectorAll("button.documents")) {
  b.addEventListener("click", (ev) => run(ev.currentTarget, async () => routed(await api("POST", `/api/reset/${flow}/documents`, {}))));
}

// ---- Case 3: screenshots for a manual review ----
// Every check runs here first with the core (the same C the server runs
// again), so the user reads what is wrong before anything is sent.
const chosen = {};   // "email" | "tx" -> { file, fingerprint }
const uploaded = []; // fingerprints already in this case

function checkFile(which) {
  const input = $(`#${which}-file`), status = $(`#${which}-file-status`);
  chosen[which] = null;
  status.textContent = "";
  fieldError(input, "");
  const file = input.files[0];
  if (!file) return;
  if (!["image/png", "image/jpeg"].includes(file.type)) return fieldError(input, t("reset.choose_png"));
  status.textContent = t("reset.checking_picture");
  file.arrayBuffer().then((buf) => {
    const r = core.image.checkScreenshot(new Uint8Array(buf));
    status.textContent = "";
    if (!r.ok) return fieldError(input, problem(r.problems[0]));
    if (uploaded.some((f) => core.image.distance(f, r.fingerprint) <= 6)) return fieldError(input, problem("duplicate_image"));
    // sent as the type its bytes are (the server refuses another: image_type_mismatch),
    // not the one the browser guessed from the name (a PNG saved as .jpg)
    const type = `image/${r.format}`;
    chosen[which] = { file: file.type === type ? file : file.slice(0, file.size, type), fingerprint: r.fingerprint };
    status.textContent = t("reset.picture_fine", { format: r.format.toUpperCase(), width: String(r.width), height: String(r.height), kb: Math.ceil(r.bytes / 1024) });
  }, () => { status.textContent = ""; fieldError(input, t("reset.file_unreadable")); });
}
$("#email-file").addEventListener("change", () => checkFile("email"));
$("#tx-file").addEventListener("change", () => checkFile("tx"));

for (const c of core.chain.list()) $("#tx-network").append(el("option", { value: c.id, text: c.name }));

async function send(which, fields, button) {
  const input = $(`#${which}-file`), bar = $(`#${which}-progress`);
  if (!chosen[which]) {
    if (!input.getAttribute("aria-invalid") || input.getAttribute("aria-invalid") === "false") fieldError(input, t("reset.choose_screenshot"));
    return input.focus(), null;
  }
  busy(button, true);
  bar.hidden = false;
  bar.value = 0;
  try {
    const r = await upload(`/api/reset/${flow}/evidence?${new URLSearchParams(fields)}`, chosen[which].file, (f) => { bar.value = f; });
    uploaded.push(chosen[which].fingerprint);
    $("#evidence-list").append(el("li", { text: t(which === "email" ? "reset.uploaded_email" : "reset.uploaded_tx", { width: String(r.width), height: String(r.height) }) }));
    input.value = "";
    chosen[which] = null;
    $(`#${which}-file-status`).textContent = "";
    return r;
  } catch (e) {
    if (e.field) { const f = document.getElementById(`tx-${e.field}`); if (f) { fieldError(f, e.message); f.focus(); return null; } }
    if (e.status === 400 || e.status === 409 || e.status === 413 || e.status === 415) { fieldError(input, e.message); input.focus(); return null; }
    failed(e);
    return null;
  } finally {
    busy(button, false);
    bar.hidden = true;
  }
}

$("#step-evidence-email").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const kind = $("#email-kind");
  fieldError(kind, kind.value ? "" : t("reset.choose_email_kind"));
  if (!kind.value) return kind.focus();
  if (await send("email", { kind: "operator_email", email_kind: kind.value }, $("#email-upload"))) show(moreMode ? "evidence-send" : "evidence-tx");
});

function txFields() {
  const v = (id) => $("#tx-" + id).value.trim();
  const errors = [];
  const check = (id, msg) => { fieldError($("#tx-" + id), msg || ""); if (msg) errors.push(id); };
  check("direction", v("direction") ? "" : t("reset.choose_direction"));
  check("counterparty", v("counterparty") ? "" : t("reset.name_platform"));
  check("coin", /^[A-Za-z0-9]{2,10}$/.test(v("coin")) ? "" : t("reset.enter_coin"));
  check("network", v("network") ? "" : t("reset.choose_network"));
  if (v("network")) {
    const listed = core.validate.coin(v("coin"), v("network"));
    if (!errors.includes("coin") && !listed.ok) check("coin", problem(listed.problems[0]));
    const a = core.validate.amount(v("coin"), v("amount"), v("network"));
    check("amount", a.ok || !listed.ok ? "" : problem(a.problems[0]));
    const ref = v("reference");
    const ok = core.chain.validateAddress(v("network"), ref).ok || core.chain.validateTxid(v("network"), ref).ok;
    check("reference", ok ? "" : problem("reference_invalid"));
  }
  const t = new Date(v("time"));
  check("time", v("time") && !isNaN(t) && t.getTime() <= Date.now() + 3600e3 ? "" : problem("time_invalid"));
  if (errors.length) { $("#tx-" + errors[0]).focus(); return null; }
  return { kind: "counterparty_tx", direction: v("direction"), coin: v("coin").toUpperCase(), network: v("network"), amount: v("amount"),
    time: t.toISOString().slice(0, 16), reference: v("reference"), counterparty: v("counterparty") };
}

$("#step-evidence-tx").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const fields = txFields();
  if (fields && await send("tx", fields, $("#tx-upload"))) show("evidence-send");
});

$("#evidence-more").addEventListener("click", () => show("evidence-tx"));
$("#more-email").addEventListener("click", () => show("evidence-email"));
$("#more-tx").addEventListener("click", () => show("evidence-tx"));
$("#evidence-send").addEventListener("click", (ev) =>
  run(ev.currentTarget, async () => routed(await api("POST", `/api/reset/${flow}/evidence/submit`, {}))));

// ---- Case 2: face verification (manual provider: the pictures go to the review) ----
// The core measures every camera frame and the page shows its tip; three good
// frames in a row are uploaded, then the case goes to review.
const COUNTRIES = "AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO BR BS BT BW BY BZ CA CD CF CG CH CI CL CM CN CO CR CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM FR GA GB GD GE GH GM GN GQ GR GT GW GY HK HN HR HT HU ID IE IL IN IQ IS IT JM JO JP KE KG KH KI KM KN KR KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MO MR MT MU MV MW MX MY MZ NA NE NG NI NL NO NP NR NZ OM PA PE PG PH PK PL PS PT PW PY QA RO RS RW SA SB SC SE SG SI SK SL SM SN SO SR SS ST SV SZ TD TG TH TJ TL TM TN TO TR TT TV TW TZ UA UG US UY UZ VA VC VE VN VU WS XK YE ZA ZM ZW".split(" ");
const regionName = { of: countryName };
for (const c of COUNTRIES.map((code) => ({ code, name: regionName.of(code) })).sort((a, b) => a.name.localeCompare(b.name, locale))) {
  $("#face-country").append(el("option", { value: c.code, text: c.name }));
}
let country = "";
$("#face-continue").addEventListener("click", () => show("face-device"));
$("#face-this-device").addEventListener("click", () => show("face-country"));
$("#face-phone").addEventListener("click", (ev) => run(ev.currentTarget, async () => {
  const h = await api("POST", `/api/reset/${flow}/face/handoff`, {});
  $("#face-qr").src = "data:image/svg+xml;base64," + btoa(h.qr_svg);
  $("#face-handoff").hidden = false;
  $("#face-handoff-status").textContent = t("reset.handoff_waiting", { time: formatTime(h.expires_at) });
  const until = Date.parse(h.expires_at);
  const poll = setInterval(async () => {
    try {
      await api("GET", `/api/reset/${flow}`);
      if (Date.now() > until) { clearInterval(poll); $("#face-handoff-status").textContent = t("reset.handoff_expired"); }
    } catch (e) {
      if (e.status !== 404) return;
      clearInterval(poll);
      $("#face-handoff-status").textContent = t("reset.handoff_taken");
      $("#face-this-device").hidden = $("#face-phone").hidden = true;
    }
  }, 2000);
}));
$("#step-face-country").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const sel = $("#face-country");
  fieldError(sel, sel.value ? "" : problem("country_invalid"));
  if (!sel.value) return sel.focus();
  country = sel.value;
  show("face-capture");
  capture();
});
$("#face-retry").addEventListener("click", () => capture());

async function capture() {
  const tip = $("#face-tip"), video = $("#face-video");
  $("#face-retry").hidden = true;
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 480, facingMode: "user" }, audio: false });
  } catch (e) {
    tip.textContent = e && e.name === "NotAllowedError" ? t("reset.camera_denied")
      : t("reset.camera_none");
    tip.className = "notice error";
    $("#face-retry").hidden = false;
    return;
  }
  video.srcObject = stream;
  await video.play().catch(() => {});
  const canvas = document.createElement("canvas");
  const ctx = canvas.getContext("2d", { willReadFrequently: true });
  const sent = []; // the frames already uploaded
  let prev = null, taken = 0, good = 0, busyUpload = false;
  $("#face-stuck").hidden = true;
  const stuck = setTimeout(() => { if (taken === 0) $("#face-stuck").hidden = false; }, 15000);
  const stop = () => { clearInterval(timer); clearTimeout(stuck); for (const t of stream.getTracks()) t.stop(); };
  $("#face-other-device").onclick = () => { stop(); show("face-device"); };
  const timer = setInterval(async () => {
    if (busyUpload || !video.videoWidth) return;
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    ctx.drawImage(video, 0, 0);
    const frame = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const v = core.image.checkFrame(frame.data, frame.width, frame.height, prev);
    prev = frame.data;
    if (!v.ok) {
      good = 0;
      tip.textContent = problem(v.problems[0]);
      tip.className = "notice warn";
      return;
    }
    tip.textContent = t("reset.hold_still");
    tip.className = "notice ok";
    if (++good < 2) return; // two good frames in a row before a picture
    // the camera can hand the same frame twice: that is not a new picture
    if (sent.some((d) => core.image.checkFrame(frame.data, frame.width, frame.height, d).metrics.motion === 0)) return;
    good = 0;
    sent.push(frame.data);
    busyUpload = true;
    try {
      const blob = await new Promise((res) => canvas.toBlob(res, "image/png"));
      await upload(`/api/reset/${flow}/evidence?${new URLSearchParams({ kind: "face_frame", country })}`, blob);
      taken++;
      $("#face-stuck").hidden = true;
      $("#face-progress").value = taken;
      $("#face-count").textContent = t("reset.pictures_taken", { n: taken });
      if (taken === 3) {
        stop();
        tip.textContent = t("reset.sending_pictures");
        routed(await api("POST", `/api/reset/${flow}/evidence/submit`, {}));
      }
    } catch (e) {
      // the server's own verdict on this frame (or the same picture twice): keep trying
      if (e.status === 400 || e.code === "duplicate_image") { tip.textContent = e.message; tip.className = "notice warn"; } else { stop(); failed(e); }
    } finally {
      busyUpload = false;
    }
  }, 250);
}

// on the phone: the link from the QR code moves the reset to this browser
const handoff = new URLSearchParams(location.search).get("handoff");
// the link in "more information needed": the case's reset moves to this browser
const more = new URLSearchParams(location.search).get("more");
if (more) {
  history.replaceState(null, "", "/reset.html");
  api("POST", "/api/reset/more-info", { token: more }).then((r) => {
    flow = r.id;
    route = r.route || "";
    if (r.state !== "needs_more_info") return routed(r); // evidence not sent yet: carry on where it stopped
    keep(flow);
    moreMode = true;
    try {
      // the server says what the reviewer asked (the mail's link carries nothing else)
      const asked = r.asked || sessionStorage.getItem("rekey.more.asked");
      if (asked) {
        $("#more-asked-text").textContent = asked;
        $("#more-asked").hidden = false;
        $("#more-asked-intro").hidden = true;
      }
    } catch { /* no storage */ }
    show(r.route === "face" ? "face-country" : "more");
  }, failed);
} else if (handoff) {
  history.replaceState(null, "", "/reset.html"); // the token does not stay in the address bar or history
  api("POST", "/api/reset/handoff", { token: handoff }).then((r) => { flow = r.id; route = "face"; keep(flow); show("face-country"); }, failed);
} else if (entry) {
  start().catch(failed); // a new reset from settings, the delete flow or sign-in
} else {
  resume().catch(failed);
}
