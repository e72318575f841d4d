import { useCallback, useEffect, useState } from 'react';
import { fetchMe, logOut, type StaffUser } from '../api/staff-api';

/** Fired when a staff user signs in or out on any staff page, so the header follows at once. */
export const STAFF_SESSION_EVENT = 'pave:staff-session';

export interface StaffSession {
  /** undefined while the server is asked, null when nobody is signed in. */
  user: StaffUser | null | undefined;
  signIn: (user: StaffUser) => void;
  signOut: () => Promise<void>;
}

/** The staff session of the /staff, /council and /admin pages: one check, one sign-in, one sign-out. */
export function useStaffSession(): StaffSession {
  const [user, setUser] = useState<StaffUser | null | undefined>(undefined);

  useEffect(() => {
    let isCurrent = true;
    fetchMe().then(
      ({ user }) => isCurrent && setUser(user),
      () => isCurrent && setUser(null),
    );
    return () => {
      isCurrent = false;
    };
  }, []);

  const signIn = useCallback((next: StaffUser) => {
    setUser(next);
    window.dispatchEvent(new Event(STAFF_SESSION_EVENT));
  }, []);

  const signOut = useCallback(async () => {
    await logOut().catch(() => {});
    setUser(null);
    window.dispatchEvent(new Event(STAFF_SESSION_EVENT));
  }, []);

  return { user, signIn, signOut };
}
