// The tenants list with its create form, and the one page that shows a new tenant's Secret Token.
import { get, post } from "./api.mjs";
import { ago, copyField, empty, errorBox, h, number, replace } from "./dom.mjs";
import { entraSteps, reachabilityWarning } from "./entra.mjs";

/** Secret Tokens of tenants created in this tab, kept in memory only until their page is left. */
const justCreated = new Map();

function healthBadge(health) {
  if (!health) return h("span", { class: "badge neutral" }, "unknown");
  if (health.warning) return h("span", { class: "badge bad" }, "Needs attention");
  if (!health.lastRequest) return h("span", { class: "badge neutral" }, "No traffic yet");
  return h("span", { class: "badge ok" }, "Healthy");
}

function tenantRow(tenant, detail, health) {
  const href = `#/tenants/${encodeURIComponent(tenant.id)}`;
  return h(
    "tr",
    {},
    h("th", { scope: "row", "data-label": "Tenant" }, h("a", { href }, tenant.name), h("div", { class: "mono small muted" }, tenant.id)),
    h("td", { "data-label": "Users", class: "num" }, detail ? number.format(detail.users) : "—"),
    h("td", { "data-label": "Groups", class: "num" }, detail ? number.format(detail.groups) : "—"),
    h("td", { "data-label": "Last request" }, health ? ago(health.lastRequest) : "—"),
    h("td", { "data-label": "Health" }, healthBadge(health)),
    h("td", { "data-label": "Created" }, ago(tenant.created)),
  );
}

function createForm(ctx) {
  const input = h("input", { id: "tenant-name", name: "name", required: true, maxlength: "200", autocomplete: "off", placeholder: "Contoso" });
  const message = h("div", { "aria-live": "assertive" });
  const submit = h("button", { type: "submit", class: "button primary" }, "Create tenant");
  const form = h(
    "form",
    { class: "card create-tenant", "aria-labelledby": "create-title" },
    h("h2", { id: "create-title" }, "New tenant"),
    h("p", { class: "muted" }, "One tenant per directory that provisions into scimd, usually one per Entra tenant or customer."),
    h("label", { for: "tenant-name" }, "Name"),
    h("div", { class: "copy-row" }, input, submit),
    message,
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const name = input.value.trim();
    if (!name) {
      replace(message, h("div", { class: "callout error", role: "alert" }, "Give the tenant a name."));
      return input.focus();
    }
    submit.disabled = true;
    try {
      const created = await post("/tenants", { name });
      justCreated.set(created.id, created);
      ctx.go(`/tenants/${encodeURIComponent(created.id)}/created`);
    } catch (error) {
      replace(message, errorBox(error));
      submit.disabled = false;
    }
  });
  return form;
}

export async function tenantsView(ctx) {
  ctx.title("Tenants");
  const tenants = await get("/tenants", { signal: ctx.signal });
  // Counts and health for the first hundred, in parallel; a failure leaves a dash, not a broken page.
  const extras = await Promise.all(
    tenants.slice(0, 100).map((t) =>
      Promise.all([
        get(`/tenants/${encodeURIComponent(t.id)}`, { signal: ctx.signal }).catch(() => null),
        get(`/tenants/${encodeURIComponent(t.id)}/health`, { signal: ctx.signal }).catch(() => null),
      ]),
    ),
  );
  const list = tenants.length
    ? h(
        "div",
        { class: "card flush" },
        h(
          "table",
          { class: "table responsive" },
          h("caption", { class: "visually-hidden" }, "Tenants"),
          h("thead", {}, h("tr", {}, ["Tenant", "Users", "Groups", "Last request", "Health", "Created"].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, tenants.map((t, i) => tenantRow(t, extras[i]?.[0], extras[i]?.[1]))),
        ),
      )
    : h("div", { class: "card" }, empty("No tenants yet", "Create the first one: you get a Tenant URL and a Secret Token to paste into Entra ID."));
  return h(
    "div",
    { class: "view" },
    h("div", { class: "page-head" }, h("h1", { tabindex: "-1" }, "Tenants"), h("span", { class: "muted" }, `${number.format(tenants.length)} in total`)),
    h("div", { class: "grid tenants-grid" }, list, createForm(ctx)),
  );
}

export async function createdView(ctx) {
  const [id] = ctx.params;
  const created = justCreated.get(id);
  ctx.onLeave(() => justCreated.delete(id));
  const tenant = created ?? (await get(`/tenants/${encodeURIComponent(id)}`, { signal: ctx.signal }));
  ctx.title(`${tenant.name} created`);
  const open = h("a", { class: "button primary", href: `#/tenants/${encodeURIComponent(id)}` }, "I have copied both: open the tenant");
  const secret = created
    ? [
        h(
          "div",
          { class: "callout warn", role: "note" },
          h("strong", {}, "Copy the Secret Token now. "),
          "scimd does not keep it and cannot show it again; if it is lost, issue a new one under Tokens.",
        ),
        copyField("Secret Token", created.token, { secret: true }),
      ]
    : h(
        "div",
        { class: "callout" },
        "The Secret Token was shown once, when the tenant was created. Issue a new one under ",
        h("a", { href: `#/tenants/${encodeURIComponent(id)}/tokens` }, "Tokens"),
        ".",
      );
  return h(
    "div",
    { class: "view" },
    h("div", { class: "page-head" }, h("h1", { tabindex: "-1" }, `${tenant.name} is ready`)),
    h(
      "div",
      { class: "grid two" },
      h(
        "section",
        { class: "card credentials", "aria-labelledby": "credentials-title" },
        h("h2", { id: "credentials-title" }, "Admin Credentials for Entra"),
        copyField("Tenant URL", tenant.tenantUrl),
        reachabilityWarning(tenant.tenantUrl),
        secret,
        h("div", { class: "actions" }, open),
      ),
      h("div", { class: "card" }, entraSteps()),
    ),
  );
}
