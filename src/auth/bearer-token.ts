/**
 * The one reading of `Authorization: Bearer <token>`, for every door that takes a token (the
 * GraphQL guard, admin introspection, the rate limiter's key, the REST guard): the token, or null
 * when the header is absent or not of that form.
 */
export function bearerToken(authorization: string | null | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match ? match[1] : null;
}
