-- The resident's side (private links are HMACs, nothing stored): severity, supports ("+1"), followers, idempotent
-- submissions, comment photos, and the mails already sent (so a retried job never mails twice).

ALTER TABLE reports
  ADD COLUMN severity text NOT NULL DEFAULT 'genant' CHECK (severity IN ('genant', 'tres_genant', 'dangereux')),
  ADD COLUMN support_count integer NOT NULL DEFAULT 0 CHECK (support_count >= 0);

-- Per-category radius for "already reported?" (DansMaRue uses 50 m).
ALTER TABLE categories ADD COLUMN duplicate_radius_m integer NOT NULL DEFAULT 50 CHECK (duplicate_radius_m BETWEEN 5 AND 1000);

ALTER TABLE photos DROP CONSTRAINT photos_kind_check;
ALTER TABLE photos ADD CONSTRAINT photos_kind_check CHECK (kind IN ('initial', 'after', 'comment'));

-- One "+1" per device and report.
CREATE TABLE report_supports (
  report_id  uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  device_id  text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (report_id, device_id)
);

CREATE TABLE report_followers (
  id              bigserial PRIMARY KEY,
  report_id       uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  email           text NOT NULL CHECK (char_length(email) <= 254),
  created_at      timestamptz NOT NULL DEFAULT now(),
  unsubscribed_at timestamptz,
  UNIQUE (report_id, email)
);

-- A submission's Idempotency-Key and the answer it got: a retry with the same key and body gets the
-- same answer; the same key with another body is refused. Rows older than a day can be purged.
CREATE TABLE idempotency_keys (
  key          text PRIMARY KEY,
  request_hash text NOT NULL,
  report_id    uuid REFERENCES reports (id) ON DELETE CASCADE,
  response     jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);

CREATE TABLE notifications_sent (
  history_id bigint NOT NULL REFERENCES report_history (id) ON DELETE CASCADE,
  recipient  text NOT NULL,
  sent_at    timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (history_id, recipient)
);
