import { describe, expect, it } from 'vitest';
import { createLogger } from '../../server/log.ts';

describe('server log', () => {
  it('writes one JSON line per entry with time, level and message', () => {
    const lines: string[] = [];
    createLogger({ write: (l) => lines.push(l) }).info('ready', { port: 8787 });
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({ level: 'info', msg: 'ready', port: 8787 });
    expect(new Date(entry.time as string).toISOString()).toBe(entry.time);
  });

  it('never writes a secret-named field, whoever passes one', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l) });
    log.warn('oops', {
      credential: 'dev-cred-123',
      token: 'tok-456',
      cookie: 'c=1',
      deviceId: 'd1',
    });
    expect(lines[0]).not.toMatch(/dev-cred-123|tok-456|c=1/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ credential: '[redacted]', deviceId: 'd1' });
  });

  it('drops entries under its level', () => {
    const lines: string[] = [];
    const log = createLogger({ write: (l) => lines.push(l), level: 'warn' });
    log.info('chatter');
    log.error('bad');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(['bad']);
  });
});
