/**
 * Which Layer business the signed-in user may act for, or undefined (the route answers 403).
 *
 * DEMO ONLY: this reads a header so the sample runs without an auth provider. In your app, read
 * your signed session here (Auth.js `auth()`, Clerk, iron-session, ...) and look the business up
 * on the server; never take the business id from anything the browser controls.
 */
export function sessionBusinessId(request: Request): string | undefined {
  return request.headers.get('x-demo-business') ?? undefined;
}
