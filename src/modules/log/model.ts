import { type Static, t } from "elysia";

export const OPERATIONS = [
  "test_connection",
  "lookup",
  "list",
  "create",
  "update",
  "disable",
  "enable",
  "delete",
  "member_add",
  "member_remove",
  "bulk",
  "discovery",
  "other",
] as const;
export type Operation = (typeof OPERATIONS)[number];

// Not t.UnionEnum: inside t.Optional in a query schema, Elysia fills a missing one with its first value.
const oneOf = <const T extends string>(values: readonly T[], options: { description?: string; default?: T } = {}) =>
  t.Unsafe<T>(
    t.Union(
      values.map((v) => t.Literal(v)),
      options,
    ),
  );

const Nullable = <T extends Parameters<typeof t.Union>[0][number]>(schema: T) => t.Union([schema, t.Null()]);

export const LogEntry = t.Object({
  id: t.Integer(),
  tenantId: t.String(),
  time: t.String({ format: "date-time" }),
  requestId: t.String({ description: "Also sent as the X-Request-Id response header" }),
  method: t.String(),
  path: t.String({ description: "Path and query string, as received" }),
  operation: oneOf(OPERATIONS),
  resourceType: Nullable(t.String()),
  resourceId: Nullable(t.String()),
  resourceName: Nullable(t.String({ description: "userName or displayName" })),
  status: t.Integer(),
  scimType: Nullable(t.String()),
  detail: Nullable(t.String()),
  durationMs: t.Number(),
  clientIp: Nullable(t.String({ description: "The socket peer, or behind a proxy in SCIMD_TRUSTED_PROXIES the client it names" })),
  userAgent: Nullable(t.String()),
});
export type LogEntry = Static<typeof LogEntry>;

export const LogEntryWithBodies = t.Composite([
  LogEntry,
  t.Object({
    requestHeaders: Nullable(t.String({ description: "JSON; Authorization and cookies redacted" })),
    requestBody: Nullable(t.String({ description: "Passwords and tokens redacted" })),
    responseBody: Nullable(t.String()),
  }),
]);
export type LogEntryWithBodies = Static<typeof LogEntryWithBodies>;

const Time = t.String({ format: "date-time", description: "ISO 8601" });
const Limit = t.Integer({ minimum: 1, maximum: 1000, default: 100 });
// `tenant=` (an unset shell variable, typically) is a 400 everywhere, never "every tenant" in one place and
// "no tenant" in another.
const TenantFilter = t.String({ minLength: 1, description: "A tenant id; leave it out for every tenant's entries" });

export const LogQuery = t.Object({
  tenant: t.Optional(TenantFilter),
  from: t.Optional(Time),
  to: t.Optional(Time),
  outcome: t.Optional(oneOf(["success", "failure"], { description: "failure = status 400 or above" })),
  operation: t.Optional(oneOf(OPERATIONS)),
  resource: t.Optional(t.String({ description: "Resource id or userName/displayName (case-insensitive)" })),
  cursor: t.Optional(t.String({ pattern: "^[0-9]+\\.[0-9]+$", description: "`nextCursor` of the previous page: older entries" })),
  after: t.Optional(t.Integer({ description: "Since-id: entries stored after this id, oldest first (for polling)" })),
  limit: t.Optional(Limit),
});
export type LogQuery = Static<typeof LogQuery>;

export const LogPage = t.Object({
  entries: t.Array(LogEntry),
  nextCursor: Nullable(t.String({ description: "Pass as `cursor` for the next (older) page; null at the end" })),
  maxId: Nullable(t.Integer({ description: "The largest id on this page: pass as `after` to poll for newer entries" })),
});

export const StreamQuery = t.Object({ tenant: t.Optional(TenantFilter) });

export const StatsQuery = t.Object({
  tenant: t.Optional(TenantFilter),
  bucket: t.Optional(oneOf(["hour", "day"], { default: "hour" })),
  from: t.Optional(Time),
  to: t.Optional(Time),
});

export const Stats = t.Object({
  bucket: oneOf(["hour", "day"]),
  buckets: t.Array(t.Object({ start: Time, successes: t.Integer(), failures: t.Integer() })),
});

export const LogSettings = t.Object({
  captureBodies: t.Boolean({ description: "Store request and response bodies (redacted) in the log; off by default" }),
});
export type LogSettings = Static<typeof LogSettings>;

const Window = t.Object({
  requests: t.Integer(),
  failures: t.Integer({ description: "5xx answers and timeouts: what Entra counts toward quarantine" }),
  failureRate: t.Number({
    description: "failures / (requests − throttled), as Entra counts: it retries a 429 and counts the retry; 0 when there were none",
  }),
  authFailures: t.Integer({ description: "401 and 403: Entra reports invalid credentials" }),
  throttled: t.Integer({ description: "429 (in time): Entra honours Retry-After and retries; in neither failures nor failureRate" }),
  clientErrors: t.Integer({ description: "other 4xx: per-object errors, shown in Entra's provisioning logs" }),
});

export const Health = t.Object({
  tenantId: t.String(),
  lastRequest: Nullable(Time),
  lastTestConnection: Nullable(t.Object({ time: Time, status: t.Integer(), ok: t.Boolean() })),
  lastCycle: t.Composite([Window, t.Object({ minutes: t.Literal(40) })]),
  lastDay: Window,
  warning: Nullable(t.String()),
});
export type Health = Static<typeof Health>;
export type HealthWindow = Static<typeof Window>;
