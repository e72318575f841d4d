-- The city's voice: rejection reasons and public message templates, managed by admins in French and
-- English. They were constants in code; the rows below are those constants, so nothing changes until
-- an admin edits them. A reason in use is deactivated, never deleted: past reports still name it.

CREATE TABLE rejection_reasons (
  code       text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
  label_fr   text NOT NULL CHECK (char_length(btrim(label_fr)) BETWEEN 1 AND 200),
  label_en   text NOT NULL CHECK (char_length(btrim(label_en)) BETWEEN 1 AND 200),
  position   integer NOT NULL DEFAULT 0,
  is_active  boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO rejection_reasons (code, label_fr, label_en, position) VALUES
  ('hors-competence', 'Hors de la compétence de la Ville', 'Not the city’s responsibility', 10),
  ('domaine-prive', 'Situé sur le domaine privé', 'On private property', 20),
  ('introuvable', 'Problème introuvable sur place', 'Problem not found on site', 30),
  ('deja-traite', 'Déjà traité', 'Already dealt with', 40),
  ('abusif', 'Signalement abusif', 'Abusive report', 50);

CREATE TABLE message_templates (
  code       text PRIMARY KEY CHECK (code ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
  -- The statuses a template is offered for; at least one.
  statuses   text[] NOT NULL CHECK (cardinality(statuses) >= 1 AND statuses <@ ARRAY[
               'new', 'acknowledged', 'scheduled', 'in_progress', 'resolved', 'rejected', 'duplicate',
               'transferred', 'reopened']::text[]),
  text_fr    text NOT NULL CHECK (char_length(btrim(text_fr)) BETWEEN 1 AND 2000),
  text_en    text NOT NULL CHECK (char_length(btrim(text_en)) BETWEEN 1 AND 2000),
  position   integer NOT NULL DEFAULT 0,
  is_active  boolean NOT NULL DEFAULT true,
  updated_at timestamptz NOT NULL DEFAULT now()
);

INSERT INTO message_templates (code, statuses, text_fr, text_en, position) VALUES
  ('fixed', '{resolved}', 'Intervention réalisée, merci pour votre signalement.',
   'The work is done, thank you for your report.', 10),
  ('fixed-temporary', '{resolved}',
   'Une réparation provisoire a été faite pour sécuriser les lieux ; une réfection complète suivra.',
   'A temporary repair makes the place safe; a full repair will follow.', 20),
  ('already-fixed', '{resolved}',
   'Nos équipes sont passées : le problème avait déjà été traité. Merci pour votre vigilance.',
   'Our crew went there: the problem had already been dealt with. Thank you for your vigilance.', 30),
  ('other-service', '{rejected,transferred}', 'Ce problème relève d’un autre service : …',
   'This problem is handled by another service: …', 40),
  ('private-property', '{rejected}',
   'Ce lieu est situé sur le domaine privé : c’est au propriétaire ou au syndic d’intervenir.',
   'This place is private property: the owner or the building manager must act.', 50),
  ('not-found', '{rejected}',
   'Nos équipes n’ont pas trouvé le problème à l’adresse indiquée. N’hésitez pas à faire un nouveau signalement avec une photo.',
   'Our crew could not find the problem at this address. Feel free to report it again with a photo.', 60),
  ('scheduled', '{scheduled}', 'Une intervention est programmée. Merci de votre patience.',
   'The work is scheduled. Thank you for your patience.', 70),
  ('scheduled-works', '{scheduled}', 'Le problème sera traité lors de travaux déjà prévus dans la rue : …',
   'The problem will be fixed during works already planned in the street: …', 80);
