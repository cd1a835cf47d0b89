import { parseInviteCsv } from '../service/invite-csv.ts';
import type { Services } from '../service/services.ts';
import { enrollmentCodeJson, groupJson, userJson } from '../service/views.ts';
import { param, type Route } from './define-route.ts';

/** Groups, enrollment codes and users. */
export function adminRoutes(route: Route, s: Services): void {
  const origin = s.ctx.config.origin;

  route('GET /api/v1/groups', async (c) =>
    c.json({ groups: (await s.groups.list()).map(groupJson) }),
  );

  route('POST /api/v1/groups', async (c, { body }) =>
    c.json({ group: groupJson(await s.groups.create(c.get('user'), body.name)) }),
  );

  route('PATCH /api/v1/groups/:id', async (c, { body }) =>
    c.json({ group: groupJson(await s.groups.update(c.get('user'), param(c, 'id'), body)) }),
  );

  route('GET /api/v1/enrollment-codes', async (c) => {
    const codes = await s.codes.list();
    return c.json({ enrollmentCodes: codes.map((code) => enrollmentCodeJson(code, origin)) });
  });

  route('POST /api/v1/enrollment-codes', async (c, { body }) => {
    const expiresAt = body.expiresAt ? new Date(body.expiresAt).toISOString() : null;
    const code = enrollmentCodeJson(
      await s.codes.create(c.get('user'), { ...body, expiresAt }),
      origin,
    );
    return c.json({ enrollmentCode: code, link: code.link });
  });

  route('POST /api/v1/enrollment-codes/:id/revoke', async (c) => {
    const code = await s.codes.revoke(c.get('user'), param(c, 'id'));
    return c.json({ enrollmentCode: enrollmentCodeJson(code, origin) });
  });

  route('GET /api/v1/users', async (c) => c.json({ users: (await s.users.list()).map(userJson) }));

  route('POST /api/v1/users/invite', async (c, { body }) =>
    c.json(await s.invites.invite(body, c.get('user'))),
  );

  // Paste or upload a CSV of name,email,group: a link per person, or every problem at once.
  route('POST /api/v1/users/invite/bulk', async (c, { body }) => {
    const rows = parseInviteCsv(body.csv, await s.groups.list());
    return c.json({ invites: await s.invites.inviteMany(rows, c.get('user')) });
  });

  // The queue of accounts made with a shared code: approving verifies the email.
  route('POST /api/v1/users/:id/approve', async (c) =>
    c.json({ user: userJson(await s.users.approve(c.get('user'), param(c, 'id'))) }),
  );

  route('POST /api/v1/users/:id/reject', async (c) => {
    await s.users.reject(c.get('user'), param(c, 'id'));
    return c.json({ ok: true });
  });

  route('PATCH /api/v1/users/:id', async (c, { body }) =>
    c.json({ user: userJson(await s.users.update(c.get('user'), param(c, 'id'), body)) }),
  );
}
