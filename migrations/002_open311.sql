-- Open311 GeoReport v2: category attributes (a service definition), API clients allowed to file
-- requests, and what a request filed through Open311 carries beyond a web report.

-- The questions a service asks, in Open311's terms. French is the reference language.
CREATE TABLE category_attributes (
  id                   serial PRIMARY KEY,
  category_id          integer NOT NULL REFERENCES categories (id) ON DELETE CASCADE,
  code                 text NOT NULL CHECK (code ~ '^[a-z0-9_-]+$'),
  datatype             text NOT NULL CHECK (datatype IN (
                         'string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist')),
  -- false: an informational notice the client shows, never an answer it sends.
  is_variable          boolean NOT NULL DEFAULT true,
  is_required          boolean NOT NULL DEFAULT false,
  position             integer NOT NULL DEFAULT 0,
  description          text NOT NULL,
  datatype_description text,
  -- [{ "key": "...", "name": "..." }] for the two list datatypes, [] otherwise.
  "values"             jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof("values") = 'array'),
  is_active            boolean NOT NULL DEFAULT true,
  UNIQUE (category_id, code),
  CHECK (("values" <> '[]'::jsonb) = (datatype IN ('singlevaluelist', 'multivaluelist')))
);

-- Systems allowed to file requests. Only a SHA-256 of the key is kept: a leaked table grants nothing.
CREATE TABLE api_clients (
  id          serial PRIMARY KEY,
  name        text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  key_hash    text NOT NULL UNIQUE CHECK (key_hash ~ '^[0-9a-f]{64}$'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  revoked_at  timestamptz
);

-- Answers to the category's attributes, validated against category_attributes when filed.
ALTER TABLE reports ADD COLUMN attributes jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(attributes) = 'object');
-- A postal address given by the reporter; public, like the point it describes.
ALTER TABLE reports ADD COLUMN address text CHECK (address IS NULL OR char_length(address) <= 500);
-- Private, like reporter_email: never part of a public response (response schemas omit them).
ALTER TABLE reports ADD COLUMN reporter_first_name text CHECK (char_length(reporter_first_name) <= 200);
ALTER TABLE reports ADD COLUMN reporter_last_name text CHECK (char_length(reporter_last_name) <= 200);
ALTER TABLE reports ADD COLUMN reporter_phone text CHECK (char_length(reporter_phone) <= 50);
ALTER TABLE reports ADD COLUMN reporter_device_id text CHECK (char_length(reporter_device_id) <= 200);
ALTER TABLE reports ADD COLUMN reporter_account_id text CHECK (char_length(reporter_account_id) <= 200);
ALTER TABLE reports ADD COLUMN api_client_id integer REFERENCES api_clients (id);
-- Handed back by POST requests so a client can use GET tokens/{token}.
ALTER TABLE reports ADD COLUMN open311_token uuid UNIQUE;

-- GET requests filters on requested_datetime over a window; status/created already has an index.
CREATE INDEX reports_created_idx ON reports (created_at DESC);
-- servicerequestupdates reads public status changes by date.
CREATE INDEX report_history_status_at_idx ON report_history (at) WHERE is_public AND to_status IS NOT NULL;
