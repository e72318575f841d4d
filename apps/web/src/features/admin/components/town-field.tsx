import { SelectField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { useAdminTowns } from '../hooks/use-admin-towns';

/** A row's town, named, in a metropolitan admin's lists; a town's admin has no such column. */
export function TownCell({ town }: { town: string | null }) {
  const { t } = useI18n();
  const { isMetropolitan, towns } = useAdminTowns();
  if (!isMetropolitan) return null;
  return <td>{town === null ? t('admin.town.none') : (towns.find((x) => x.code === town)?.name ?? town)}</td>;
}

/**
 * The "Commune" field of a new team, area, rule or account, shown to a metropolitan admin only (a
 * town's admin makes its own town's rows). `unset` names what leaving it empty gives.
 */
export function TownSelect({
  id,
  value,
  onValue,
  unset,
}: {
  id: string;
  value: string;
  onValue: (value: string) => void;
  unset: 'none' | 'team';
}) {
  const { t } = useI18n();
  const { isMetropolitan, towns } = useAdminTowns();
  if (!isMetropolitan) return null;
  return (
    <SelectField id={id} label={t('admin.town.label')} value={value} onValue={onValue}>
      <option value="">{t(unset === 'none' ? 'admin.town.none' : 'admin.town.ofTeam')}</option>
      {towns.map((town) => (
        <option key={town.code} value={town.code}>
          {town.name}
        </option>
      ))}
    </SelectField>
  );
}
