-- The quote ledger: every quote, its inputs, its price and the decision, as asked.
-- Money is integer micro-dollars; percentages are integer hundredths of a percent (basis points);
-- markups are exact decimal text.
CREATE TABLE quotes (
  seq                       INTEGER PRIMARY KEY AUTOINCREMENT,
  created_at                TEXT    NOT NULL,
  platform                  TEXT    NOT NULL CHECK (platform IN ('slack', 'discord', 'console', 'http')),
  surface                   TEXT    NOT NULL,
  user_id                   TEXT    NOT NULL,
  user_name                 TEXT    NOT NULL,
  account                   TEXT,
  segment                   TEXT    NOT NULL,
  complexity                TEXT    NOT NULL,
  delivery_type             TEXT    NOT NULL,
  model                     TEXT    NOT NULL,
  input_tokens              INTEGER NOT NULL CHECK (input_tokens >= 0),
  output_tokens             INTEGER NOT NULL CHECK (output_tokens >= 0),
  internal_cost_micros      INTEGER NOT NULL,
  base_markup               TEXT    NOT NULL,
  segment_adjustment        TEXT    NOT NULL,
  final_markup              TEXT    NOT NULL,
  floor_applied             INTEGER NOT NULL CHECK (floor_applied IN (0, 1)),
  discount_bp               INTEGER NOT NULL,
  recommended_price_micros  INTEGER NOT NULL,
  final_price_micros        INTEGER NOT NULL,
  gross_margin_bp           INTEGER NOT NULL,
  margin_threshold_bp       INTEGER NOT NULL,
  guardrail                 TEXT    NOT NULL CHECK (guardrail IN ('pass', 'fail')),
  guardrail_route           TEXT,
  non_standard_terms        INTEGER NOT NULL CHECK (non_standard_terms IN (0, 1)),
  scope_growth_bp           INTEGER NOT NULL,
  scope_unclear             INTEGER NOT NULL CHECK (scope_unclear IN (0, 1)),
  decision                  TEXT    NOT NULL CHECK (decision IN ('approved', 'approved_with_conditions', 'escalated')),
  reasons                   TEXT    NOT NULL,
  conditions                TEXT    NOT NULL,
  approver                  TEXT    NOT NULL,
  approver_condition        TEXT    NOT NULL,
  policy_version            TEXT    NOT NULL,
  idempotency_key           TEXT    UNIQUE
) STRICT;

CREATE INDEX quotes_by_created_at ON quotes (created_at);
