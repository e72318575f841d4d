import type { AdminArea } from '@pave/shared';
import type { GeoJsonObject } from 'geojson';
import { useCallback, useEffect, useRef, useState, type ChangeEvent, type ReactNode } from 'react';
import { SelectField, TextField } from '../../../components/form-field';
import { useI18n, type MessageKey } from '../../../i18n';
import { ApiError } from '../../../lib/api-client';
import { fetchAdminAreas, fetchAreaOutlines, uploadArea } from '../api/admin-api';
import { describeError, messageKeyOf } from '../admin-errors';
import { findReasonPoint } from '../admin-format';
import { CODE_PATTERN_ATTRIBUTE, codeProblem } from '../admin-validation';
import { useAdminFeedback, useRowRefusal } from '../hooks/use-admin-feedback';
import { AdminError, AdminFieldError, invalidProps } from './admin-error';
import { AdminFeedback } from './admin-feedback';
import { AreaPreview } from './area-preview';
import { useAdminTowns } from '../hooks/use-admin-towns';
import { TownCell, TownSelect } from './town-field';

type AreaField = 'target' | 'code' | 'file';

/** The field an upload's refusal belongs to, by its code: a taken code, a gone area, else the file. */
const fieldOf = (code: string): AreaField =>
  code === 'ALREADY_EXISTS' ? 'code' : code === 'AREA_NOT_FOUND' ? 'target' : 'file';
const areaKeyOf = (code: string): MessageKey =>
  code === 'ALREADY_EXISTS'
    ? 'admin.field.codeTaken'
    : code === 'AREA_NOT_FOUND'
      ? 'admin.areas.gone'
      : messageKeyOf(code);

/** What the page can draw of a file before the API has judged it; null when it is not GeoJSON at all. */
function readGeometry(text: string): GeoJsonObject | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && 'type' in value ? (value as GeoJsonObject) : null;
  } catch {
    return null;
  }
}

/** The service areas; a GeoJSON file creates one or replaces an outline, judged by the API. */
export function AreasSection() {
  const { t, locale } = useI18n();
  const [areas, setAreas] = useState<AdminArea[] | null>(null);
  const [target, setTarget] = useState('new');
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [town, setTown] = useState('');
  const { isMetropolitan } = useAdminTowns();
  // The section's own error is a failed read of the list; an upload's refusal is said beside its
  // field, and a row's ("Voir") in its row.
  const { error, setError, notice, setNotice } = useAdminFeedback();
  const [refusal, setRefusal] = useState<{ field: AreaField; said: ReactNode } | null>(null);
  const rows = useRowRefusal<'show'>();
  const formRef = useRef<HTMLDivElement>(null);
  const [preview, setPreview] = useState<{ geometry: GeoJsonObject | null; point: [number, number] | null }>({
    geometry: null,
    point: null,
  });
  const [isSending, setSending] = useState(false);

  const load = useCallback(async () => {
    try {
      setAreas((await fetchAdminAreas()).areas);
    } catch (caught) {
      setError(caught);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  async function upload(event: ChangeEvent<HTMLInputElement>) {
    const input = event.target;
    const file = input.files?.[0];
    if (!file) return;
    setRefusal(null);
    setNotice('');
    const codeIssue = target === 'new' ? codeProblem(code.trim(), true) : null;
    if (codeIssue) {
      refuse('code', t(codeIssue));
      input.value = '';
      return;
    }
    setSending(true);
    try {
      const text = await file.text();
      setPreview({ geometry: readGeometry(text), point: null });
      const area = await uploadArea(
        text,
        target === 'new' ? { code: code.trim(), name: name.trim(), town } : { id: Number(target) },
      );
      setNotice(t(target === 'new' ? 'admin.areas.created' : 'admin.areas.replaced', { name: area.name }));
      setCode('');
      setName('');
      await load();
    } catch (caught) {
      const { title, detail } = describeError(caught, t, areaKeyOf);
      refuse(
        fieldOf(caught instanceof ApiError ? caught.code : ''),
        <>
          {title}
          {detail && <span className="admin-error__detail">{detail}</span>}
        </>,
      );
      if (caught instanceof ApiError) setPreview((current) => ({ ...current, point: findReasonPoint(caught.message) }));
    } finally {
      setSending(false);
      // The same file may be chosen again after it was fixed.
      input.value = '';
    }
  }

  /** Says a refusal under its field, which takes the focus (below): the message is read, the field at hand. */
  function refuse(field: AreaField, said: ReactNode) {
    setRefusal({ field, said });
  }
  // Once drawn: the file field is disabled while a file is checked, and a disabled field takes no focus.
  useEffect(() => {
    if (refusal) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [refusal]);
  const say = (field: AreaField) => (refusal?.field === field ? refusal.said : undefined);

  async function show(area: AdminArea) {
    await rows.attempt(area.id, 'show', async () => {
      const outlines = await fetchAreaOutlines();
      const feature = outlines.features.find((f) => f.properties.code === area.code);
      setPreview({ geometry: feature ? (feature.geometry as unknown as GeoJsonObject) : null, point: null });
    });
  }

  const km2 = new Intl.NumberFormat(locale === 'fr' ? 'fr-FR' : 'en-GB', { maximumFractionDigits: 2 });
  const isNew = target === 'new';

  return (
    <div className="admin-section">
      <h2 className="section-title">{t('admin.tab.areas')}</h2>
      <AdminError error={error} />
      <div className="admin-split">
        <div>
          <div className="admin-table-wrap">
            <table className="admin-table" data-testid="areas-table">
              <thead>
                <tr>
                  <th scope="col">{t('admin.areas.name')}</th>
                  <th scope="col">{t('admin.areas.code')}</th>
                  {isMetropolitan && <th scope="col">{t('admin.town.label')}</th>}
                  <th scope="col" className="admin-num">
                    {t('admin.areas.km2')}
                  </th>
                  <th scope="col" className="admin-num">
                    {t('admin.areas.vertices')}
                  </th>
                  <th scope="col">{t('admin.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {(areas ?? []).map((area) => (
                  <tr key={area.id}>
                    <th scope="row">{area.name}</th>
                    <td>{area.code}</td>
                    <TownCell town={area.town} />
                    <td className="admin-num">{km2.format(area.areaKm2)}</td>
                    <td className="admin-num">{area.vertexCount}</td>
                    <td>
                      <button
                        type="button"
                        className="button button--quiet"
                        onClick={() => void show(area)}
                        {...invalidProps(`admin-area-${area.id}-show-error`, rows.errorOf(area.id, 'show'))}
                      >
                        {t('admin.areas.show')}
                      </button>
                      <AdminFieldError id={`admin-area-${area.id}-show-error`} error={rows.errorOf(area.id, 'show')} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
        <div className="admin-form" ref={formRef}>
          <h3 className="admin-form__title">{t('admin.areas.upload')}</h3>
          <p className="field-hint">{t('admin.areas.uploadHint')}</p>
          <SelectField
            id="admin-f-areas-target"
            label={t('admin.areas.target')}
            value={target}
            onValue={setTarget}
            error={say('target')}
          >
            <option value="new">{t('admin.areas.targetNew')}</option>
            {(areas ?? []).map((area) => (
              <option key={area.id} value={String(area.id)}>
                {t('admin.areas.targetReplace', { name: area.name })}
              </option>
            ))}
          </SelectField>
          {isNew && (
            <>
              <TextField
                id="admin-f-areas-code"
                label={t('admin.areas.code')}
                value={code}
                pattern={CODE_PATTERN_ATTRIBUTE}
                placeholder="paris-11-est"
                onValue={setCode}
                error={say('code')}
              />
              <TextField id="admin-f-areas-name" label={t('admin.areas.name')} value={name} onValue={setName} />
              <TownSelect id="admin-f-areas-town" value={town} onValue={setTown} unset="none" />
            </>
          )}
          <TextField
            id="admin-f-areas-file"
            label={t('admin.areas.file')}
            className="input admin-file"
            type="file"
            accept=".geojson,.json,application/geo+json,application/json"
            disabled={isSending || (isNew && (!code.trim() || !name.trim()))}
            onChange={(e) => void upload(e)}
            error={say('file')}
          />
          {isNew && (!code.trim() || !name.trim()) && <p className="field-hint">{t('admin.areas.needName')}</p>}
          {isSending && <p role="status">{t('admin.areas.sending')}</p>}
          <AdminFeedback error={null} notice={notice} />
          <AreaPreview geometry={preview.geometry} point={preview.point} />
        </div>
      </div>
    </div>
  );
}
