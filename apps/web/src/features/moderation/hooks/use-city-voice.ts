import { findMessageTemplates, REJECTION_REASONS, type CityVoice, type Label, type ReportStatus } from '@pave/shared';
import { useEffect, useState } from 'react';
import { cacheOnce, requestJson } from '../../../lib/api-client';

const loadCityVoice = cacheOnce(() => requestJson<CityVoice>('/api/staff/city-voice'));

/**
 * The rejection reasons and message templates admins manage, for a staff member changing a status.
 * Until they load (or if they cannot), the defaults every city starts with.
 */
export function useCityVoice(): {
  reasons: { code: string; label: Label }[];
  templatesFor: (status: ReportStatus) => { code: string; text: Label }[];
} {
  const [voice, setVoice] = useState<CityVoice | null>(null);
  useEffect(() => {
    loadCityVoice().then(setVoice, () => setVoice(null));
  }, []);
  if (!voice) {
    return {
      reasons: Object.entries(REJECTION_REASONS).map(([code, label]) => ({ code, label })),
      templatesFor: (status) => [...findMessageTemplates(status)],
    };
  }
  return {
    reasons: voice.reasons,
    templatesFor: (status) => voice.templates.filter((tpl) => tpl.statuses.includes(status)),
  };
}
