import { useEffect, useRef } from 'react';

/**
 * For a page that replaces the form the user was in: on mount, scrolls to the top and moves focus to
 * the heading (give it `tabIndex={-1}`), so screen readers announce the outcome.
 */
export function useAnnouncedHeading() {
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    window.scrollTo(0, 0);
    headingRef.current?.focus({ preventScroll: true });
  }, []);
  return headingRef;
}
