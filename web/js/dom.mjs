// dom.mjs -- building DOM from data with textContent only (never innerHTML).
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k.startsWith("on") && typeof v === "function") e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) e.append(typeof c === "string" ? document.createTextNode(c) : c);
  return e;
}

export const $ = (sel, root = document) => root.querySelector(sel);

// Shows a message next to a field and links it for screen readers.
export function fieldError(input, message) {
  const id = input.id + "-error";
  let box = document.getElementById(id);
  if (!box) {
    box = el("p", { id, class: "field-error", "aria-live": "polite" });
    input.insertAdjacentElement("afterend", box);
  }
  box.textContent = message || "";
  input.setAttribute("aria-invalid", message ? "true" : "false");
  const described = new Set((input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean));
  described.add(id);
  input.setAttribute("aria-describedby", [...described].join(" "));
}

export function notice(container, kind, message) {
  container.replaceChildren();
  if (!message) return;
  const n = el("div", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status", text: message });
  container.append(n);
}

export function busy(button, on) {
  button.disabled = on;
  button.setAttribute("aria-busy", on ? "true" : "false");
}

export function formatTime(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  return isNaN(d) ? iso : d.toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

// A form that takes a 6-digit code: checks it with the core first, posts it,
// shows the server's refusal next to the field. onOk runs after a 2xx.
export function codeForm(form, { core, input, button, submit, onOk }) {
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const code = input.value.trim();
    const v = core.validate.code(code);
    fieldError(input, v.ok ? "" : core.message(v.problems[0]));
    if (!v.ok) return input.focus();
    busy(button, true);
    try {
      await submit(code);
      onOk();
    } catch (e) {
      fieldError(input, e.message);
      input.select();
    } finally {
      busy(button, false);
    }
  });
}
