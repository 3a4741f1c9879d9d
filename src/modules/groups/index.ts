import { scimJson } from "../../http/scim-response";
import { lowerKeys } from "../../scim/list-params";
import type { Services } from "../../services";
import { etagOf } from "../../store/resource-meta";
import { namesInPatch } from "../../scim/patch/specified-names";
import { versionHeaders, writeProjectionOf } from "../resources/request";
import { resourceRoutes } from "../resources/routes";
import type { GroupService } from "./service";

export const groupsModule = (services: Services, groups: GroupService) =>
  resourceRoutes(services, "Group", groups, ({ tenantId, id, body, ifMatch, query, location }) => {
    const version = groups.patch(tenantId, id, body, ifMatch);
    // entra.md: group PATCH → 204 is preferred; a client that names `attributes` gets the resource.
    if (lowerKeys(query).attributes === undefined) return new Response(null, { status: 204, headers: { etag: etagOf(version) } });
    const { resource } = groups.get(tenantId, id, writeProjectionOf(query, () => namesInPatch(body)));
    return scimJson(resource, 200, versionHeaders(location, etagOf(version)));
  });
