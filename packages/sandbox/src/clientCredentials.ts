import type { IncomingMessage } from 'node:http';
import { formType, mediaType, parseAuthorization, parseForm, repeatedParam, type Reply } from './http.js';
import { invalidClient, oauthError } from './oauthError.js';
import type { RequestContext } from './router.js';

/**
 * How a provider's token endpoint takes client credentials: Layer and Thredfi document HTTP
 * Basic only; Keycloak (Layer1) accepts Basic or form fields (client_secret_basic / _post).
 */
export type ClientAuthMethod = 'basic' | 'basic-or-post';

export interface ClientCredentialsOptions {
  method: ClientAuthMethod;
  client: { id: string; secret: string };
  /** Realm of the WWW-Authenticate challenge. */
  realm: string;
}

export type ClientCredentialsResult =
  | { ok: true; form: URLSearchParams; clientId: string }
  | { ok: false; reply: Reply };

const fail = (reply: Reply): ClientCredentialsResult => ({ ok: false, reply });

function authenticateBasicOnly(
  req: IncomingMessage,
  form: URLSearchParams,
  { client, realm }: ClientCredentialsOptions,
): Reply | undefined {
  const auth = parseAuthorization(req.headers.authorization);
  if (auth?.scheme !== 'basic') {
    const why = auth?.scheme === 'malformed' ? 'Malformed HTTP Basic credentials' : 'Client authentication with HTTP Basic is required';
    return invalidClient(why, realm);
  }
  // RFC 6749 §2.3: a client MUST NOT use more than one authentication method per request.
  if (form.has('client_secret')) {
    return oauthError(400, 'invalid_request', 'Send client credentials with HTTP Basic only, not also in the body');
  }
  if (auth.id !== client.id || auth.secret !== client.secret) return invalidClient('Invalid client credentials', realm);
  const formId = form.get('client_id');
  if (formId !== null && formId !== auth.id) {
    return oauthError(400, 'invalid_request', 'client_id does not match the authenticated client');
  }
  return undefined;
}

// Mirrors Keycloak's ClientIdAndSecretAuthenticator: a Basic header wins; any other
// Authorization header is ignored when the form carries client_id.
function authenticateBasicOrPost(
  req: IncomingMessage,
  form: URLSearchParams,
  { client, realm }: ClientCredentialsOptions,
): Reply | undefined {
  const auth = parseAuthorization(req.headers.authorization);
  let id = form.get('client_id');
  let secret = form.get('client_secret');
  if (auth?.scheme === 'basic') {
    if (id !== null && id !== auth.id) {
      return oauthError(400, 'invalid_request', 'client_id does not match the authenticated client');
    }
    id = auth.id;
    secret = auth.secret;
  } else if (auth !== undefined && id === null) {
    return invalidClient('Invalid client credentials', realm);
  }
  if (!id) return invalidClient('Missing client_id parameter', realm);
  if (id !== client.id) return invalidClient('Invalid client or Invalid client credentials', realm);
  if (secret === null) return invalidClient('Client secret not provided in request', realm);
  if (secret !== client.secret) return invalidClient('Invalid client or Invalid client credentials', realm);
  return undefined;
}

/**
 * Validates an RFC 6749 §4.4.2 client-credentials token request up to the grant type: form
 * body, no repeated parameter, client authentication, grant_type=client_credentials.
 * Provider-specific fields (Layer's scope) are checked by the caller.
 */
export async function clientCredentialsRequest(
  ctx: RequestContext,
  options: ClientCredentialsOptions,
): Promise<ClientCredentialsResult> {
  if (mediaType(ctx.req) !== formType) {
    return fail(oauthError(400, 'invalid_request', `Content-Type must be ${formType}`));
  }
  const form = parseForm(await ctx.body());
  const repeated = repeatedParam(form);
  if (repeated !== undefined) return fail(oauthError(400, 'invalid_request', `Parameter ${repeated} is repeated`));
  const authenticate = options.method === 'basic' ? authenticateBasicOnly : authenticateBasicOrPost;
  const refused = authenticate(ctx.req, form, options);
  if (refused) return fail(refused);
  const grantType = form.get('grant_type');
  if (!grantType) return fail(oauthError(400, 'invalid_request', 'Missing form parameter: grant_type'));
  if (grantType !== 'client_credentials') {
    return fail(oauthError(400, 'unsupported_grant_type', `Unsupported grant_type: ${grantType}`));
  }
  return { ok: true, form, clientId: options.client.id };
}
