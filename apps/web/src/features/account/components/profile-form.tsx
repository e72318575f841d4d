import { LOCALES, type Locale } from '@pave/shared';
import { useState, type FormEvent } from 'react';
import { SelectField, TextField } from '../../../components/form-field';
import { useI18n } from '../../../i18n';
import { updateProfile, type CitizenProfile } from '../api/account-api';
import { AccountSection } from './account-section';

/** A yes-or-no preference drawn as a choice: `account.profile.<name>` says it, `<name>Hint` explains it. */
function Preference({
  name,
  isChecked,
  onChange,
}: {
  name: 'showName' | 'reportUpdates';
  isChecked: boolean;
  onChange: (isChecked: boolean) => void;
}) {
  const { t } = useI18n();
  return (
    <label className={isChecked ? 'choice is-checked' : 'choice'}>
      <input type="checkbox" checked={isChecked} onChange={(e) => onChange(e.target.checked)} />
      <span className="choice-text">
        <span className="choice-label">{t(`account.profile.${name}`)}</span>
        <span className="choice-hint">{t(`account.profile.${name}Hint`)}</span>
      </span>
    </label>
  );
}

/** Display name (private unless chosen), language and e-mail preferences. */
export function ProfileForm({
  profile,
  onSaved,
}: {
  profile: CitizenProfile;
  onSaved: (profile: CitizenProfile) => void;
}) {
  const { t, setLocale } = useI18n();
  const [displayName, setDisplayName] = useState(profile.displayName);
  const [showName, setShowName] = useState(profile.showName);
  const [language, setLanguage] = useState<Locale>(profile.language);
  const [reportUpdates, setReportUpdates] = useState(profile.emailPrefs.reportUpdates);
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved' | 'failed'>('idle');

  async function submit(event: FormEvent) {
    event.preventDefault();
    setStatus('saving');
    try {
      const saved = await updateProfile({ displayName, showName, language, emailPrefs: { reportUpdates } });
      onSaved(saved.profile);
      setLocale(saved.profile.language);
      setStatus('saved');
    } catch {
      setStatus('failed');
    }
  }

  return (
    <AccountSection id="profile-title" title={t('account.profile.title')}>
      <form className="account-form" onSubmit={submit}>
        <TextField
          id="profile-name"
          label={t('account.profile.name')}
          autoComplete="nickname"
          maxLength={80}
          value={displayName}
          onValue={setDisplayName}
        />
        <Preference name="showName" isChecked={showName} onChange={setShowName} />
        <SelectField
          id="profile-language"
          label={t('account.profile.language')}
          value={language}
          onValue={(value) => setLanguage(value as Locale)}
        >
          {LOCALES.map((locale) => (
            <option key={locale} value={locale} lang={locale}>
              {t(`lang.${locale}`)}
            </option>
          ))}
        </SelectField>
        <Preference name="reportUpdates" isChecked={reportUpdates} onChange={setReportUpdates} />
        <button type="submit" className="button button--primary" disabled={status === 'saving'}>
          {t('account.profile.save')}
        </button>
        {status === 'saved' && (
          <p className="account-done" role="status">
            {t('account.profile.saved')}
          </p>
        )}
        {status === 'failed' && (
          <p className="form-error" role="alert">
            {t('account.profile.failed')}
          </p>
        )}
      </form>
    </AccountSection>
  );
}
