/**
 * The credential index behind device sync: what it answers, and every way an entry goes
 * (a revoke read before it was written must not come back).
 */
import { describe, expect, it } from 'vitest';
import { CredentialIndex } from '../../server/service/credential-index.ts';

const device = (id: string, userId: string | null = null) => ({ id, groupId: 'g', userId });

describe('CredentialIndex', () => {
  it.each([
    { what: 'a fresh entry', now: 999, found: true },
    { what: 'an entry at its end', now: 1000, found: false },
    { what: 'an entry past its end', now: 5000, found: false },
  ])('answers $what: $found', ({ now, found }) => {
    const index = new CredentialIndex();
    index.remember('h1', device('d1'), index.generation, 1000);
    expect(index.lookup('h1', now)).toEqual(found ? device('d1') : undefined);
    expect(index.size).toBe(found ? 1 : 0);
  });

  it('refuses what was read before anything was forgotten', () => {
    const index = new CredentialIndex();
    const generation = index.generation; // a request starts reading the store …
    index.forget(['d1']); // … a revoke lands meanwhile …
    index.remember('h1', device('d1'), generation, 1000); // … and the stale read comes back
    expect(index.lookup('h1', 0)).toBeUndefined();
  });

  it.each([
    { what: 'forget of its device', act: (i: CredentialIndex) => i.forget(['d1']) },
    { what: 'forget of its owner', act: (i: CredentialIndex) => i.forgetUser('u1') },
    { what: 'clear', act: (i: CredentialIndex) => i.clear() },
    { what: 'suspend', act: (i: CredentialIndex) => i.suspend() },
  ])('drops every credential of a device on $what', ({ act }) => {
    const index = new CredentialIndex();
    index.remember('h1', device('d1', 'u1'), index.generation, 1000);
    index.remember('h2', device('d1', 'u1'), index.generation, 1000); // a paired extension's
    index.remember('h3', device('d2', 'u2'), index.generation, 1000);
    act(index);
    expect(index.lookup('h1', 0)).toBeUndefined();
    expect(index.lookup('h2', 0)).toBeUndefined();
  });

  it('keeps other devices when one is forgotten', () => {
    const index = new CredentialIndex();
    index.remember('h1', device('d1', 'u1'), index.generation, 1000);
    index.remember('h3', device('d2', 'u2'), index.generation, 1000);
    index.forgetUser('u1');
    index.forget(['d9']);
    expect(index.lookup('h3', 0)).toEqual(device('d2', 'u2'));
  });

  it('holds nothing while suspended, and again once resumed', () => {
    const index = new CredentialIndex();
    index.suspend();
    index.remember('h1', device('d1'), index.generation, 1000);
    expect(index.lookup('h1', 0)).toBeUndefined();
    index.resume();
    index.remember('h1', device('d1'), index.generation, 1000);
    expect(index.lookup('h1', 0)).toEqual(device('d1'));
  });

  it('keeps at most its bound, dropping the oldest', () => {
    const index = new CredentialIndex(2);
    for (const n of [1, 2, 3]) index.remember(`h${n}`, device(`d${n}`), index.generation, 1000);
    expect(index.size).toBe(2);
    expect(index.lookup('h1', 0)).toBeUndefined();
    expect(index.lookup('h3', 0)).toEqual(device('d3'));
  });

  it('holds only what sync reads, never more of the row', () => {
    const index = new CredentialIndex();
    const row = { ...device('d1'), name: 'laptop', status: 'active' };
    index.remember('h1', row, index.generation, 1000);
    expect(index.lookup('h1', 0)).toEqual(device('d1'));
  });
});
