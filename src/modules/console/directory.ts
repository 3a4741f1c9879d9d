// Read-only admin routes over a tenant's users and groups, for the console (which holds the admin token, not a
// tenant's Secret Token). Lists reuse the SCIM services: same filter parser, same SQL, same rendering.
import { Elysia } from "elysia";
import { adminGuard } from "../../auth/admin-guard";
import { AdminError, ScimError } from "../../errors";
import { parseListParams } from "../../scim/list-params";
import type { ResourceTypeName } from "../../scim/schema/registry";
import type { Services } from "../../services";
import { MemberPages } from "./members";
import * as M from "./model";
import { searchFilter } from "./search";

const tags = ["Admin"];
const MEMBERS = { excludedAttributes: ["members"] };

/** SCIM errors (a bad filter, an unknown id) become admin errors: this is the admin API. */
function adminErrors<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof ScimError) throw new AdminError(error.status, error.detail);
    throw error;
  }
}

type DirectoryQuery = typeof M.DirectoryQuery.static;
type PageQuery = Pick<DirectoryQuery, "startIndex" | "count">;

/** startIndex and count as query text, 25 a page unless asked: parseListParams reads them as a SCIM list does. */
const pageText = (query: PageQuery) => ({
  startIndex: query.startIndex === undefined ? undefined : String(query.startIndex),
  count: String(query.count ?? 25),
});

/** startIndex and count as the SCIM list reads them: a fraction is a 400, a startIndex past 2^53 is clamped. */
function pageParams(query: PageQuery) {
  const parsed = parseListParams(pageText(query));
  if (!parsed.ok) throw parsed.error;
  return { startIndex: parsed.value.startIndex, count: parsed.value.count };
}

function listParams(resourceType: ResourceTypeName, query: DirectoryQuery, projection: { excludedAttributes?: string[] } = {}) {
  const parsed = parseListParams({
    filter: searchFilter(resourceType, query.q, query.filter),
    ...pageText(query),
    sortBy: query.sortBy,
    sortOrder: query.sortOrder,
  });
  if (!parsed.ok) throw parsed.error;
  return { ...parsed.value, excludedAttributes: projection.excludedAttributes ?? [] };
}

export const consoleDirectory = (services: Services) => {
  const members = new MemberPages(services.db);
  const tenantOf = (id: string) => {
    if (!services.tenants.get(id)) throw new AdminError(404, `no tenant ${id}`);
    return id;
  };
  const withCount = (tenant: string, group: Record<string, unknown>) => ({
    ...group,
    memberCount: members.count(tenant, String(group.id)),
  });

  return new Elysia({ prefix: "/admin/v1/tenants/:id" })
    .use(adminGuard(services))
    .get(
      "/users",
      ({ params, query }) =>
        adminErrors(() => {
          const tenant = tenantOf(params.id);
          const parsed = listParams("User", query);
          const list = services.users.list(tenant, parsed);
          return { totalResults: list.totalResults, startIndex: parsed.startIndex, itemsPerPage: list.itemsPerPage, Resources: list.Resources };
        }),
      {
        query: M.DirectoryQuery,
        response: M.UserList,
        detail: { tags, summary: "A tenant's users, searched and paged (read-only; for the console)" },
      },
    )
    .get(
      "/users/:uid",
      ({ params }) => adminErrors(() => services.users.get(tenantOf(params.id), params.uid, {}).resource),
      { response: M.GroupWithCount, detail: { tags, summary: "One user with the groups it belongs to" } },
    )
    .get(
      "/groups",
      ({ params, query }) =>
        adminErrors(() => {
          const tenant = tenantOf(params.id);
          const parsed = listParams("Group", query, MEMBERS);
          const list = services.groups.list(tenant, parsed);
          const Resources = list.Resources.map((g) => withCount(tenant, g));
          return { totalResults: list.totalResults, startIndex: parsed.startIndex, itemsPerPage: list.itemsPerPage, Resources };
        }),
      {
        query: M.DirectoryQuery,
        response: M.GroupList,
        detail: { tags, summary: "A tenant's groups with member counts, searched and paged (members not included)" },
      },
    )
    .get(
      "/groups/:gid",
      ({ params }) =>
        adminErrors(() => {
          const tenant = tenantOf(params.id);
          return withCount(tenant, services.groups.get(tenant, params.gid, MEMBERS).resource);
        }),
      { response: M.GroupWithCount, detail: { tags, summary: "One group with its member count" } },
    )
    .get(
      "/groups/:gid/members",
      ({ params, query }) =>
        adminErrors(() => {
          const tenant = tenantOf(params.id);
          services.groups.get(tenant, params.gid, MEMBERS);
          const { startIndex, count } = pageParams(query);
          return members.page(tenant, params.gid, query.q, startIndex, count);
        }),
      {
        query: M.MembersQuery,
        response: M.MemberList,
        detail: { tags, summary: "One page of a group's members, with their current names" },
      },
    );
};
