// Captured bodies and headers never keep secrets: passwords at any depth, PATCH values whose path is a
// password, tokens and Authorization headers are replaced before anything reaches the database; so are
// tokens sent in a URL's query string, which every entry keeps.

export const REDACTED = "[REDACTED]";
export const MAX_CAPTURE_CHARS = 64 * 1024;

const SECRET_KEY = /password|secret|token|credential/i;
const JWT = /\beyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9\-._~+/]+=*/gi;
// For text that is not JSON: `"password": "…"` and friends, and every `"value": "…"` of a text that names a
// secret in a `"path"`.
const QUOTED_SECRET = /("[^"]*(?:password|secret|token|credential)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
const QUOTED_SECRET_PATH = /"path"\s*:\s*"[^"]*(?:password|secret|token|credential)/i;
const QUOTED_VALUE = /("value"\s*:\s*)"(?:[^"\\]|\\.)*"/gi;
// Kept whole out of the log: a credential need not have the "scheme credentials" shape (a raw JWT, a cookie).
const SECRET_HEADERS = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key"]);

const scrubString = (s: string) => s.replace(JWT, REDACTED).replace(BEARER, `$1 ${REDACTED}`);

// The PATCH parser reads `Operations`, `path` and `value` in any case (RFC 7643 §2.1), so redaction does too.
const isKey = (key: string, name: string) => key.length === name.length && key.toLowerCase() === name;

/**
 * RFC 7644 §3.5.2: a PATCH operation carries the password in `value` when its path names it — `password`,
 * `urn:…:User:password`, in any case. Every path-like key is looked at, whichever one the parser would take.
 */
const namesSecretPath = (source: Record<string, unknown>) =>
  Object.entries(source).some(([key, v]) => isKey(key, "path") && typeof v === "string" && SECRET_KEY.test(v));

export function redactJson(value: unknown): unknown {
  if (typeof value === "string") return scrubString(value);
  if (Array.isArray(value)) return value.map(redactJson);
  if (typeof value !== "object" || value === null) return value;
  const source = value as Record<string, unknown>;
  const secretPath = namesSecretPath(source);
  const redacted = (key: string, v: unknown) => (SECRET_KEY.test(key) || (secretPath && isKey(key, "value")) ? REDACTED : redactJson(v));
  // fromEntries defines each key: `out["__proto__"] = …` would set the prototype and drop the key from the log.
  return Object.fromEntries(Object.entries(source).map(([key, v]) => [key, redacted(key, v)]));
}

/** Text that is not JSON, scrubbed by pattern. */
function redactText(text: string): string {
  let out = text.replace(QUOTED_SECRET, `$1"${REDACTED}"`);
  if (QUOTED_SECRET_PATH.test(out)) out = out.replace(QUOTED_VALUE, `$1"${REDACTED}"`);
  return scrubString(out);
}

// The recorder's one look at an ordinary query: a parameter name that says secret, a percent-encoded name
// (judged once decoded), or a JWT anywhere. Lookups (`filter=userName%20eq%20…`) match none of them.
const MAY_HOLD_SECRET = /(?:^|&)[^=&]*(?:token|secret|password|credential|authorization|%)|eyJ/i;
const SECRET_PARAM = /token|secret|password|credential|authorization/i;

function redactParam(param: string): string {
  const eq = param.indexOf("=");
  if (eq < 0) return param;
  const name = param.slice(0, eq);
  if (SECRET_PARAM.test(safeDecode(name.replace(/\+/g, " ")))) return `${name}=${REDACTED}`;
  return param.replace(JWT, REDACTED);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A path and query as stored: RFC 6750 §2.3 `access_token` (and any token-, secret- or password-named parameter) redacted. */
export function redactPath(path: string, query: string): string {
  if (query === "" || !MAY_HOLD_SECRET.test(query)) return path;
  return path.slice(0, path.length - query.length) + query.split("&").map(redactParam).join("&");
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
      return truncate(redactText(text));
    }
  }
  return truncate(JSON.stringify(redactJson(value)));
}

export function redactHeaders(headers: Headers): string {
  const out: Record<string, string> = {};
  headers.forEach((value, key) => {
    out[key] = SECRET_HEADERS.has(key) ? REDACTED : scrubString(value);
  });
  return JSON.stringify(out);
}
