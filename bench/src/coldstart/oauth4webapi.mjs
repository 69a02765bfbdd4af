// The same cold start with oauth4webapi: a new node process that imports it and makes the same
// client-credentials request to the same provider endpoint (credentials where that provider
// takes them, the same form fields), then reports. See fintoken.mjs.
const target = JSON.parse(process.env.FINTOKEN_BENCH_TARGET ?? '{}');
const t0 = performance.now();
const oauth = await import('oauth4webapi');
const t1 = performance.now();
const as = { issuer: new URL(target.tokenUrl).origin, token_endpoint: target.tokenUrl };
const client = { client_id: target.clientId };
const auth = target.basic ? oauth.ClientSecretBasic(target.clientSecret) : oauth.ClientSecretPost(target.clientSecret);
const response = await oauth.clientCredentialsGrantRequest(as, client, auth, new URLSearchParams(target.fields ?? {}), { [oauth.allowInsecureRequests]: true });
const body = await oauth.processClientCredentialsResponse(as, client, response);
const t2 = performance.now();
if (typeof body.access_token !== 'string' || body.access_token.length === 0) throw new Error('no token');
process.stdout.write(`${JSON.stringify({ importMs: t1 - t0, tokenMs: t2 - t1, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
process.exit(0);
