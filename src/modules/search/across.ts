// A root search spans Users, then Groups, as one list. A filter naming an attribute that only one resource
// type has matches nothing of the other type (RFC 7644 §3.4.2.1).
import { ScimError, badRequest } from "../../errors";
import type { ListParams } from "../../scim/list-params";
import { LIST_RESPONSE_SCHEMA } from "../../scim/schema/types";
import type { Services } from "../../services";

type Lister = (params: ListParams) => { totalResults: number; Resources: Record<string, unknown>[] };

function tryList(list: Lister, params: ListParams) {
  try {
    return list(params);
  } catch (error) {
    if (error instanceof ScimError && (error.scimType === "invalidFilter" || error.scimType === "invalidValue")) return error;
    throw error;
  }
}

export function searchAcross(services: Services, tenant: string, params: ListParams) {
  if (params.cursor !== undefined) throw badRequest("invalidValue", "cursor paging is offered per resource type (/Users/.search, /Groups/.search)");
  const listers: Lister[] = [(p) => services.users.list(tenant, p), (p) => services.groups.list(tenant, p)];
  // First learn each type's total, then read the page from where it falls.
  const counts = listers.map((list) => tryList(list, { ...params, count: 0, startIndex: 1 }));
  const errors = counts.filter((c): c is ScimError => c instanceof ScimError);
  if (errors.length === counts.length) throw errors[0];
  const totals = counts.map((c) => (c instanceof ScimError ? 0 : c.totalResults));
  const resources: Record<string, unknown>[] = [];
  let skip = params.startIndex - 1;
  listers.forEach((list, i) => {
    const wanted = params.count - resources.length;
    if (totals[i] === 0 || wanted <= 0) return;
    if (skip >= totals[i]) {
      skip -= totals[i];
      return;
    }
    const page = list({ ...params, startIndex: skip + 1, count: wanted });
    resources.push(...page.Resources);
    skip = 0;
  });
  return {
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: totals[0] + totals[1],
    itemsPerPage: resources.length,
    startIndex: params.startIndex,
    Resources: resources,
  };
}
