import type { ReactNode } from 'react';
import type { AnalyticsState } from '../hooks/use-analytics';
import { AnalyticsError } from './analytics-error';

/** A council card fed by one analytics request: busy while it loads, its title, its failure if any, then `children`. */
export function AnalyticsCard({
  id,
  title,
  state,
  children,
}: {
  /** The title's id, which names the card. */
  id: string;
  title: string;
  state: AnalyticsState<unknown>;
  children: ReactNode;
}) {
  return (
    <section className="council-card" aria-labelledby={id} aria-busy={state.isLoading}>
      <h2 id={id} className="council-card__title">
        {title}
      </h2>
      <AnalyticsError error={state.error} />
      {children}
    </section>
  );
}
