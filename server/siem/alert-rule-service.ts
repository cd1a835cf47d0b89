import type { z } from 'zod';
import type { AuditService } from '../audit/audit-service.ts';
import { ApiError } from '../errors.ts';
import { isoNow, type ServiceContext } from '../service/context.ts';
import type { AlertRuleRow, UserView } from '../store/types.ts';
import { newId } from '../util/tokens.ts';
import type { siemSchemas } from '../../contract/siem.ts';

/** The alert rules admins set, and the alerts they raised. */
export class AlertRuleService {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly audit: AuditService,
  ) {}

  list() {
    return this.ctx.store.listAlertRules();
  }

  alerts(limit: number) {
    return this.ctx.store.listAlerts(limit);
  }

  async create(actor: UserView, body: z.output<typeof siemSchemas.newAlertRule>) {
    const row: AlertRuleRow = {
      id: newId(),
      ...body,
      createdBy: actor.id,
      createdAt: isoNow(this.ctx),
    };
    await this.ctx.store.createAlertRule(row);
    await this.audit.record(actor, 'alert_rule.create', `alert-rule:${row.id}`, { type: row.type });
    return row;
  }

  async update(actor: UserView, id: string, patch: z.output<typeof siemSchemas.alertRulePatch>) {
    const current = (await this.ctx.store.listAlertRules()).find((r) => r.id === id);
    if (!current) throw new ApiError('not_found', 'There is no such alert rule.');
    const merged = { ...current, ...patch };
    if (
      merged.type === 'rule_blocks' &&
      (merged.threshold === null || merged.windowMinutes === null)
    )
      throw new ApiError(
        'validation_failed',
        'a rule_blocks alert needs threshold (N blocks) and windowMinutes (within M minutes).',
      );
    const row = (await this.ctx.store.updateAlertRule(id, patch))!;
    await this.audit.record(actor, 'alert_rule.update', `alert-rule:${id}`, {
      changed: Object.keys(patch).join(','),
    });
    return row;
  }

  async delete(actor: UserView, id: string) {
    if (!(await this.ctx.store.deleteAlertRule(id)))
      throw new ApiError('not_found', 'There is no such alert rule.');
    await this.audit.record(actor, 'alert_rule.delete', `alert-rule:${id}`);
  }
}
