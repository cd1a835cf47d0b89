/**
 * A minimal CBOR encoder (RFC 8949) for what WebAuthn needs: integers, byte and text
 * strings, arrays and maps (keys in insertion order, as authenticators write them).
 */
export type CborValue =
  number | string | Uint8Array | CborValue[] | Map<number | string, CborValue>;

export function cborEncode(value: CborValue): Uint8Array {
  const out: number[] = [];
  write(out, value);
  return Uint8Array.from(out);
}

function head(out: number[], major: number, n: number): void {
  const m = major << 5;
  if (n < 24) out.push(m | n);
  else if (n < 0x100) out.push(m | 24, n);
  else if (n < 0x10000) out.push(m | 25, n >> 8, n & 0xff);
  else out.push(m | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
}

function write(out: number[], v: CborValue): void {
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) throw new Error('only integers are supported');
    return v >= 0 ? head(out, 0, v) : head(out, 1, -1 - v);
  }
  if (typeof v === 'string') {
    const bytes = new TextEncoder().encode(v);
    head(out, 3, bytes.length);
    for (const b of bytes) out.push(b);
    return;
  }
  if (v instanceof Uint8Array) {
    head(out, 2, v.length);
    for (const b of v) out.push(b);
    return;
  }
  if (Array.isArray(v)) {
    head(out, 4, v.length);
    for (const item of v) write(out, item);
    return;
  }
  head(out, 5, v.size);
  for (const [k, item] of v) {
    write(out, k);
    write(out, item);
  }
}
