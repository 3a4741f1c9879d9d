// A tenant's users and groups, read through the admin API: search, paging, a group's members, and each
// resource's provisioning history.
import { get, qs } from "./api.mjs";
import { ago, announce, copyButton, empty, h, number, pager } from "./dom.mjs";
import { entriesTable } from "./log.mjs";
import { tenantPath } from "./overview.mjs";

const PAGE = 25;
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

function searchForm(ctx, { id, label, placeholder }) {
  const q = ctx.query.get("q") ?? "";
  const input = h("input", { id, name: "q", type: "search", value: q, placeholder, autocomplete: "off" });
  const form = h(
    "form",
    { class: "search", role: "search" },
    h("label", { for: id, class: "visually-hidden" }, label),
    input,
    h("button", { type: "submit", class: "button" }, "Search"),
    q && h("a", { class: "button ghost", href: `#${ctx.path}` }, "Clear"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    ctx.go(ctx.path, { q: input.value.trim() });
  });
  return form;
}

function summary(ctx, list, noun) {
  const q = ctx.query.get("q");
  const n = number.format(list.totalResults);
  const text = q ? `${n} ${noun}${list.totalResults === 1 ? "" : "s"} match “${q}”` : `${n} ${noun}${list.totalResults === 1 ? "" : "s"}`;
  if (ctx.samePath) announce(text);
  return h("p", { class: "muted result-count" }, text);
}

const table = (caption, columns, rows) =>
  h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "table responsive" },
      h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c.endsWith("#") ? "num" : undefined }, c.replace("#", ""))))),
      h("tbody", {}, rows),
    ),
  );

const activeBadge = (active) => (active === false ? h("span", { class: "badge warn" }, "Disabled") : h("span", { class: "badge ok" }, "Active"));
const primaryEmail = (user) => (user.emails ?? []).find((e) => e.primary)?.value ?? user.emails?.[0]?.value ?? "";

function listPage(ctx, list, { noun, form, columns, row }) {
  const go = (start) => ctx.go(ctx.path, { q: ctx.query.get("q"), start });
  return h(
    "section",
    { class: "card flush", "aria-label": `${noun}s` },
    h("div", { class: "card-pad" }, form, summary(ctx, list, noun)),
    list.Resources.length ? table(`${noun}s`, columns, list.Resources.map(row)) : empty(`No ${noun}s`, ctx.query.get("q") ? "Nothing matches this search." : `Entra has not provisioned any ${noun}s yet.`),
    h("div", { class: "card-pad" }, pager({ ...list, count: PAGE }, go)),
  );
}

export async function usersView(ctx) {
  const { tenant } = ctx;
  ctx.title(`Users · ${tenant.name}`);
  const start = Number(ctx.query.get("start") ?? 1) || 1;
  const list = await get(`/tenants/${encodeURIComponent(tenant.id)}/users${qs({ q: ctx.query.get("q"), startIndex: start, count: PAGE })}`, { signal: ctx.signal });
  return listPage(ctx, list, {
    noun: "user",
    form: searchForm(ctx, { id: "user-search", label: "Search users", placeholder: "Name, email, externalId or id" }),
    columns: ["User", "Email", "Status", "External id", "Updated"],
    row: (u) =>
      h(
        "tr",
        {},
        h(
          "th",
          { scope: "row", "data-label": "User" },
          h("a", { href: `#${tenantPath(tenant, `/users/${encodeURIComponent(u.id)}`)}` }, u.userName),
          u.displayName && h("div", { class: "small muted" }, u.displayName),
        ),
        h("td", { "data-label": "Email" }, primaryEmail(u) || h("span", { class: "muted" }, "—")),
        h("td", { "data-label": "Status" }, activeBadge(u.active)),
        h("td", { "data-label": "External id" }, h("span", { class: "mono small" }, u.externalId ?? "")),
        h("td", { "data-label": "Updated" }, ago(u.meta?.lastModified)),
      ),
  });
}

export async function groupsView(ctx) {
  const { tenant } = ctx;
  ctx.title(`Groups · ${tenant.name}`);
  const start = Number(ctx.query.get("start") ?? 1) || 1;
  const list = await get(`/tenants/${encodeURIComponent(tenant.id)}/groups${qs({ q: ctx.query.get("q"), startIndex: start, count: PAGE })}`, { signal: ctx.signal });
  return listPage(ctx, list, {
    noun: "group",
    form: searchForm(ctx, { id: "group-search", label: "Search groups", placeholder: "Name, externalId or id" }),
    columns: ["Group", "Members#", "External id", "Updated"],
    row: (g) =>
      h(
        "tr",
        {},
        h("th", { scope: "row", "data-label": "Group" }, h("a", { href: `#${tenantPath(tenant, `/groups/${encodeURIComponent(g.id)}`)}` }, g.displayName)),
        h("td", { "data-label": "Members", class: "num" }, number.format(g.memberCount ?? 0)),
        h("td", { "data-label": "External id" }, h("span", { class: "mono small" }, g.externalId ?? "")),
        h("td", { "data-label": "Updated" }, ago(g.meta?.lastModified)),
      ),
  });
}

function facts(pairs) {
  return h(
    "dl",
    { class: "facts" },
    pairs.filter(([, v]) => v !== undefined && v !== null && v !== "").map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
  );
}

const idFact = (id) => h("span", { class: "with-copy" }, h("span", { class: "mono small" }, id), copyButton(id, "id"));

async function history(ctx, resourceId) {
  const page = await get(`/log${qs({ tenant: ctx.tenant.id, resource: resourceId, limit: 20 })}`, { signal: ctx.signal });
  return h(
    "section",
    { class: "card flush", "aria-labelledby": "history-title" },
    h(
      "div",
      { class: "card-pad card-head" },
      h("h2", { id: "history-title" }, "Provisioning history"),
      h("a", { href: `#${tenantPath(ctx.tenant, "/log")}?${new URLSearchParams({ resource: resourceId })}` }, "All in the log"),
    ),
    page.entries.length ? entriesTable(page.entries, { compact: true }) : empty("No requests yet", "Requests about this resource appear here."),
  );
}

const rawJson = (resource) => h("details", { class: "disclosure" }, h("summary", {}, "SCIM representation"), h("pre", { class: "json" }, JSON.stringify(resource, null, 2)));

export async function userView(ctx) {
  const { tenant } = ctx;
  const uid = ctx.params[1];
  const user = await get(`/tenants/${encodeURIComponent(tenant.id)}/users/${encodeURIComponent(uid)}`, { signal: ctx.signal });
  ctx.title(`${user.userName} · ${tenant.name}`);
  const ent = user[ENTERPRISE] ?? {};
  const list = (values, fmt) => (values?.length ? h("ul", { class: "plain" }, values.map((v) => h("li", {}, fmt(v)))) : null);
  const typed = (v) => [v.value, v.type && h("span", { class: "muted" }, ` (${v.type}${v.primary ? ", primary" : ""})`)];
  return h(
    "div",
    { class: "grid two" },
    h(
      "section",
      { class: "card", "aria-labelledby": "user-title" },
      h("a", { class: "back", href: `#${tenantPath(tenant, "/users")}` }, "← Users"),
      h("div", { class: "card-head" }, h("h2", { id: "user-title" }, user.userName), activeBadge(user.active)),
      facts([
        ["Display name", user.displayName],
        ["Name", user.name?.formatted ?? [user.name?.givenName, user.name?.familyName].filter(Boolean).join(" ")],
        ["Emails", list(user.emails, typed)],
        ["Phone numbers", list(user.phoneNumbers, typed)],
        ["Department", ent.department],
        ["Employee number", ent.employeeNumber],
        ["Manager", ent.manager?.value],
        ["External id", user.externalId && h("span", { class: "mono small" }, user.externalId)],
        ["Id", idFact(user.id)],
        ["Groups", list(user.groups, (g) => h("a", { href: `#${tenantPath(tenant, `/groups/${encodeURIComponent(g.value)}`)}` }, g.display ?? g.value)) ?? h("span", { class: "muted" }, "none")],
        ["Created", ago(user.meta?.created)],
        ["Last modified", ago(user.meta?.lastModified)],
      ]),
      rawJson(user),
    ),
    await history(ctx, user.id),
  );
}

export async function groupView(ctx) {
  const { tenant } = ctx;
  const gid = ctx.params[1];
  const base = `/tenants/${encodeURIComponent(tenant.id)}/groups/${encodeURIComponent(gid)}`;
  const start = Number(ctx.query.get("start") ?? 1) || 1;
  const [group, members] = await Promise.all([
    get(base, { signal: ctx.signal }),
    get(`${base}/members${qs({ q: ctx.query.get("q"), startIndex: start, count: PAGE })}`, { signal: ctx.signal }),
  ]);
  ctx.title(`${group.displayName} · ${tenant.name}`);
  const memberRow = (m) =>
    h(
      "tr",
      {},
      h(
        "th",
        { scope: "row", "data-label": "Member" },
        h("a", { href: `#${tenantPath(tenant, `/${m.type === "Group" ? "groups" : "users"}/${encodeURIComponent(m.value)}`)}` }, m.userName ?? m.display ?? m.value),
        m.userName && m.display && h("div", { class: "small muted" }, m.display),
      ),
      h("td", { "data-label": "Type" }, m.type),
      h("td", { "data-label": "Status" }, m.type === "User" ? activeBadge(m.active) : ""),
    );
  return h(
    "div",
    { class: "stack" },
    h(
      "div",
      { class: "grid two" },
      h(
        "section",
        { class: "card", "aria-labelledby": "group-title" },
        h("a", { class: "back", href: `#${tenantPath(tenant, "/groups")}` }, "← Groups"),
        h("h2", { id: "group-title" }, group.displayName),
        facts([
          ["Members", number.format(group.memberCount)],
          ["External id", group.externalId && h("span", { class: "mono small" }, group.externalId)],
          ["Id", idFact(group.id)],
          ["Created", ago(group.meta?.created)],
          ["Last modified", ago(group.meta?.lastModified)],
        ]),
        rawJson(group),
      ),
      await history(ctx, group.id),
    ),
    listPage(ctx, members, {
      noun: "member",
      form: searchForm(ctx, { id: "member-search", label: "Search members", placeholder: "Member name or id" }),
      columns: ["Member", "Type", "Status"],
      row: memberRow,
    }),
  );
}
