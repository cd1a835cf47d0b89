/** The credential of an `Authorization: Bearer …` header (RFC 6750 §2.1), or undefined. */
export function bearerCredential(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}
