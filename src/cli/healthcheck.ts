// `scimd healthcheck`, for container HEALTHCHECKs (the runtime image has no shell or curl). It asks the running
// server over HTTP and never opens the database: a newer binary's check would otherwise migrate it under an
// older server.
import type { Config } from "../config";
import { listenUrl } from "../server";
import { CommandError } from "./args";

/** Below Docker's HEALTHCHECK --timeout of 5 s, so a hung server is reported unhealthy rather than killed. */
export const HEALTHCHECK_TIMEOUT_SECONDS = 3;

export async function healthcheck(config: Pick<Config, "host" | "port">): Promise<{ healthy: true }> {
  if (config.port === 0) {
    throw new CommandError(
      "healthcheck: SCIMD_PORT=0 lets the server pick a free port, which healthcheck cannot know; set SCIMD_PORT to the port the server listens on",
    );
  }
  const url = `${listenUrl(config.host, config.port)}/healthz`;
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(HEALTHCHECK_TIMEOUT_SECONDS * 1000) });
  } catch (error) {
    const timedOut = (error as { name?: unknown }).name === "TimeoutError";
    throw new CommandError(`unhealthy: ${timedOut ? `${url} did not answer within ${HEALTHCHECK_TIMEOUT_SECONDS} s` : `no answer from ${url}`}`);
  }
  if (!res.ok) throw new CommandError(`unhealthy: ${url} answered ${res.status}`);
  return { healthy: true };
}
