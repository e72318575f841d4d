-- Mails in the recipient's language (issue #15): the language of the page a resident reported or
-- followed from, sent by the web app; French, the city's language, for every earlier row and for
-- clients that do not say. Citizen accounts already carry theirs (009_citizens.sql).
ALTER TABLE reports
  ADD COLUMN reporter_language text NOT NULL DEFAULT 'fr' CHECK (reporter_language IN ('fr', 'en'));

ALTER TABLE report_followers
  ADD COLUMN language text NOT NULL DEFAULT 'fr' CHECK (language IN ('fr', 'en'));
