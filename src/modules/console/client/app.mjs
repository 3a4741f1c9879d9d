// The console's shell: a hash router, the top bar, focus and title management. Views are async functions
// (ctx) → Node; the old view stays on screen until the new one has its data, so nothing flashes.
import { SIGNED_OUT, session } from "./api.mjs";
import { announce, errorBox, h, replace } from "./dom.mjs";
import { logView } from "./log.mjs";
import { overviewView, tenantShell } from "./overview.mjs";
import { groupView, groupsView, userView, usersView } from "./directory.mjs";
import { settingsView } from "./settings.mjs";
import { signinView } from "./signin.mjs";
import { createdView, tenantsView } from "./tenants.mjs";
import { tokensView } from "./tokens.mjs";

const ID = "([^/]+)";
const routes = [
  [/^\/signin$/, signinView],
  [/^\/tenants$/, tenantsView],
  [new RegExp(`^/tenants/${ID}/created$`), createdView],
  [new RegExp(`^/tenants/${ID}$`), tenantShell("overview", overviewView)],
  [new RegExp(`^/tenants/${ID}/users$`), tenantShell("users", usersView)],
  [new RegExp(`^/tenants/${ID}/users/${ID}$`), tenantShell("users", userView)],
  [new RegExp(`^/tenants/${ID}/groups$`), tenantShell("groups", groupsView)],
  [new RegExp(`^/tenants/${ID}/groups/${ID}$`), tenantShell("groups", groupView)],
  [new RegExp(`^/tenants/${ID}/log$`), tenantShell("log", logView)],
  [new RegExp(`^/tenants/${ID}/tokens$`), tenantShell("tokens", tokensView)],
  [new RegExp(`^/tenants/${ID}/settings$`), tenantShell("settings", settingsView)],
  [/^\/log$/, logView],
];

function parseHash() {
  const raw = location.hash.startsWith("#/") ? location.hash.slice(1) : "/tenants";
  const q = raw.indexOf("?");
  return { path: q < 0 ? raw : raw.slice(0, q), query: new URLSearchParams(q < 0 ? "" : raw.slice(q + 1)) };
}

let pendingFocus = null;

/** Navigates to a path with a query (empty values left out); `focus`: a selector to focus once rendered. */
function go(path, query = {}, { focus } = {}) {
  pendingFocus = focus ?? null;
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== "") search.set(k, String(v));
  const text = search.toString();
  const hash = `#${path}${text ? `?${text}` : ""}`;
  if (location.hash === hash) void render();
  else location.hash = hash;
}

let current = { controller: new AbortController(), leave: [], path: "" };

function renderAccount() {
  const account = document.getElementById("account");
  const crumbs = document.getElementById("crumbs");
  if (!session.token) {
    replace(account);
    replace(crumbs);
    return;
  }
  const { path } = parseHash();
  const link = (href, text, active) => h("a", { href, "aria-current": active ? "page" : undefined }, text);
  replace(
    crumbs,
    link("#/tenants", "Tenants", path.startsWith("/tenants")),
    link("#/log", "Log", path === "/log"),
    h("a", { href: "/docs", target: "_blank", rel: "noopener" }, "API docs"),
  );
  const signOut = h("button", { type: "button", class: "button small ghost" }, "Sign out");
  signOut.addEventListener("click", () => {
    session.clear();
    announce("Signed out");
    go("/signin");
  });
  replace(account, signOut);
}

async function render() {
  const { path, query } = parseHash();
  if (!session.token && path !== "/signin") return go("/signin", { next: location.hash.slice(1) || undefined });
  const samePath = current.path === path;
  const focusedId = document.activeElement?.id;
  current.controller.abort();
  for (const leave of current.leave) leave();
  const controller = new AbortController();
  current = { controller, leave: [], path };
  const ctx = {
    path,
    query,
    params: [],
    samePath,
    signal: controller.signal,
    go,
    title: (text) => (document.title = `${text} · scimd`),
    onLeave: (fn) => current.leave.push(fn),
  };
  renderAccount();

  const main = document.getElementById("main");
  const busy = setTimeout(() => document.body.classList.add("busy"), 150);
  main.setAttribute("aria-busy", "true");
  let view;
  try {
    const route = routes.find(([pattern]) => pattern.test(path));
    if (!route) view = h("div", { class: "view" }, h("h1", { tabindex: "-1" }, "Not found"), h("p", {}, h("a", { href: "#/tenants" }, "Back to the tenants")));
    else {
      ctx.params = route[0].exec(path).slice(1).map(decodeURIComponent);
      view = await route[1](ctx);
    }
  } catch (error) {
    if (controller.signal.aborted || error?.name === "AbortError") return;
    if (error?.status === 401) return;
    view = h("div", { class: "view" }, h("h1", { tabindex: "-1" }, "Could not load this page"), errorBox(error));
  } finally {
    clearTimeout(busy);
    if (!controller.signal.aborted) {
      document.body.classList.remove("busy");
      main.removeAttribute("aria-busy");
    }
  }
  if (controller.signal.aborted) return;
  replace(main, view);
  // Which route is on screen, once its data is in (tests and scripts wait for it).
  main.dataset.route = location.hash;
  // A new page moves focus to its heading (screen readers announce it); a new query keeps the focus where it was.
  const wanted = pendingFocus && main.querySelector(pendingFocus);
  pendingFocus = null;
  const keep = samePath && focusedId ? document.getElementById(focusedId) : null;
  if (wanted) wanted.focus();
  else if (keep) keep.focus();
  else if (!samePath) (main.querySelector("[data-autofocus]") ?? main.querySelector("h1") ?? main).focus();
}

window.addEventListener(SIGNED_OUT, (event) => {
  sessionStorage.setItem("scimd.signedOutReason", event.detail);
  go("/signin", { next: parseHash().path });
});
window.addEventListener("hashchange", () => void render());
void render();
