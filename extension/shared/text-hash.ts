/**
 * A fast synchronous 53-bit hash (cyrb53) of clipboard text, hex-encoded. Synchronous
 * because a paste must be allowed or prevented inside the event handler, before any
 * await; WebCrypto's digest is async. It identifies content for provenance only: the text
 * itself is never stored, and a collision can only make a paste look like it came from
 * another copy — it cannot reveal the text.
 */
export function textHash(text: string): string {
  const s = normalize(text);
  let h1 = 0xdeadbeef ^ s.length;
  let h2 = 0x41c6ce57 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  const n = 4294967296 * (2097151 & h2) + (h1 >>> 0);
  return n.toString(16).padStart(14, '0');
}

/** The clipboard rewrites line endings per OS; hash what survives the round trip. */
function normalize(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/** True for a value shaped like `textHash`'s output. */
export function isTextHash(v: unknown): v is string {
  return typeof v === 'string' && /^[0-9a-f]{14}$/.test(v);
}
