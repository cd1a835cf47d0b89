import type { SignedStatementRow } from './types.ts';

/** A signed statement as its three nullable columns (checkpoint and head rows). */
export type SignedColumns = {
  keyId: string | null;
  payload: string | null;
  signature: string | null;
};

/**
 * A checkpoint or head row with its three signature columns folded into `signed`: null
 * unless all three are set (a checkpoint written before checkpoints were signed has none).
 */
export function withSigned<T extends SignedColumns>(
  row: T | null | undefined,
): (Omit<T, keyof SignedColumns> & { signed: SignedStatementRow | null }) | null {
  if (!row) return null;
  const { keyId, payload, signature, ...rest } = row;
  const signed = keyId && payload && signature ? { keyId, payload, signature } : null;
  return { ...rest, signed };
}
