import { z } from 'zod';
import { ALERT_TYPES } from './alert-types.ts';

/** Request bodies of the integrations and alert-rule routes. */

const name = z.string().trim().min(1, 'must not be empty').max(200);
const host = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(253)
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or IP address');
const pem = z
  .string()
  .max(32_768)
  .refine((v) => v.includes('-----BEGIN CERTIFICATE-----'), 'must be a PEM certificate');
const httpUrl = z
  .string()
  .max(2048)
  .refine((v) => {
    try {
      const u = new URL(v);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials in it');

const syslog = z.object({
  kind: z.literal('syslog'),
  name,
  format: z.enum(['cef', 'json', 'ocsf']).default('cef'),
  events: z.enum(['all', 'alerts']).default('all'),
  enabled: z.boolean().default(true),
  startAt: z.enum(['now', 'oldest']).default('now'),
  target: z.object({
    host,
    port: z.number().int().min(1).max(65_535),
    tls: z.boolean().default(false),
    caPem: pem.nullable().default(null),
    facility: z.number().int().min(0).max(23).default(13),
  }),
});

const webhook = z.object({
  kind: z.literal('webhook'),
  name,
  format: z
    .enum(['json', 'ocsf'], { message: 'a webhook carries json or ocsf (CEF is for syslog)' })
    .default('json'),
  events: z.enum(['all', 'alerts']).default('all'),
  enabled: z.boolean().default(true),
  startAt: z.enum(['now', 'oldest']).default('now'),
  target: z.object({ url: httpUrl }),
});

export const siemSchemas = {
  newIntegration: z.discriminatedUnion('kind', [syslog, webhook], {
    message: 'kind must be "syslog" or "webhook"',
  }),
  integrationPatch: z
    .object({
      name: name.optional(),
      format: z.enum(['cef', 'json', 'ocsf']).optional(),
      events: z.enum(['all', 'alerts']).optional(),
      enabled: z.boolean().optional(),
      /** syslog: host/port/tls/caPem/facility; webhook: url. Replaces the whole target. */
      target: z.union([syslog.shape.target, webhook.shape.target]).optional(),
      /** Issues a new signing secret (webhooks), shown once in the answer. */
      rotateSecret: z.literal(true).optional(),
    })
    .strict(),
  newAlertRule: z
    .object({
      name,
      type: z.enum(ALERT_TYPES),
      threshold: z.number().int().min(1).max(100_000).nullable().default(null),
      windowMinutes: z.number().int().min(1).max(10_080).nullable().default(null),
      policyRuleId: z.string().trim().min(1).max(200).nullable().default(null),
      enabled: z.boolean().default(true),
    })
    .refine((r) => r.type !== 'rule_blocks' || (r.threshold !== null && r.windowMinutes !== null), {
      message:
        'a rule_blocks alert needs threshold (N blocks) and windowMinutes (within M minutes)',
      path: ['threshold'],
    }),
  alertRulePatch: z
    .object({
      name: name.optional(),
      threshold: z.number().int().min(1).max(100_000).nullable().optional(),
      windowMinutes: z.number().int().min(1).max(10_080).nullable().optional(),
      policyRuleId: z.string().trim().min(1).max(200).nullable().optional(),
      enabled: z.boolean().optional(),
    })
    .strict(),
};
