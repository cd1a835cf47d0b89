import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = resolve(import.meta.dirname, '../../bin/palisade');
const dir = mkdtempSync(join(tmpdir(), 'palisade-cli-'));

function file(name: string, content: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    input,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const policy = file('policy.json', {
  urlBlocklist: ['games.test', 'social.test'],
  urlAllowlist: ['games.test/edu'],
});

describe('palisade CLI', () => {
  it('check prints verdict, URL and deciding filter for argument URLs', () => {
    const r = run([
      'check',
      '--policy',
      policy,
      'https://games.test/x',
      'https://games.test/edu/1',
      'https://ok.test/',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'block\thttps://games.test/x\tgames.test',
        'allow\thttps://games.test/edu/1\tgames.test/edu',
        'allow\thttps://ok.test/\t',
        '',
      ].join('\n'),
    );
  });

  it('check reads URLs from stdin when none are given', () => {
    const r = run(['check', '--policy', policy], 'https://a.social.test/\n\nhttps://b.test/\n');
    expect(r.stdout).toBe('block\thttps://a.social.test/\tsocial.test\nallow\thttps://b.test/\t\n');
  });

  it('validate exits 1 with every diagnostic when the policy has errors', () => {
    const bad = file('bad.json', { urlBlocklist: ['a.test:0', '*.b.test'], nope: 1 });
    const r = run(['validate', bad]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('error\turlBlocklist[0]');
    expect(r.stdout).toContain('warning\turlBlocklist[1]');
    expect(r.stdout).toContain('error\tnope');
    expect(run(['validate', policy]).code).toBe(0);
  });

  it.each([
    [
      ['check', '--policy', join(dir, 'missing.json'), 'https://x.test/'],
      /^palisade: cannot read policy .*no such file\n$/,
    ],
    [
      ['check', '--policy', file('broken.json', '{ "urlBlocklist": [')],
      /^palisade: .*is not valid JSON: /,
    ],
    [
      ['check', '--policy', file('invalid.json', { urlBlocklist: [1] })],
      /^palisade: invalid policy .*urlBlocklist\[0\]/,
    ],
    [['frobnicate'], /^palisade: unknown command "frobnicate"/],
  ])('bad input %j gets one line and a non-zero exit', (args, pattern) => {
    const r = run(args);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(pattern);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('import-chrome turns a Chrome export into a policy and lists what it could not map', () => {
    const chrome = file('chrome.json', {
      URLBlocklist: ['x.test'],
      PrintingEnabled: false,
      ShowHomeButton: true,
    });
    const r = run(['import-chrome', chrome]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      urlBlocklist: ['x.test'],
      dataControls: [{ restrictions: [{ class: 'PRINTING', level: 'BLOCK' }] }],
    });
    expect(r.stderr).toContain('not mapped: ShowHomeButton');
  });

  it('compile-dnr prints rules and a summary against the limits', () => {
    const r = run(['compile-dnr', policy]);
    expect(r.code).toBe(0);
    expect(Array.isArray(JSON.parse(r.stdout))).toBe(true);
    expect(r.stderr).toMatch(/rules: \d+ \/ 30000 dynamic/);
  });
});
