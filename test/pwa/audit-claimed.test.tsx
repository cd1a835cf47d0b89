// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredAuditEvent } from '../../core/audit/types.ts';
import { AuditTable } from '../../pwa/src/auditor/audit-table.tsx';
import { EventDetail } from '../../pwa/src/auditor/event-detail.tsx';
import { render, type Rendered } from './support/render.tsx';

let view: Rendered;
afterEach(() => view.unmount());

const event = (patch: Partial<StoredAuditEvent>): StoredAuditEvent =>
  ({
    seq: 7,
    id: 'e7',
    time: '2026-12-03T10:00:00.000Z',
    receivedAt: '2026-12-03T10:00:01.000Z',
    kind: 'navigation',
    level: 'BLOCK',
    outcome: 'blocked',
    url: 'https://bad.test/',
    deviceId: 'd1',
    prevHash: '0',
    hash: '1',
    ...patch,
  }) as StoredAuditEvent;

describe('the audit trail names people only as proven', () => {
  it('shows a managed browser’s email as claimed when no person proved the device', () => {
    const claimed = event({ claimedEmail: 'ceo@example.com' });
    view = render(
      <AuditTable events={[claimed]} selected={null} onSelect={() => {}} busy={false} />,
    );
    expect(view.text()).toContain('claimed: ceo@example.com');
    view.unmount();
    view = render(<EventDetail event={claimed} onClose={() => {}} onFilter={() => {}} />);
    expect(view.text()).toContain('ceo@example.com (what the browser');
    expect(view.text()).toContain('unproven');
  });

  it('shows the proven person, not the claim, once the device is theirs', () => {
    const proven = event({ userEmail: 'pat@example.com', claimedEmail: 'pat@example.com' });
    view = render(
      <AuditTable events={[proven]} selected={null} onSelect={() => {}} busy={false} />,
    );
    expect(view.text()).toContain('pat@example.com');
    expect(view.text()).not.toContain('claimed:');
  });
});
