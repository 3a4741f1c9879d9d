// The User extension schema tests declare for a tenant through the admin API (PUT /tenants/{id}/schemas): one URN
// and name throughout, each test with the attributes it needs.
export const ACME_USER_URN = "urn:ietf:params:scim:schemas:extension:acme:2.0:User";

export const acmeUserSchema = <A>(attributes: A[], description = "Acme's own user attributes") => ({
  id: ACME_USER_URN,
  name: "AcmeUser",
  description,
  resourceType: "User",
  attributes,
});
