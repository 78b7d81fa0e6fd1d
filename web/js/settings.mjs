// settings.mjs -- GET /api/settings once per page: the configured durations
// (durations.mjs) and the language that the browser's Accept-Language asks
// for (i18n.mjs). null when the server cannot be reached.
let pending = null;

export function settings() {
  if (!pending) {
    pending = fetch("/api/settings", { credentials: "same-origin" })
      .then((res) => (res.ok ? res.json() : null))
      .catch(() => null);
  }
  return pending;
}
