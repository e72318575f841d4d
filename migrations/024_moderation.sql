-- Moderation: supervisors and admins hide or edit a description or a comment and hide a photo; residents
-- flag abuse; an admin word list holds a comment for review before it is published. Every action keeps
-- who, when, why and the original text, for staff only.

-- A hidden photo stays stored (staff still see it) but leaves every public output.
ALTER TABLE photos ADD COLUMN is_hidden boolean NOT NULL DEFAULT false;

-- The description as a moderator left it: hidden, or edited in place (the original is in moderation_actions).
ALTER TABLE reports
  ADD COLUMN description_hidden boolean NOT NULL DEFAULT false,
  ADD COLUMN description_edited boolean NOT NULL DEFAULT false;

-- Comments live in the append-only report_history; their moderation state lives beside them.
-- 'held': waiting for review (the word list), not public; 'hidden': replaced by a notice; 'published'.
CREATE TABLE comment_moderation (
  history_id  bigint PRIMARY KEY REFERENCES report_history (id) ON DELETE CASCADE,
  state       text NOT NULL CHECK (state IN ('held', 'hidden', 'published')),
  -- The text the public reads when a moderator edited it; null: the text as written.
  edited_text text CHECK (char_length(edited_text) <= 2000),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE moderation_actions (
  id            bigserial PRIMARY KEY,
  report_id     uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  target_kind   text NOT NULL CHECK (target_kind IN ('description', 'comment', 'photo')),
  -- The comment's history entry or the photo; null for the description.
  target_id     text,
  action        text NOT NULL CHECK (action IN ('hide', 'edit', 'restore', 'publish')),
  reason        text NOT NULL CHECK (char_length(btrim(reason)) BETWEEN 1 AND 500),
  original_text text,
  new_text      text,
  actor_id      integer NOT NULL REFERENCES staff_users (id),
  at            timestamptz NOT NULL DEFAULT now(),
  CHECK ((target_kind = 'description') = (target_id IS NULL))
);
CREATE INDEX moderation_actions_report_idx ON moderation_actions (report_id, at);

-- A resident's "this is abusive". The client is kept as a hash (of the address or device), only to
-- count distinct flaggers; it is never shown.
CREATE TABLE moderation_flags (
  id           bigserial PRIMARY KEY,
  report_id    uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
  target_kind  text NOT NULL CHECK (target_kind IN ('report', 'comment', 'photo')),
  target_id    text,
  reason       text NOT NULL CHECK (reason IN ('insult', 'personal_data', 'spam', 'other')),
  client_hash  text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  resolved_at  timestamptz,
  resolved_by  integer REFERENCES staff_users (id),
  outcome      text CHECK (outcome IN ('dismissed', 'hidden')),
  CHECK ((target_kind = 'report') = (target_id IS NULL)),
  CHECK ((resolved_at IS NULL) = (outcome IS NULL))
);
-- One open flag per client and target: a second click counts once.
CREATE UNIQUE INDEX moderation_flags_once_idx
  ON moderation_flags (report_id, target_kind, coalesce(target_id, ''), client_hash) WHERE resolved_at IS NULL;
CREATE INDEX moderation_flags_open_idx ON moderation_flags (created_at) WHERE resolved_at IS NULL;

-- Words that hold a comment for review (compared in lower case, without accents, as whole words).
CREATE TABLE moderation_words (
  word       text PRIMARY KEY CHECK (char_length(word) BETWEEN 2 AND 60 AND word = lower(word)),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Retention (docs/privacy.md): a closed report's free text and photos are erased after its status's
-- period; the row, its category, place, dates and status history stay for the council's figures.
ALTER TABLE reports ADD COLUMN content_erased_at timestamptz;
CREATE INDEX reports_retention_idx ON reports (closed_at) WHERE content_erased_at IS NULL AND closed_at IS NOT NULL;

-- The history stays append-only, with one exception: the retention sweep, which says so for its own
-- transaction (SET LOCAL pave.retention_sweep = 'on'), may strip an entry's free text and nothing else.
CREATE OR REPLACE FUNCTION report_history_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('pave.retention_sweep', true) = 'on'
     AND (NEW.id, NEW.report_id, NEW.at, NEW.actor, NEW.event, NEW.is_public)
         = (OLD.id, OLD.report_id, OLD.at, OLD.actor, OLD.event, OLD.is_public)
     AND NEW.from_status IS NOT DISTINCT FROM OLD.from_status
     AND NEW.to_status IS NOT DISTINCT FROM OLD.to_status THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'report_history is append-only';
END $$;
