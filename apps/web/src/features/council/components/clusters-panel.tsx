import { useI18n } from '../../../i18n';
import { Link } from '../../../lib/router';
import { fetchClusters } from '../api/council-api';
import { formatCount } from '../council-format';
import { useAnalytics } from '../hooks/use-analytics';
import { AnalyticsCard } from './analytics-card';
import type { MapHighlight } from '../hooks/use-heatmap-layers';

// Beyond this many references a cluster's card lists the first ones and counts the rest.
const MEMBERS_SHOWN = 8;

/** "Même problème": open reports of one sub-type close together, so 40 reports read as the few problems they are. */
export function ClustersPanel({ query, onShow }: { query: string; onShow: (highlight: MapHighlight) => void }) {
  const { t, label, locale, formatDate } = useI18n();
  const state = useAnalytics(query, (signal) => fetchClusters(new URLSearchParams(query), signal));
  const data = state.data;

  return (
    <AnalyticsCard id="council-clusters-title" title={t('council.clusters.title')} state={state}>
      {data && (
        <>
          <p className="council-clusters__lead" data-testid="clusters-summary">
            {t('council.clusters.summary', {
              reports: data.reports,
              problems: data.problems,
              clusters: data.clusterCount,
              radius: data.radiusM,
            })}
          </p>
          {data.clusters.length === 0 ? (
            <p className="council-muted">{t('council.clusters.none')}</p>
          ) : (
            <ol className="council-clusters">
              {data.clusters.map((cluster) => {
                const name = label(cluster.category.label);
                const oldest = cluster.members.reduce(
                  (a, m) => (m.createdAt < a ? m.createdAt : a),
                  cluster.members[0]!.createdAt,
                );
                const [lon, lat] = cluster.centre.coordinates as [number, number];
                const place = [cluster.place.street, cluster.place.area].filter(Boolean).join(', ');
                const diameter = Math.round(cluster.diameterM);
                return (
                  <li key={cluster.id} className="council-cluster" data-testid="cluster">
                    <div className="council-cluster__head">
                      <p className="council-cluster__title">
                        <strong>{t('council.clusters.count', { n: cluster.count })}</strong> · {name}
                        {place && (
                          <span className="council-cluster__place" data-testid="cluster-place">
                            {t('council.clusters.near')} {place}
                          </span>
                        )}
                      </p>
                      <button
                        type="button"
                        className="button button--secondary council-cluster__show"
                        onClick={() =>
                          onShow({
                            centre: [lon, lat],
                            radiusM: cluster.diameterM / 2 + 10,
                            label: `${name} · ${formatCount(cluster.count, locale)}${place ? ` · ${place}` : ''}`,
                          })
                        }
                      >
                        {t('council.clusters.show')}
                      </button>
                    </div>
                    <p className="council-muted">
                      {/* Under a metre apart reads "at the same spot", never "within 0 m". */}
                      {diameter < 1
                        ? t('council.clusters.samePlace', { date: formatDate(oldest, 'short') })
                        : t('council.clusters.spread', { diameter, date: formatDate(oldest, 'short') })}
                    </p>
                    <ul className="council-cluster__refs" aria-label={t('council.clusters.refs')}>
                      {cluster.members.slice(0, MEMBERS_SHOWN).map((m) => (
                        <li key={m.ref}>
                          <Link href={`/r/${encodeURIComponent(m.ref)}`}>{m.ref}</Link>
                        </li>
                      ))}
                      {cluster.members.length > MEMBERS_SHOWN && (
                        <li className="council-muted">
                          {t('council.clusters.more', { n: cluster.members.length - MEMBERS_SHOWN })}
                        </li>
                      )}
                    </ul>
                  </li>
                );
              })}
            </ol>
          )}
        </>
      )}
    </AnalyticsCard>
  );
}
