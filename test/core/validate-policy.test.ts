import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validatePolicy } from '../../core/policy/validate-policy.ts';

const errorsOf = (input: unknown) =>
  validatePolicy(input).diagnostics.filter((d) => d.severity === 'error');
const warningsOf = (input: unknown) =>
  validatePolicy(input).diagnostics.filter((d) => d.severity === 'warning');

describe('validatePolicy', () => {
  it('accepts a file holding only URL lists', () => {
    const result = validatePolicy({
      urlBlocklist: ['example.com'],
      urlAllowlist: ['example.com/ok'],
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.document).not.toBeNull();
  });

  it('reports every problem at once, each at its path', () => {
    const result = validatePolicy({
      name: 7,
      urlBlocklist: ['example.com', 'good.test', 'x.test:99999', 42],
      urlBlockList: ['typo.test'],
      auditUrlDetail: 'everything',
      dataControls: [
        { name: 'r', rule_id: 'a', restrictions: [{ class: 'SCREEN', level: 'BLOCK' }] },
        { name: 'r2', rule_id: 'a', restrictions: [] },
      ],
    });
    expect(result.document).toBeNull();
    const paths = result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'name',
        'urlBlocklist[2]',
        'urlBlocklist[3]',
        'urlBlockList',
        'auditUrlDetail',
        'dataControls[0].restrictions[0].class',
        'dataControls[1].rule_id',
        'dataControls[1].restrictions',
      ]),
    );
  });

  it('suggests the field an unknown one was probably meant to be', () => {
    const [e] = errorsOf({ urlBlockList: [] });
    expect(e?.message).toContain('did you mean "urlBlocklist"');
  });

  it('names the filter and says why it is invalid', () => {
    const [e] = errorsOf({ urlBlocklist: ['htp:/x'] });
    expect(e?.path).toBe('urlBlocklist[0]');
    expect(e?.message).toMatch(/^"htp:\/x" is not a valid URL filter: .*http:\/\/x/);
  });

  it("raises Chrome's warning for a wildcard inside a host, saying what to write", () => {
    const [w] = warningsOf({ urlBlocklist: ['*.example.com'] });
    expect(w?.path).toBe('urlBlocklist[0]');
    expect(w?.message).toContain('example.com');
  });

  it('warns about duplicate filters', () => {
    const [w] = warningsOf({ urlBlocklist: ['a.test', 'a.test'] });
    expect(w?.path).toBe('urlBlocklist[1]');
  });

  it('checks data-control endpoints, combinators and app references', () => {
    const errors = errorsOf({
      apps: [{ id: 'mail', name: 'Mail', urls: ['mail.test'] }],
      dataControls: [
        {
          name: 'r',
          rule_id: 'r',
          sources: { urls: ['corp.test'], apps: ['mail', 'chat'], and: [], incognito: 'yes' },
          destinations: { not: { os_clipboard: true, colour: 1 } },
          restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }],
        },
      ],
    }).map((d) => d.path);
    expect(errors).toEqual([
      'dataControls[0].sources.apps[1]',
      'dataControls[0].sources.incognito',
      'dataControls[0].sources.and',
      'dataControls[0].destinations.not.colour',
    ]);
  });

  it('validates app catalog entries and httpsOnly hosts', () => {
    const errors = errorsOf({
      apps: [
        { id: 'Mail', name: 'Mail', urls: [], catalog: { description: 'd', launchUrl: 'ftp://x' } },
      ],
      httpsOnly: { hosts: ['https://intranet.test'], mode: 'upgrade' },
    }).map((d) => d.path);
    expect(errors).toEqual(['apps[0].id', 'apps[0].catalog.launchUrl', 'httpsOnly.hosts[0]']);
  });

  it('rejects non-objects with a clear message', () => {
    expect(errorsOf([])[0]?.message).toContain('must be a JSON object');
    expect(errorsOf(null)[0]?.message).toContain('got null');
  });

  it('never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        validatePolicy(value);
      }),
    );
    fc.assert(
      fc.property(
        fc.record({
          urlBlocklist: fc.array(fc.string()),
          dataControls: fc.array(fc.jsonValue()),
          apps: fc.array(fc.jsonValue()),
        }),
        (value) => {
          validatePolicy(value);
        },
      ),
    );
  });

  it('round-trips a valid policy through serialize and validate', () => {
    const hosts = fc.array(fc.domain(), { maxLength: 5 });
    fc.assert(
      fc.property(
        hosts,
        hosts,
        fc.constantFrom('full', 'origin', 'none'),
        (block, allow, detail) => {
          const first = validatePolicy({
            urlBlocklist: block,
            urlAllowlist: allow,
            auditUrlDetail: detail,
          });
          expect(first.document).not.toBeNull();
          const second = validatePolicy(JSON.parse(JSON.stringify(first.document)));
          expect(second).toEqual(first);
        },
      ),
    );
  });
});

describe('dataControls content conditions', () => {
  const withContent = (content: unknown) => ({
    dataControls: [
      { name: 'r', rule_id: 'r', content, restrictions: [{ class: 'CLIPBOARD', level: 'BLOCK' }] },
    ],
  });

  it('accepts built-in detectors and safe patterns', () => {
    expect(
      errorsOf(
        withContent({
          detectors: ['payment_card', 'jwt'],
          patterns: [{ id: 'prj', pattern: 'PRJ-\\d{6}' }],
          min_count: 2,
        }),
      ),
    ).toEqual([]);
  });

  it.each([
    [
      { detectors: ['payment_cards'] },
      'dataControls[0].content.detectors[0]',
      'did you mean "payment_card"',
    ],
    [{ detectors: ['zzz'] }, 'dataControls[0].content.detectors[0]', 'Known: payment_card'],
    [
      { patterns: [{ id: 'p', pattern: '(a+)+$' }] },
      'dataControls[0].content.patterns[0].pattern',
      'at character 1 uses a group',
    ],
    [
      { patterns: [{ id: 'p', pattern: 'a|b' }] },
      'dataControls[0].content.patterns[0].pattern',
      'alternation is not allowed',
    ],
    [
      { patterns: [{ id: 'p', pattern: '\\d+*' }] },
      'dataControls[0].content.patterns[0].pattern',
      'nested quantifiers',
    ],
    [
      { patterns: [{ id: 'bad id', pattern: 'x' }] },
      'dataControls[0].content.patterns[0].id',
      'letters, digits',
    ],
    [{ detectors: ['jwt'], min_count: 0 }, 'dataControls[0].content.min_count', 'whole number'],
    [{}, 'dataControls[0].content', 'names no detector'],
    [{ detector: ['jwt'] }, 'dataControls[0].content.detector', 'did you mean "detectors"'],
    ['jwt', 'dataControls[0].content', 'must be an object'],
    [
      { patterns: Array.from({ length: 17 }, (_, i) => ({ id: `p${i}`, pattern: 'x' })) },
      'dataControls[0].content.patterns',
      'at most 16 per rule',
    ],
  ])('refuses %j at %s', (content, path, message) => {
    const errors = errorsOf(withContent(content));
    expect(errors.some((e) => e.path === path && e.message.includes(message))).toBe(true);
  });

  it('warns that content is never checked on print and download', () => {
    const doc = {
      dataControls: [
        {
          name: 'r',
          rule_id: 'r',
          content: { detectors: ['jwt'] },
          restrictions: [{ class: 'PRINTING', level: 'BLOCK' }],
        },
      ],
    };
    expect(warningsOf(doc).map((w) => w.path)).toContain('dataControls[0].content');
  });
});
