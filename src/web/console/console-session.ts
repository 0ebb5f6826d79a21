import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { QUANZE_CONFIG, type QuanzeConfig } from '../../config/config.js';

/** The console's session cookie (a random id; the token it stands for stays on the server). */
export const SESSION_COOKIE = 'qz_console';
/** Before sign-in: the random value the sign-in form's CSRF token is bound to. */
export const PRE_SESSION_COOKIE = 'qz_console_pre';
/** The hidden field of every console form. */
export const CSRF_FIELD = '_csrf';

export interface ConsoleSession {
  id: string;
  /** The token AuthService issued at sign-in: each request is checked like a bearer token (disabled user, new token version, expiry). */
  token: string;
  username: string;
  lastSeen: number;
}

/** Where a session or a pending upload is kept: this process's memory (several instances: sticky sessions, or another store). */
@Injectable()
export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>();

  constructor(@Inject(QUANZE_CONFIG) private readonly config: QuanzeConfig) {}

  get idleMs(): number {
    return this.config.consoleIdleSeconds * 1000;
  }

  create(token: string, username: string, now = Date.now()): ConsoleSession {
    this.sweep(now);
    const session = { id: randomBytes(32).toString('base64url'), token, username, lastSeen: now };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session of a cookie value, its idle clock restarted; an idle one is ended. */
  touch(id: string | undefined, now = Date.now()): ConsoleSession | 'expired' | null {
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session) return null;
    if (now - session.lastSeen > this.idleMs) {
      this.sessions.delete(id);
      return 'expired';
    }
    session.lastSeen = now;
    return session;
  }

  /** A random value for the pre-session cookie (the sign-in form's CSRF binding). */
  newPreSession(): string {
    return randomBytes(24).toString('base64url');
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }

  private sweep(now: number): void {
    for (const [id, s] of this.sessions) if (now - s.lastSeen > this.idleMs) this.sessions.delete(id);
  }

  /**
   * The CSRF token of a form: an HMAC of what the request is bound to (the session's id, or before
   * sign-in the pre-session cookie), so a page of another site can neither read nor forge it.
   */
  csrfToken(binding: string): string {
    return createHmac('sha256', this.config.jwtSecret).update(`console-csrf:${binding}`).digest('base64url');
  }

  csrfValid(binding: string | undefined, token: unknown): boolean {
    if (!binding || typeof token !== 'string') return false;
    const expected = Buffer.from(this.csrfToken(binding));
    const given = Buffer.from(token);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  /** Cookie flags: HttpOnly, SameSite=Strict, Secure when the request came over TLS (req.secure honours `trust proxy`). */
  setCookie(req: Request, res: Response, name: string, value: string): void {
    res.cookie(name, value, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/console' });
  }

  clearCookie(req: Request, res: Response, name: string): void {
    res.clearCookie(name, { httpOnly: true, sameSite: 'strict', secure: req.secure, path: '/console' });
  }
}

/** A cookie of the request (Express without cookie-parser). */
export function readCookie(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) {
      try {
        return decodeURIComponent(part.slice(at + 1).trim());
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/** A file checked by a dry run, kept until the user creates the draft from it (one per session, 30 minutes). */
export interface PendingUpload {
  id: string;
  sessionId: string;
  regionCode: string;
  kind: 'POWER' | 'RESPONSIBILITY';
  fileName: string;
  content: Buffer;
  changeReason: string | null;
  at: number;
}

const UPLOAD_TTL_MS = 30 * 60 * 1000;

@Injectable()
export class PendingUploads {
  private readonly bySession = new Map<string, PendingUpload>();

  keep(upload: Omit<PendingUpload, 'id' | 'at'>, now = Date.now()): PendingUpload {
    for (const [sid, u] of this.bySession) if (now - u.at > UPLOAD_TTL_MS) this.bySession.delete(sid);
    const kept = { ...upload, id: randomBytes(16).toString('base64url'), at: now };
    this.bySession.set(upload.sessionId, kept);
    return kept;
  }

  /** The session's pending upload of this id, taken out of the store. */
  take(sessionId: string, id: string, now = Date.now()): PendingUpload | null {
    const u = this.bySession.get(sessionId);
    if (!u || u.id !== id || now - u.at > UPLOAD_TTL_MS) return null;
    this.bySession.delete(sessionId);
    return u;
  }
}
