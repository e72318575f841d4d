import type { AdminTowns } from '@pave/shared';
import { createContext, useContext, useEffect, useState } from 'react';
import type { StaffUser } from '../../staff/api/staff-api';
import { fetchAdminTowns } from '../api/admin-api';

/**
 * What the admin page knows of towns: whether the signed-in admin is metropolitan (no town: it reads
 * every town and chooses the town of what it creates), and then the served towns. A town's admin
 * sees neither a town column nor a town field: everything it sees and makes is its town's.
 */
export interface AdminTownsView {
  isMetropolitan: boolean;
  towns: AdminTowns['towns'];
}

const NO_TOWNS: AdminTownsView = { isMetropolitan: false, towns: [] };

export const AdminTownsContext = createContext<AdminTownsView>(NO_TOWNS);

/** The towns of the admin page: read once, for a metropolitan admin only. */
export function useAdminTownsOf(user: StaffUser): AdminTownsView {
  const isMetropolitan = user.townCode === null;
  const [towns, setTowns] = useState<AdminTowns['towns']>([]);
  useEffect(() => {
    if (!isMetropolitan) return;
    let isCurrent = true;
    // A failed read leaves the list empty: the town field then offers "none" only, and the server
    // still decides.
    fetchAdminTowns().then(
      (answer) => isCurrent && setTowns(answer.towns),
      () => {},
    );
    return () => {
      isCurrent = false;
    };
  }, [isMetropolitan]);
  return { isMetropolitan, towns };
}

/** The admin page's towns, for its sections. */
export function useAdminTowns(): AdminTownsView {
  return useContext(AdminTownsContext);
}
