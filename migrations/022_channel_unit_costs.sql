-- Issue #16: what handling one report costs the city, per channel, as an admin sets it, so the
-- evaluation can put a cost on each channel and team and on the savings the digital share brings.
-- Euro cents, whole: a figure an admin types from the budget, not a measurement. A channel without a
-- row has no cost yet, and its costs read "not set" rather than zero.
CREATE TABLE channel_unit_costs (
  channel    text PRIMARY KEY CHECK (channel IN ('web', 'app', 'counter', 'phone', 'open311', 'email')),
  cost_cents integer NOT NULL CHECK (cost_cents BETWEEN 0 AND 100000000),
  updated_by integer REFERENCES staff_users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
