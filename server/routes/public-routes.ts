import { openApiDocument } from '../../contract/openapi.ts';
import { ROUTES } from '../auth/access.ts';
import { ApiError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import { publicKeyInfo } from '../signing-key.ts';
import type { Services } from '../service/services.ts';
import type { Route } from './define-route.ts';

/** Health, metrics, the public key, the OpenAPI document, and the push endpoint's non-WebSocket answer. */
export function publicRoutes(route: Route, s: Services, metrics: Metrics): void {
  // skipauth: liveness probe for load balancers; says nothing but ok
  route('GET /healthz', (c) => c.json({ ok: true }));

  // skipauth: Prometheus scrape; aggregate counters only, no identities
  route('GET /metrics', async (c) =>
    c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType }),
  );

  // skipauth: the policy verification key is public by design
  const key = publicKeyInfo(s.ctx.signingKey);
  route('GET /api/v1/public-key', (c) => c.json(key));

  // skipauth: the API description, as public as docs/api.md; it names routes and shapes, never data
  let openApi: ReturnType<typeof openApiDocument> | undefined;
  route('GET /api/v1/openapi.json', (c) => {
    openApi ??= openApiDocument(ROUTES, { version: 'v1', serverUrl: s.ctx.config.origin });
    return c.json(openApi);
  });

  // skipauth: plain GET only answers 426; the WebSocket authenticates by its first message
  route('GET /api/v1/device/push', () => {
    throw new ApiError(
      'upgrade_required',
      'This is a WebSocket endpoint: connect with Upgrade: websocket.',
    );
  });
}
