import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadConfig } from "../../src/config";

describe("config (design.md: env vars, each also as NAME_FILE)", () => {
  test("defaults", () => {
    const c = loadConfig({});
    expect(c.host).toBe("127.0.0.1");
    expect(c.port).toBe(8080);
    expect(c.dataDir.endsWith("/data")).toBe(true);
    expect(c.publicUrl).toBeUndefined();
    expect(c.adminToken).toBeUndefined();
    expect(c.rateLimit).toBe(100);
  });

  test("SCIMD_PORT=0 means any free port", () => {
    expect(loadConfig({ SCIMD_PORT: "0" }).port).toBe(0);
  });

  test("NAME_FILE is read and trimmed", () => {
    const dir = mkdtempSync(join(tmpdir(), "scimd-config-"));
    writeFileSync(join(dir, "token"), "file-admin-token-0123456789\n");
    expect(loadConfig({ SCIMD_ADMIN_TOKEN_FILE: join(dir, "token") }).adminToken).toBe("file-admin-token-0123456789");
  });

  // Found by a review: an empty SCIMD_DATA_DIR_FILE (a secret mounted before it was filled) put the database in
  // the working directory, resolve("") being it; other variables read as "" and were refused with a puzzling value.
  test("an empty NAME_FILE is refused with a message naming it", () => {
    const file = join(mkdtempSync(join(tmpdir(), "scimd-config-")), "empty");
    writeFileSync(file, " \n");
    for (const name of ["SCIMD_DATA_DIR", "SCIMD_PORT", "SCIMD_TRUSTED_PROXIES"]) {
      expect(() => loadConfig({ [`${name}_FILE`]: file })).toThrow(
        new ConfigError(`${name}_FILE: ${file} is empty; put the value in it, or unset ${name}_FILE`),
      );
    }
  });

  test.each([
    ["SCIMD_PORT", "eighty", /SCIMD_PORT.*whole number from 0 to 65535/],
    ["SCIMD_PORT", "70000", /SCIMD_PORT/],
    ["SCIMD_PORT", "-1", /SCIMD_PORT/],
    ["SCIMD_PUBLIC_URL", "not a url", /SCIMD_PUBLIC_URL.*absolute http/],
    ["SCIMD_PUBLIC_URL", "ftp://x", /SCIMD_PUBLIC_URL.*http/],
    // Found by a review pass: accepted, and every Tenant URL became https://scim.example.com/?x=1/scim/v2/…
    ["SCIMD_PUBLIC_URL", "https://scim.example.com/?x=1", /SCIMD_PUBLIC_URL.*without a query string or fragment/],
    ["SCIMD_PUBLIC_URL", "https://scim.example.com/scimd?", /SCIMD_PUBLIC_URL.*without a query string or fragment/],
    ["SCIMD_PUBLIC_URL", "https://scim.example.com#top", /SCIMD_PUBLIC_URL.*without a query string or fragment/],
    ["SCIMD_ADMIN_TOKEN", "short", /SCIMD_ADMIN_TOKEN.*16 characters/],
    ["SCIMD_RATE_LIMIT", "fast", /SCIMD_RATE_LIMIT/],
    ["SCIMD_HOST", "bad host!", /SCIMD_HOST/],
    ["SCIMD_REQUEST_LOG", "yes", /SCIMD_REQUEST_LOG.*1 \(on\) or 0 \(off\)/],
    ["SCIMD_ADMIN_TOKEN_FILE", "/nonexistent/file", /SCIMD_ADMIN_TOKEN_FILE: cannot read/],
  ])("%s=%s is refused with a message naming it", (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  test("SCIMD_PUBLIC_URL loses its trailing slash; a path is kept", () => {
    expect(loadConfig({ SCIMD_PUBLIC_URL: "https://scim.example.com/" }).publicUrl).toBe("https://scim.example.com");
    expect(loadConfig({ SCIMD_PUBLIC_URL: "https://example.com/scimd/" }).publicUrl).toBe("https://example.com/scimd");
  });
});

describe("SCIMD_TRUSTED_PROXIES", () => {
  test("unset: no proxy is trusted", () => {
    expect(loadConfig({}).trustedProxies).toEqual([]);
  });

  test("addresses and ranges, separated by commas or spaces", () => {
    expect(loadConfig({ SCIMD_TRUSTED_PROXIES: "127.0.0.1, 10.0.0.0/8 ::1,fd00::/8" }).trustedProxies).toEqual([
      "127.0.0.1",
      "10.0.0.0/8",
      "::1",
      "fd00::/8",
    ]);
  });

  test.each([
    ["proxy.example.com", /SCIMD_TRUSTED_PROXIES: "proxy.example.com" is not an IP address or CIDR range; expected/],
    ["10.0.0.0/8,10.0.0.0/40", /SCIMD_TRUSTED_PROXIES: "10.0.0.0\/40" is a range whose prefix is longer than 32 bits/],
  ])("%s is refused with a message naming the entry", (value, message) => {
    expect(() => loadConfig({ SCIMD_TRUSTED_PROXIES: value })).toThrow(message);
  });
});
