import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';

declare global {
  namespace Express {
    interface Request {
      /** The signed-in demo user, set by `sessions.read`. */
      demoUser?: string;
    }
  }
}

export const SESSION_COOKIE = 'demo_session';
const MAX_AGE_S = 8 * 60 * 60;

export interface Sessions {
  /** Middleware: sets `req.demoUser` from a valid cookie. */
  read: RequestHandler;
  /** Middleware: 401 without a signed-in user. */
  require: RequestHandler;
  signIn(res: Response, user: string): void;
  signOut(res: Response): void;
}

const b64url = (buffer: Buffer) => buffer.toString('base64url');

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/**
 * A minimal signed-cookie session: `user.issuedAt.HMAC-SHA256(user.issuedAt)`. Enough to make the
 * token endpoint's `authorize` hook real; a production app would use its own sign-in.
 */
export function createSessions(options: { secret?: string; users: () => Iterable<string>; now?: () => number }): Sessions {
  // A random secret per start when none is configured: every session ends on restart.
  const secret = options.secret === undefined ? randomBytes(32) : Buffer.from(options.secret, 'utf8');
  const now = options.now ?? Date.now;
  const mac = (payload: string) => createHmac('sha256', secret).update(payload).digest();

  function verify(value: string | undefined): string | undefined {
    if (value === undefined) return undefined;
    const [user, issued, signature] = value.split('.');
    if (user === undefined || issued === undefined || signature === undefined) return undefined;
    const expected = mac(`${user}.${issued}`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    const age = now() / 1000 - Number(issued);
    if (!(age >= -60 && age < MAX_AGE_S)) return undefined;
    // A user removed from the configuration loses access even with a valid cookie.
    return [...options.users()].includes(user) ? user : undefined;
  }

  const cookie = (value: string, maxAge: number) =>
    `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Lax`;

  return {
    read(req, _res, next) {
      const user = verify(cookieValue(req, SESSION_COOKIE));
      if (user !== undefined) req.demoUser = user;
      next();
    },
    require(req, res, next) {
      if (req.demoUser !== undefined) return next();
      res.status(401).json({ error: { code: 'unauthenticated', message: 'Sign in first' } });
    },
    signIn(res, user) {
      const issued = Math.floor(now() / 1000);
      const value = `${user}.${issued}.${b64url(mac(`${user}.${issued}`))}`;
      // Secure is left out on purpose: the demo serves plain http on loopback.
      res.append('Set-Cookie', cookie(value, MAX_AGE_S));
    },
    signOut(res) {
      res.append('Set-Cookie', cookie('', 0));
    },
  };
}
