-- Staff members are shown by their name in the queue, the report detail and the assignment menus
-- (issue #16): a name must be there to show. Accounts created before without one get the part of
-- their e-mail before the @ until an admin names them, and from now on a name is never blank.
-- 200 characters is what the admin API accepts.
UPDATE staff_users SET display_name = split_part(email, '@', 1) WHERE btrim(display_name) = '';
ALTER TABLE staff_users ALTER COLUMN display_name DROP DEFAULT;
ALTER TABLE staff_users ADD CONSTRAINT staff_users_display_name_present
  CHECK (btrim(display_name) <> '' AND char_length(display_name) <= 200);
