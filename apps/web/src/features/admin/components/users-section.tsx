import type { AdminTeam, AdminUser } from '@pave/shared';
import { STAFF_ROLES } from '@pave/shared';
import { useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { AdminTable } from './admin-table';
import { createUser, fetchAdminTeams, fetchAdminUsers, patchUser } from '../api/admin-api';
import { useAdminSection } from '../hooks/use-admin-feedback';
import { AdminSection } from './admin-section';
import { PasswordOnce } from './password-once';
import { TeamOptions } from './team-options';

type Role = AdminUser['role'];

async function readUsersAndTeams(): Promise<{ users: AdminUser[]; teams: AdminTeam[] }> {
  const [{ users }, { teams }] = await Promise.all([fetchAdminUsers(), fetchAdminTeams()]);
  return { users, teams };
}

/** Staff accounts: create (the generated password is shown once), change role or team, deactivate. */
export function UsersSection({ currentUserId }: { currentUserId: number }) {
  const { t } = useI18n();
  const { data, setData, error, notice, run, reload } = useAdminSection(readUsersAndTeams);
  const users = data?.users;
  const teams = data?.teams ?? [];
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);

  const save = (user: AdminUser, body: Parameters<typeof patchUser>[1], message = t('admin.saved')) =>
    run(async () => {
      const updated = await patchUser(user.id, body);
      setData(
        (current) => current && { ...current, users: current.users.map((u) => (u.id === user.id ? updated : u)) },
      );
    }, message);

  function create(body: Parameters<typeof createUser>[0]): Promise<boolean> {
    setCreated(null);
    return run(async () => {
      const answer = await createUser(body);
      if (answer.password) setCreated({ email: answer.user.email, password: answer.password });
      await reload();
    });
  }

  return (
    <AdminSection title={t('admin.tab.users')} error={error} notice={notice}>
      {created && <PasswordOnce {...created} onDone={() => setCreated(null)} />}
      <AdminTable
        testId="users-table"
        columns={['admin.users.email', 'admin.users.role', 'admin.users.team', 'admin.users.active']}
      >
        {(users ?? []).map((user) => (
          <tr key={user.id} className={user.isActive ? undefined : 'admin-row--off'}>
            <th scope="row">
              {user.email}
              {user.displayName && user.displayName !== user.email && (
                <div className="admin-muted">{user.displayName}</div>
              )}
            </th>
            <td>
              <select
                className="select admin-select"
                aria-label={t('admin.users.roleOf', { email: user.email })}
                value={user.role}
                onChange={(e) => void save(user, { role: e.target.value as Role })}
              >
                <RoleOptions />
              </select>
            </td>
            <td>
              <select
                className="select admin-select"
                aria-label={t('admin.users.teamOf', { email: user.email })}
                value={user.team ?? ''}
                onChange={(e) => void save(user, { team: e.target.value || null })}
              >
                <TeamOptions teams={teams} none={t('admin.users.noTeam')} />
              </select>
            </td>
            <td>
              {user.isActive ? (
                <button
                  type="button"
                  className="button button--quiet"
                  disabled={user.id === currentUserId}
                  onClick={() => {
                    if (window.confirm(t('admin.users.confirmDeactivate', { email: user.email }))) {
                      void save(user, { isActive: false }, t('admin.users.deactivated'));
                    }
                  }}
                >
                  {t('admin.users.deactivate')}
                </button>
              ) : (
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => void save(user, { isActive: true })}
                >
                  {t('admin.users.reactivate')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
      <NewUserForm teams={teams} onCreate={create} />
    </AdminSection>
  );
}

function RoleOptions() {
  const { t } = useI18n();
  return STAFF_ROLES.map((role) => (
    <option key={role} value={role}>
      {t(`staff.role.${role}`)}
    </option>
  ));
}

function NewUserForm({
  teams,
  onCreate,
}: {
  teams: AdminTeam[];
  onCreate: (body: Parameters<typeof createUser>[0]) => Promise<boolean>;
}) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('crew');
  const [team, setTeam] = useState('');
  const [service, setService] = useState('');

  async function submit(event: FormEvent) {
    event.preventDefault();
    const isDone = await onCreate({
      email: email.trim(),
      role,
      displayName: displayName.trim() || undefined,
      team: team || null,
      service: role === 'supervisor' ? service.trim() || null : null,
    });
    if (isDone) {
      setEmail('');
      setDisplayName('');
    }
  }

  return (
    <form className="admin-form" onSubmit={(e) => void submit(e)}>
      <h3 className="admin-form__title">{t('admin.users.add')}</h3>
      <div className="admin-form__grid">
        <TextField
          id="admin-f-users-email"
          label={t('admin.users.email')}
          type="email"
          required
          value={email}
          onValue={setEmail}
        />
        <TextField id="admin-f-users-name" label={t('admin.users.name')} value={displayName} onValue={setDisplayName} />
        <SelectField
          id="admin-f-users-role"
          label={t('admin.users.role')}
          value={role}
          onValue={(value) => setRole(value as Role)}
        >
          <RoleOptions />
        </SelectField>
        <SelectField
          id="admin-f-users-team"
          label={t('admin.users.team')}
          value={team}
          required={role === 'crew'}
          onValue={setTeam}
        >
          <TeamOptions teams={teams} none={t('admin.users.noTeam')} />
        </SelectField>
        {role === 'supervisor' && (
          <TextField
            id="admin-f-users-service"
            label={t('admin.users.service')}
            required
            pattern="[a-z0-9-]+"
            placeholder="voirie"
            value={service}
            onValue={setService}
          />
        )}
      </div>
      <p className="field-hint">{t('admin.users.passwordHint')}</p>
      <button type="submit" className="button button--primary">
        {t('admin.users.submit')}
      </button>
    </form>
  );
}
