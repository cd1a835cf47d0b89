import type { Services } from '../service/services.ts';
import { param, type Route } from './define-route.ts';

/** SIEM destinations, alert rules and the alerts raised. */
export function siemRoutes(route: Route, s: Services): void {
  route('GET /api/v1/integrations', async (c) =>
    c.json({ integrations: await s.integrations.list(), secretsSealed: s.secrets.sealing }),
  );

  route('POST /api/v1/integrations', async (c, { body }) =>
    c.json(await s.integrations.create(c.get('user'), body)),
  );

  route('GET /api/v1/integrations/:id', async (c) =>
    c.json({ integration: await s.integrations.get(param(c, 'id')) }),
  );

  route('PATCH /api/v1/integrations/:id', async (c, { body }) =>
    c.json(await s.integrations.update(c.get('user'), param(c, 'id'), body)),
  );

  route('DELETE /api/v1/integrations/:id', async (c) => {
    await s.integrations.delete(c.get('user'), param(c, 'id'));
    return c.json({ ok: true });
  });

  route('POST /api/v1/integrations/:id/test', async (c) =>
    c.json(await s.integrations.test(c.get('user'), param(c, 'id'))),
  );

  route('GET /api/v1/alert-rules', async (c) => c.json({ alertRules: await s.alertRules.list() }));

  route('POST /api/v1/alert-rules', async (c, { body }) =>
    c.json({ alertRule: await s.alertRules.create(c.get('user'), body) }),
  );

  route('PATCH /api/v1/alert-rules/:id', async (c, { body }) =>
    c.json({ alertRule: await s.alertRules.update(c.get('user'), param(c, 'id'), body) }),
  );

  route('DELETE /api/v1/alert-rules/:id', async (c) => {
    await s.alertRules.delete(c.get('user'), param(c, 'id'));
    return c.json({ ok: true });
  });

  route('GET /api/v1/alerts', async (c, { query }) =>
    c.json({ alerts: await s.alertRules.alerts(query.limit) }),
  );
}
