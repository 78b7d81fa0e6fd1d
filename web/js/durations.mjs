// durations.mjs -- the durations a page states ("withdrawals are held for 24
// hours") come from the server's configuration (GET /api/settings, #25), said
// in the page's language (#20): every <span data-duration="hold">24 hours</span>
// gets the configured length in words; the text in the page is the default,
// kept when the settings cannot be read. duration() answers the same words
// for texts built in scripts.
import { settings } from "./settings.mjs";
import { duration as words } from "./i18n.mjs";

export async function durations() {
  const s = await settings();
  return Object.fromEntries(Object.entries((s && s.seconds) || {}).map(([k, v]) => [k, words(v)]));
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
