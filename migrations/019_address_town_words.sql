-- Residents often end an address with the town ("12 rue de la Roquette Paris", "… 75011 Paris",
-- "rue de Paris Montreuil"): a street's searchable words now include its town's, so every typed word
-- still matches as a prefix. `place` is the normalised street name and town; `search` (the street
-- alone) still decides which whole name is closest.
ALTER TABLE address_streets ADD COLUMN place text;
UPDATE address_streets SET place = search || ' ' || pave_address_normalize(city);
UPDATE address_streets SET words = to_tsvector('simple', place);
ALTER TABLE address_streets ALTER COLUMN place SET NOT NULL;
DROP INDEX address_streets_search_trgm;
CREATE INDEX address_streets_place_trgm ON address_streets USING gin (place gin_trgm_ops);
