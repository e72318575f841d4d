import { useEffect, useState } from 'react';
import { fetchMe } from '../../staff/api/staff-api';
import { STAFF_SESSION_EVENT } from '../../staff/hooks/use-staff-session';

const ANALYST_ROLES: readonly string[] = ['council', 'supervisor', 'admin'];

/** Whether the analytics API answers this role; the council page tells anyone else rather than show errors. */
export function isAnalyst(role: string): boolean {
  return ANALYST_ROLES.includes(role);
}

/**
 * Whether the header offers the analytics link: only on the staff pages, and only to a signed-in
 * council member, supervisor or admin. Residents' pages never ask the server about a staff session.
 */
export function useAnalystAccess(pathname: string): boolean {
  const isStaffArea = pathname === '/staff' || pathname === '/council';
  const [canSee, setCanSee] = useState(false);
  useEffect(() => {
    if (!isStaffArea) {
      setCanSee(false);
      return;
    }
    let isCurrent = true;
    const check = () =>
      fetchMe().then(
        ({ user }) => isCurrent && setCanSee(isAnalyst(user.role)),
        () => isCurrent && setCanSee(false),
      );
    check();
    window.addEventListener(STAFF_SESSION_EVENT, check);
    return () => {
      isCurrent = false;
      window.removeEventListener(STAFF_SESSION_EVENT, check);
    };
  }, [isStaffArea, pathname]);
  return canSee;
}
