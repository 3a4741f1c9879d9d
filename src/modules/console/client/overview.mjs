// A tenant's frame (name, id, tabs) and its overview: connection health, recent activity, the credentials.
import { get, qs } from "./api.mjs";
import { activityChart } from "./chart.mjs";
import { ago, copyField, h, number } from "./dom.mjs";
import { entraSteps, reachabilityWarning } from "./entra.mjs";

const TABS = [
  ["overview", "Overview", ""],
  ["users", "Users", "/users"],
  ["groups", "Groups", "/groups"],
  ["log", "Log", "/log"],
  ["tokens", "Tokens", "/tokens"],
  ["settings", "Settings", "/settings"],
];

export const tenantPath = (tenant, suffix = "") => `/tenants/${encodeURIComponent(tenant.id)}${suffix}`;

/** Wraps a tenant page: loads the tenant (with counts) once, then the page itself. */
export function tenantShell(tab, view) {
  return async (ctx) => {
    const id = ctx.params[0];
    ctx.tenant = await get(`/tenants/${encodeURIComponent(id)}`, { signal: ctx.signal });
    const body = await view(ctx);
    const counts = { users: ctx.tenant.users, groups: ctx.tenant.groups };
    const tabs = h(
      "nav",
      { class: "tabs", "aria-label": `${ctx.tenant.name} sections` },
      TABS.map(([key, text, suffix]) =>
        h(
          "a",
          { href: `#${tenantPath(ctx.tenant, suffix)}`, "aria-current": key === tab ? "page" : undefined },
          text,
          key in counts && h("span", { class: "count" }, number.format(counts[key])),
        ),
      ),
    );
    return h(
      "div",
      { class: "view" },
      h(
        "div",
        { class: "tenant-head" },
        h("a", { class: "back", href: "#/tenants" }, "← All tenants"),
        h("h1", { tabindex: "-1" }, ctx.tenant.name),
        h("p", { class: "mono small muted" }, ctx.tenant.id),
      ),
      tabs,
      body,
    );
  };
}

function stat(label, value, note, kind) {
  return h("div", { class: ["stat", kind] }, h("dt", {}, label), h("dd", {}, h("span", { class: "stat-value" }, value), note && h("span", { class: "stat-note" }, note)));
}

const percent = (rate) => `${(rate * 100).toFixed(rate > 0 && rate < 0.01 ? 2 : 0)} %`;

export function healthCard(health) {
  const test = health.lastTestConnection;
  const headline = health.warning
    ? h("div", { class: "callout error", role: "alert" }, h("strong", {}, "Quarantine risk. "), health.warning)
    : !health.lastRequest
      ? h("div", { class: "callout" }, "No SCIM request has arrived yet. Run Test Connection in Entra to see it here.")
      : h("div", { class: "callout ok" }, h("strong", {}, "Healthy. "), "Entra would not quarantine this connection.");
  const cycle = health.lastCycle;
  const day = health.lastDay;
  return h(
    "section",
    { class: "card", "aria-labelledby": "health-title" },
    h("h2", { id: "health-title" }, "Connection health"),
    headline,
    h(
      "dl",
      { class: "stats" },
      stat("Last request", ago(health.lastRequest)),
      stat(
        "Test Connection",
        test ? (test.ok ? "Passed" : `Failed (${test.status})`) : "Not yet",
        test ? ago(test.time) : null,
        test && !test.ok ? "bad" : test ? "ok" : null,
      ),
      stat(`Last ${cycle.minutes} minutes`, number.format(cycle.requests), `${number.format(cycle.failures)} failed · ${percent(cycle.failureRate)}`, cycle.failures ? "bad" : null),
      stat("Last 24 hours", number.format(day.requests), `${number.format(day.failures)} server failures`, day.failures ? "bad" : null),
      stat("Rejected credentials", number.format(day.authFailures), "401 and 403, last 24 hours", day.authFailures ? "bad" : null),
      stat("Throttled · other 4xx", `${number.format(day.throttled)} · ${number.format(day.clientErrors)}`, "last 24 hours", day.clientErrors ? "warn" : null),
    ),
  );
}

export async function overviewView(ctx) {
  const { tenant } = ctx;
  ctx.title(tenant.name);
  const id = encodeURIComponent(tenant.id);
  const [health, stats] = await Promise.all([
    get(`/tenants/${id}/health`, { signal: ctx.signal }),
    get(`/log/stats${qs({ tenant: tenant.id, bucket: "hour" })}`, { signal: ctx.signal }),
  ]);
  return h(
    "div",
    { class: "grid two" },
    h(
      "div",
      { class: "stack" },
      healthCard(health),
      h(
        "section",
        { class: "card", "aria-labelledby": "activity-title" },
        h("div", { class: "card-head" }, h("h2", { id: "activity-title" }, "Activity"), h("a", { href: `#${tenantPath(tenant, "/log")}` }, "Open the log")),
        activityChart(stats, "in the last 24 hours"),
      ),
    ),
    h(
      "section",
      { class: "card", "aria-labelledby": "connection-title" },
      h("h2", { id: "connection-title" }, "Admin Credentials"),
      copyField("Tenant URL", tenant.tenantUrl),
      reachabilityWarning(tenant.tenantUrl),
      h(
        "p",
        { class: "muted" },
        "The Secret Token was shown once, when it was issued. To connect another Entra app or replace a lost token, ",
        h("a", { href: `#${tenantPath(tenant, "/tokens")}` }, "issue a new token"),
        ".",
      ),
      h("details", { class: "disclosure" }, h("summary", {}, "Steps in the Entra admin center"), entraSteps({ headingLevel: "h3" })),
    ),
  );
}
