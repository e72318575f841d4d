import type { AdminArea, AdminCategory, AdminRule, AdminTeam } from '@pave/shared';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import type { createRule } from '../api/admin-api';
import { describeWindow } from '../admin-format';
import { AdminError } from './admin-error';
import { TeamOptions } from './team-options';
import { TownSelect } from './town-field';

/** Everything the rules tab reads: a rule names teams, areas and categories by code. */
export interface RuleLists {
  rules: AdminRule[];
  teams: AdminTeam[];
  areas: AdminArea[];
  categories: AdminCategory[];
}

const DAY_SETS = { all: null, weekdays: [1, 2, 3, 4, 5], weekend: [6, 7] } as const;

/** The days a rule's list stands for in the form; `kept`: another set, left as it is. */
function daysChoice(days: number[] | null): keyof typeof DAY_SETS | 'kept' {
  if (days === null) return 'all';
  const key = days.join(',');
  if (key === DAY_SETS.weekdays.join(',')) return 'weekdays';
  if (key === DAY_SETS.weekend.join(',')) return 'weekend';
  return 'kept';
}

/** Adds a rule, or (with `rule`) edits one: what it matches, where, when, and which team gets it. */
export function RuleForm({
  lists,
  rule,
  title,
  onSubmit,
  onCancel,
}: {
  lists: RuleLists;
  rule?: AdminRule;
  title: string;
  /** Answers the API's refusal (said beside the buttons), or null once saved. */
  onSubmit: (body: Parameters<typeof createRule>[0]) => Promise<unknown>;
  onCancel?: () => void;
}) {
  const [timeProblem, setTimeProblem] = useState<'admin.rules.timeBoth' | 'admin.rules.timeSame' | null>(null);
  const [refusal, setRefusal] = useState<unknown>(null);
  const { t } = useI18n();
  const [what, setWhat] = useState(
    rule?.category ? `category:${rule.category}` : rule?.group ? `group:${rule.group}` : '',
  );
  const [area, setArea] = useState(rule?.area ?? '');
  const [team, setTeam] = useState(rule?.team.code ?? lists.teams[0]?.code ?? '');
  const [days, setDays] = useState(daysChoice(rule?.days ?? null));
  const [timeFrom, setTimeFrom] = useState(rule?.timeFrom ?? '');
  const [timeTo, setTimeTo] = useState(rule?.timeTo ?? '');
  const [place, setPlace] = useState<'first' | 'last'>('first');
  const [description, setDescription] = useState(rule?.description ?? '');
  // A rule keeps the town it was made with: only a new one chooses it.
  const [town, setTown] = useState('');
  const groups = useMemo(() => [...new Set(lists.categories.map((c) => c.group))].sort(), [lists.categories]);
  const id = rule ? `admin-f-rule-${rule.id}` : 'admin-f-rules';
  const formRef = useRef<HTMLFormElement>(null);
  // "Modifier" opens this form under a long list: it comes into view and takes the focus, or the
  // admin sees nothing happen. The add form (no `rule`) stays where it is.
  useEffect(() => {
    const form = formRef.current;
    if (!rule || !form) return;
    const isCalm = window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
    form.scrollIntoView({ behavior: isCalm ? 'auto' : 'smooth', block: 'start' });
    form.querySelector<HTMLElement>('select, input, textarea')?.focus({ preventScroll: true });
  }, [rule]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    // Said beside the hours, before sending: the API would refuse both cases in English words.
    const problem =
      !timeFrom !== !timeTo ? 'admin.rules.timeBoth' : timeFrom && timeFrom === timeTo ? 'admin.rules.timeSame' : null;
    setTimeProblem(problem);
    setRefusal(null);
    if (problem) {
      requestAnimationFrame(() => formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    const positions = lists.rules.map((r) => r.position);
    // "First" goes before every rule (the API keeps positions ≥ 0, so a tie at 0 is left to the id order).
    const position = place === 'first' ? Math.max(0, Math.min(...positions, 10) - 1) : Math.max(...positions, 0) + 10;
    const [kind, code] = what.split(':');
    const answer = await onSubmit({
      position,
      team,
      category: kind === 'category' ? code : null,
      group: kind === 'group' ? code : null,
      area: area || null,
      // null: every day. A set the form has no name for is sent back unchanged.
      days: days === 'kept' ? rule!.days : days === 'all' ? null : [...DAY_SETS[days]!],
      timeFrom: timeFrom || null,
      timeTo: timeTo || null,
      description: description.trim(),
      ...(!rule && town && { town }),
    });
    if (answer !== null) setRefusal(answer);
  }

  return (
    <form ref={formRef} className="admin-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="admin-form__title">
        {title}
      </h3>
      <div className="admin-form__grid">
        <SelectField id={`${id}-what`} label={t('admin.rules.what')} value={what} onValue={setWhat}>
          <option value="">{t('admin.rules.anyCategory')}</option>
          <optgroup label={t('admin.rules.groups')}>
            {groups.map((group) => (
              <option key={group} value={`group:${group}`}>
                {group}
              </option>
            ))}
          </optgroup>
          <optgroup label={t('admin.rules.categories')}>
            {lists.categories.map((category) => (
              <option key={category.code} value={`category:${category.code}`}>
                {category.labelFr}
              </option>
            ))}
          </optgroup>
        </SelectField>
        <SelectField id={`${id}-area`} label={t('admin.rules.area')} value={area} onValue={setArea}>
          <option value="">{t('admin.rules.anyArea')}</option>
          {lists.areas.map((item) => (
            <option key={item.code} value={item.code}>
              {item.name}
            </option>
          ))}
        </SelectField>
        <SelectField id={`${id}-team`} label={t('admin.rules.team')} value={team} required onValue={setTeam}>
          <TeamOptions teams={lists.teams} />
        </SelectField>
        {!rule && <TownSelect id={`${id}-town`} value={town} onValue={setTown} unset="team" />}
        <SelectField
          id={`${id}-days`}
          label={t('admin.rules.days')}
          value={days}
          onValue={(value) => setDays(value as keyof typeof DAY_SETS | 'kept')}
        >
          <option value="all">{t('admin.rules.days.all')}</option>
          {days === 'kept' && rule && (
            <option value="kept">{describeWindow({ ...rule, timeFrom: null, timeTo: null }, t)}</option>
          )}
          <option value="weekdays">{t('admin.window.weekdays')}</option>
          <option value="weekend">{t('admin.window.weekend')}</option>
        </SelectField>
        <TextField
          id={`${id}-timeFrom`}
          label={t('admin.rules.timeFrom')}
          type="time"
          value={timeFrom}
          onValue={setTimeFrom}
          error={
            timeProblem && !timeFrom
              ? t(timeProblem)
              : timeProblem === 'admin.rules.timeSame'
                ? t(timeProblem)
                : undefined
          }
        />
        <TextField
          id={`${id}-timeTo`}
          label={t('admin.rules.timeTo')}
          type="time"
          value={timeTo}
          onValue={setTimeTo}
          error={timeProblem === 'admin.rules.timeBoth' && !timeTo ? t(timeProblem) : undefined}
        />
        {!rule && (
          <SelectField
            id={`${id}-place`}
            label={t('admin.rules.place')}
            value={place}
            onValue={(value) => setPlace(value as 'first' | 'last')}
          >
            <option value="first">{t('admin.rules.place.first')}</option>
            <option value="last">{t('admin.rules.place.last')}</option>
          </SelectField>
        )}
        <TextField
          id={`${id}-description`}
          label={t('admin.rules.description')}
          value={description}
          maxLength={500}
          onValue={setDescription}
        />
      </div>
      <p className="field-hint">{t('admin.rules.timeHint')}</p>
      <div className="admin-form__actions">
        <button type="submit" className="button button--primary">
          {rule ? t('admin.rules.save') : t('admin.rules.submit')}
        </button>
        {onCancel && (
          <button type="button" className="button button--quiet" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
      <AdminError error={refusal} />
    </form>
  );
}
