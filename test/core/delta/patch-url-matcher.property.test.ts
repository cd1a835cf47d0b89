import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyListEdit, listEdit } from '../../../core/policy/list-edit.ts';
import { buildUrlMatcher } from '../../../core/policy/url-filter/url-matcher.ts';
import { patchUrlMatcher } from '../../../core/policy/url-filter/patch-url-matcher.ts';
import { filter, url } from '../url-filter/arbitraries.ts';

const list = fc.array(filter, { maxLength: 12 });

/** A list and a later version of it: some entries dropped, some inserted anywhere, some moved. */
const nextOf = (from: string[]) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: from.length, maxLength: from.length }),
      fc.array(fc.tuple(fc.nat(), filter), { maxLength: 5 }),
    )
    .map(([keep, inserts]) => {
      const out = from.filter((_, i) => keep[i]);
      for (const [at, f] of inserts) out.splice(at % (out.length + 1), 0, f);
      return out;
    });

const history = fc.tuple(list, list).chain(([block, allow]) =>
  fc.tuple(
    fc.constant({ blocklist: block, allowlist: allow }),
    fc.tuple(nextOf(block), nextOf(allow)).chain(([b1, a1]) =>
      fc.tuple(
        fc.constant({ blocklist: b1, allowlist: a1 }),
        fc.tuple(nextOf(b1), nextOf(a1)).map(([b2, a2]) => ({ blocklist: b2, allowlist: a2 })),
      ),
    ),
  ),
);

describe('listEdit', () => {
  it('rebuilds the new list exactly, order included', () => {
    fc.assert(
      fc.property(list, list, (from, to) => {
        expect(applyListEdit(from, listEdit(from, to))).toEqual(to);
      }),
      { numRuns: 3000 },
    );
  });

  it('is as small as the change when nothing moves', () => {
    const from = Array.from({ length: 1000 }, (_, i) => `h${i}.example`);
    const to = [...from.slice(0, 10), ...from.slice(15, 600), 'new.example', ...from.slice(600)];
    const edit = listEdit(from, to);
    expect(edit.removed).toEqual([10, 11, 12, 13, 14]);
    expect(edit.at).toEqual([595]);
    expect(edit.added).toEqual(['new.example']);
  });

  it('refuses an edit whose indexes do not fit the list (the payload hash catches the rest)', () => {
    const edit = listEdit(['a', 'b', 'c'], ['a', 'c']);
    expect(applyListEdit(['a'], edit)).toBeNull();
  });
});

describe('patchUrlMatcher equals a full rebuild', () => {
  it('after one and after two deltas, on generated lists and URLs', () => {
    fc.assert(
      fc.property(
        history,
        fc.array(url, { minLength: 1, maxLength: 8 }),
        ([v0, [v1, v2]], urls) => {
          const edit = (a: typeof v0, b: typeof v0) => ({
            blocklist: listEdit(a.blocklist, b.blocklist),
            allowlist: listEdit(a.allowlist, b.allowlist),
          });
          const patched1 = patchUrlMatcher(buildUrlMatcher(v0), v1, edit(v0, v1));
          const full1 = buildUrlMatcher(v1);
          for (const u of urls) expect(patched1.decide(u)).toEqual(full1.decide(u));
          expect(patched1.invalid).toEqual(full1.invalid);
          const patched2 = patchUrlMatcher(patched1, v2, edit(v1, v2));
          const full2 = buildUrlMatcher(v2);
          for (const u of urls) expect(patched2.decide(u)).toEqual(full2.decide(u));
          expect(patched2.invalid).toEqual(full2.invalid);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
