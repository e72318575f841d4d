-- Towns (jurisdictions, issue #19): the communes a deployment knows, by INSEE code, with their
-- boundaries. A deployment may know many towns (the map and the position→town lookup use them all)
-- and serve some of them (`is_served`: reports are taken there). Categories, teams, staff and
-- figures per town come in later migrations; docs/adr/0012-towns.md says how the town will be
-- enforced.

CREATE TABLE towns (
  -- INSEE commune code: 5 characters, the département first (2A/2B for Corsica).
  code       text PRIMARY KEY CHECK (code ~ '^(\d{2}|2A|2B)\d{3}$'),
  name       text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  geom       geometry(MultiPolygon, 4326) NOT NULL CHECK (ST_IsValid(geom) AND NOT ST_IsEmpty(geom)),
  is_served  boolean NOT NULL DEFAULT false,
  -- Optional host name of the town's own site (`signaler.montreuil.fr`), lower case.
  host       text UNIQUE CHECK (host IS NULL OR host ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'),
  -- The town's mail identity: the sender's display name and address, and a signature.
  mail_from_name text,
  mail_from      text,
  signature      text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX towns_geom_idx ON towns USING gist (geom);
