-- Seasons (issue 12 §4, playbook §52): what a season_start version is called and whether it is a
-- promotion, kept beside the version so policy_versions stays the playbook's §48 record. The season's
-- window is the start version's effective_at and ends_at; its end is the season_end row (pair_id).
-- Grows by one row per season, a few a year: kept for good, like the versions.
CREATE TABLE policy_seasons (
  start_id  TEXT    PRIMARY KEY REFERENCES policy_versions (id),
  name      TEXT    NOT NULL,
  promotion INTEGER NOT NULL CHECK (promotion IN (0, 1))
) STRICT;
