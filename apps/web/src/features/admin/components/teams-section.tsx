import type { AdminTeam } from '@pave/shared';
import { useState, type FormEvent } from 'react';
import { TextField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { AdminTable } from './admin-table';
import { messageKeyOf } from '../admin-errors';
import {
  CODE_PATTERN_ATTRIBUTE,
  codeProblem,
  emailProblem,
  fieldErrorOf,
  requiredProblem,
  type FieldErrors,
} from '../admin-validation';
import { createTeam, fetchAdminTeams, patchTeam } from '../api/admin-api';
import { useAdminSection } from '../hooks/use-admin-feedback';
import { AdminPager, AdminSearch, useSearchPage } from './admin-list-tools';
import { AdminSection } from './admin-section';
import { useAdminTowns } from '../hooks/use-admin-towns';
import { TownCell, TownSelect } from './town-field';

/** Teams: the code is fixed once created (rules and accounts name it); name, e-mail and service change. */
export function TeamsSection() {
  const { t } = useI18n();
  const { data, error, notice, setNotice, reload } = useAdminSection(fetchAdminTeams);
  const { isMetropolitan } = useAdminTowns();
  const list = useSearchPage(
    data?.teams ?? [],
    (team) => `${team.code} ${team.name} ${team.service} ${team.email ?? ''}`,
  );

  // The form says its own refusals beside its fields; the section's notice says the success.
  async function create(body: Parameters<typeof createTeam>[0]): Promise<unknown> {
    setNotice('');
    try {
      await createTeam(body);
    } catch (caught) {
      return caught;
    }
    setNotice(t('admin.teams.created'));
    await reload();
    // The new team may sort onto another page: the list shows it alone, where the admin is looking.
    list.setQuery(body.code);
    return null;
  }

  return (
    <AdminSection title={t('admin.tab.teams')} error={error} notice={notice}>
      <AdminSearch
        id="admin-teams-search"
        label={t('admin.teams.search')}
        query={list.query}
        onQuery={list.setQuery}
        found={list.found}
        total={list.total}
      />
      <AdminTable
        testId="teams-table"
        columns={[
          'admin.teams.code',
          ...(isMetropolitan ? (['admin.town.label'] as const) : []),
          'admin.teams.name',
          'admin.teams.email',
          'admin.teams.service',
          'admin.actions',
        ]}
      >
        {list.shown.map(({ item: team }) => (
          <TeamRow
            key={`${team.id}-${team.name}-${team.email}-${team.service}`}
            team={team}
            onSave={async (body) => {
              setNotice('');
              try {
                await patchTeam(team.id, body);
              } catch (caught) {
                return caught;
              }
              setNotice(t('admin.saved'));
              await reload();
              return null;
            }}
          />
        ))}
      </AdminTable>
      <AdminPager page={list.page} pages={list.pages} onPage={list.setPage} />
      <NewTeamForm onCreate={create} />
    </AdminSection>
  );
}

type TeamRowField = 'name' | 'email' | 'service';

/** One team, edited in its row; a refusal is said under the cell that caused it. */
function TeamRow({
  team,
  onSave,
}: {
  team: AdminTeam;
  /** Answers the API's refusal, or null once saved. */
  onSave: (body: { name: string; email: string | null; service: string }) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(team.name);
  const [email, setEmail] = useState(team.email ?? '');
  const [service, setService] = useState(team.service);
  const [errors, setErrors] = useState<FieldErrors<TeamRowField>>({});
  const isChanged = name !== team.name || email !== (team.email ?? '') || service !== team.service;
  const idOf = (field: TeamRowField | 'form') => `admin-team-${team.id}-${field}-error`;
  const problem = (field: TeamRowField | 'form') =>
    errors[field] ? (
      <p id={idOf(field)} className="field-error" role="alert">
        {t(errors[field])}
      </p>
    ) : null;
  const invalid = (field: TeamRowField) =>
    errors[field] ? { 'aria-invalid': true as const, 'aria-describedby': idOf(field) } : {};

  async function save() {
    const found: FieldErrors<TeamRowField> = {};
    const nameIssue = requiredProblem(name);
    const emailIssue = emailProblem(email.trim(), false);
    const serviceIssue = codeProblem(service.trim(), true);
    if (nameIssue) found.name = nameIssue;
    if (emailIssue) found.email = emailIssue;
    if (serviceIssue) found.service = serviceIssue;
    if (Object.keys(found).length === 0) {
      const refusal = await onSave({ name: name.trim(), email: email.trim() || null, service: service.trim() });
      if (refusal !== null) {
        Object.assign(found, fieldErrorOf<TeamRowField>(refusal, { EMAIL_INVALID: 'email' }, messageKeyOf));
      }
    }
    setErrors(found);
  }

  return (
    <tr>
      <th scope="row">{team.code}</th>
      <TownCell town={team.town} />
      <td>
        <input
          className="input admin-input"
          aria-label={t('admin.teams.nameOf', { code: team.code })}
          value={name}
          onChange={(e) => setName(e.target.value)}
          {...invalid('name')}
        />
        {problem('name')}
      </td>
      <td>
        <input
          className="input admin-input"
          type="email"
          aria-label={t('admin.teams.emailOf', { code: team.code })}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          {...invalid('email')}
        />
        {problem('email')}
      </td>
      <td>
        <input
          className="input admin-input admin-input--short"
          aria-label={t('admin.teams.serviceOf', { code: team.code })}
          value={service}
          onChange={(e) => setService(e.target.value)}
          {...invalid('service')}
        />
        {problem('service')}
      </td>
      <td>
        <button type="button" className="button button--secondary" disabled={!isChanged} onClick={() => void save()}>
          {t('admin.save')}
        </button>
        {problem('form')}
      </td>
    </tr>
  );
}

type TeamField = 'code' | 'name' | 'email' | 'service';

function NewTeamForm({
  onCreate,
}: {
  /** Answers the API's refusal, or null once the team exists. */
  onCreate: (body: {
    code: string;
    name: string;
    email: string | null;
    service?: string;
    town?: string;
  }) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [service, setService] = useState('');
  const [town, setTown] = useState('');
  const [errors, setErrors] = useState<FieldErrors<TeamField>>({});
  const say = (field: TeamField | 'form') => (errors[field] ? t(errors[field]) : undefined);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const found: FieldErrors<TeamField> = {};
    const codeIssue = codeProblem(code.trim(), true);
    const nameIssue = requiredProblem(name);
    const emailIssue = emailProblem(email.trim(), false);
    const serviceIssue = codeProblem(service.trim(), false);
    if (codeIssue) found.code = codeIssue;
    if (nameIssue) found.name = nameIssue;
    if (emailIssue) found.email = emailIssue;
    if (serviceIssue) found.service = serviceIssue;
    if (Object.keys(found).length === 0) {
      const refusal = await onCreate({
        code: code.trim(),
        name: name.trim(),
        email: email.trim() || null,
        service: service.trim() || undefined,
        town: town || undefined,
      });
      if (refusal === null) {
        setErrors({});
        setCode('');
        setName('');
        setEmail('');
        setService('');
        return;
      }
      Object.assign(
        found,
        fieldErrorOf<TeamField>(refusal, { ALREADY_EXISTS: 'code', EMAIL_INVALID: 'email' }, (c) =>
          c === 'ALREADY_EXISTS' ? 'admin.field.codeTaken' : messageKeyOf(c),
        ),
      );
    }
    setErrors(found);
    // The first field in trouble takes the focus, so its message is read and the field is at hand.
    requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  return (
    <form className="admin-form" noValidate onSubmit={(e) => void submit(e)}>
      <h3 className="admin-form__title">{t('admin.teams.add')}</h3>
      <div className="admin-form__grid">
        <TextField
          id="admin-f-teams-code"
          label={t('admin.teams.code')}
          required
          pattern={CODE_PATTERN_ATTRIBUTE}
          placeholder="voirie-12"
          value={code}
          onValue={setCode}
          error={say('code')}
        />
        <TextField
          id="admin-f-teams-name"
          label={t('admin.teams.name')}
          required
          value={name}
          onValue={setName}
          error={say('name')}
        />
        <TextField
          id="admin-f-teams-email"
          label={t('admin.teams.email')}
          type="email"
          value={email}
          onValue={setEmail}
          error={say('email')}
        />
        <TextField
          id="admin-f-teams-service"
          label={t('admin.teams.service')}
          pattern={CODE_PATTERN_ATTRIBUTE}
          placeholder={t('admin.teams.serviceHint')}
          value={service}
          onValue={setService}
          error={say('service')}
        />
        <TownSelect id="admin-f-teams-town" value={town} onValue={setTown} unset="none" />
      </div>
      <button type="submit" className="button button--primary">
        {t('admin.teams.submit')}
      </button>
      {(errors.form || Object.keys(errors).length > 0) && (
        <p className="form-error admin-form__error" role="alert">
          {say('form') ?? t('admin.field.fix')}
        </p>
      )}
    </form>
  );
}
