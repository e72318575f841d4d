import type { AdminTeam } from '@pave/shared';
import { useState, type FormEvent } from 'react';
import { TextField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { AdminTable } from './admin-table';
import { createTeam, fetchAdminTeams, patchTeam } from '../api/admin-api';
import { useAdminSection } from '../hooks/use-admin-feedback';
import { AdminSection } from './admin-section';

/** Teams: the code is fixed once created (rules and accounts name it); name, e-mail and service change. */
export function TeamsSection() {
  const { t } = useI18n();
  const { data, error, notice, runAndReload } = useAdminSection(fetchAdminTeams);
  const teams = data?.teams;

  return (
    <AdminSection title={t('admin.tab.teams')} error={error} notice={notice}>
      <AdminTable
        testId="teams-table"
        columns={['admin.teams.code', 'admin.teams.name', 'admin.teams.email', 'admin.teams.service', 'admin.actions']}
      >
        {(teams ?? []).map((team) => (
          <TeamRow
            key={`${team.id}-${team.name}-${team.email}-${team.service}`}
            team={team}
            onSave={(body) => runAndReload(() => patchTeam(team.id, body), t('admin.saved'))}
          />
        ))}
      </AdminTable>
      <NewTeamForm onCreate={(body) => runAndReload(() => createTeam(body), t('admin.teams.created'))} />
    </AdminSection>
  );
}

function TeamRow({
  team,
  onSave,
}: {
  team: AdminTeam;
  onSave: (body: { name: string; email: string | null; service: string }) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [name, setName] = useState(team.name);
  const [email, setEmail] = useState(team.email ?? '');
  const [service, setService] = useState(team.service);
  const isChanged = name !== team.name || email !== (team.email ?? '') || service !== team.service;
  return (
    <tr>
      <th scope="row">{team.code}</th>
      <td>
        <input
          className="input admin-input"
          aria-label={t('admin.teams.nameOf', { code: team.code })}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </td>
      <td>
        <input
          className="input admin-input"
          type="email"
          aria-label={t('admin.teams.emailOf', { code: team.code })}
          value={email}
          onChange={(e) => setEmail(e.target.value)}
        />
      </td>
      <td>
        <input
          className="input admin-input admin-input--short"
          aria-label={t('admin.teams.serviceOf', { code: team.code })}
          value={service}
          onChange={(e) => setService(e.target.value)}
        />
      </td>
      <td>
        <button
          type="button"
          className="button button--secondary"
          disabled={!isChanged}
          onClick={() => void onSave({ name: name.trim(), email: email.trim() || null, service: service.trim() })}
        >
          {t('admin.save')}
        </button>
      </td>
    </tr>
  );
}

function NewTeamForm({
  onCreate,
}: {
  onCreate: (body: { code: string; name: string; email: string | null; service?: string }) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [service, setService] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const isDone = await onCreate({
      code: code.trim(),
      name: name.trim(),
      email: email.trim() || null,
      service: service.trim() || undefined,
    });
    if (isDone) {
      setCode('');
      setName('');
      setEmail('');
      setService('');
    }
  }

  return (
    <form className="admin-form" onSubmit={(e) => void submit(e)}>
      <h3 className="admin-form__title">{t('admin.teams.add')}</h3>
      <div className="admin-form__grid">
        <TextField
          id="admin-f-teams-code"
          label={t('admin.teams.code')}
          required
          pattern="[a-z0-9-]+"
          placeholder="voirie-12"
          value={code}
          onValue={setCode}
        />
        <TextField id="admin-f-teams-name" label={t('admin.teams.name')} required value={name} onValue={setName} />
        <TextField
          id="admin-f-teams-email"
          label={t('admin.teams.email')}
          type="email"
          value={email}
          onValue={setEmail}
        />
        <TextField
          id="admin-f-teams-service"
          label={t('admin.teams.service')}
          pattern="[a-z0-9-]+"
          placeholder={t('admin.teams.serviceHint')}
          value={service}
          onValue={setService}
        />
      </div>
      <button type="submit" className="button button--primary">
        {t('admin.teams.submit')}
      </button>
    </form>
  );
}
