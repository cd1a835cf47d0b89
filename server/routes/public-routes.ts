import { ApiError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import { publicKeyInfo } from '../signing-key.ts';
import type { Services } from '../service/services.ts';
import type { Route } from './define-route.ts';

/** Health, metrics, the public key, and the push endpoint's non-WebSocket answer. */
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

  // skipauth: plain GET only answers 426; the WebSocket authenticates by its first message
  route('GET /api/v1/device/push', () => {
    throw new ApiError(
      'upgrade_required',
      'This is a WebSocket endpoint: connect with Upgrade: websocket.',
    );
  });
}
