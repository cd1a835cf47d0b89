import type { Services } from '../service/services.ts';
import { policyJson, policyVersionJson } from '../service/views.ts';
import { param, type Route } from './define-route.ts';

/** Policies may carry large URL lists (tens of thousands of filters). */
const POLICY_BODY_LIMIT = 4 * 1024 * 1024;

/** Policy drafts, validation, diff, publish, versions, the simulator and rollout. */
export function policyRoutes(route: Route, s: Services): void {
  const big = { bodyLimit: POLICY_BODY_LIMIT };

  route('GET /api/v1/policies', async (c) => {
    const list = await s.policies.list();
    return c.json({ policies: list.map(({ policy, live }) => policyJson(policy, live)) });
  });

  route(
    'POST /api/v1/policies',
    async (c, { body }) => {
      const { policy, live } = await s.policies.create(c.get('user'), body.document);
      return c.json({ policy: policyJson(policy, live) });
    },
    big,
  );

  route(
    'POST /api/v1/policies/validate',
    async (c, { body }) => c.json({ diagnostics: await s.policies.validate(body.document) }),
    big,
  );

  route(
    'POST /api/v1/policies/simulate',
    async (c, { body }) => {
      const document = body.document === undefined ? undefined : s.policies.parse(body.document);
      return c.json(await s.simulator.simulate({ ...body, document }));
    },
    big,
  );

  route('GET /api/v1/policies/:id', async (c) => {
    const { policy, live } = await s.policies.get(param(c, 'id'));
    return c.json({ policy: policyJson(policy, live) });
  });

  route(
    'PUT /api/v1/policies/:id',
    async (c, { body }) => {
      const { policy, live } = await s.policies.update(
        c.get('user'),
        param(c, 'id'),
        body.document,
      );
      return c.json({ policy: policyJson(policy, live) });
    },
    big,
  );

  route('GET /api/v1/policies/:id/diff', async (c) =>
    c.json({ diff: await s.policies.diff(param(c, 'id')) }),
  );

  route('POST /api/v1/policies/:id/publish', async (c) =>
    c.json(await s.policies.publish(c.get('user'), param(c, 'id'))),
  );

  route('GET /api/v1/policies/:id/versions', async (c) => {
    const versions = await s.policies.versions(param(c, 'id'));
    return c.json({ versions: versions.map(policyVersionJson) });
  });
}
