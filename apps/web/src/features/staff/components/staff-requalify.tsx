import type { PublicReport } from '@pave/shared';
import { useState } from 'react';
import { useI18n } from '../../../i18n';
import { CategoryOptions } from '../../categories/components/category-options';
import { ApiError } from '../../../lib/api-client';
import { useCategories } from '../../categories/hooks/use-categories';
import type { LonLat } from '../../map/leaflet/base-map';
import { LocationPicker } from '../../reports/components/location-picker';
import { useAddressAt } from '../../reports/hooks/use-address-at';
import { requalify } from '../api/staff-api';
import { describeActionFailure } from '../staff-errors';
import { ActionOutcome } from './action-outcome';

/**
 * Change a report's category, or drag its pin to where the problem really is. Either one routes
 * the report again (POST requalify): the worker picks the team, and the live queue shows the move.
 */
export function StaffRequalify({ report, onChanged }: { report: PublicReport; onChanged: () => void }) {
  const { t, locale } = useI18n();
  const categories = useCategories();
  const [category, setCategory] = useState(report.category.code);
  const [point, setPoint] = useState<LonLat>(report.location.coordinates as LonLat);
  const [isMapOpen, setMapOpen] = useState(false);
  const [isSending, setSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [lon0, lat0] = report.location.coordinates;
  const hasMoved = point[0] !== lon0 || point[1] !== lat0;
  // Only while the map is open: the crew sees where the dragged pin now stands.
  const address = useAddressAt(isMapOpen ? point : null);

  async function send(body: { category?: string; lat?: number; lon?: number }) {
    setSending(true);
    setError(null);
    setDone(null);
    try {
      await requalify(report.id, body);
      setDone(t('staff.requalify.done'));
      setMapOpen(false);
      onChanged();
    } catch (caught) {
      setError(
        caught instanceof ApiError && caught.code === 'LOCATION_OUTSIDE_SERVICE_AREA'
          ? t('staff.requalify.outside')
          : describeActionFailure(caught, t),
      );
    } finally {
      setSending(false);
    }
  }

  const selectId = `requalify-category-${report.id}`;
  return (
    <section className="staff-requalify" aria-label={t('staff.requalify.title')}>
      <h3>{t('staff.requalify.title')}</h3>
      <form
        className="staff-requalify-row"
        onSubmit={(event) => {
          event.preventDefault();
          void send({ category });
        }}
      >
        <label className="field-label" htmlFor={selectId}>
          {t('staff.requalify.category')}
        </label>
        <select
          id={selectId}
          className="input"
          value={category}
          onChange={(event) => setCategory(event.target.value)}
          data-testid="requalify-category"
        >
          {categories.status !== 'ready' && (
            <option value={report.category.code}>{report.category.label[locale]}</option>
          )}
          {categories.status === 'ready' && <CategoryOptions tree={categories.data} />}
        </select>
        <button
          type="submit"
          className="button button--secondary button--block"
          disabled={isSending || category === report.category.code}
        >
          {t('staff.requalify.saveCategory')}
        </button>
      </form>
      {!isMapOpen ? (
        <button type="button" className="button button--secondary button--block" onClick={() => setMapOpen(true)}>
          {t('staff.requalify.movePin')}
        </button>
      ) : (
        <div className="staff-requalify-map">
          <p className="field-hint">{t('form.location.hint')}</p>
          <LocationPicker value={point} onChange={setPoint} isInvalid={false} recenterKey={1} address={address} />
          <button
            type="button"
            className="button button--primary button--block"
            disabled={isSending || !hasMoved}
            onClick={() => void send({ lon: point[0], lat: point[1] })}
          >
            {t('staff.requalify.savePin')}
          </button>
          <button type="button" className="button button--quiet" onClick={() => setMapOpen(false)}>
            {t('staff.nearby.cancel')}
          </button>
        </div>
      )}
      <ActionOutcome done={done} error={error} doneClassName="staff-requalify-done" />
    </section>
  );
}
