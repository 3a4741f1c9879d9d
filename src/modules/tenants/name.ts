// A tenant's name, as the admin API and the CLI both take it.
export const MAX_TENANT_NAME_LENGTH = 200;

/** Trimmed; empty (or only spaces) and overlong names are refused with a sentence saying why. */
export function tenantName(raw: string): { ok: true; value: string } | { ok: false; error: string } {
  const name = raw.trim();
  if (name === "") return { ok: false, error: "a tenant's name must not be empty or only spaces" };
  if (name.length > MAX_TENANT_NAME_LENGTH) return { ok: false, error: `a tenant's name must be at most ${MAX_TENANT_NAME_LENGTH} characters` };
  return { ok: true, value: name };
}
