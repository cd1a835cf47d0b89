import { useEffect, useRef, useState } from 'preact/hooks';
import { toApiError, type ApiError } from '../api/api-error.ts';
import { adminApi } from '../api/admin-api.ts';
import { ConfirmButton } from '../components/confirm-button.tsx';
import { ErrorText } from '../components/error-text.tsx';
import { useResource } from '../components/use-resource.ts';
import { formatDateTime } from '../lib/format.ts';
import { DEVICE_STATUS } from '../lib/device-status.ts';
import { CLAIM_EXPLAINED } from './device-person.tsx';
import { DevicePostureFacts } from './device-presence.tsx';

/** One device in full, with revoke and wipe (each confirmed first). */
export function DeviceDetails({
  id,
  onClose,
  onChanged,
}: {
  id: string;
  onClose(): void;
  onChanged(): void;
}) {
  const device = useResource(async () => (await adminApi.device(id)).device, [id]);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    setDone(null);
    setError(null);
    headingRef.current?.focus();
  }, [id]);

  const act = async (what: 'revoke' | 'wipe') => {
    setError(null);
    try {
      if (what === 'revoke') await adminApi.revokeDevice(id);
      else await adminApi.wipeDevice(id);
      setDone(
        what === 'revoke'
          ? 'Revoked: its credential no longer works.'
          : 'Wipe sent: the device drops its policy and queued events, then is revoked.',
      );
      device.reload();
      onChanged();
    } catch (err) {
      setError(toApiError(err));
    }
  };

  const d = device.data;
  return (
    <section class="card detail" aria-labelledby="device-detail-title">
      <div class="row">
        <h2 id="device-detail-title" tabIndex={-1} ref={headingRef}>
          {d ? d.name : 'Device'}
        </h2>
        <button type="button" onClick={onClose} aria-label="Close device details">
          Close
        </button>
      </div>
      <ErrorText error={device.error} />
      {d && (
        <>
          <dl class="facts">
            <dt>Status</dt>
            <dd>{DEVICE_STATUS[d.status]}</dd>
            <dt>Person</dt>
            <dd>
              {d.userName ?? 'nobody yet'}
              {d.userName && (
                <span class="hint block">
                  Proven: this person, signed in, registered or claimed it.
                </span>
              )}
            </dd>
            {d.claimedEmail && (
              <>
                <dt>Claimed email</dt>
                <dd>
                  {d.claimedEmail}
                  <span class="hint block">{CLAIM_EXPLAINED}</span>
                </dd>
              </>
            )}
            <dt>Group</dt>
            <dd>{d.groupName ?? '—'}</dd>
            <dt>Browser</dt>
            <dd>{[d.browser, d.platform].filter(Boolean).join(' on ') || '—'}</dd>
            <dt>Extension</dt>
            <dd>{d.extensionVersion ?? 'not paired'}</dd>
            <dt>Set up</dt>
            <dd>
              {d.managed
                ? 'Managed (force-installed by the organisation’s browser policy)'
                : 'Paired (added by the person, signed in, from their browser)'}
            </dd>
            <dt>Policy applied</dt>
            <dd>{d.appliedVersion ? `version ${d.appliedVersion}` : 'none yet'}</dd>
            <dt>Enrolled</dt>
            <dd>{formatDateTime(d.enrolledAt)}</dd>
            <dt>Last seen</dt>
            <dd>{formatDateTime(d.lastSeenAt, 'never')}</dd>
            <dt>Id</dt>
            <dd>
              <code>{d.id}</code>
            </dd>
          </dl>
          <DevicePostureFacts device={d} />
          {d.status === 'active' && (
            <div class="row">
              <ConfirmButton
                label="Revoke"
                danger
                question={`Revoke “${d.name}”? Its credential stops working at once; the extension there stops receiving policy updates.`}
                confirmLabel="Yes, revoke"
                onConfirm={() => act('revoke')}
              />
              <ConfirmButton
                label="Wipe"
                danger
                question={`Wipe “${d.name}”? The extension there deletes its cached policy and queued audit events, then the device is revoked. This cannot be undone.`}
                confirmLabel="Yes, wipe this device"
                onConfirm={() => act('wipe')}
              />
            </div>
          )}
        </>
      )}
      {done && (
        <p class="success" role="status">
          {done}
        </p>
      )}
      <ErrorText error={error} />
    </section>
  );
}
