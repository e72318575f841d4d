import type { I18n } from '../../i18n';
import { ApiError } from '../../lib/api-client';

/** What a crew member reads when a move, merge or requalification is refused: the API's reason, when it gave one. */
export function describeActionFailure(caught: unknown, t: I18n['t']): string {
  return caught instanceof ApiError
    ? `${t('staff.action.failed')} (${caught.message || caught.code})`
    : t('staff.action.failed');
}
