// durations.mjs -- the durations a page states ("withdrawals are held for 24
// hours") come from the server's configuration (GET /api/settings, #25): every
// <span data-duration="hold">24 hours</span> gets the configured words; the
// text in the page is the default, kept when the settings cannot be read.
// durations() answers the same words for texts built in scripts.
let pending = null;

export function durations() {
  if (!pending) {
    pending = fetch("/api/settings", { credentials: "same-origin" })
      .then((res) => (res.ok ? res.json() : null))
      .then((s) => (s && s.texts) || {}, () => ({}));
  }
  return pending;
}

// The words for one duration, or the page's default.
export async function duration(name, fallback) {
  return (await durations())[name] || fallback;
}

async function fill() {
  const places = document.querySelectorAll("[data-duration]");
  if (!places.length) return;
  const texts = await durations();
  for (const p of places) if (texts[p.dataset.duration]) p.textContent = texts[p.dataset.duration];
}
fill();
