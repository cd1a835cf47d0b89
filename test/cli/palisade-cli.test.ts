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
      ['check', '--policy', file('invalid.json', { urlBlocklist: 'x.test' })],
      /^palisade: invalid policy .*urlBlocklist: /,
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

  it('check and compile-dnr skip the filters Chrome ignores, and say so on stderr', () => {
    const lenient = file('lenient.json', {
      urlBlocklist: ['host:65536', 'example.com:*', 'x.test', 7],
    });
    const r = run(['check', '--policy', lenient, 'https://x.test/', 'http://example.com/']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('block\thttps://x.test/\tx.test\nallow\thttp://example.com/\t\n');
    expect(r.stderr).toMatch(
      /^ignored: urlBlocklist\[0\]: "host:65536" is not a valid URL filter/m,
    );
    expect(r.stderr).toMatch(/^ignored: urlBlocklist\[1\]: "example.com:\*"/m);
    expect(r.stderr).toMatch(/^ignored: urlBlocklist\[3\]: a URL filter must be a string/m);
    const dnr = run(['compile-dnr', lenient]);
    expect(dnr.code).toBe(0);
    expect(dnr.stderr).toMatch(/^ignored: urlBlocklist\[0\]/m);
    // palisade validate still reports them: a Palisade policy should not carry dead filters.
    const v = run(['validate', lenient]);
    expect(v.code).toBe(1);
    expect(v.stdout).toContain('error\turlBlocklist[0]');
    expect(v.stdout).toContain('error\turlBlocklist[1]');
  });

  it("imports Chrome's documented URLBlocklist/URLAllowlist example and decides as Chrome does", () => {
    // The example values of Chrome's URLBlocklist and URLAllowlist policy documentation.
    const chrome = file('chrome-doc-example.json', {
      URLBlocklist: [
        'example.com',
        'https://ssl.server.com',
        'hosting.com/bad_path',
        'https://server:8080/path',
        '.exact.hostname.com',
        'file://*',
        'custom_scheme:*',
        '*',
      ],
      URLAllowlist: [
        'example.com',
        'https://ssl.server.com',
        'hosting.com/good_path',
        'https://server:8080/path',
        '.exact.hostname.com',
      ],
    });
    const imported = run(['import-chrome', chrome]);
    expect(imported.code).toBe(0);
    // Chrome 156 lists "custom_scheme:*" under "Policy parsing error" on chrome://policy and
    // skips it: "_" is not a scheme character, so it reads as host "custom_scheme", port "*".
    expect(imported.stderr).toMatch(
      /^dropped: URLBlocklist\[6\]: "custom_scheme:\*" is not a valid URL filter: .* Chrome ignores it\.$/m,
    );
    const policyFile = file('imported.json', imported.stdout);
    expect(JSON.parse(imported.stdout).urlBlocklist).toHaveLength(7);
    const table: [string, 'block' | 'allow', string][] = [
      // A filter in both lists: the allowlist wins the tie.
      ['https://example.com/', 'allow', 'example.com'],
      ['https://www.example.com/a', 'allow', 'example.com'],
      ['https://ssl.server.com/', 'allow', 'https://ssl.server.com'],
      // Only https is listed for ssl.server.com, so "*" decides http.
      ['http://ssl.server.com/', 'block', '*'],
      ['https://hosting.com/bad_path/x', 'block', 'hosting.com/bad_path'],
      ['https://hosting.com/good_path', 'allow', 'hosting.com/good_path'],
      ['https://hosting.com/', 'block', '*'],
      ['https://server:8080/path/x', 'allow', 'https://server:8080/path'],
      ['https://server/path', 'block', '*'],
      ['https://exact.hostname.com/', 'allow', '.exact.hostname.com'],
      ['https://sub.exact.hostname.com/', 'block', '*'],
      ['file:///etc/passwd', 'block', 'file://*'],
      // Not a valid URL ("_" in the scheme): only "*" matches it, as in Chrome.
      ['custom_scheme:app', 'block', '*'],
      ['https://elsewhere.test/', 'block', '*'],
      // "*" spares chrome:// (kBypassURLBlocklistWildcardForInternalChromeUrls, on by default)
      // and extension pages.
      ['chrome://settings/', 'allow', ''],
      ['chrome-extension://abcdefghijklmnopabcdefghijklmnop/popup.html', 'allow', ''],
    ];
    const r = run(['check', '--policy', policyFile, ...table.map(([url]) => url)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual([
      ...table.map(([url, verdict, filter]) => `${verdict}\t${url}\t${filter}`),
      '',
    ]);
  });

  it('compile-dnr prints rules and a summary against the limits', () => {
    const r = run(['compile-dnr', policy]);
    expect(r.code).toBe(0);
    expect(Array.isArray(JSON.parse(r.stdout))).toBe(true);
    expect(r.stderr).toMatch(/rules: \d+ \/ 30000 dynamic/);
    expect(r.stderr).toMatch(
      /enforced in main and sub frames: by DNR \d+, by the navigation check \d+/,
    );
    expect(r.stderr).toContain('unenforced in any frame: 0');
  });
});
