import type { Response } from 'express';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * Pages load nothing but the app's own files: no inline script or style, no other origin, no
 * framing. Text reaches the page only through Preact, which escapes every string it renders.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface PageCaching {
  /** Seconds a shared cache may keep the page (public pages of published data); null: never stored (console, errors). */
  maxAgeSeconds: number | null;
}

/**
 * Sends a rendered page with the security headers every page carries. Express adds a weak ETag
 * and answers 304 to a matching If-None-Match, so a reloaded page costs its rendering only.
 */
export function sendPage(res: Response, page: VNode, caching: PageCaching, status = 200): void {
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('Cache-Control', caching.maxAgeSeconds === null ? 'private, no-store' : `public, max-age=${caching.maxAgeSeconds}`);
  res.send(`<!doctype html>${renderToString(page)}`);
}
