import { SelectField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { useAdminTowns } from '../hooks/use-admin-towns';

/**
 * A row's town, named, in a metropolitan admin's lists; a town's admin has no such column. A
 * town-less team, area or rule serves every town; a town-less account is metropolitan (`isAccount`).
 */
export function TownCell({ town, isAccount = false }: { town: string | null; isAccount?: boolean }) {
  const { t } = useI18n();
  const { isMetropolitan, towns } = useAdminTowns();
  if (!isMetropolitan) return null;
  if (town === null) return <td>{t(isAccount ? 'staff.town.metropolitan' : 'admin.town.all')}</td>;
  return <td>{towns.find((x) => x.code === town)?.name ?? town}</td>;
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
  hint,
}: {
  id: string;
  value: string;
  onValue: (value: string) => void;
  unset: 'none' | 'team';
  hint?: string;
}) {
  const { t } = useI18n();
  const { isMetropolitan, towns } = useAdminTowns();
  if (!isMetropolitan) return null;
  return (
    <SelectField id={id} label={t('admin.town.label')} hint={hint} value={value} onValue={onValue}>
      <option value="">{t(unset === 'none' ? 'admin.town.none' : 'admin.town.ofTeam')}</option>
      {towns.map((town) => (
        <option key={town.code} value={town.code}>
          {town.name}
        </option>
      ))}
    </SelectField>
  );
}
