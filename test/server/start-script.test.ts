import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../server/bundle.ts';

describe('npm start', () => {
  it('runs the bundle with the V8 flags the push bench measures (server/bundle.ts)', () => {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.start).toBe(
      `npm run build && node ${SERVER_NODE_FLAGS.join(' ')} dist/server.mjs`,
    );
  });
});
