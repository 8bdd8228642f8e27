-- A quote's life after pricing: its current state on the quote, and every move in an append-only
-- history (who, in which role, when, from, to, and the move's note and details).
ALTER TABLE quotes ADD COLUMN state TEXT NOT NULL DEFAULT 'approved' CHECK (state IN (
  'approved', 'approved_with_conditions', 'escalated', 'pending_approval', 'approved_by_desk',
  'approved_as_exception', 'changes_requested', 'declined', 'sent', 'won', 'lost', 'expired'));
ALTER TABLE quotes ADD COLUMN state_changed_at TEXT NOT NULL DEFAULT '';
UPDATE quotes SET state = decision, state_changed_at = created_at;

-- Lists by state (the desk's queue, expiry) and each rep's own quotes.
CREATE INDEX quotes_by_state ON quotes (state, state_changed_at);
CREATE INDEX quotes_by_user ON quotes (platform, user_id, seq);
CREATE INDEX quotes_by_account ON quotes (account, seq);

CREATE TABLE quote_history (
  id          INTEGER PRIMARY KEY,
  quote_seq   INTEGER NOT NULL REFERENCES quotes (seq),
  at          TEXT    NOT NULL,
  from_state  TEXT,
  to_state    TEXT    NOT NULL,
  platform    TEXT    NOT NULL,
  user_id     TEXT    NOT NULL,
  user_name   TEXT    NOT NULL,
  -- The team person (data/team.json id) and role the actor held, when known.
  person_id   TEXT,
  role        TEXT,
  note        TEXT,
  -- The move's details as JSON: loss reason and competitor, exception id, conditions confirmed.
  detail      TEXT    NOT NULL DEFAULT '{}'
) STRICT;
CREATE INDEX quote_history_by_quote ON quote_history (quote_seq, id);
CREATE INDEX quote_history_by_state_at ON quote_history (to_state, at);

-- Every existing quote begins its history with its pricing decision.
INSERT INTO quote_history (quote_seq, at, from_state, to_state, platform, user_id, user_name)
  SELECT seq, created_at, NULL, decision, platform, user_id, user_name FROM quotes;
