import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, type ResourceTypeDef, USER_SCHEMA } from "./types.ts";

// RFC 7643 §6.
export const userResourceType: ResourceTypeDef = {
  id: "User",
  name: "User",
  endpoint: "/Users",
  description: "User Account",
  schema: USER_SCHEMA,
  schemaExtensions: [{ schema: ENTERPRISE_USER_SCHEMA, required: false }],
};

export const groupResourceType: ResourceTypeDef = {
  id: "Group",
  name: "Group",
  endpoint: "/Groups",
  description: "Group",
  schema: GROUP_SCHEMA,
  schemaExtensions: [],
};
