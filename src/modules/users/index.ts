import { noteResourceName } from "../../http/request-notes";
import { scimText } from "../../http/scim-response";
import type { Services } from "../../services";
import { namesInPatch } from "../../scim/patch/specified-names";
import { versionHeaders, writeProjectionOf } from "../resources/request";
import { resourceRoutes } from "../resources/routes";
import type { UserService } from "./service";

/** Users answer PATCH with 200 and the resource, as Entra's documentation shows. */
export const usersModule = (services: Services, users: UserService) =>
  resourceRoutes(services, "User", users, async ({ request, tenantId, id, body, ifMatch, query, location }) => {
    const answer = await users.patch(tenantId, id, body, ifMatch, writeProjectionOf(query, () => namesInPatch(body)));
    noteResourceName(request, answer.userName);
    return scimText(answer.json, 200, versionHeaders(location, answer.etag));
  });
