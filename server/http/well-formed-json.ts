/// <reference lib="es2024.string" />
/**
 * Why a parsed JSON value cannot be stored as it is, or null when it can: the path of
 * the first string (or member name) that is not well-formed Unicode — a lone UTF-16
 * surrogate such as JSON's `"\ud800"`, which UTF-8 storage turns into U+FFFD so the
 * row no longer matches what was hashed — or that holds U+0000, which PostgreSQL's text
 * cannot store at all (SQLite can: the stores would differ); or of a member named
 * `__proto__`, which `JSON.parse` keeps as an own key but assignment-based code drops.
 *
 * Paths are written as the validators write them: `events[3].url`, `detail.__proto__`.
 *
 * @example
 * illFormedPath(JSON.parse('{"events":[{"url":"\\ud800"}]}')) // { path: 'events[0].url', … }
 */
export function illFormedPath(value: unknown): { path: string; problem: string } | null {
  const trail: (string | number)[] = [];
  const walk = (v: unknown): string | null => {
    if (typeof v === 'string') {
      if (!v.isWellFormed()) return 'is not well-formed Unicode (it holds a lone surrogate)';
      return v.includes('\0') ? 'holds a NUL character (U+0000), which cannot be stored' : null;
    }
    if (typeof v !== 'object' || v === null) return null;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        trail.push(i);
        const problem = walk(v[i]);
        if (problem) return problem;
        trail.pop();
      }
      return null;
    }
    for (const key of Object.keys(v)) {
      trail.push(key);
      if (!key.isWellFormed() || key.includes('\0')) {
        return 'is a member name that is not well-formed Unicode or holds U+0000';
      }
      if (key === '__proto__') return 'is a member name that is not allowed';
      const problem = walk((v as Record<string, unknown>)[key]);
      if (problem) return problem;
      trail.pop();
    }
    return null;
  };
  const problem = walk(value);
  return problem ? { path: formatPath(trail), problem } : null;
}

/** `['events', 3, 'url']` → `events[3].url`; a name that is not an identifier is quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      const name = String(p);
      if (!/^[A-Za-z_$][\w$]*$/.test(name)) return `[${JSON.stringify(name.toWellFormed())}]`;
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}
