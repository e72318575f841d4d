import { PUBLIC_STATUS } from '@pave/shared';
import { PinGlyph } from '../../../components/place-glyphs';
import { useI18n } from '../../../i18n';
import type { ShownItem } from '../queue-items';

/** One line of the queue: reference, lateness, category, the address, area, when, who. */
export function QueueLine({
  item,
  isOpen,
  onToggle,
  formatDate,
}: {
  item: ShownItem;
  isOpen: boolean;
  onToggle: () => void;
  formatDate: (iso: string, style?: 'long' | 'short') => string;
}) {
  const { t, label } = useI18n();
  return (
    <button
      type="button"
      className={`staff-item staff-item--${item.status}${isOpen ? ' is-selected' : ''}`}
      aria-expanded={isOpen}
      data-report-id={item.id}
      onClick={onToggle}
    >
      <span className="staff-item-ref">{item.ref}</span>
      {item.hasLeft ? (
        <span className="staff-left">{t('staff.queue.left')}</span>
      ) : (
        item.isLate && <span className="staff-late">{t('staff.late')}</span>
      )}
      <span className="staff-item-category">
        {item.category.label} · {label(PUBLIC_STATUS[item.status].label)}
      </span>
      {item.address && (
        <span className="staff-item-address" data-testid="queue-address">
          <PinGlyph size={16} className="staff-item-address-icon" />
          {item.address}
        </span>
      )}
      <span className="staff-item-meta">
        {item.area ? `${item.area} · ` : ''}
        {formatDate(item.createdAt, 'short')} · P{item.priority}
      </span>
      <span className="staff-item-meta">
        {item.assignee ? t('staff.item.assignee', { name: item.assignee.displayName }) : t('staff.item.unassigned')}
      </span>
    </button>
  );
}
