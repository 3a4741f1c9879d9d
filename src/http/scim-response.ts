import { ScimError } from "../errors";

export const SCIM_CONTENT_TYPE = "application/scim+json; charset=utf-8";

export function scimJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return scimText(JSON.stringify(body), status, headers);
}

/** An answer whose body is JSON text already. */
export function scimText(json: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(json, { status, headers: { "content-type": SCIM_CONTENT_TYPE, ...headers } });
}

export function scimError(error: ScimError, headers: Record<string, string> = {}): Response {
  return scimJson(error.toJSON(), error.status, headers);
}

const JSON_TYPES = /^application\/(scim\+)?json\b/i;

// The parsed body of each request, for the provisioning log: it classifies writes from it without parsing again.
const parsedBodies = new WeakMap<Request, unknown>();
export const parsedBodyOf = (request: Request): unknown => parsedBodies.get(request);

/**
 * Reads a SCIM request body: application/scim+json or application/json (a missing Content-Type is
 * tolerated, as some clients omit it). Parsed only after authentication, so strangers cost us nothing.
 */
export async function readJsonBody(request: Request, maxBytes: number): Promise<unknown> {
  const type = request.headers.get("content-type");
  if (type && !JSON_TYPES.test(type)) {
    throw new ScimError(415, `Content-Type must be application/scim+json or application/json, not ${type}`, "invalidSyntax");
  }
  // RFC 9110 §8.4: a content coding the server does not apply is refused, not read as (garbled) JSON.
  const coding = request.headers.get("content-encoding");
  if (coding && coding.trim().toLowerCase() !== "identity") {
    throw new ScimError(415, `Content-Encoding ${coding} is not supported: send the body uncompressed`, "invalidSyntax");
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new ScimError(413, `request body exceeds ${maxBytes} bytes`, "tooLarge");
  let text: string;
  try {
    text = await request.text();
  } catch {
    // The client went away or stalled past the timeout mid-body: nothing to answer, nothing to log as ours.
    throw new ScimError(400, "the request body could not be read completely", "invalidSyntax");
  }
  // Counted again once read: a chunked body declares no length, and text.length counts UTF-16 units, not bytes.
  if (Buffer.byteLength(text, "utf8") > maxBytes) throw new ScimError(413, `request body exceeds ${maxBytes} bytes`, "tooLarge");
  if (text.trim() === "") throw new ScimError(400, "request body is empty", "invalidSyntax");
  try {
    const value: unknown = JSON.parse(text);
    parsedBodies.set(request, value);
    return value;
  } catch {
    throw new ScimError(400, "request body is not valid JSON", "invalidSyntax");
  }
}
