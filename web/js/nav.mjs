// nav.mjs -- the header of every account page and of the review console
// (issue #23): who is signed in, links between the pages (Security settings,
// My passkeys, the case page while a reset case is open; the queue for
// reviewers) and Sign out. A page gets it with one line in its <head>:
//   <script type="module" src="/js/nav.mjs"></script>
// It fills the page's <header class="top"> when someone is signed in, and
// leaves it as it is when not (the page itself decides where that leads).
// Keyboard: plain links and a button, in reading order; site.css gives them
// the visible focus of every control and wraps them at 390 px.
import { api } from "./api.mjs";
import { el } from "./dom.mjs";
import { t } from "./i18n.mjs";

const review = location.pathname.startsWith("/review/");

function here(href) {
  const p = location.pathname;
  return p === href || (href === "/review/" && p === "/review/index.html");
}

// Replaces the header's navigation (a page may call it again, e.g. after signing in).
function mount(label, links, who, signOut) {
  const header = document.querySelector("header.top");
  if (!header) return;
  header.querySelector("nav.site")?.remove();
  const items = links.map(([href, text]) => el("li", {}, el("a", { href, text, "aria-current": here(href) ? "page" : null })));
  // before the language menu (i18n.mjs, #20): the pages first, then the language, in reading and Tab order
  header.insertBefore(el("nav", { class: "site", "aria-label": label },
    el("ul", {}, ...items,
      el("li", { class: "who" }, el("span", { class: "visually-hidden", text: t("nav.signed_in_as") + " " }), el("span", { text: who })),
      el("li", {}, el("button", { type: "button", class: "secondary", onclick: signOut }, t("settings.signout"))))),
    header.querySelector(".language"));
}

// The account's header, from GET /api/me (the page's own call: api.mjs shares it).
export function accountNav(me) {
  const links = [["/account/settings.html", t("settings.title")], ["/account/passkeys.html", t("passkeys.my_passkeys")]];
  if (me.open_case) links.push(["/case.html", t("nav.my_case")]);
  mount(t("nav.account"), links, me.email, async () => {
    try { await api("DELETE", "/api/session"); } catch { /* signed out either way */ }
    location.assign("/");
  });
}

// The review console's header, from GET /api/review/me. signedOut: what the
// page does after Sign out instead of going to the queue's sign-in (the
// queue page signs in again in place).
export function reviewerNav(who, signedOut) {
  const links = [["/review/", t("nav.review_queue")]];
  if (who.roles.includes("admin")) links.push(["/review/admin.html", t("admin.administration")]); // #22's console, admins only
  mount(t("review.review_console"), links, `${who.email} (${who.roles.join(t("common.list_separator"))})`, async () => {
    try { await api("DELETE", "/api/review/session"); } catch { /* signed out either way */ }
    clearNav();
    if (signedOut) signedOut();
    else location.assign("/review/");
  });
}

export function clearNav() {
  document.querySelector("header.top nav.site")?.remove();
}

async function start() {
  try {
    if (review) {
      const who = await api("GET", "/api/review/me");
      if (!document.querySelector("header.top nav.site")) reviewerNav(who); // the page may have mounted it with its own sign-out
    } else accountNav(await api("GET", "/api/me"));
  } catch { /* not signed in (or the server is away): the header stays as the page made it */ }
}
start();
