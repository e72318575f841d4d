import type { AdminTeam, AdminUser, AdminUserPatch } from '@pave/shared';
import { STAFF_ROLES } from '@pave/shared';
import { useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { messageKeyOf } from '../admin-errors';
import { CODE_PATTERN_ATTRIBUTE, codeProblem, emailProblem, fieldErrorOf, type FieldErrors } from '../admin-validation';
import { AdminTable } from './admin-table';
import { createUser, fetchAdminTeams, fetchAdminUsers, patchUser } from '../api/admin-api';
import { useAdminSection, useRowRefusal } from '../hooks/use-admin-feedback';
import { AdminFieldError, invalidProps } from './admin-error';
import { AdminPager, AdminSearch, useSearchPage } from './admin-list-tools';
import { AdminSection } from './admin-section';
import { PasswordOnce } from './password-once';
import { TeamOptions } from './team-options';
import { useAdminTowns } from '../hooks/use-admin-towns';
import { TownCell, TownSelect } from './town-field';

type Role = AdminUser['role'];

async function readUsersAndTeams(): Promise<{ users: AdminUser[]; teams: AdminTeam[] }> {
  const [{ users }, { teams }] = await Promise.all([fetchAdminUsers(), fetchAdminTeams()]);
  return { users, teams };
}

/** A change just made to one account, which its row offers to undo. */
interface LastChange {
  userId: number;
  text: string;
  undo: AdminUserPatch;
}

/** The row controls whose refusal is said beside them. */
type RowControl = 'role' | 'team' | 'active';

/**
 * Staff accounts: create (the generated password is shown once), change role or team (saved at once,
 * with an undo in the row), deactivate (after a confirmation in the row: it closes the sessions).
 */
export function UsersSection({ currentUserId }: { currentUserId: number }) {
  const { t } = useI18n();
  const { data, setData, error, notice, setNotice, reload } = useAdminSection(readUsersAndTeams);
  const users = data?.users;
  const teams = data?.teams ?? [];
  const [created, setCreated] = useState<{ email: string; password: string } | null>(null);
  const [lastChange, setLastChange] = useState<LastChange | null>(null);
  // A refusal is said in the account's row, under the control that caused it.
  const rows = useRowRefusal<RowControl>();
  const { isMetropolitan } = useAdminTowns();
  const [confirming, setConfirming] = useState<number | null>(null);
  const list = useSearchPage(users ?? [], (user) =>
    [user.email, user.displayName, user.role, t(`staff.role.${user.role}`), user.team ?? '', user.service ?? ''].join(
      ' ',
    ),
  );

  const teamName = (code: string | null) =>
    code === null ? t('admin.users.noTeam') : (teams.find((team) => team.code === code)?.name ?? code);

  /** Saves one change; `describe` says it once stored, and `undo` is what puts it back. */
  async function save(
    user: AdminUser,
    control: RowControl,
    body: AdminUserPatch,
    change: { text: string; undo: AdminUserPatch } | null,
  ): Promise<void> {
    setNotice('');
    const isDone = await rows.attempt(user.id, control, async () => {
      const updated = await patchUser(user.id, body);
      setData(
        (current) => current && { ...current, users: current.users.map((u) => (u.id === user.id ? updated : u)) },
      );
    });
    setLastChange(isDone && change ? { userId: user.id, ...change } : null);
  }

  function changeRole(user: AdminUser, role: Role) {
    const name = user.displayName || user.email;
    void save(
      user,
      'role',
      { role },
      {
        text: t('admin.users.roleChanged', {
          name,
          from: t(`staff.role.${user.role}`),
          to: t(`staff.role.${role}`),
        }),
        undo: { role: user.role },
      },
    );
  }

  function changeTeam(user: AdminUser, team: string | null) {
    const name = user.displayName || user.email;
    void save(
      user,
      'team',
      { team },
      {
        text: t('admin.users.teamChanged', { name, from: teamName(user.team), to: teamName(team) }),
        undo: { team: user.team },
      },
    );
  }

  /** Creates an account; answers the API's refusal (said by the form, beside its fields) or null. */
  async function create(body: Parameters<typeof createUser>[0]): Promise<unknown> {
    setCreated(null);
    setNotice('');
    try {
      const answer = await createUser(body);
      if (answer.password) setCreated({ email: answer.user.email, password: answer.password });
      await reload();
      // The new account may sort onto another page: the list shows it, where the admin is looking.
      list.setQuery(answer.user.email);
      return null;
    } catch (caught) {
      return caught;
    }
  }

  const errorId = (user: AdminUser, control: RowControl) => `admin-user-${user.id}-${control}-error`;
  const errorOf = (user: AdminUser, control: RowControl) => rows.errorOf(user.id, control);

  return (
    <AdminSection title={t('admin.tab.users')} error={error} notice={notice}>
      {created && <PasswordOnce {...created} onDone={() => setCreated(null)} />}
      <AdminSearch
        id="admin-users-search"
        label={t('admin.users.search')}
        query={list.query}
        onQuery={list.setQuery}
        found={list.found}
        total={list.total}
      />
      <AdminTable
        testId="users-table"
        columns={[
          'admin.users.email',
          ...(isMetropolitan ? (['admin.town.label'] as const) : []),
          'admin.users.role',
          'admin.users.team',
          'admin.users.active',
        ]}
      >
        {list.shown.map(({ item: user }) => (
          <tr key={user.id} className={user.isActive ? undefined : 'admin-row--off'}>
            <th scope="row">
              {user.email}
              {user.displayName && user.displayName !== user.email && (
                <div className="admin-muted">{user.displayName}</div>
              )}
              {lastChange?.userId === user.id && (
                <div className="admin-undo" role="status">
                  <span>{lastChange.text}</span>
                  <button
                    type="button"
                    className="button button--quiet admin-undo__button"
                    onClick={() =>
                      void save(user, 'role', lastChange.undo, null).then(() => setNotice(t('admin.users.undone')))
                    }
                  >
                    {t('admin.users.undo')}
                  </button>
                </div>
              )}
            </th>
            <TownCell town={user.town} isAccount />
            <td>
              <select
                className="select admin-select"
                aria-label={t('admin.users.roleOf', { email: user.email })}
                {...invalidProps(errorId(user, 'role'), errorOf(user, 'role'))}
                value={user.role}
                onChange={(e) => changeRole(user, e.target.value as Role)}
              >
                <RoleOptions />
              </select>
              <AdminFieldError id={errorId(user, 'role')} error={errorOf(user, 'role')} />
            </td>
            <td>
              <select
                className="select admin-select"
                aria-label={t('admin.users.teamOf', { email: user.email })}
                {...invalidProps(errorId(user, 'team'), errorOf(user, 'team'))}
                value={user.team ?? ''}
                onChange={(e) => changeTeam(user, e.target.value || null)}
              >
                <TeamOptions teams={teams} none={t('admin.users.noTeam')} />
              </select>
              <AdminFieldError id={errorId(user, 'team')} error={errorOf(user, 'team')} />
            </td>
            <td>
              {user.isActive && confirming === user.id ? (
                <div className="admin-confirm" role="group" aria-label={t('admin.users.deactivate')}>
                  <p className="admin-confirm__question">{t('admin.users.confirmDeactivate', { email: user.email })}</p>
                  <button
                    type="button"
                    className="button button--primary admin-danger"
                    onClick={() => {
                      setConfirming(null);
                      void save(user, 'active', { isActive: false }, null).then(() =>
                        setNotice(t('admin.users.deactivated')),
                      );
                    }}
                  >
                    {t('admin.users.confirmDeactivateYes')}
                  </button>
                  <button type="button" className="button button--quiet" onClick={() => setConfirming(null)}>
                    {t('admin.users.keepActive')}
                  </button>
                </div>
              ) : user.isActive ? (
                <button
                  type="button"
                  className="button button--quiet"
                  disabled={user.id === currentUserId}
                  onClick={() => setConfirming(user.id)}
                >
                  {t('admin.users.deactivate')}
                </button>
              ) : (
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() =>
                    void save(
                      user,
                      'active',
                      { isActive: true },
                      {
                        text: t('admin.users.reactivated', { name: user.displayName || user.email }),
                        undo: { isActive: false },
                      },
                    )
                  }
                >
                  {t('admin.users.reactivate')}
                </button>
              )}
              <AdminFieldError id={errorId(user, 'active')} error={errorOf(user, 'active')} />
            </td>
          </tr>
        ))}
      </AdminTable>
      <AdminPager page={list.page} pages={list.pages} onPage={list.setPage} />
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

type UserField = 'email' | 'team' | 'service';

function NewUserForm({
  teams,
  onCreate,
}: {
  teams: AdminTeam[];
  /** Answers the API's refusal, or null once the account exists. */
  onCreate: (body: Parameters<typeof createUser>[0]) => Promise<unknown>;
}) {
  const { t } = useI18n();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('crew');
  const [team, setTeam] = useState('');
  const [service, setService] = useState('');
  const [town, setTown] = useState('');
  const [errors, setErrors] = useState<FieldErrors<UserField>>({});
  const say = (field: UserField | 'form') => (errors[field] ? t(errors[field]) : undefined);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const found: FieldErrors<UserField> = {};
    const emailIssue = emailProblem(email.trim(), true);
    if (emailIssue) found.email = emailIssue;
    if (role === 'crew' && !team) found.team = 'admin.field.required';
    const serviceIssue = role === 'supervisor' ? codeProblem(service.trim(), true) : null;
    if (serviceIssue) found.service = serviceIssue;
    if (Object.keys(found).length === 0) {
      const refusal = await onCreate({
        email: email.trim(),
        role,
        displayName: displayName.trim() || undefined,
        team: team || null,
        service: role === 'supervisor' ? service.trim() || null : null,
        ...(town && { town }),
      });
      if (refusal === null) {
        setErrors({});
        setEmail('');
        setDisplayName('');
        return;
      }
      Object.assign(
        found,
        fieldErrorOf<UserField>(
          refusal,
          { ALREADY_EXISTS: 'email', EMAIL_INVALID: 'email', TEAM_NOT_FOUND: 'team' },
          (c) => (c === 'ALREADY_EXISTS' ? 'admin.field.emailTaken' : messageKeyOf(c)),
        ),
      );
    }
    setErrors(found);
    // The first field in trouble takes the focus, so its message is read and the field is at hand.
    requestAnimationFrame(() => form.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
  }

  return (
    <form className="admin-form" noValidate onSubmit={(e) => void submit(e)}>
      <h3 className="admin-form__title">{t('admin.users.add')}</h3>
      <div className="admin-form__grid">
        <TextField
          id="admin-f-users-email"
          label={t('admin.users.email')}
          type="email"
          required
          value={email}
          onValue={setEmail}
          error={say('email')}
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
          error={say('team')}
        >
          <TeamOptions teams={teams} none={t('admin.users.noTeam')} />
        </SelectField>
        {role === 'supervisor' && (
          <TextField
            id="admin-f-users-service"
            label={t('admin.users.service')}
            required
            pattern={CODE_PATTERN_ATTRIBUTE}
            placeholder="voirie"
            value={service}
            onValue={setService}
            error={say('service')}
          />
        )}
        <TownSelect
          id="admin-f-users-town"
          value={town}
          onValue={setTown}
          unset="team"
          hint={t('admin.town.accountHint')}
        />
      </div>
      <p className="field-hint">{t('admin.users.passwordHint')}</p>
      <button type="submit" className="button button--primary">
        {t('admin.users.submit')}
      </button>
      {Object.keys(errors).length > 0 && (
        <p className="form-error admin-form__error" role="alert">
          {say('form') ?? t('admin.field.fix')}
        </p>
      )}
    </form>
  );
}
