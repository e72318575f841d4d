-- The city's own address index, imported from the national address base (BAN) format: search,
-- reverse lookup and an address on every report run here, without sending a resident's position
-- or typed text to a third party. See docs/adr/0008-local-address-index.md.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- How street names and queries are compared: no accents, no case, abbreviations written out
-- ("r." = "rue", "bd" = "boulevard"), and without the little words that residents leave out
-- ("rue roquette" = "rue de la Roquette"). Immutable (the dictionary is named) so that imports
-- store its result once and queries use the same function on their text.
CREATE FUNCTION pave_address_normalize(t text) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE STRICT AS $$
DECLARE
  -- Pairs of (whole word pattern, replacement), applied in order.
  rules text[] := ARRAY[
    'r|ru', 'rue',
    'bd|bld|boul|blvd', 'boulevard',
    'av|ave|aven', 'avenue',
    'pl|pla', 'place',
    'fg|fbg|faub', 'faubourg',
    'imp', 'impasse',
    'sq', 'square',
    'pass|psg', 'passage',
    'all', 'allee',
    'qu|qua', 'quai',
    'crs', 'cours',
    'ch|chem', 'chemin',
    'rte', 'route',
    'st', 'saint',
    'ste', 'sainte',
    'pt', 'pont',
    'de|du|des|la|le|les|l|d|et|a|au|aux|en|sur', ''];
  s text := regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, t)), '[^a-z0-9]+', ' ', 'g');
BEGIN
  FOR i IN 1 .. array_length(rules, 1) BY 2 LOOP
    s := regexp_replace(s, '\m(' || rules[i] || ')\M', rules[i + 1], 'g');
  END LOOP;
  RETURN btrim(regexp_replace(s, ' +', ' ', 'g'));
END;
$$;

-- A département's streets. BAN carries address points, not street lines: the nearest street to a
-- point is the street of the nearest address point.
CREATE TABLE address_streets (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  departement text NOT NULL,
  insee text NOT NULL,
  postcode text NOT NULL,
  city text NOT NULL,
  name text NOT NULL,
  search text NOT NULL,
  words tsvector NOT NULL,
  -- The address point nearest the middle of the street: where a street result puts the pin.
  centre geometry(Point, 4326) NOT NULL,
  UNIQUE (insee, postcode, search)
);
CREATE INDEX address_streets_departement ON address_streets (departement);
CREATE INDEX address_streets_words ON address_streets USING gin (words);
CREATE INDEX address_streets_search_trgm ON address_streets USING gin (search gin_trgm_ops);
-- Autocomplete ranks the matching streets nearest the map's centre (KNN).
CREATE INDEX address_streets_centre ON address_streets USING gist (centre);

CREATE TABLE addresses (
  -- The BAN id ("75111_8366_00012_bis"), which Open311 clients may send as address_id.
  id text PRIMARY KEY,
  street_id bigint NOT NULL REFERENCES address_streets ON DELETE CASCADE,
  number integer NOT NULL,
  suffix text NOT NULL DEFAULT '',
  label text NOT NULL,
  geom geometry(Point, 4326) NOT NULL
);
CREATE INDEX addresses_street_number ON addresses (street_id, number);
CREATE INDEX addresses_geom ON addresses USING gist (geom);

-- The BAN id of a report's address, when the address is a numbered one from the index.
ALTER TABLE reports ADD COLUMN address_id text CHECK (address_id IS NULL OR char_length(address_id) <= 100);
