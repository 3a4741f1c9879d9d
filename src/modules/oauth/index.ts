// The token endpoint: OAuth 2.0 client credentials grant (RFC 6749 §4.4), one per tenant.
import { Elysia } from "elysia";
import { OAUTH_SCOPE } from "../../auth/access-tokens";
import type { Services } from "../../services";
import { FailedAttempts } from "../../auth/failed-attempts";
import { invalidClient, invalidRequest, OAuthError, oauthJson, renderOAuthError, tooManyFailures } from "./errors";
import { parseTokenRequest } from "./token-request";

const tags = ["OAuth"];

async function readBody(request: Request, maxBytes: number): Promise<string> {
  const tooLarge = () => invalidRequest(`request body exceeds ${maxBytes} bytes`, 413);
  if (Number(request.headers.get("content-length") ?? "0") > maxBytes) throw tooLarge();
  let body: string;
  try {
    body = await request.text();
  } catch {
    // The client went away or stalled past SCIMD_REQUEST_TIMEOUT: nobody will read the answer.
    throw invalidRequest("the request body could not be read");
  }
  if (Buffer.byteLength(body) > maxBytes) throw tooLarge();
  return body;
}

/** The client's address: only the listening server knows a request's socket (none under `app.handle`). */
type ClientAddress = (request: Request) => string | null;

export const oauthModule = (services: Services, clientAddress: ClientAddress, failures = new FailedAttempts()) =>
  new Elysia({ prefix: "/oauth/v1/:tenantId" }).post(
    "/token",
    async ({ params, request }) => {
      try {
        const body = await readBody(request, services.config.maxBodyBytes);
        const req = parseTokenRequest(
          request.headers.get("content-type"),
          body,
          request.headers.get("authorization"),
          new URL(request.url).searchParams,
        );
        // Checked before the secret is: past the limit, a guess costs no secret check.
        const attempts = JSON.stringify([params.tenantId, clientAddress(request), req.clientId]);
        const wait = failures.retryAfter(attempts);
        if (wait > 0) throw tooManyFailures(wait);
        // An unknown tenant and a wrong secret look the same: tenants cannot be enumerated here either.
        const generation = await services.clients.authenticate(params.tenantId, req.clientId, req.clientSecret);
        if (generation === undefined) {
          failures.fail(attempts);
          throw invalidClient();
        }
        if (req.grantType !== "client_credentials") {
          throw new OAuthError("unsupported_grant_type", "only grant_type=client_credentials is supported");
        }
        if (req.scope !== undefined && req.scope.split(" ").some((s) => s !== OAUTH_SCOPE)) {
          throw new OAuthError("invalid_scope", `the only scope is "${OAUTH_SCOPE}"`);
        }
        const issued = await services.accessTokens.issue(params.tenantId, req.clientId, generation);
        if (!issued) throw invalidClient();
        const { token, expiresIn } = issued;
        return oauthJson({ access_token: token, token_type: "Bearer", expires_in: expiresIn, scope: OAUTH_SCOPE });
      } catch (error) {
        if (error instanceof OAuthError) return renderOAuthError(error);
        throw error;
      }
    },
    {
      parse: "none",
      detail: {
        tags,
        summary: "Token endpoint: client credentials grant (RFC 6749 §4.4)",
        description:
          "Authenticate with HTTP Basic (client_id:client_secret) or client_id and client_secret in the form body. " +
          "The access token works as a Bearer token on this tenant's SCIM endpoints until it expires. " +
          "After 10 failed authentications of a client_id from one address, 429 temporarily_unavailable with Retry-After.",
        security: [],
        requestBody: {
          required: true,
          content: {
            "application/x-www-form-urlencoded": {
              schema: {
                type: "object",
                required: ["grant_type"],
                properties: {
                  grant_type: { type: "string", enum: ["client_credentials"] },
                  scope: { type: "string", enum: [OAUTH_SCOPE] },
                  client_id: { type: "string" },
                  client_secret: { type: "string" },
                },
              },
            },
          },
        },
      },
    },
  );
