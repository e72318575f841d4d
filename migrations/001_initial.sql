-- The foundation model: categories, teams, service areas, routing rules, reports,
-- photos, an append-only history and the outbox that feeds the job queue.

CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE category_groups (
  id         serial PRIMARY KEY,
  code       text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]+$'),
  label_fr   text NOT NULL,
  label_en   text NOT NULL,
  position   integer NOT NULL DEFAULT 0
);

CREATE TABLE categories (
  id               serial PRIMARY KEY,
  group_id         integer NOT NULL REFERENCES category_groups (id),
  code             text NOT NULL UNIQUE CHECK (code ~ '^[a-z0-9-]+$'),
  label_fr         text NOT NULL,
  label_en         text NOT NULL,
  synonyms         text[] NOT NULL DEFAULT '{}',
  deadline_hours   integer NOT NULL CHECK (deadline_hours > 0),
  default_priority smallint NOT NULL DEFAULT 2 CHECK (default_priority BETWEEN 1 AND 3),
  -- Sensitive categories are shown on public maps without their photos.
  is_sensitive     boolean NOT NULL DEFAULT false,
  is_active        boolean NOT NULL DEFAULT true,
  position         integer NOT NULL DEFAULT 0
);
CREATE INDEX categories_group_idx ON categories (group_id);

CREATE TABLE teams (
  id         serial PRIMARY KEY,
  code       text NOT NULL UNIQUE,
  name       text NOT NULL,
  email      text,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE service_areas (
  id         serial PRIMARY KEY,
  code       text NOT NULL UNIQUE,
  name       text NOT NULL,
  geom       geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom)),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_areas_geom_idx ON service_areas USING gist (geom);

-- Ordered rules: the first active rule whose non-null criteria all match decides.
-- A rule with no criteria at all is the fallback.
CREATE TABLE routing_rules (
  id                serial PRIMARY KEY,
  position          integer NOT NULL,
  category_group_id integer REFERENCES category_groups (id),
  category_id       integer REFERENCES categories (id),
  area_id           integer REFERENCES service_areas (id),
  team_id           integer NOT NULL REFERENCES teams (id),
  is_active         boolean NOT NULL DEFAULT true,
  description       text NOT NULL DEFAULT '',
  CHECK (category_group_id IS NULL OR category_id IS NULL)
);
CREATE INDEX routing_rules_position_idx ON routing_rules (position, id) WHERE is_active;

CREATE SEQUENCE report_ref_seq;

CREATE TABLE reports (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Public reference read out on the phone and printed in mails: PAV-2026-000123.
  ref             text NOT NULL UNIQUE DEFAULT (
                    'PAV-' || to_char(now() AT TIME ZONE 'Europe/Paris', 'YYYY') || '-'
                    || lpad(nextval('report_ref_seq')::text, 6, '0')),
  status          text NOT NULL DEFAULT 'new' CHECK (status IN (
                    'new', 'acknowledged', 'scheduled', 'in_progress', 'resolved',
                    'rejected', 'duplicate', 'transferred', 'reopened')),
  category_id     integer NOT NULL REFERENCES categories (id),
  description     text NOT NULL DEFAULT '' CHECK (char_length(description) <= 4000),
  -- Private: never part of a public response (response schemas omit it).
  reporter_email  text CHECK (reporter_email IS NULL OR char_length(reporter_email) <= 254),
  geom            geometry(Point, 4326) NOT NULL,
  priority        smallint NOT NULL DEFAULT 2 CHECK (priority BETWEEN 1 AND 3),
  source          text NOT NULL DEFAULT 'web',
  area_id         integer REFERENCES service_areas (id),
  team_id         integer REFERENCES teams (id),
  routing_rule_id integer REFERENCES routing_rules (id) ON DELETE SET NULL,
  routed_at       timestamptz,
  deadline_at     timestamptz,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reports_geom_idx ON reports USING gist (geom);
CREATE INDEX reports_status_created_idx ON reports (status, created_at DESC);
CREATE INDEX reports_category_idx ON reports (category_id);
CREATE INDEX reports_team_idx ON reports (team_id) WHERE team_id IS NOT NULL;

CREATE TABLE photos (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  report_id     uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  position      smallint NOT NULL,
  kind          text NOT NULL DEFAULT 'initial' CHECK (kind IN ('initial', 'after')),
  status        text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'ready', 'failed')),
  -- Storage key of the upload as received; it keeps its metadata and is never served.
  original_key  text NOT NULL,
  mime_type     text NOT NULL,
  byte_size     integer NOT NULL,
  width         integer,
  height        integer,
  failure       text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  processed_at  timestamptz,
  UNIQUE (report_id, kind, position)
);

-- Append-only: a trigger refuses updates and deletes (cascades from a deleted report aside).
CREATE TABLE report_history (
  id          bigserial PRIMARY KEY,
  report_id   uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL DEFAULT now(),
  actor       text NOT NULL,
  event       text NOT NULL,
  from_status text,
  to_status   text,
  is_public   boolean NOT NULL DEFAULT false,
  data        jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX report_history_report_idx ON report_history (report_id, at);

CREATE FUNCTION report_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'report_history is append-only';
END $$;
CREATE TRIGGER report_history_no_update BEFORE UPDATE ON report_history
  FOR EACH ROW EXECUTE FUNCTION report_history_append_only();

-- Written in the same transaction as the change it announces; a relay moves rows to the queue,
-- so a report accepted while Redis is away is still processed once it is back.
CREATE TABLE outbox (
  id          bigserial PRIMARY KEY,
  job_name    text NOT NULL,
  job_id      text NOT NULL,
  payload     jsonb NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  sent_at     timestamptz,
  attempts    integer NOT NULL DEFAULT 0,
  last_error  text
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE sent_at IS NULL;

CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', NEW.id::text);
  RETURN NEW;
END $$;
CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox
  FOR EACH ROW EXECUTE FUNCTION outbox_notify();
