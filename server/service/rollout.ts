import type { DeviceView } from '../store/types.ts';
import type { ServiceContext } from './context.ts';

export interface GroupRollout {
  groupId: string;
  groupName: string;
  version: number | null;
  devices: { total: number; current: number; behind: DeviceView[] };
}

/**
 * How far each group's current policy version has reached: active devices that
 * acknowledged it (or a later one) are current, the rest are behind.
 */
export async function rollout(ctx: ServiceContext): Promise<GroupRollout[]> {
  const [groups, envelopes, devices] = await Promise.all([
    ctx.store.listGroups(),
    ctx.store.listGroupEnvelopes(),
    ctx.store.listDevices({ status: 'active' }),
  ]);
  const versionOf = new Map(envelopes.map((e) => [e.groupId, e.version]));
  const byGroup = new Map<string, DeviceView[]>();
  for (const d of devices) byGroup.set(d.groupId, [...(byGroup.get(d.groupId) ?? []), d]);
  return groups.map((g) => {
    const version = versionOf.get(g.id) ?? null;
    const members = byGroup.get(g.id) ?? [];
    const behind = members.filter((d) => version !== null && (d.appliedVersion ?? -1) < version);
    return {
      groupId: g.id,
      groupName: g.name,
      version,
      devices: { total: members.length, current: members.length - behind.length, behind },
    };
  });
}
