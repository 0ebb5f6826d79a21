import http from 'node:http';

/** Raw HTTP for the hardening suites: every status, header and body as the server sent them. */
export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export async function send(url: string, init: RequestInit = {}): Promise<RawResponse> {
  const res = await fetch(url, init);
  const text = await res.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, headers: res.headers, text, json };
}

/** A GraphQL POST with the given headers (a client IP through X-Forwarded-For, a token…). */
export function gqlPost(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return send(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query, variables }) });
}

/** A GraphQL GET, with the preflight header Apollo's CSRF prevention asks of GET requests. */
export function gqlGet(url: string, query: string, headers: Record<string, string> = {}) {
  return send(`${url}?query=${encodeURIComponent(query)}`, { headers: { 'apollo-require-preflight': 'true', ...headers } });
}

export const codeOfRaw = (r: RawResponse) => r.json?.errors?.[0]?.extensions?.code;
export const extensionsOf = (r: RawResponse) => r.json?.errors?.[0]?.extensions ?? {};

let ipCounter = 0;
/** A distinct client address per call (TEST-NET-2), so that only the rate-limit tests share one. */
export const nextIp = () => `198.51.100.${(ipCounter++ % 250) + 1}`;

/** What must never reach a client: stack frames, SQL, file paths, driver names. */
export const LEAKS = /\bat \S+ \(|\.ts:\d+|\.js:\d+|\/work\/|node_modules|\bSELECT\b|\bINSERT\b|\bUPDATE\b|\bDELETE\b|audit_event|list_item|QueryFailedError|constraint|typeorm|pg_/i;

/** A GET through node:http, sending exactly the given headers (no fetch() additions). */
export function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}
