import type { Server } from 'node:http';

/** How long a stopping server keeps accepting: connections the kernel had already queued are served, not reset. */
const ACCEPT_GRACE_MS = 1000;
/** No request in progress for this long: the server is drained. */
const QUIET_MS = 150;

/**
 * Graceful stop of an HTTP server, before the application and its database close:
 * 1. answers now carry `Connection: close`; connections already queued by the kernel are still
 *    accepted for up to ACCEPT_GRACE_MS (closing the listener at once would reset them);
 * 2. the listener closes; every request received finishes and answers (up to `timeoutMs`);
 * 3. what is left (idle keep-alive connections) is closed.
 * Node's own close and Apollo's drain plugin (run later by Nest) end connections whose request
 * is still being read, cutting requests a busy server had accepted: this runs first.
 */
export function trackHttpRequests(server: Server): (timeoutMs: number) => Promise<void> {
  let active = 0;
  let draining = false;
  server.on('request', (_req, res) => {
    active++;
    if (draining) res.setHeader('Connection', 'close');
    res.once('close', () => active--);
  });

  /** Waits until no request has been in progress for QUIET_MS, or until `deadline`. */
  const quiet = async (deadline: number) => {
    let quietSince = active === 0 ? Date.now() : Infinity;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      if (active > 0) quietSince = Infinity;
      else if (quietSince === Infinity) quietSince = Date.now();
      else if (Date.now() - quietSince >= QUIET_MS) return;
    }
  };

  return async (timeoutMs: number) => {
    if (!server.listening) return;
    draining = true;
    const started = Date.now();
    await quiet(started + Math.min(ACCEPT_GRACE_MS, timeoutMs));
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    await quiet(started + timeoutMs);
    server.closeIdleConnections();
    if (active > 0) server.closeAllConnections(); // past the deadline
    await Promise.race([closed, new Promise((r) => setTimeout(r, 1000))]);
    server.closeAllConnections();
  };
}
