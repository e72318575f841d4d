-- Following a report by e-mail needs a proven address: a new follower gets a confirmation mail and
-- nothing else (no status mails, no private link) until the link in it is opened. Followers from
-- before this change were given their link at once: they count as confirmed when they followed.
ALTER TABLE report_followers ADD COLUMN confirmed_at timestamptz;
UPDATE report_followers SET confirmed_at = created_at;
