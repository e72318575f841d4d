-- Signing out of Pavé also signs a citizen out of the OpenID Connect provider they came through
-- (FranceConnect requires it): RP-initiated logout sends the browser to the provider with the ID
-- token it issued as `id_token_hint`. The token is kept with the session only for that, dropped when
-- the session is revoked, and goes with the session row when the upkeep purges it.
ALTER TABLE citizen_sessions
  ADD COLUMN oidc_provider text CHECK (char_length(oidc_provider) <= 40),
  ADD COLUMN id_token text CHECK (char_length(id_token) <= 16384);
