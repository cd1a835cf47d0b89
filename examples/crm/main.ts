import { startCrm } from './crm-app.ts';

/** `node --import tsx examples/crm/main.ts` with the variables below (see README.md). */
const env = (name: string, fallback?: string): string => {
  const value = process.env[name] ?? fallback;
  if (!value) throw new Error(`set ${name} (see examples/crm/README.md)`);
  return value;
};

const crm = await startCrm({
  issuer: env('PALISADE_ISSUER'),
  clientId: env('CRM_CLIENT_ID'),
  clientSecret: env('CRM_CLIENT_SECRET'),
  baseUrl: env('CRM_BASE_URL', 'http://localhost:3001'),
  port: Number(env('CRM_PORT', '3001')),
  host: env('CRM_HOST', '127.0.0.1'),
  allowHttp: env('PALISADE_ISSUER').startsWith('http://'),
});
// One line a session ended by Palisade (back-channel logout), for operators and tests.
crm.onSessionEnded((s, reason) =>
  console.log(
    `session ended ${JSON.stringify({ sub: s.sub, sid: s.sid, reason, at: Date.now() })}`,
  ),
);
console.log(`CRM sample app on ${crm.url}`);
