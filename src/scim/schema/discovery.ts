import { commonAttributesInCoreSchemas } from "./common-attributes.ts";
import type { SchemaRegistry } from "./registry.ts";
import { type AttributeDef, LIST_RESPONSE_SCHEMA, type ResourceTypeDef, type SchemaDef } from "./types.ts";

export const SERVICE_PROVIDER_CONFIG_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
export const RESOURCE_TYPE_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
export const SCHEMA_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Schema";

export interface ServiceProviderOptions {
  /** The Tenant URL, e.g. https://host/scim/v2/{tenantId}. */
  baseUrl: string;
  /** filter.maxResults (RFC 7643 §5). */
  maxResults: number;
  bulk: { supported: boolean; maxOperations: number; maxPayloadSize: number };
  sort: boolean;
  etag: boolean;
  changePassword?: boolean;
  patch?: boolean;
  documentationUri?: string;
}

export type Doc = Record<string, unknown>;

/** RFC 7643 §5. */
export function serviceProviderConfig(opts: ServiceProviderOptions): Doc {
  return {
    schemas: [SERVICE_PROVIDER_CONFIG_SCHEMA],
    ...(opts.documentationUri ? { documentationUri: opts.documentationUri } : {}),
    patch: { supported: opts.patch ?? true },
    bulk: { ...opts.bulk },
    filter: { supported: true, maxResults: opts.maxResults },
    changePassword: { supported: opts.changePassword ?? false },
    sort: { supported: opts.sort },
    etag: { supported: opts.etag },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: "Authentication with the tenant's Secret Token as a bearer token (RFC 6750).",
        specUri: "https://www.rfc-editor.org/info/rfc6750",
        primary: true,
        ...(opts.documentationUri ? { documentationUri: opts.documentationUri } : {}),
      },
      {
        type: "oauth2",
        name: "OAuth 2.0 client credentials",
        description: "Access tokens from the tenant's token endpoint (RFC 6749 §4.4), sent as bearer tokens.",
        specUri: "https://www.rfc-editor.org/info/rfc6749",
        primary: false,
      },
    ],
    meta: { resourceType: "ServiceProviderConfig", location: `${opts.baseUrl}/ServiceProviderConfig` },
  };
}

const listResponse = (resources: Doc[]): Doc => ({
  schemas: [LIST_RESPONSE_SCHEMA],
  totalResults: resources.length,
  itemsPerPage: resources.length,
  startIndex: 1,
  Resources: resources,
});

const resourceTypeBody = (type: ResourceTypeDef, baseUrl: string): Doc => ({
  schemas: [RESOURCE_TYPE_SCHEMA],
  id: type.id,
  name: type.name,
  endpoint: type.endpoint,
  description: type.description,
  schema: type.schema,
  schemaExtensions: type.schemaExtensions.map((e) => ({ ...e })),
  meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/${type.id}` },
});

/** RFC 7643 §6: GET /ResourceTypes. */
export const resourceTypesList = (registry: SchemaRegistry, baseUrl: string): Doc =>
  listResponse(registry.resourceTypes().map((t) => resourceTypeBody(t, baseUrl)));

/** GET /ResourceTypes/{id}; undefined means 404. */
export function resourceTypeDoc(registry: SchemaRegistry, id: string, baseUrl: string): Doc | undefined {
  const type = registry.resourceType(id);
  return type ? resourceTypeBody(type, baseUrl) : undefined;
}

/** RFC 7643 §7: every characteristic, in the order of the §8.7.1 listing. */
export function attributeDoc(def: AttributeDef): Doc {
  return {
    name: def.name,
    type: def.type,
    multiValued: def.multiValued,
    description: def.description,
    required: def.required,
    caseExact: def.caseExact,
    mutability: def.mutability,
    returned: def.returned,
    uniqueness: def.uniqueness,
    // An empty list would read as "no value is allowed"; a definition without values leaves the key out.
    ...(def.canonicalValues?.length ? { canonicalValues: [...def.canonicalValues] } : {}),
    ...(def.referenceTypes ? { referenceTypes: [...def.referenceTypes] } : {}),
    ...(def.subAttributes ? { subAttributes: def.subAttributes.map(attributeDoc) } : {}),
  };
}

const isCoreSchema = (registry: SchemaRegistry, schema: SchemaDef) => registry.resourceTypes().some((t) => t.schema === schema.id);

const schemaBody = (registry: SchemaRegistry, schema: SchemaDef, baseUrl: string): Doc => ({
  schemas: [SCHEMA_SCHEMA],
  id: schema.id,
  name: schema.name,
  description: schema.description,
  attributes: [...(isCoreSchema(registry, schema) ? commonAttributesInCoreSchemas : []), ...schema.attributes].map(attributeDoc),
  meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${schema.id}` },
});

/** RFC 7643 §7: GET /Schemas. */
export const schemasList = (registry: SchemaRegistry, baseUrl: string): Doc =>
  listResponse(registry.allSchemas().map((s) => schemaBody(registry, s, baseUrl)));

/** GET /Schemas/{urn}; undefined means 404. */
export function schemaDoc(registry: SchemaRegistry, id: string, baseUrl: string): Doc | undefined {
  const schema = registry.schema(id);
  return schema ? schemaBody(registry, schema, baseUrl) : undefined;
}
