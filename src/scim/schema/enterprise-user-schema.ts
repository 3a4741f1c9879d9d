import { attr, complex } from "./define.ts";
import { ENTERPRISE_USER_SCHEMA, type SchemaDef } from "./types.ts";

// RFC 7643 §4.3 and the §8.7.1 representation of the enterprise User extension.
export const enterpriseUserSchema: SchemaDef = {
  id: ENTERPRISE_USER_SCHEMA,
  name: "EnterpriseUser",
  description: "Enterprise User",
  attributes: [
    attr("employeeNumber", "Numeric or alphanumeric identifier assigned to a person by the organization."),
    attr("costCenter", "Identifies the name of a cost center."),
    attr("organization", "Identifies the name of an organization."),
    attr("division", "Identifies the name of a division."),
    attr("department", "Identifies the name of a department."),
    complex("manager", "The User's manager.", [
      attr("value", "The id of the SCIM resource representing the User's manager."),
      attr("$ref", "The URI of the SCIM resource representing the User's manager.", {
        type: "reference",
        referenceTypes: ["User"],
      }),
      attr("displayName", "The displayName of the User's manager.", { mutability: "readOnly" }),
    ]),
  ],
};
