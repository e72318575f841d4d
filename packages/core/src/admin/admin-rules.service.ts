import { AppError, type AdminRule, type AdminRules } from '@pave/shared';
import { withTransaction, type Db, type Pool } from '../db/pool';
import { requireRole } from '../staff/roles';
import type { StaffUser } from '../staff/staff.repo';
import { recordChange } from './admin-audit.service';
import { checkSameTown, checkTownUnchanged, chooseTown } from './admin-towns.service';
import {
  deactivateRule,
  deleteRule,
  findRule,
  findRules,
  insertRule,
  lockAllRuleIds,
  lockRule,
  resolveRuleCodes,
  setRuleOrder,
  updateRule,
  type RuleFields,
} from './admin-rules.repo';

/** A rule as the API takes it: criteria by code, a time window in Europe/Paris wall-clock time. */
export interface RuleInput {
  position?: number;
  team?: string;
  category?: string | null;
  group?: string | null;
  area?: string | null;
  days?: number[] | null;
  timeFrom?: string | null;
  timeTo?: string | null;
  isActive?: boolean;
  description?: string;
}

type CompleteRule = Required<RuleInput> & { position: number; team: string };

/**
 * Checks a complete rule and turns its codes into ids; every refusal names the field. `town` is the
 * rule's town, or a function of its team's town for a rule being created (chooseTown). The team and
 * the area named in `checked` must serve in that town (checkSameTown): a patch checks what it changes,
 * so a rule made before towns existed can still be switched off. A town-less rule may keep to a town's
 * area: it then applies in that town only, and that town's teams may take it.
 */
async function toFields(
  db: Db,
  rule: CompleteRule,
  town: string | null | ((teamTown: string | null) => Promise<string | null>),
  checked: { team: boolean; area: boolean },
): Promise<RuleFields & { town: string | null }> {
  if (rule.category !== null && rule.group !== null) {
    throw new AppError('VALIDATION_FAILED', 'A rule matches a category or a group of categories, not both.');
  }
  if ((rule.timeFrom === null) !== (rule.timeTo === null)) {
    throw new AppError('VALIDATION_FAILED', 'A time window needs both timeFrom and timeTo (or neither: all day).');
  }
  if (rule.timeFrom !== null && rule.timeFrom === rule.timeTo) {
    throw new AppError('VALIDATION_FAILED', 'timeFrom and timeTo are equal; leave both out for all day.');
  }
  if (
    rule.days !== null &&
    (rule.days.length === 0 ||
      new Set(rule.days).size !== rule.days.length ||
      rule.days.some((d) => !Number.isInteger(d) || d < 1 || d > 7))
  ) {
    throw new AppError(
      'VALIDATION_FAILED',
      'days lists ISO days 1 (Monday) to 7 (Sunday), each once; null for every day.',
    );
  }
  const ids = await resolveRuleCodes(db, rule);
  for (const [field, code, id] of [
    ['category', rule.category, ids.categoryId],
    ['group', rule.group, ids.groupId],
    ['area', rule.area, ids.areaId],
    ['team', rule.team, ids.teamId],
  ] as const) {
    if (code !== null && id === null) throw new AppError('VALIDATION_FAILED', `Unknown ${field} "${code}".`);
  }
  const ruleTown = typeof town === 'function' ? await town(ids.teamTown) : town;
  // A town-less rule kept to a town's area acts in that town only: that town's team may take it.
  const actsIn = ruleTown ?? (rule.area === null ? null : ids.areaTown);
  if (checked.team) checkSameTown(actsIn, { what: 'team', code: rule.team, town: ids.teamTown });
  if (checked.area && ruleTown !== null && rule.area !== null) {
    checkSameTown(ruleTown, { what: 'area', code: rule.area, town: ids.areaTown });
  }
  return {
    town: ruleTown,
    position: rule.position,
    categoryId: ids.categoryId,
    groupId: ids.groupId,
    areaId: ids.areaId,
    teamId: ids.teamId!,
    days: rule.days === null ? null : [...rule.days].sort((a, b) => a - b),
    timeFrom: rule.timeFrom,
    timeTo: rule.timeTo,
    isActive: rule.isActive,
    description: rule.description.trim(),
  };
}

export async function listRulesForAdmin(deps: { db: Pool }, user: StaffUser): Promise<AdminRules> {
  requireRole(user, ['admin']);
  return { rules: await findRules(deps.db) };
}

/**
 * A new rule; it takes part in routing from the next report on. Its town is the admin's, or the one a
 * metropolitan admin chose, by default its team's (a town-less rule applies in every town). Audited.
 */
export async function createRule(
  deps: { db: Pool },
  user: StaffUser,
  input: RuleInput & { position: number; team: string; town?: string | null },
): Promise<AdminRule> {
  requireRole(user, ['admin']);
  const { town: requestedTown, ...criteria } = input;
  return withTransaction(deps.db, async (tx) => {
    const { town, ...fields } = await toFields(
      tx,
      {
        category: null,
        group: null,
        area: null,
        days: null,
        timeFrom: null,
        timeTo: null,
        isActive: true,
        description: '',
        ...criteria,
      },
      (teamTown) => chooseTown(tx, user, requestedTown, teamTown),
      { team: true, area: true },
    );
    const rule = (await findRule(tx, await insertRule(tx, fields, town)))!;
    await recordChange(tx, user, 'rule.create', { id: rule.id, before: null, after: rule });
    return rule;
  });
}

/** Changes any field of a rule (criteria, team, window, position, active); audited. */
export async function patchRule(
  deps: { db: Pool },
  user: StaffUser,
  id: number,
  { town, ...patch }: RuleInput & { town?: string | null },
): Promise<AdminRule> {
  requireRole(user, ['admin']);
  return withTransaction(deps.db, async (tx) => {
    const before = await lockRule(tx, id);
    if (!before) throw new AppError('RULE_NOT_FOUND', 'No routing rule with this id.');
    checkTownUnchanged(user, { what: 'rule', code: `#${before.id}`, town: before.town }, town);
    const merged: CompleteRule = {
      position: before.position,
      team: before.team.code,
      category: before.category,
      group: before.group,
      area: before.area,
      days: before.days,
      timeFrom: before.timeFrom,
      timeTo: before.timeTo,
      isActive: before.isActive,
      description: before.description,
    };
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
    }
    // Setting a category clears the group and the reverse, so "move this rule to one category" is one field.
    if (patch.category != null && patch.group === undefined) merged.group = null;
    if (patch.group != null && patch.category === undefined) merged.category = null;
    const { town: _town, ...fields } = await toFields(tx, merged, before.town, {
      team: patch.team !== undefined,
      area: patch.area !== undefined,
    });
    await updateRule(tx, id, fields);
    const after = (await findRule(tx, id))!;
    await recordChange(tx, user, 'rule.update', { id, before, after });
    return after;
  });
}

/**
 * Removes a rule. A rule that routed reports is deactivated instead: the reports keep the link to the
 * rule that decided them, and a replayed `report.route` job, which skips reports whose team and rule
 * are set, cannot route them a second time (ON DELETE SET NULL would clear the rule). Audited.
 */
export async function removeRule(
  deps: { db: Pool },
  user: StaffUser,
  id: number,
): Promise<{ id: number; outcome: 'deleted' | 'deactivated' }> {
  requireRole(user, ['admin']);
  return withTransaction(deps.db, async (tx) => {
    const before = await lockRule(tx, id);
    if (!before) throw new AppError('RULE_NOT_FOUND', 'No routing rule with this id.');
    if (before.isReferenced) {
      await deactivateRule(tx, id);
      const after = await findRule(tx, id);
      await recordChange(tx, user, 'rule.deactivate', { id, before, after });
      return { id, outcome: 'deactivated' as const };
    }
    await deleteRule(tx, id);
    await recordChange(tx, user, 'rule.delete', { id, before, after: null });
    return { id, outcome: 'deleted' as const };
  });
}

/** Puts every rule in the given order (the list must name each rule once); audited as one change. */
export async function reorderRules(deps: { db: Pool }, user: StaffUser, ids: number[]): Promise<AdminRules> {
  requireRole(user, ['admin']);
  return withTransaction(deps.db, async (tx) => {
    const current = await lockAllRuleIds(tx);
    const known = new Set(current);
    const unknown = ids.find((id) => !known.has(id));
    if (unknown !== undefined) throw new AppError('RULE_NOT_FOUND', `No routing rule with id ${unknown}.`);
    if (new Set(ids).size !== ids.length || ids.length !== current.length) {
      throw new AppError('VALIDATION_FAILED', `List every rule exactly once (${current.length} rules).`);
    }
    await setRuleOrder(tx, ids);
    await recordChange(tx, user, 'rule.reorder', { id: '*', before: { order: current }, after: { order: ids } });
    return { rules: await findRules(tx) };
  });
}
