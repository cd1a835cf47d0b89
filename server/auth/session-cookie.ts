import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Config } from '../config.ts';
import { SESSION_ABSOLUTE_MS } from '../service/session-service.ts';

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (never sent on
 * cross-site requests), and over https `Secure` with the `__Host-` prefix (no subdomain
 * can set or shadow it).
 */
export function cookieName(config: Pick<Config, 'secureCookies'>): string {
  return config.secureCookies ? '__Host-palisade_session' : 'palisade_session';
}

export function readSessionCookie(
  c: Context,
  config: Pick<Config, 'secureCookies'>,
): string | undefined {
  return getCookie(c, cookieName(config));
}

export function setSessionCookie(
  c: Context,
  config: Pick<Config, 'secureCookies'>,
  token: string,
): void {
  setCookie(c, cookieName(config), token, {
    httpOnly: true,
    sameSite: 'Strict',
    path: '/',
    secure: config.secureCookies,
    maxAge: SESSION_ABSOLUTE_MS / 1000,
  });
}

export function clearSessionCookie(c: Context, config: Pick<Config, 'secureCookies'>): void {
  deleteCookie(c, cookieName(config), {
    path: '/',
    secure: config.secureCookies,
    httpOnly: true,
    sameSite: 'Strict',
  });
}
