// Connection health of one tenant, judged the way Entra judges it (entra.md, "Load and failure behaviour").
//
// What counts as a failure: 5xx answers and timeouts (answers slower than SCIMD_REQUEST_TIMEOUT, after which
// the client has given up). Entra retries those 40 minutes later and counts them toward quarantine. 429 is
// not a failure: Entra honours Retry-After and retries without counting it, so a throttled request is left out
// of the failure rate altogether (its retry is counted, by its own outcome). Other 4xx (400, 404, 409) are
// answers about one object, shown in Entra's provisioning logs, not a sign that the service is down; 401 and
// 403 mean invalid credentials, which Entra reports on Test Connection and quarantines for on its own.
import type { Health, HealthWindow } from "./model";
import type { LogStore } from "./store";

export const CYCLE_MS = 40 * 60_000;
const DAY_MS = 86_400_000;
/** Warn before Entra's 40 %: at this rate a busy cycle is one bad spell away from quarantine. */
export const WARN_RATE = 0.3;
/** Below this many requests a rate says little (a handful of failed probes is not a trend). */
export const WARN_MIN_REQUESTS = 100;
const QUARANTINE_RATE = 0.4;
const QUARANTINE_FAILURES = 5_000;

/**
 * The requests the failure rate is over: a throttled one is retried after Retry-After, and the retry is what
 * counts; a refused one (401/403) may be anyone's, since a Tenant URL is no secret, so strangers' refusals
 * cannot dilute the rate (a wrong token has a warning of its own).
 */
const counted = (w: Pick<HealthWindow, "requests" | "throttled" | "authFailures">) => w.requests - w.throttled - w.authFailures;

function window(counts: Omit<HealthWindow, "failureRate">): HealthWindow {
  return { ...counts, failureRate: counted(counts) > 0 ? counts.failures / counted(counts) : 0 };
}

const percent = (rate: number) => `${Math.round(rate * 100)} %`;

function rateWarning(name: string, w: HealthWindow): string | undefined {
  if (counted(w) < WARN_MIN_REQUESTS || w.failureRate <= WARN_RATE) return undefined;
  const atThreshold = w.failures >= QUARANTINE_FAILURES && w.failureRate > QUARANTINE_RATE;
  const skipped = [
    w.throttled ? `${w.throttled} throttled (429), which Entra retries` : "",
    w.authFailures ? `${w.authFailures} refused (401/403)` : "",
  ].filter((s) => s !== "");
  const notCounted = skipped.length ? `, not counting ${skipped.join(" or ")}` : "";
  return (
    `${percent(w.failureRate)} of ${counted(w)} requests in the ${name} failed (5xx or timeout${notCounted}): ` +
    (atThreshold
      ? "Entra's quarantine threshold (more than 40 % failing, from 5,000 failures) is reached"
      : "Entra quarantines a provisioning job when more than 40 % fail (from 5,000 failures)")
  );
}

function credentialWarning(w: HealthWindow): string | undefined {
  if (w.authFailures === 0 || w.authFailures < w.requests) return undefined;
  return (
    `every request in the last 40 minutes (${w.requests}) was refused with 401/403 and none was let in: ` +
    "if Entra provisions to this Tenant URL, Entra reports invalid credentials; issue a new Secret Token. " +
    "The provisioning log names the addresses they came from (a Tenant URL is no secret: they may be a stranger's)"
  );
}

export function tenantHealth(store: LogStore, tenantId: string, timeoutMs: number, now = Date.now()): Health {
  const lastCycle = window(store.window(tenantId, now - CYCLE_MS, timeoutMs));
  const lastDay = window(store.window(tenantId, now - DAY_MS, timeoutMs));
  const last = store.lastRequest(tenantId);
  const probe = store.lastTestConnection(tenantId);
  const warnings = [
    rateWarning("last 40 minutes (one Entra cycle)", lastCycle),
    rateWarning("last day", lastDay),
    credentialWarning(lastCycle),
  ].filter((w) => w !== undefined);
  return {
    tenantId,
    lastRequest: last === null ? null : new Date(last).toISOString(),
    lastTestConnection: probe && { time: new Date(probe.time).toISOString(), status: probe.status, ok: probe.status === 200 },
    lastCycle: { ...lastCycle, minutes: 40 },
    lastDay,
    warning: warnings.length ? warnings.join("; ") : null,
  };
}
