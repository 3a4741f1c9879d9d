// Environment → typed, validated config. Each variable may also come from NAME_FILE (Docker/K8s secrets).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { proxyEntryProblem } from "./http/client-address";

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  publicUrl: string | undefined;
  adminToken: string | undefined;
  rateLimit: number;
  masterKey: string | undefined;
  /** Only `scimd rekey` reads it: the master key to re-encrypt under. */
  newMasterKey: string | undefined;
  accessTokenTtlSeconds: number;
  maxBodyBytes: number;
  requestTimeoutSeconds: number;
  logRetentionDays: number;
  logRetentionRows: number;
  logRefusals: number;
  /** Off only for measuring what recording costs, or where no log is wanted at all. */
  requestLog: boolean;
  /** Addresses and CIDR ranges of proxies whose X-Forwarded-For names the client (http/client-address.ts). */
  trustedProxies: string[];
  /** /metrics without the admin token, for a Prometheus on a private network that cannot send one. */
  metricsPublic: boolean;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string): string | undefined {
  const file = env[`${name}_FILE`];
  if (file !== undefined && file !== "") {
    let value: string;
    try {
      value = readFileSync(file, "utf8").trim();
    } catch (e) {
      throw new ConfigError(`${name}_FILE: cannot read ${file} (${(e as Error).message})`);
    }
    // Not "unset": an empty data directory file would put the database in the working directory.
    if (value === "") throw new ConfigError(`${name}_FILE: ${file} is empty; put the value in it, or unset ${name}_FILE`);
    return value;
  }
  const value = env[name];
  return value === "" ? undefined : value;
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)}: expected a whole number from ${min} to ${max}`);
  }
  return Number(raw);
}

function url(env: Env, name: string): string | undefined {
  const raw = read(env, name);
  if (raw === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name}=${JSON.stringify(raw)}: expected an absolute http(s) URL such as https://scim.example.com`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new ConfigError(`${name}=${JSON.stringify(raw)}: expected an http:// or https:// URL`);
  }
  // Paths are appended to it: a query string or fragment would end up in the middle of every Tenant URL.
  if (raw.includes("?") || raw.includes("#")) {
    throw new ConfigError(`${name}=${JSON.stringify(raw)}: expected a base URL without a query string or fragment, such as https://scim.example.com`);
  }
  return raw.replace(/\/+$/, "");
}

function host(env: Env): string {
  const raw = read(env, "SCIMD_HOST") ?? "127.0.0.1";
  if (!/^[A-Za-z0-9.:\-\[\]]+$/.test(raw)) {
    throw new ConfigError(`SCIMD_HOST=${JSON.stringify(raw)}: expected an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0`);
  }
  return raw;
}

function adminToken(env: Env): string | undefined {
  const raw = read(env, "SCIMD_ADMIN_TOKEN");
  if (raw !== undefined && (raw.length < 16 || !/^[A-Za-z0-9\-._~+/]+=*$/.test(raw))) {
    throw new ConfigError("SCIMD_ADMIN_TOKEN: expected at least 16 characters of A-Z a-z 0-9 - . _ ~ + /");
  }
  return raw;
}

function flag(env: Env, name: string, fallback: boolean): boolean {
  const raw = read(env, name);
  if (raw === undefined) return fallback;
  if (raw !== "0" && raw !== "1") throw new ConfigError(`${name}=${JSON.stringify(raw)}: expected 1 (on) or 0 (off)`);
  return raw === "1";
}

// Accepts true/false besides 1/0, as it always has.
function metricsPublic(env: Env): boolean {
  const raw = read(env, "SCIMD_METRICS_PUBLIC");
  const value = raw?.toLowerCase();
  if (value === undefined || value === "0" || value === "false") return false;
  if (value === "1" || value === "true") return true;
  throw new ConfigError(`SCIMD_METRICS_PUBLIC=${JSON.stringify(raw)}: expected 1 (no token needed for /metrics) or 0`);
}

function masterKey(env: Env, name = "SCIMD_MASTER_KEY"): string | undefined {
  const raw = read(env, name);
  if (raw !== undefined && raw.length < 32) {
    throw new ConfigError(`${name}: expected at least 32 characters (e.g. \`openssl rand -base64 32\`)`);
  }
  return raw;
}

function proxies(env: Env): string[] {
  const raw = read(env, "SCIMD_TRUSTED_PROXIES");
  const entries = raw?.split(/[\s,]+/).filter((entry) => entry !== "") ?? [];
  for (const entry of entries) {
    const problem = proxyEntryProblem(entry);
    if (problem) {
      throw new ConfigError(
        `SCIMD_TRUSTED_PROXIES: ${JSON.stringify(entry)} is ${problem}; expected addresses or CIDR ranges separated by commas, e.g. 127.0.0.1,10.0.0.0/8`,
      );
    }
  }
  return entries;
}

export function loadConfig(env: Env = process.env): Config {
  return {
    host: host(env),
    port: integer(env, "SCIMD_PORT", 8080, 0, 65535),
    dataDir: resolve(read(env, "SCIMD_DATA_DIR") ?? "./data"),
    publicUrl: url(env, "SCIMD_PUBLIC_URL"),
    adminToken: adminToken(env),
    rateLimit: integer(env, "SCIMD_RATE_LIMIT", 100, 0, 1_000_000),
    masterKey: masterKey(env),
    newMasterKey: masterKey(env, "SCIMD_NEW_MASTER_KEY"),
    accessTokenTtlSeconds: integer(env, "SCIMD_ACCESS_TOKEN_TTL", 3600, 60, 86400),
    maxBodyBytes: integer(env, "SCIMD_MAX_BODY_BYTES", 10 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    requestTimeoutSeconds: integer(env, "SCIMD_REQUEST_TIMEOUT", 30, 1, 255),
    logRetentionDays: integer(env, "SCIMD_LOG_RETENTION_DAYS", 30, 0, 3650),
    logRetentionRows: integer(env, "SCIMD_LOG_RETENTION_ROWS", 1_000_000, 0, 1_000_000_000),
    logRefusals: integer(env, "SCIMD_LOG_REFUSALS", 30, 0, 1_000_000),
    requestLog: flag(env, "SCIMD_REQUEST_LOG", true),
    trustedProxies: proxies(env),
    metricsPublic: metricsPublic(env),
  };
}
