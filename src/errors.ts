// RFC 7644 §3.12 error types. One class; the scimType says which protocol error it is.
export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive"
  | "invalidCursor"
  | "expiredCursor"
  | "tooLarge";

export const SCIM_ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
  ) {
    super(detail);
  }

  toJSON() {
    const body: Record<string, unknown> = {
      schemas: [SCIM_ERROR_SCHEMA],
      status: String(this.status),
      detail: this.detail,
    };
    if (this.scimType) body.scimType = this.scimType;
    return body;
  }
}

export const badRequest = (scimType: ScimType, detail: string) => new ScimError(400, detail, scimType);
export const notFound = (detail = "Resource not found") => new ScimError(404, detail);
export const conflict = (detail: string) => new ScimError(409, detail, "uniqueness");

/** Result type for pure parsing code: only the endpoint throws. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ScimError };
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: ScimError): Result<T> => ({ ok: false, error });

/** Errors of the admin API: plain JSON `{ error, status }`. */
export class AdminError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
