import { UNIT_COST_MAX_CENTS, type UnitCosts } from '@pave/shared';
import { useState, type FormEvent } from 'react';
import { TextField } from '../../../components/form-field';
import { useI18n, type MessageKey } from '../../../i18n';
import { fetchUnitCosts, saveUnitCosts } from '../api/admin-api';
import { useAdminSection } from '../hooks/use-admin-feedback';
import { AdminSection } from './admin-section';

/** "12,50" or "12.50" or "12" euros → cents; '' → null (not set); anything else → an error key. */
export function parseEuros(text: string): { cents: number | null } | { problem: MessageKey } {
  const value = text.trim().replace(/\s|€/g, '').replace(',', '.');
  if (value === '') return { cents: null };
  if (!/^\d+(\.\d{1,2})?$/.test(value)) return { problem: 'admin.costs.format' };
  const cents = Math.round(Number(value) * 100);
  return cents > UNIT_COST_MAX_CENTS ? { problem: 'admin.costs.tooHigh' } : { cents };
}

function euros(cents: number | null, locale: 'fr' | 'en'): string {
  if (cents === null) return '';
  return (cents / 100).toLocaleString(locale === 'fr' ? 'fr-FR' : 'en-GB', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
    useGrouping: false,
  });
}

/** What one report costs the city per channel: the evaluation's costs and savings follow from it. */
export function CostsSection() {
  const { t } = useI18n();
  const { data, error, notice, runAndReload } = useAdminSection(fetchUnitCosts);
  return (
    <AdminSection title={t('admin.costs.title')} intro={t('admin.costs.intro')} error={error} notice={notice}>
      {data && (
        <CostsForm
          key={data.costs.map((c) => c.costCents).join(',')}
          costs={data.costs}
          onSave={(body) => runAndReload(() => saveUnitCosts(body), t('admin.costs.saved'))}
        />
      )}
    </AdminSection>
  );
}

function CostsForm({
  costs,
  onSave,
}: {
  costs: UnitCosts['costs'];
  onSave: (body: Parameters<typeof saveUnitCosts>[0]) => Promise<boolean>;
}) {
  const { t, label, locale } = useI18n();
  const [values, setValues] = useState(() =>
    Object.fromEntries(costs.map((c) => [c.channel, euros(c.costCents, locale)])),
  );
  const [problems, setProblems] = useState<Record<string, MessageKey>>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const found: Record<string, MessageKey> = {};
    const body: Parameters<typeof saveUnitCosts>[0] = { costs: [] };
    for (const { channel } of costs) {
      const parsed = parseEuros(values[channel] ?? '');
      if ('problem' in parsed) found[channel] = parsed.problem;
      else body.costs.push(parsed.cents === null ? { channel } : { channel, costCents: parsed.cents });
    }
    setProblems(found);
    if (Object.keys(found).length > 0) {
      requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    await onSave(body);
  }

  return (
    <form className="admin-form" noValidate onSubmit={(e) => void submit(e)}>
      <div className="admin-form__grid">
        {costs.map((c) => (
          <TextField
            key={c.channel}
            id={`admin-f-cost-${c.channel}`}
            label={t('admin.costs.of', { channel: label(c.label) })}
            hint={t('admin.costs.hint')}
            inputMode="decimal"
            value={values[c.channel] ?? ''}
            onValue={(value) => setValues((current) => ({ ...current, [c.channel]: value }))}
            error={problems[c.channel] ? t(problems[c.channel]!) : undefined}
          />
        ))}
      </div>
      <button type="submit" className="button button--primary">
        {t('admin.costs.submit')}
      </button>
    </form>
  );
}
