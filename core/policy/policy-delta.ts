import { base64urlEncode } from '../crypto/base64url.ts';
import { utf8Encode } from '../crypto/utf8.ts';
import type { Subtle } from '../crypto/webcrypto.ts';
import { applyListEdit, isListEdit, listEdit, type ListEdit } from './list-edit.ts';
import { parseJsonObject, type PolicyPayload } from './policy-payload.ts';
import type { EffectivePolicy } from './types.ts';

/**
 * What the server signs to move a device from the version it holds to the group's current
 * one: the edits of the two filter lists and the rest of the new policy. It is signed with
 * the same key and verified by the same code as the full envelope, and binds the same
 * things (group, version, issue time) plus the base version and the SHA-256 of the full
 * payload it produces — so the device ends with the exact bytes the full envelope would
 * have carried, and can prove them at every start from the signed delta alone.
 *
 * It has no `v` and no `policy`, so no parser of full payloads (this one or an older
 * extension's) takes a delta for a full policy with empty lists.
 */
export interface PolicyDelta {
  delta: 1;
  groupId: string;
  groupName: string;
  /** The version the edits apply to: the device's, else it needs the full envelope. */
  baseVersion: number;
  version: number;
  issuedAt: string;
  /** base64url SHA-256 of the full payload's UTF-8 bytes (JSON.stringify of PolicyPayload). */
  payloadSha256: string;
  /** The new policy with both lists empty: key order kept, so the rebuilt bytes are equal. */
  rest: EffectivePolicy;
  lists: { urlBlocklist: ListEdit; urlAllowlist: ListEdit };
}

/** base64url SHA-256 of a string's UTF-8 bytes. */
export async function sha256Text(subtle: Subtle, text: string): Promise<string> {
  return base64urlEncode(new Uint8Array(await subtle.digest('SHA-256', utf8Encode(text))));
}

/** The delta from `base` to `next` (the payload of `nextText`, which it hashes). */
export async function policyDelta(
  subtle: Subtle,
  base: PolicyPayload,
  next: PolicyPayload,
  nextText: string,
): Promise<PolicyDelta> {
  return {
    delta: 1,
    groupId: next.groupId,
    groupName: next.groupName,
    baseVersion: base.version,
    version: next.version,
    issuedAt: next.issuedAt,
    payloadSha256: await sha256Text(subtle, nextText),
    rest: { ...next.policy, urlBlocklist: [], urlAllowlist: [] },
    lists: {
      urlBlocklist: listEdit(base.policy.urlBlocklist, next.policy.urlBlocklist),
      urlAllowlist: listEdit(base.policy.urlAllowlist, next.policy.urlAllowlist),
    },
  };
}

/** Parses a verified delta payload; null when it is not one. */
export function parsePolicyDelta(text: string): PolicyDelta | null {
  const d = parseJsonObject(text);
  if (!d) return null;
  if (d.delta !== 1 || 'v' in d || 'policy' in d) return null;
  if (typeof d.groupId !== 'string' || typeof d.groupName !== 'string') return null;
  if (!Number.isSafeInteger(d.baseVersion) || !Number.isSafeInteger(d.version)) return null;
  if (typeof d.issuedAt !== 'string' || typeof d.payloadSha256 !== 'string') return null;
  if (typeof d.rest !== 'object' || d.rest === null) return null;
  const rest = d.rest as Record<string, unknown>;
  if (!Array.isArray(rest.urlBlocklist) || !Array.isArray(rest.urlAllowlist)) return null;
  if (!Array.isArray(rest.dataControls)) return null;
  const lists = d.lists as Record<string, unknown> | null;
  if (typeof lists !== 'object' || lists === null) return null;
  if (!isListEdit(lists.urlBlocklist) || !isListEdit(lists.urlAllowlist)) return null;
  return d as unknown as PolicyDelta;
}

export type AppliedDelta =
  | {
      ok: true;
      payload: PolicyPayload;
      /** The full payload's bytes, equal to what the full envelope signs. */
      text: string;
      /** Per list, the edit that was applied (for patching matchers and rules). */
      lists: PolicyDelta['lists'];
    }
  | { ok: false; code: 'wrong_base' | 'bad_result'; message: string };

export type PatchedPayload =
  | { ok: true; payload: PolicyPayload; lists: PolicyDelta['lists'] }
  | { ok: false; code: 'wrong_base'; message: string };

/**
 * The payload a verified delta makes of the one the device holds, before its SHA-256 is
 * checked (`rebuiltText`). Refuses a delta for another version, group or list.
 */
export function patchPolicyPayload(base: PolicyPayload, delta: PolicyDelta): PatchedPayload {
  if (delta.baseVersion !== base.version || delta.groupId !== base.groupId) {
    return {
      ok: false,
      code: 'wrong_base',
      message: `the delta applies to ${delta.groupId} v${delta.baseVersion}, this device holds ${base.groupId} v${base.version}`,
    };
  }
  const urlBlocklist = applyListEdit(base.policy.urlBlocklist, delta.lists.urlBlocklist);
  const urlAllowlist = applyListEdit(base.policy.urlAllowlist, delta.lists.urlAllowlist);
  if (!urlBlocklist || !urlAllowlist) {
    return { ok: false, code: 'wrong_base', message: 'the delta does not fit the lists held' };
  }
  // Assigning keys that exist keeps their place, so the bytes match the server's payload.
  const policy = { ...delta.rest };
  policy.urlBlocklist = urlBlocklist;
  policy.urlAllowlist = urlAllowlist;
  const payload: PolicyPayload = {
    v: 1,
    version: delta.version,
    issuedAt: delta.issuedAt,
    groupId: delta.groupId,
    groupName: delta.groupName,
    policy,
  };
  return { ok: true, payload, lists: delta.lists };
}

/**
 * The bytes of a patched payload, or null when their SHA-256 is not the one the delta
 * signs. At a million filters this is 20 MB to serialise and hash (a quarter of a second in
 * the extension's worker), which is why a device may enforce the patched policy first and
 * check it right after (docs/delta-sync.md, "Overlay").
 */
export async function rebuiltText(
  subtle: Subtle,
  payload: PolicyPayload,
  delta: PolicyDelta,
): Promise<string | null> {
  const text = JSON.stringify(payload);
  return (await sha256Text(subtle, text)) === delta.payloadSha256 ? text : null;
}

/**
 * Applies a verified delta to the payload the device holds. Refuses a delta for another
 * version, group or list, and any result whose SHA-256 is not the signed one — then the
 * device fetches the full envelope.
 */
export async function applyPolicyDelta(
  subtle: Subtle,
  base: PolicyPayload,
  delta: PolicyDelta,
): Promise<AppliedDelta> {
  const patched = patchPolicyPayload(base, delta);
  if (!patched.ok) return patched;
  const text = await rebuiltText(subtle, patched.payload, delta);
  if (text === null) {
    return {
      ok: false,
      code: 'bad_result',
      message: 'the policy rebuilt from the delta is not the signed one',
    };
  }
  return { ok: true, payload: patched.payload, text, lists: delta.lists };
}
