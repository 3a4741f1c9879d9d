// Captured bodies and headers never keep secrets: passwords at any depth, PATCH values whose path is a
// password, tokens and Authorization headers are replaced before anything reaches the database.
import { attributeOf } from "./classify";

export const REDACTED = "[REDACTED]";
export const MAX_CAPTURE_CHARS = 64 * 1024;

const SECRET_KEY = /password|secret|token|credential/i;
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi;
// For text that is not JSON: `"password": "…"` and friends.
const QUOTED_SECRET = /("[^"]*(?:password|secret|token|credential)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]);

const scrubString = (s: string) => s.replace(JWT, REDACTED).replace(BEARER, `$1 ${REDACTED}`);

export function redactJson(value: unknown, underPatchOperation = false): unknown {
  if (typeof value === "string") return scrubString(value);
  if (Array.isArray(value)) return value.map((v) => redactJson(v, underPatchOperation));
  if (typeof value !== "object" || value === null) return value;
  const source = value as Record<string, unknown>;
  // RFC 7644 §3.5.2: a PATCH operation carries the password in `value` when its path is `password`.
  const secretPath = underPatchOperation && typeof source.path === "string" && SECRET_KEY.test(attributeOf(source.path));
  const redacted = (key: string, v: unknown) =>
    SECRET_KEY.test(key) || (secretPath && key === "value") ? REDACTED : redactJson(v, key === "Operations");
  // fromEntries defines each key: `out["__proto__"] = …` would set the prototype and drop the key from the log.
  return Object.fromEntries(Object.entries(source).map(([key, v]) => [key, redacted(key, v)]));
}

function truncate(text: string): string {
  if (text.length <= MAX_CAPTURE_CHARS) return text;
  return `${text.slice(0, MAX_CAPTURE_CHARS)}…[truncated ${text.length - MAX_CAPTURE_CHARS} characters]`;
}

/** A body as stored: redacted JSON, or redacted text when it does not parse. */
export function redactBody(text: string, parsed?: unknown): string | null {
  if (text === "") return null;
  let value = parsed;
  if (value === undefined) {
    try {
      value = JSON.parse(text);
    } catch {
      return truncate(scrubString(text.replace(QUOTED_SECRET, `$1"${REDACTED}"`)));
    }
  }
  return truncate(JSON.stringify(redactJson(value)));
}

export function redactHeaders(headers: Headers): string {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    if (!SECRET_HEADERS.has(key)) out[key] = scrubString(value);
    else if (key.endsWith("authorization")) out[key] = value.replace(/^(\S+)\s.*$/s, `$1 ${REDACTED}`);
    else out[key] = REDACTED;
  });
  return JSON.stringify(out);
}
