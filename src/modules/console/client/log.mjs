// The provisioning log: filters, a chart of successes and failures, entries with their details, older pages
// and a live tail. Works for one tenant (inside its frame) or for all of them (/log).
import { get, qs, stream } from "./api.mjs";
import { activityChart } from "./chart.mjs";
import { announce, empty, h, number, replace, statusBadge, when } from "./dom.mjs";

export const OPERATIONS = {
  test_connection: "Test connection",
  lookup: "Lookup",
  list: "List",
  create: "Create",
  update: "Update",
  disable: "Disable",
  enable: "Enable",
  delete: "Delete",
  member_add: "Add members",
  member_remove: "Remove members",
  bulk: "Bulk",
  discovery: "Discovery",
  other: "Other",
};

const RANGES = {
  "24h": { label: "Last 24 hours", ms: 86_400_000, bucket: "hour" },
  "7d": { label: "Last 7 days", ms: 7 * 86_400_000, bucket: "day" },
  "30d": { label: "Last 30 days", ms: 30 * 86_400_000, bucket: "day" },
};
const DEFAULT_RANGE = "7d";
const PAGE = 50;

function outcomeText(e) {
  if (e.status === 401) return "Token rejected";
  if (e.status === 403) return "Forbidden";
  if (e.status === 429) return "Throttled";
  if (e.status >= 400) return e.scimType ?? e.detail ?? "Failed";
  return e.status === 204 ? "Done" : "OK";
}

function detailRow(entry, id, columns) {
  const facts = [
    ["Request", `${entry.method} ${entry.path}`],
    ["Status", `${entry.status}${entry.scimType ? ` · ${entry.scimType}` : ""}`],
    ["Detail", entry.detail],
    ["Duration", `${number.format(Math.round(entry.durationMs * 10) / 10)} ms`],
    ["Request id", entry.requestId],
    ["Client", [entry.clientIp, entry.userAgent].filter(Boolean).join(" · ")],
    ["Resource id", entry.resourceId],
  ].filter(([, v]) => v);
  const bodies = h("div", { class: "bodies" });
  const row = h(
    "tr",
    { class: "entry-detail", id, hidden: true },
    h("td", { colspan: String(columns) }, h("dl", { class: "facts compact" }, facts.map(([k, v]) => [h("dt", {}, k), h("dd", { class: k === "Request" || k.endsWith("id") ? "mono small" : undefined }, v)])), bodies),
  );
  row.loadBodies = async () => {
    if (row.dataset.loaded) return;
    row.dataset.loaded = "1";
    try {
      const full = await get(`/log/${entry.id}`);
      const block = (title, text) => text && h("div", {}, h("h4", {}, title), h("pre", { class: "json" }, pretty(text)));
      const parts = [block("Request body", full.requestBody), block("Response body", full.responseBody)].filter(Boolean);
      replace(bodies, parts.length ? parts : h("p", { class: "muted small" }, "Bodies are not captured for this tenant (Settings → Capture bodies)."));
    } catch {
      // details stay without bodies
    }
  };
  return row;
}

function pretty(text) {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Two rows per entry: the summary and its (hidden) details, opened by the time button. */
export function entryRows(entry, { tenants, compact } = {}) {
  const id = `entry-${entry.id}`;
  const failed = entry.status >= 400;
  const resource = entry.resourceName ?? entry.resourceId;
  const toggle = h("button", { type: "button", class: "link-button", "aria-expanded": "false", "aria-controls": `${id}-detail` }, when(entry.time));
  const cells = [
    h("td", { "data-label": "Time", class: "nowrap" }, toggle),
    tenants && h("td", { "data-label": "Tenant" }, tenants.get(entry.tenantId) ?? entry.tenantId),
    h("td", { "data-label": "Operation" }, OPERATIONS[entry.operation] ?? entry.operation),
    !compact &&
      h("td", { "data-label": "Resource", class: "wrap-anywhere" }, resource ? [entry.resourceType && h("span", { class: "muted" }, `${entry.resourceType} `), resource] : h("span", { class: "muted" }, "—")),
    h("td", { "data-label": "Result" }, statusBadge(entry.status), " ", h("span", { class: failed ? "fail-text" : "muted" }, outcomeText(entry))),
    !compact && h("td", { "data-label": "Duration", class: "num nowrap" }, `${number.format(Math.round(entry.durationMs))} ms`),
  ].filter(Boolean);
  const detail = detailRow(entry, `${id}-detail`, cells.length);
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    detail.hidden = !open;
    if (open) void detail.loadBodies();
  });
  return [h("tr", { id, class: failed ? "failed" : undefined }, cells), detail];
}

/** `tenants`: a Map id → name adds a Tenant column; `compact`: time, operation and result only. */
export function entriesTable(entries, opts = {}) {
  const columns = ["Time", opts.tenants && "Tenant", "Operation", !opts.compact && "Resource", "Result", !opts.compact && "Duration"].filter(Boolean);
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "table responsive log-table" },
      h("caption", { class: "visually-hidden" }, "Provisioning log entries, newest first"),
      h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: c === "Duration" ? "num" : undefined }, c)))),
      h("tbody", {}, entries.map((e) => entryRows(e, opts))),
    ),
  );
}

function select(id, label, options, value) {
  return h(
    "div",
    { class: "field" },
    h("label", { for: id }, label),
    h("select", { id, name: id }, Object.entries(options).map(([v, text]) => h("option", { value: v, selected: v === value }, text))),
  );
}

function filterForm(ctx, f) {
  const resource = h("input", { id: "log-resource", name: "resource", type: "search", value: f.resource ?? "", placeholder: "userName, group name or id", autocomplete: "off" });
  const form = h(
    "form",
    { class: "filters", "aria-label": "Filter the log" },
    select("log-range", "Period", Object.fromEntries(Object.entries(RANGES).map(([k, r]) => [k, r.label])), f.range),
    select("log-outcome", "Outcome", { "": "All", success: "Succeeded", failure: "Failed" }, f.outcome ?? ""),
    select("log-operation", "Operation", { "": "All", ...OPERATIONS }, f.operation ?? ""),
    h("div", { class: "field grow" }, h("label", { for: "log-resource" }, "Resource"), resource),
    h("div", { class: "field filter-actions" }, h("button", { type: "submit", class: "button primary" }, "Apply"), h("a", { class: "button ghost", href: `#${ctx.path}` }, "Reset")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const data = new FormData(form);
    ctx.go(ctx.path, {
      range: data.get("log-range") === DEFAULT_RANGE ? undefined : data.get("log-range"),
      outcome: data.get("log-outcome"),
      operation: data.get("log-operation"),
      resource: String(data.get("resource") ?? "").trim(),
      live: ctx.query.get("live"),
    });
  });
  return form;
}

const matches = (entry, f) =>
  (!f.outcome || (f.outcome === "failure") === entry.status >= 400) &&
  (!f.operation || entry.operation === f.operation) &&
  (!f.resource || entry.resourceId === f.resource || entry.resourceName?.toLowerCase() === f.resource.toLowerCase());

export async function logView(ctx) {
  const tenant = ctx.tenant;
  ctx.title(tenant ? `Log · ${tenant.name}` : "Log");
  const f = {
    range: RANGES[ctx.query.get("range")] ? ctx.query.get("range") : DEFAULT_RANGE,
    outcome: ctx.query.get("outcome") || undefined,
    operation: ctx.query.get("operation") || undefined,
    resource: ctx.query.get("resource") || undefined,
  };
  const range = RANGES[f.range];
  const from = new Date(Date.now() - range.ms).toISOString();
  const query = { tenant: tenant?.id, from, outcome: f.outcome, operation: f.operation, resource: f.resource, limit: PAGE };
  const [page, stats, tenantList] = await Promise.all([
    get(`/log${qs(query)}`, { signal: ctx.signal }),
    get(`/log/stats${qs({ tenant: tenant?.id, bucket: range.bucket, from })}`, { signal: ctx.signal }),
    tenant ? null : get("/tenants", { signal: ctx.signal }),
  ]);
  const opts = tenantList ? { tenants: new Map(tenantList.map((t) => [t.id, t.name])) } : {};
  const table = entriesTable(page.entries, opts);
  const tbody = table.querySelector("tbody");
  const filtered = f.outcome || f.operation || f.resource;
  const nothing = empty("No entries", filtered ? "Nothing matches these filters in this period." : "No SCIM request has arrived in this period.");
  const list = h("div", { class: "log-list" }, page.entries.length ? table : nothing);

  let next = page.nextCursor;
  const older = h("button", { type: "button", class: "button", hidden: next === null }, "Older entries");
  older.addEventListener("click", async () => {
    older.disabled = true;
    const more = await get(`/log${qs({ ...query, cursor: next })}`, { signal: ctx.signal });
    for (const e of more.entries) tbody.append(...entryRows(e, opts));
    next = more.nextCursor;
    older.hidden = next === null;
    older.disabled = false;
    announce(`${more.entries.length} older entries loaded`);
  });

  const liveOn = ctx.query.get("live") === "1";
  const liveState = h("span", { class: "muted small", "aria-live": "polite" }, liveOn ? "Connecting…" : "");
  const liveButton = h("button", { type: "button", class: ["button", liveOn && "primary"], "aria-pressed": String(liveOn) }, liveOn ? "Live tail on" : "Live tail");
  liveButton.addEventListener("click", () => ctx.go(ctx.path, { ...Object.fromEntries(ctx.query), live: liveOn ? undefined : "1" }));
  if (liveOn) {
    const controller = new AbortController();
    ctx.onLeave(() => controller.abort());
    let fresh = 0;
    void stream(`/log/stream${qs({ tenant: tenant?.id })}`, {
      signal: controller.signal,
      onState: (state) => (liveState.textContent = state === "live" ? "Live: new entries appear at the top" : state),
      onEntry: (entry) => {
        if (!matches(entry, f) || document.getElementById(`entry-${entry.id}`)) return;
        if (!tbody.isConnected) replace(list, table);
        const [row, detail] = entryRows(entry, opts);
        row.classList.add("fresh");
        tbody.prepend(row, detail);
        fresh += 1;
        liveState.textContent = `Live: ${fresh} new ${fresh === 1 ? "entry" : "entries"}`;
      },
    });
  }

  return h(
    "div",
    { class: "stack" },
    h("section", { class: "card", "aria-labelledby": "log-title" }, h("div", { class: "card-head" }, h(tenant ? "h2" : "h1", { id: "log-title", tabindex: tenant ? undefined : "-1" }, tenant ? "Provisioning log" : "Provisioning log, all tenants")), filterForm(ctx, f), activityChart(stats, range.label.toLowerCase().replace("last", "in the last"))),
    h(
      "section",
      { class: "card flush", "aria-label": "Entries" },
      h("div", { class: "card-pad card-head" }, h("p", { class: "muted" }, page.entries.length ? `Newest first${page.nextCursor !== null ? `, ${PAGE} at a time` : ""}` : ""), h("div", { class: "actions" }, liveState, liveButton)),
      list,
      h("div", { class: "card-pad" }, older),
    ),
  );
}
