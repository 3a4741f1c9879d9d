// Issue 5 part 4: /metrics in the Prometheus text format, admin token unless SCIMD_METRICS_PUBLIC=1.
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../src/config";
import { LATENCY_BUCKETS } from "../../src/modules/metrics/request-metrics";
import { settle } from "../log/support";
import { createHarness, TEST_ADMIN_TOKEN, type Harness, type TestTenant } from "../support/harness";
import { parseExposition, type Sample } from "./exposition-parser";

let h: Harness;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  h = await createHarness({ SCIMD_RATE_LIMIT: "0" });
  a = await h.newTenant("A");
  b = await h.newTenant("B");
});

async function scrape() {
  await settle(h.services);
  const res = await h.request("GET", "/metrics", { token: TEST_ADMIN_TOKEN });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return parseExposition(await res.text());
}

const find = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) => {
  const found = find(samples, name, labels);
  if (found.length !== 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]!.value;
};

async function post(t: { token: string; url: string }, path: string, body: unknown) {
  const res = await h.request("POST", `${t.url}${path}`, { token: t.token, body });
  return (await res.json()) as { id: string };
}

describe("/metrics", () => {
  test("every line is a valid exposition line, every family has HELP and TYPE", async () => {
    await h.request("GET", `${a.url}/ServiceProviderConfig`, { token: a.token });
    const { help, type, samples } = await scrape();
    expect(samples.length).toBeGreaterThan(0);
    for (const family of ["scimd_scim_requests_total", "scimd_scim_request_duration_seconds", "scimd_users", "scimd_groups",
      "scimd_group_memberships", "scimd_database_bytes", "scimd_database_wal_bytes", "scimd_process_resident_memory_bytes"]) {
      expect(help.has(family)).toBe(true);
      expect(type.has(family)).toBe(true);
    }
    expect(type.get("scimd_scim_request_duration_seconds")).toBe("histogram");
    expect(type.get("scimd_scim_requests_total")).toBe("counter");
  });

  test("requests by tenant, operation kind and status class", async () => {
    const before = await scrape();
    const count = (s: Sample[], labels: Record<string, string>) => find(s, "scimd_scim_requests_total", labels).reduce((n, x) => n + x.value, 0);
    await h.request("GET", `${a.url}/ServiceProviderConfig`, { token: a.token });
    await h.request("GET", `${a.url}/ServiceProviderConfig`, { token: a.token });
    await h.request("GET", `${a.url}/ServiceProviderConfig`); // 401
    await h.request("GET", `${b.url}/Users`, { token: b.token });
    const after = await scrape();
    const diff = (labels: Record<string, string>) => count(after.samples, labels) - count(before.samples, labels);
    expect(diff({ tenant: a.id, operation: "discovery", status: "2xx" })).toBe(2);
    expect(diff({ tenant: a.id, operation: "discovery", status: "4xx" })).toBe(1);
    expect(diff({ tenant: b.id, operation: "list", status: "2xx" })).toBe(1);
  });

  test("latency histogram: cumulative buckets, +Inf equals count", async () => {
    const { samples } = await scrape();
    const labels = { tenant: a.id, operation: "discovery" };
    const buckets = find(samples, "scimd_scim_request_duration_seconds_bucket", labels);
    expect(buckets.map((s) => s.labels.le)).toEqual([...LATENCY_BUCKETS.map(String), "+Inf"]);
    const values = buckets.map((s) => s.value);
    expect(values).toEqual([...values].sort((x, y) => x - y));
    expect(values.at(-1)).toBe(value(samples, "scimd_scim_request_duration_seconds_count", labels));
    expect(value(samples, "scimd_scim_request_duration_seconds_sum", labels)).toBeGreaterThanOrEqual(0);
  });

  test("label cardinality is bounded: tenant ids that do not exist never become labels", async () => {
    const ghost = crypto.randomUUID();
    await h.request("GET", `/scim/v2/${ghost}/Users`, { token: a.token });
    await h.request("GET", `/scim/v2/${ghost}-${"x".repeat(200)}/Users`);
    const { samples } = await scrape();
    const tenants = new Set(samples.map((s) => s.labels.tenant).filter((t) => t !== undefined));
    expect([...tenants].every((t) => t === a.id || t === b.id)).toBe(true);
    expect(value(samples, "scimd_request_log_unattributed_total")).toBeGreaterThanOrEqual(2);
    const statuses = new Set(find(samples, "scimd_scim_requests_total").map((s) => s.labels.status));
    expect([...statuses].every((s) => /^[1-5]xx$/.test(s ?? ""))).toBe(true);
  });

  test("users, groups and memberships per tenant, counted at scrape time", async () => {
    const u1 = await post(a, "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "m1@x" });
    const u2 = await post(a, "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: "m2@x" });
    await post(a, "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "G",
      members: [{ value: u1.id }, { value: u2.id }],
    });
    const { samples } = await scrape();
    expect(value(samples, "scimd_users", { tenant: a.id })).toBe(2);
    expect(value(samples, "scimd_groups", { tenant: a.id })).toBe(1);
    expect(value(samples, "scimd_group_memberships", { tenant: a.id })).toBe(2);
    expect(value(samples, "scimd_users", { tenant: b.id })).toBe(0);
  });

  test("database size and process memory", async () => {
    const { samples } = await scrape();
    expect(value(samples, "scimd_database_bytes")).toBeGreaterThan(0);
    expect(value(samples, "scimd_database_wal_bytes")).toBeGreaterThanOrEqual(0);
    expect(value(samples, "scimd_process_resident_memory_bytes")).toBeGreaterThan(1_000_000);
    expect(value(samples, "scimd_build_info", { version: "test" })).toBe(1);
  });

  test("a deleted tenant's series disappear", async () => {
    const c = await h.newTenant("C");
    await h.request("GET", `${c.url}/Users`, { token: c.token });
    expect(find((await scrape()).samples, "scimd_scim_requests_total", { tenant: c.id }).length).toBe(1);
    await h.admin("DELETE", `/tenants/${c.id}`);
    expect((await scrape()).samples.some((s) => s.labels.tenant === c.id)).toBe(false);
  });

  test("the admin token is required by default", async () => {
    const res = await h.request("GET", "/metrics");
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toStartWith("Bearer");
    expect((await h.request("GET", "/metrics", { token: a.token })).status).toBe(401);
  });

  test("SCIMD_METRICS_PUBLIC=1 serves it without a token", async () => {
    h.services.metrics.isPublic = true;
    try {
      expect((await h.request("GET", "/metrics")).status).toBe(200);
    } finally {
      h.services.metrics.isPublic = false;
    }
  });

  // Found by a review: the README did not say what a public /metrics gives away. It names every family that
  // carries a tenant label, so a new per-tenant series cannot go public without a word.
  test("SCIMD_METRICS_PUBLIC=1: the README warns of every series labelled with tenant ids", async () => {
    await h.request("GET", `${a.url}/Users`, { token: a.token });
    await settle(h.services);
    h.services.metrics.isPublic = true;
    let text: string;
    try {
      text = await (await h.request("GET", "/metrics")).text();
    } finally {
      h.services.metrics.isPublic = false;
    }
    const labelled = parseExposition(text).samples.filter((x) => x.labels.tenant === a.id);
    const families = [...new Set(labelled.map((x) => x.name.replace(/_(bucket|sum|count)$/, "")))];
    expect(families.length).toBeGreaterThanOrEqual(5);
    const readme = readFileSync(join(import.meta.dir, "../../README.md"), "utf8");
    const row = readme.split("\n").find((line) => line.startsWith("| `SCIMD_METRICS_PUBLIC` |"));
    expect(row).toContain("every tenant's id");
    const start = readme.indexOf("With `SCIMD_METRICS_PUBLIC=1`");
    expect(start).toBeGreaterThan(0);
    const warning = readme.slice(start, readme.indexOf("\n- ", start));
    expect(families.filter((family) => !warning.includes(`\`${family}\``))).toEqual([]);
  });

  test("SCIMD_METRICS_PUBLIC is validated", () => {
    const metricsPublic = (value: string) => loadConfig({ SCIMD_METRICS_PUBLIC: value }).metricsPublic;
    expect(loadConfig({}).metricsPublic).toBe(false);
    expect([metricsPublic("1"), metricsPublic("true"), metricsPublic("TRUE")]).toEqual([true, true, true]);
    expect([metricsPublic("0"), metricsPublic("false"), metricsPublic("")]).toEqual([false, false, false]);
    expect(() => metricsPublic("yes")).toThrow(ConfigError);
    expect(() => metricsPublic("yes")).toThrow('SCIMD_METRICS_PUBLIC="yes": expected 1 (no token needed for /metrics) or 0');
  });

  // Found by a review pass: the variable was read from the environment directly, so the _FILE form was ignored.
  test("SCIMD_METRICS_PUBLIC_FILE is read like every NAME_FILE", async () => {
    const dir = mkdtempSync(join(tmpdir(), "scimd-metrics-"));
    writeFileSync(join(dir, "public"), "1\n");
    writeFileSync(join(dir, "bad"), "yes\n");
    const open = await createHarness({ SCIMD_METRICS_PUBLIC_FILE: join(dir, "public") });
    expect((await open.request("GET", "/metrics")).status).toBe(200);
    expect(() => loadConfig({ SCIMD_METRICS_PUBLIC_FILE: join(dir, "bad") })).toThrow(/SCIMD_METRICS_PUBLIC="yes"/);
  });
});

describe("the exposition reader itself rejects what Prometheus would", () => {
  test.each([
    ["a sample without HELP/TYPE", "x 1\n"],
    ["a bad metric name", "# HELP 1x h\n# TYPE 1x gauge\n1x 1\n"],
    ["an unquoted label", "# HELP x h\n# TYPE x gauge\nx{a=b} 1\n"],
    ["a missing value", "# HELP x h\n# TYPE x gauge\nx{a=\"b\"}\n"],
    ["no final newline", "# HELP x h\n# TYPE x gauge\nx 1"],
  ])("%s", (_name, text) => {
    expect(() => parseExposition(text)).toThrow();
  });
});
