// Admin answers carry secrets (a new tenant's Secret Token, client secrets) and directory data: no browser or
// proxy cache may keep any of them (RFC 9111 §5.2.2.5). One rule for every /admin response, errors included,
// so a new route cannot forget it.
import { isAdminUrl } from "../auth/admin-guard";

const NO_STORE = "no-store";

function noStore(response: Response): Response {
  const current = response.headers.get("cache-control");
  if (!current?.split(",").some((d) => d.trim() === NO_STORE)) response.headers.set("cache-control", NO_STORE);
  return response;
}

export const adminNoStore =
  (handle: (request: Request) => Response | Promise<Response>) =>
  (request: Request): Response | Promise<Response> => {
    if (!isAdminUrl(request.url)) return handle(request);
    const response = handle(request);
    return response instanceof Response ? noStore(response) : response.then(noStore);
  };
