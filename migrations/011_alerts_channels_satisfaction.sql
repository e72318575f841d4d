-- Issue #8, part 2: the channel a report came through (and the agents who file for residents),
-- residents' satisfaction after a resolution, and area alerts mailed as digests.

-- Agents (town-hall counter, call centre) file reports on a resident's behalf; they do not triage.
ALTER TABLE staff_users DROP CONSTRAINT staff_users_role_check;
ALTER TABLE staff_users ADD CONSTRAINT staff_users_role_check
  CHECK (role IN ('crew', 'supervisor', 'council', 'admin', 'agent'));

-- How a report reached the city, like DansMaRue's channel letters. `source` stays the technical origin
-- (demo, bench, open311); `channel` is what the council counts. Adding a column with a constant default
-- rewrites nothing, and only Open311 rows are updated.
ALTER TABLE reports ADD COLUMN channel text NOT NULL DEFAULT 'web'
  CHECK (channel IN ('web', 'app', 'counter', 'phone', 'open311', 'email'));
UPDATE reports SET channel = 'open311' WHERE source = 'open311';

-- "Is it fixed, and how satisfied are you?" after a resolution. One answer per person per resolution:
-- a report resolved, reopened and resolved again can be rated again. No personal data: the reporter,
-- or the follower row's id.
CREATE TABLE report_feedback (
  id          bigserial PRIMARY KEY,
  report_id   uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  role        text NOT NULL CHECK (role IN ('reporter', 'follower')),
  follower_id bigint,
  -- The resolution answered: the report's closed_at when it was marked resolved.
  resolved_at timestamptz NOT NULL,
  fixed       boolean NOT NULL,
  rating      smallint CHECK (rating BETWEEN 1 AND 5),
  comment     text CHECK (char_length(comment) <= 2000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'follower') = (follower_id IS NOT NULL))
);
CREATE UNIQUE INDEX report_feedback_once_idx
  ON report_feedback (report_id, resolved_at, role, COALESCE(follower_id, 0));
-- Satisfaction figures read answers over a period.
CREATE INDEX report_feedback_created_idx ON report_feedback (created_at);

-- Area alerts, subscribed by e-mail with double opt-in (no account needed). The area is a service
-- area (an arrondissement) or a polygon (drawn, or a circle around an address). Links in the mails are
-- HMACs of the alert id (like residents' report links), so no token is stored.
CREATE TABLE area_alerts (
  id              bigserial PRIMARY KEY,
  email           text NOT NULL CHECK (char_length(email) <= 254),
  area_id         integer REFERENCES service_areas (id) ON DELETE CASCADE,
  geom            geometry(MultiPolygon, 4326) CHECK (geom IS NULL OR ST_IsValid(geom)),
  -- What the subscriber chose, in words, repeated in every mail ("Paris 11e", "500 m autour de …").
  area_label      text NOT NULL CHECK (char_length(area_label) <= 300),
  -- Empty arrays mean every category.
  category_ids    integer[] NOT NULL DEFAULT '{}',
  group_ids       integer[] NOT NULL DEFAULT '{}',
  frequency       text NOT NULL CHECK (frequency IN ('daily', 'weekly')),
  -- The double opt-in mail went out (a retried job does not send it twice).
  confirmation_sent_at timestamptz,
  confirmed_at    timestamptz,
  unsubscribed_at timestamptz,
  -- End of the last digest window: the next digest covers what happened after it. Advanced even when
  -- nothing happened (no mail then), so a retried run of the same window sends nothing.
  covered_until   timestamptz,
  last_sent_at    timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CHECK ((area_id IS NULL) <> (geom IS NULL))
);
CREATE INDEX area_alerts_due_idx ON area_alerts (frequency, covered_until)
  WHERE confirmed_at IS NOT NULL AND unsubscribed_at IS NULL;
CREATE INDEX area_alerts_email_idx ON area_alerts (lower(email));
