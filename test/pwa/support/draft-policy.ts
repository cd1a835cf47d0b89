import type { PolicyDocument } from '../../../core/policy/types.ts';

/**
 * The server's record of a never-published policy `p1` holding `document`, as
 * `GET /api/v1/policies/p1` answers it (under `policy`).
 */
export function draftPolicy(document: PolicyDocument & { name: string }) {
  return { id: 'p1', name: document.name, document, liveVersion: null, publishedAt: null };
}
