import {
  DUPLICATE_RADIUS_LIMITS,
  PUBLIC_STATUS,
  REPORT_STATUSES,
  type AdminCategory,
  type CityMessageTemplate,
  type CityRejectionReason,
} from '@pave/shared';
import { useEffect, useState, type FormEvent } from 'react';
import { TextareaField, TextField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { ApiError } from '../../../lib/api-client';
import {
  fetchCategoryRadii,
  fetchMessageTemplates,
  fetchRejectionReasons,
  saveCategoryRadius,
  saveMessageTemplate,
  saveRejectionReason,
} from '../api/moderation-api';

type Status = 'idle' | 'saved' | { error: string };

function StatusLine({ status }: { status: Status }) {
  const { t } = useI18n();
  if (status === 'idle') return null;
  return (
    <p className={status === 'saved' ? 'notice notice--success' : 'form-error'} role="status">
      {status === 'saved' ? t('voice.saved') : status.error}
    </p>
  );
}

/** The city's voice, for admins: rejection reasons and public message templates, in French and English. */
export function CityVoiceAdmin() {
  return (
    <>
      <ReasonsSection />
      <TemplatesSection />
      <RadiusSection />
    </>
  );
}

function ReasonsSection() {
  const { t } = useI18n();
  const [reasons, setReasons] = useState<CityRejectionReason[]>([]);
  const [form, setForm] = useState({ code: '', labelFr: '', labelEn: '', isActive: true });
  const [status, setStatus] = useState<Status>('idle');
  const load = () =>
    void fetchRejectionReasons().then(
      (r) => setReasons(r.reasons),
      () => setReasons([]),
    );
  useEffect(load, []);

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      await saveRejectionReason(form.code.trim(), {
        labelFr: form.labelFr,
        labelEn: form.labelEn,
        isActive: form.isActive,
      });
      setStatus('saved');
      load();
    } catch (error) {
      setStatus({
        error: error instanceof ApiError && error.status === 400 ? t('voice.invalid') : t('moderation.failed'),
      });
    }
  }

  return (
    <section className="moderation-admin" aria-labelledby="voice-reasons">
      <h2 id="voice-reasons" className="section-title">
        {t('voice.reasons.title')}
      </h2>
      <p className="field-hint">{t('voice.reasons.hint')}</p>
      <ul className="voice-list">
        {reasons.map((r) => (
          <li key={r.code}>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => setForm({ code: r.code, labelFr: r.label.fr, labelEn: r.label.en, isActive: r.isActive })}
            >
              {r.label.fr}
            </button>{' '}
            <span className="moderation-state">
              {r.label.en} · {r.code}
              {!r.isActive && ` · ${t('voice.inactive')}`}
            </span>
          </li>
        ))}
      </ul>
      <form className="moderation-form" onSubmit={save}>
        <TextField
          label={t('voice.code')}
          value={form.code}
          onValue={(value) => setForm({ ...form, code: value })}
          pattern="[a-z0-9][a-z0-9-]{1,39}"
          required
        />
        <TextField
          label={t('voice.labelFr')}
          value={form.labelFr}
          onValue={(value) => setForm({ ...form, labelFr: value })}
          required
        />
        <TextField
          label={t('voice.labelEn')}
          value={form.labelEn}
          onValue={(value) => setForm({ ...form, labelEn: value })}
          required
        />
        <label className="flag-abuse-reason">
          <input
            type="checkbox"
            checked={form.isActive}
            onChange={(e) => setForm({ ...form, isActive: e.target.checked })}
          />
          {t('voice.active')}
        </label>
        <button type="submit" className="button button--primary">
          {t('voice.save')}
        </button>
        <StatusLine status={status} />
      </form>
    </section>
  );
}

function TemplatesSection() {
  const { t, label } = useI18n();
  const [templates, setTemplates] = useState<CityMessageTemplate[]>([]);
  const [form, setForm] = useState({ code: '', statuses: ['resolved'], textFr: '', textEn: '', isActive: true });
  const [status, setStatus] = useState<Status>('idle');
  const load = () =>
    void fetchMessageTemplates().then(
      (r) => setTemplates(r.templates),
      () => setTemplates([]),
    );
  useEffect(load, []);

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      await saveMessageTemplate(form.code.trim(), {
        statuses: form.statuses,
        textFr: form.textFr,
        textEn: form.textEn,
        isActive: form.isActive,
      });
      setStatus('saved');
      load();
    } catch (error) {
      setStatus({
        error: error instanceof ApiError && error.status === 400 ? t('voice.invalid') : t('moderation.failed'),
      });
    }
  }

  return (
    <section className="moderation-admin" aria-labelledby="voice-templates">
      <h2 id="voice-templates" className="section-title">
        {t('voice.templates.title')}
      </h2>
      <ul className="voice-list">
        {templates.map((tpl) => (
          <li key={tpl.code}>
            <button
              type="button"
              className="button button--quiet"
              onClick={() =>
                setForm({
                  code: tpl.code,
                  statuses: tpl.statuses,
                  textFr: tpl.text.fr,
                  textEn: tpl.text.en,
                  isActive: tpl.isActive,
                })
              }
            >
              {tpl.text.fr.slice(0, 70)}
              {tpl.text.fr.length > 70 ? '…' : ''}
            </button>{' '}
            <span className="moderation-state">
              {tpl.statuses.map((s) => label(PUBLIC_STATUS[s].label)).join(', ')}
              {!tpl.isActive && ` · ${t('voice.inactive')}`}
            </span>
          </li>
        ))}
      </ul>
      <form className="moderation-form" onSubmit={save}>
        <TextField
          label={t('voice.code')}
          value={form.code}
          onValue={(value) => setForm({ ...form, code: value })}
          pattern="[a-z0-9][a-z0-9-]{1,39}"
          required
        />
        <fieldset className="field voice-statuses">
          <legend className="field-label">{t('voice.statuses')}</legend>
          {REPORT_STATUSES.map((s) => (
            <label key={s} className="flag-abuse-reason">
              <input
                type="checkbox"
                checked={form.statuses.includes(s)}
                onChange={(e) =>
                  setForm({
                    ...form,
                    statuses: e.target.checked ? [...form.statuses, s] : form.statuses.filter((x) => x !== s),
                  })
                }
              />
              {label(PUBLIC_STATUS[s].label)}
            </label>
          ))}
        </fieldset>
        <TextareaField
          label={t('voice.textFr')}
          value={form.textFr}
          onValue={(value) => setForm({ ...form, textFr: value })}
          required
        />
        <TextareaField
          label={t('voice.textEn')}
          value={form.textEn}
          onValue={(value) => setForm({ ...form, textEn: value })}
          required
        />
        <label className="flag-abuse-reason">
          <input
            type="checkbox"
            checked={form.isActive}
            onChange={(e) => setForm({ ...form, isActive: e.target.checked })}
          />
          {t('voice.active')}
        </label>
        <button type="submit" className="button button--primary">
          {t('voice.save')}
        </button>
        <StatusLine status={status} />
      </form>
    </section>
  );
}

/** Each category's duplicate radius: how far the "already reported?" step and the crews' nearby list look. */
function RadiusSection() {
  const { t } = useI18n();
  const [categories, setCategories] = useState<AdminCategory[]>([]);
  const [status, setStatus] = useState<Status>('idle');
  useEffect(
    () =>
      void fetchCategoryRadii().then(
        (c) => setCategories(c.categories),
        () => setCategories([]),
      ),
    [],
  );

  async function save(code: string, value: string) {
    const radius = Number(value);
    try {
      const saved = await saveCategoryRadius(code, radius);
      setCategories((all) => all.map((c) => (c.code === code ? saved : c)));
      setStatus('saved');
    } catch {
      setStatus({ error: t('voice.radius.invalid', DUPLICATE_RADIUS_LIMITS) });
    }
  }

  return (
    <section className="moderation-admin" aria-labelledby="voice-radius">
      <h2 id="voice-radius" className="section-title">
        {t('voice.radius.title')}
      </h2>
      <p className="field-hint">{t('voice.radius.hint', DUPLICATE_RADIUS_LIMITS)}</p>
      <StatusLine status={status} />
      <ul className="voice-list voice-radius">
        {categories.map((c) => (
          <li key={c.code}>
            <label className="voice-radius-row">
              <span>{c.labelFr}</span>
              <input
                className="input"
                type="number"
                inputMode="numeric"
                min={DUPLICATE_RADIUS_LIMITS.minM}
                max={DUPLICATE_RADIUS_LIMITS.maxM}
                defaultValue={c.duplicateRadiusM}
                onBlur={(e) => {
                  if (Number(e.target.value) !== c.duplicateRadiusM) void save(c.code, e.target.value);
                }}
              />
              <span aria-hidden="true">m</span>
            </label>
          </li>
        ))}
      </ul>
    </section>
  );
}
