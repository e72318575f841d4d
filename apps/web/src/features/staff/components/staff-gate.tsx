import type { ReactNode } from 'react';
import { useI18n } from '../../../i18n';
import type { StaffUser } from '../api/staff-api';
import { useStaffSession } from '../hooks/use-staff-session';
import { StaffLogin } from './staff-login';

/**
 * The gate of the /staff, /council and /admin pages: "loading" while the session is asked for, the
 * sign-in form (`login`) or the refusal (`refused`) to whoever may not enter, else `children`.
 * Without `login`, nobody signed in is refused like a role that `canEnter` turns away.
 */
export function StaffGate({
  login,
  canEnter = () => true,
  refused = () => null,
  children,
}: {
  login?: { title: string; intro?: string; className?: string };
  canEnter?: (user: StaffUser) => boolean;
  refused?: (user: StaffUser | null, signOut: () => Promise<void>) => ReactNode;
  children: (user: StaffUser, signOut: () => Promise<void>) => ReactNode;
}) {
  const { t } = useI18n();
  const { user, signIn, signOut } = useStaffSession();
  if (user === undefined) return <p className="page page-loading">{t('common.loading')}</p>;
  if (user === null && login) return <StaffLogin onSignedIn={signIn} {...login} />;
  if (user === null || !canEnter(user)) return refused(user, signOut);
  return children(user, signOut);
}

/**
 * A staff page kept for some roles (`/admin`, `/moderation`): the staff sign-in where it was reached,
 * a refusal with the way to the staff area for other roles, else the page (`className`) under its
 * title bar: who is signed in, the page's `links`, and "sign out".
 */
export function SignedInPage({
  title,
  intro,
  className,
  canEnter,
  refusal,
  links,
  children,
}: {
  title: string;
  /** Said under the sign-in's title: who the page is for. */
  intro: string;
  /** The page's own class; its sign-in gets `<className>-login`. */
  className: string;
  canEnter: (user: StaffUser) => boolean;
  /** What a signed-in visitor of another role reads, and how the test finds it. */
  refusal: { message: string; className: string; testId: string };
  links: ReactNode;
  children: (user: StaffUser) => ReactNode;
}) {
  const { t } = useI18n();
  return (
    <StaffGate
      // The staff sign-in, here too: whoever follows a link to this page signs in where they landed.
      login={{ title, intro, className: `${className}-login` }}
      canEnter={canEnter}
      refused={() => (
        <StaffRefused title={title} {...refusal}>
          <a className="button button--primary" href="/staff">
            {t('admin.toStaff')}
          </a>
        </StaffRefused>
      )}
    >
      {(user, signOut) => (
        <div className={`page ${className}`}>
          <div className="staff-bar">
            <h1 className="page-title">{title}</h1>
            <StaffWho user={user} onSignOut={signOut}>
              {links}
            </StaffWho>
          </div>
          {children(user)}
        </div>
      )}
    </StaffGate>
  );
}

/** A staff page that turns its visitor away: why (an alert), and the way out. */
export function StaffRefused({
  title,
  message,
  className,
  testId,
  children,
}: {
  title: string;
  message: string;
  className: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <div className="page page--narrow">
      <h1 className="page-title">{title}</h1>
      <p className={className} role="alert" data-testid={testId}>
        {message}
      </p>
      {children}
    </div>
  );
}

/**
 * Who is signed in (name · role · town: « Montreuil », or « Métropole » for an account that reads
 * every town), the page's own links, and "sign out".
 */
export function StaffWho({
  user,
  onSignOut,
  className = 'staff-who',
  children,
}: {
  user: StaffUser;
  onSignOut: () => void;
  className?: string;
  children?: ReactNode;
}) {
  const { t } = useI18n();
  const townName = user.townCode === null ? t('staff.town.metropolitan') : (user.townName ?? user.townCode);
  return (
    <p className={className}>
      {/* One run of text: the staff page's phone bar is a flex row, which would space each piece apart. */}
      <span className="staff-who__name">
        {user.displayName} · {t(`staff.role.${user.role}`)}
        {/* The role and the town stay on one line: a phone wraps before them, not between. */}
        {'\u00a0·\u00a0'}
        <span className="staff-who__town" title={t('staff.town.of', { town: townName })}>
          {townName}
        </span>
      </span>{' '}
      {children}{' '}
      <button type="button" className="button button--quiet" onClick={onSignOut}>
        {t('staff.logout')}
      </button>
    </p>
  );
}
