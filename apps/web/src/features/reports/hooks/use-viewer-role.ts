import { useEffect, useState } from 'react';
import { fetchViewerRole, type ViewerRole } from '../api/reports-api';

/** Who holds the private link, or null while unknown or for a wrong token (then the page stays public). */
export function useViewerRole(id: string, token: string | null): [ViewerRole | null, (role: ViewerRole) => void] {
  const [role, setRole] = useState<ViewerRole | null>(null);
  useEffect(() => {
    if (!token) return;
    const controller = new AbortController();
    fetchViewerRole(id, token, controller.signal).then(setRole, () => setRole(null));
    return () => controller.abort();
  }, [id, token]);
  return [role, setRole];
}
