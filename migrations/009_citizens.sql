-- Optional citizen accounts: sign-in by magic link or OpenID Connect, "Mes signalements", claiming
-- reports filed from the same browser, and deleting one's account. Reporting never needs an account.

CREATE TABLE citizen_accounts (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Lowercased. Null for an OpenID Connect account whose provider gave no verified address.
  email         text UNIQUE CHECK (email = lower(email) AND char_length(email) <= 254),
  display_name  text NOT NULL DEFAULT '' CHECK (char_length(display_name) <= 80),
  -- The name is private unless the citizen chooses to show it.
  show_name     boolean NOT NULL DEFAULT false,
  language      text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en')),
  -- An object so that new preferences (area alerts) need no migration of this column.
  email_prefs   jsonb NOT NULL DEFAULT '{"reportUpdates": true}' CHECK (jsonb_typeof(email_prefs) = 'object'),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);

-- An account's identities at OpenID Connect providers; the subject is the provider's stable id.
CREATE TABLE citizen_identities (
  provider    text NOT NULL CHECK (char_length(provider) <= 40),
  subject     text NOT NULL CHECK (char_length(subject) <= 255),
  account_id  uuid NOT NULL REFERENCES citizen_accounts (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, subject)
);
CREATE INDEX citizen_identities_account_idx ON citizen_identities (account_id);

-- Only a hash of the session token is stored (a leaked table opens no session); revoking sets revoked_at.
CREATE TABLE citizen_sessions (
  token_hash  text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  account_id  uuid NOT NULL REFERENCES citizen_accounts (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  revoked_at  timestamptz
);
CREATE INDEX citizen_sessions_account_idx ON citizen_sessions (account_id);

-- A magic link is a random token mailed to an address; only its hash is kept. One use: used_at.
-- No account is needed to ask for one, so asking says nothing about which addresses have accounts.
CREATE TABLE magic_links (
  token_hash  text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  email       text NOT NULL CHECK (email = lower(email) AND char_length(email) <= 254),
  -- A same-origin path, checked when the link is asked for.
  return_to   text NOT NULL DEFAULT '/compte' CHECK (return_to LIKE '/%' AND char_length(return_to) <= 500),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX magic_links_email_idx ON magic_links (email);
CREATE INDEX magic_links_expires_idx ON magic_links (expires_at);

-- An OpenID Connect sign-in in progress: state, nonce and the PKCE verifier, usable once.
-- In the database rather than a signed cookie, because one use must hold across API processes.
CREATE TABLE oidc_states (
  state          text PRIMARY KEY CHECK (char_length(state) BETWEEN 32 AND 100),
  provider       text NOT NULL,
  nonce          text NOT NULL,
  code_verifier  text NOT NULL,
  return_to      text NOT NULL DEFAULT '/compte' CHECK (return_to LIKE '/%' AND char_length(return_to) <= 500),
  created_at     timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  used_at        timestamptz
);
CREATE INDEX oidc_states_expires_idx ON oidc_states (expires_at);

-- The account a report belongs to: filed while signed in, or claimed afterwards. Private, like the
-- e-mail; deleting the account keeps the report and forgets whose it was. (reporter_account_id is
-- an Open311 client's free-text account, not one of ours.)
ALTER TABLE reports ADD COLUMN citizen_id uuid REFERENCES citizen_accounts (id) ON DELETE SET NULL;
CREATE INDEX reports_citizen_idx ON reports (citizen_id, created_at DESC) WHERE citizen_id IS NOT NULL;
-- Claiming looks reports up by the browser's device id.
CREATE INDEX reports_device_idx ON reports (reporter_device_id) WHERE reporter_device_id IS NOT NULL;
-- "Mes signalements" lists what an address filed or follows, and deleting an account forgets that
-- address everywhere; both look it up case-insensitively (residents type addresses as they like).
CREATE INDEX report_followers_email_idx ON report_followers (lower(email));
CREATE INDEX reports_reporter_email_idx ON reports (lower(reporter_email)) WHERE reporter_email IS NOT NULL;
CREATE INDEX notifications_sent_recipient_idx ON notifications_sent (lower(recipient));
