import { useEffect, useState } from 'react';
import { useI18n } from '../../../i18n';
import { ApiError } from '../../../lib/api-client';
import { useDocumentTitle } from '../../../lib/use-document-title';
import { fetchProfile, logOut, type CitizenProfile } from '../api/account-api';
import { AccountExtraSections } from './account-extra-sections';
import { DeleteAccount } from './delete-account';
import { MyReportsSection } from './my-reports-section';
import { ProfileForm } from './profile-form';
import { SignInPanel } from './sign-in-panel';
import './account.css';

/** `/compte`: signing in when signed out; "Mes signalements", profile and deletion when signed in. */
export function AccountPage() {
  const { t } = useI18n();
  useDocumentTitle(t('account.title'));
  const [profile, setProfile] = useState<CitizenProfile | null | undefined>(undefined);
  const [notice, setNotice] = useState<'signedOut' | 'deleted' | null>(null);
  // Set by the API when a provider sign-in came back refused (`/compte?erreur=OIDC_STATE_INVALID`).
  const [signInError] = useState(() => new URLSearchParams(window.location.search).get('erreur'));
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    fetchProfile(controller.signal).then(
      ({ profile }) => setProfile(profile),
      (caught: unknown) => {
        if (controller.signal.aborted) return;
        const code = caught instanceof ApiError ? caught.code : 'NETWORK';
        if (code !== 'AUTH_REQUIRED') setLoadError(code);
        setProfile(null);
      },
    );
    return () => controller.abort();
  }, []);

  async function signOut() {
    const { providerLogoutUrl } = await logOut().catch(() => ({ providerLogoutUrl: null }));
    // Signed in through a provider (FranceConnect): sign out there too; it sends the browser back here.
    if (providerLogoutUrl) {
      window.location.assign(providerLogoutUrl);
      return;
    }
    setNotice('signedOut');
    setProfile(null);
  }

  if (profile === undefined) return <p className="page page-loading">{t('common.loading')}</p>;
  if (profile === null) {
    return (
      <SignInPanel
        notice={notice && t(notice === 'deleted' ? 'account.delete.done' : 'account.signedOut')}
        initialError={signInError ?? loadError}
        returnTo="/compte"
      />
    );
  }
  return (
    <div className="page page--narrow account-page">
      <h1 className="page-title">{t('account.title')}</h1>
      <div className="account-who">
        <p>
          {profile.email
            ? t('account.signedInAs', { email: profile.email })
            : t('account.signedInWith', { provider: profile.providers.join(', ') })}
        </p>
        <button type="button" className="button button--quiet" onClick={signOut}>
          {t('account.signOut')}
        </button>
      </div>
      <MyReportsSection />
      <ProfileForm profile={profile} onSaved={setProfile} />
      <AccountExtraSections profile={profile} />
      <DeleteAccount
        onDeleted={() => {
          setNotice('deleted');
          setProfile(null);
        }}
      />
    </div>
  );
}
