/**
 * The URL a data control judges a frame by. `about:blank`, `about:srcdoc`, `blob:` and
 * `data:` frames take their creator's origin (Chromium's `match_origin_as_fallback`
 * semantics): otherwise a page could move restricted content into such a frame and copy
 * or print it from there as if it came from nowhere.
 */
export function pageUrl(url: string | undefined, origin: string | undefined): string | undefined {
  if (url && /^(https?|file|ftp):/i.test(url)) return url;
  if (url?.startsWith('blob:')) return innerOrigin(url.slice(5)) ?? originUrl(origin);
  return originUrl(origin);
}

function originUrl(origin: string | undefined): string | undefined {
  return origin && origin !== 'null' ? `${origin}/` : undefined;
}

function innerOrigin(url: string): string | undefined {
  try {
    const u = new URL(url);
    return u.origin === 'null' ? undefined : `${u.origin}/`;
  } catch {
    return undefined;
  }
}
