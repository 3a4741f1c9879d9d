// The User attributes the PATCH reference knows, written from RFC 7643 §4.1 (core User), §4.3 (enterprise
// extension) and §3.1 (id, externalId, meta) — not imported from src, so that a slip there shows as a mismatch.

export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

export interface Def {
  name: string;
  type: "string" | "boolean" | "complex" | "reference" | "binary" | "dateTime";
  multi?: true;
  /** RFC 7643 §2.2 writeOnly, returned "never": `password`. */
  writeOnly?: true;
  sub?: Def[];
  readOnly?: true;
  required?: true;
  caseExact?: true;
}

const s = (name: string, extra: Partial<Def> = {}): Def => ({ name, type: "string", ...extra });
const bool = (name: string): Def => ({ name, type: "boolean" });
const complex = (name: string, sub: Def[], extra: Partial<Def> = {}): Def => ({ name, type: "complex", sub, ...extra });
/** RFC 7643 §2.4: the default sub-attributes of a multi-valued attribute. */
const multi = (name: string, valueType: Def["type"] = "string"): Def =>
  // RFC 7643 §2.3.6: "A binary is case exact" (x509Certificates.value).
  complex(name, [{ name: "value", type: valueType, ...(valueType === "binary" ? { caseExact: true as const } : {}) }, s("display"), s("type"), bool("primary")], { multi: true });

export const CORE_ATTRIBUTES: Def[] = [
  s("id", { readOnly: true, caseExact: true }),
  s("externalId", { caseExact: true }),
  complex("meta", [s("resourceType"), { name: "created", type: "dateTime" }, { name: "lastModified", type: "dateTime" }, s("location"), s("version")], { readOnly: true }),
  s("userName", { required: true }),
  complex("name", ["formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix"].map((n) => s(n))),
  s("displayName"),
  s("nickName"),
  { name: "profileUrl", type: "reference" },
  s("title"),
  s("userType"),
  s("preferredLanguage"),
  s("locale"),
  s("timezone"),
  bool("active"),
  s("password", { writeOnly: true }),
  multi("emails"),
  multi("phoneNumbers"),
  multi("ims"),
  multi("photos", "reference"),
  complex("addresses", [...["formatted", "streetAddress", "locality", "region", "postalCode", "country", "type"].map((n) => s(n)), bool("primary")], { multi: true }),
  complex("groups", [s("value"), { name: "$ref", type: "reference" }, s("display"), s("type")], { multi: true, readOnly: true }),
  multi("entitlements"),
  multi("roles"),
  multi("x509Certificates", "binary"),
];

export const ENTERPRISE_ATTRIBUTES: Def[] = [
  s("employeeNumber"),
  s("costCenter"),
  s("organization"),
  s("division"),
  s("department"),
  complex("manager", [s("value"), { name: "$ref", type: "reference" }, s("displayName", { readOnly: true })]),
];

export const findDef = (defs: Def[] | undefined, name: string): Def | undefined =>
  defs?.find((d) => d.name.toLowerCase() === name.toLowerCase());

export const CORE_GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

/** RFC 7643 §4.2: a Group's attributes; `members` is left to the member tests. */
export const GROUP_ATTRIBUTES: Def[] = [
  s("id", { readOnly: true, caseExact: true }),
  s("externalId", { caseExact: true }),
  CORE_ATTRIBUTES[2], // meta
  s("displayName", { required: true }),
];

/** What the reference needs to know of a resource type. */
export interface ResourceSchema {
  coreUrn: string;
  core: Def[];
  extension?: { urn: string; attributes: Def[] };
  /** The REQUIRED attribute whose value is unique in the tenant, in any case (userName; a Group's displayName). */
  uniqueName: string;
}

export const USER_RESOURCE: ResourceSchema = {
  coreUrn: CORE_USER,
  core: CORE_ATTRIBUTES,
  extension: { urn: ENTERPRISE, attributes: ENTERPRISE_ATTRIBUTES },
  uniqueName: "userName",
};
// README: a group's displayName is unique in the tenant in the same sense as a userName.
export const GROUP_RESOURCE: ResourceSchema = { coreUrn: CORE_GROUP, core: GROUP_ATTRIBUTES, uniqueName: "displayName" };
