/** Keycloak's issuer is the realm URL: the token URL without `/protocol/openid-connect/token`. */
export function issuerOf(tokenUrl: string): string {
  return tokenUrl.replace(/\/protocol\/openid-connect\/token$/, '');
}
