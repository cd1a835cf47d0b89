import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { routePath } from 'hono/route';
import { ROUTES, type RouteKey } from './auth/access.ts';
import { ApiError, errorBody, errorResponse } from './errors.ts';
import type { AppEnv } from './http/app-env.ts';
import { originCheck } from './http/origin-check.ts';
import { servePwa } from './http/static-pwa.ts';
import { adminRoutes } from './routes/admin-routes.ts';
import { auditRoutes } from './routes/audit-routes.ts';
import { authRoutes } from './routes/auth-routes.ts';
import { defineRoutes } from './routes/define-route.ts';
import { deviceAdminRoutes } from './routes/device-admin-routes.ts';
import { deviceRoutes } from './routes/device-routes.ts';
import { enrollRoutes } from './routes/enroll-routes.ts';
import { meRoutes } from './routes/me-routes.ts';
import { policyRoutes } from './routes/policy-routes.ts';
import { publicRoutes } from './routes/public-routes.ts';
import { siemRoutes } from './routes/siem-routes.ts';
import type { Services } from './service/services.ts';

export interface AppDeps {
  services: Services;
}

/**
 * The Palisade HTTP app (no listener: main.ts serves it, tests call `app.request()`).
 * Every route is registered through the access table; errors are answered in one place.
 */
export function createApp({ services }: AppDeps): Hono<AppEnv> {
  const { config, metrics, log } = services.ctx;
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const start = performance.now();
    await next();
    const route = routePath(c) || 'unmatched';
    metrics.countRequest(c.req.method, route, c.res.status);
    if (c.req.path.startsWith('/api/') && route !== '/api/v1/device/policy') {
      // Device sync is the hot path and would drown the log; metrics count it.
      log.info('request', {
        method: c.req.method,
        route,
        status: c.res.status,
        ms: Math.round((performance.now() - start) * 10) / 10,
      });
    }
  });
  app.use('/api/*', async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
  });
  app.use('/api/*', originCheck(config.origin));
  // Device endpoints take a bearer credential and never cookies, so any origin may call
  // them: Firefox grants an MV3 extension's host permissions only on request, and without
  // them its fetches are ordinary cross-origin requests that need these headers.
  app.use(
    '/api/v1/device/*',
    cors({
      origin: '*',
      allowMethods: ['GET', 'POST'],
      allowHeaders: ['Authorization', 'Content-Type', 'If-None-Match'],
      exposeHeaders: ['ETag'],
      maxAge: 600,
    }),
  );

  const { route, registered } = defineRoutes(app, services);
  publicRoutes(route, services, metrics);
  authRoutes(route, services);
  enrollRoutes(route, services);
  meRoutes(route, services);
  adminRoutes(route, services);
  policyRoutes(route, services);
  deviceAdminRoutes(route, services);
  auditRoutes(route, services);
  siemRoutes(route, services);
  deviceRoutes(route, services);
  const missing = (Object.keys(ROUTES) as RouteKey[]).filter((k) => !registered.has(k));
  if (missing.length)
    throw new Error(`routes in the access table without a handler: ${missing.join(', ')}`);

  servePwa(app, config.pwaDir);

  app.notFound((c) =>
    c.json(errorBody('not_found', `There is no endpoint ${c.req.method} ${c.req.path}.`), 404),
  );
  app.onError((err, c) => {
    if (err instanceof ApiError) return errorResponse(c, err);
    if (err instanceof HTTPException && err.status < 500) {
      return c.json(errorBody('bad_request', err.message || 'Bad request.'), err.status);
    }
    log.error('unhandled error', {
      method: c.req.method,
      route: routePath(c, -1),
      error: err instanceof Error ? `${err.name}: ${err.message}` : String(err),
      stack: err instanceof Error ? err.stack?.split('\n').slice(0, 6).join(' | ') : undefined,
    });
    return c.json(
      errorBody('internal', 'Something went wrong on the server; it has been logged.'),
      500,
    );
  });
  return app;
}
