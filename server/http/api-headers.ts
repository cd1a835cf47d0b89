import type { cors } from 'hono/cors';

/** Set on every `/api/` answer by the app (app.ts) and by the device-policy fast path. */
export const API_HEADERS = { 'X-Content-Type-Options': 'nosniff' } as const;

/**
 * CORS on `/api/v1/device/*`. Device endpoints take a bearer credential and never
 * cookies, so any origin may call them: Firefox grants an MV3 extension's host permissions
 * only on request, and without them its fetches are ordinary cross-origin requests.
 */
export const DEVICE_CORS = {
  origin: '*',
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['Authorization', 'Content-Type', 'If-None-Match'],
  exposeHeaders: ['ETag'],
  maxAge: 600,
} satisfies Parameters<typeof cors>[0];

/** What the CORS middleware adds to a device endpoint's actual (not preflight) answer. */
export const DEVICE_CORS_HEADERS = {
  'Access-Control-Allow-Origin': DEVICE_CORS.origin,
  'Access-Control-Expose-Headers': DEVICE_CORS.exposeHeaders.join(','),
};
