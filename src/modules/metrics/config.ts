// SCIMD_METRICS_PUBLIC=1 serves /metrics without the admin token (for a Prometheus on a private network that
// cannot send a bearer token); by default /metrics needs the admin token, like the rest of the admin API.
import { ConfigError } from "../../config";

export function metricsPublic(env: Record<string, string | undefined> = process.env): boolean {
  const raw = env.SCIMD_METRICS_PUBLIC ?? "";
  if (raw === "" || raw === "0" || raw.toLowerCase() === "false") return false;
  if (raw === "1" || raw.toLowerCase() === "true") return true;
  throw new ConfigError(`SCIMD_METRICS_PUBLIC=${JSON.stringify(raw)}: expected 1 (no token needed for /metrics) or 0`);
}
