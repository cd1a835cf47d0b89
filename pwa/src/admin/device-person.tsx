import type { Device } from '../api/types.ts';

/** Why a claimed email is shown apart from a person, said once for the title and the note. */
export const CLAIM_EXPLAINED =
  'What this browser’s managed configuration says (its userEmail), not proof: the device is nobody’s until that person signs in to Palisade from it and claims it.';

/**
 * Whose device it is, as far as it is proven: the person who proved it from that browser,
 * else the email a managed browser's configuration claims (marked as a claim), else no one.
 */
export function DevicePerson({ device }: { device: Pick<Device, 'userName' | 'claimedEmail'> }) {
  if (device.userName) return <>{device.userName}</>;
  if (device.claimedEmail)
    return (
      <span class="claimed" title={CLAIM_EXPLAINED}>
        claimed: {device.claimedEmail}
      </span>
    );
  return <>—</>;
}
