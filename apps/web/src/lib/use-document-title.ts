import { useEffect } from 'react';

/** Sets the tab title; screen readers announce it, so each page gets its own. */
export function useDocumentTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Pavé` : 'Pavé';
  }, [title]);
}
