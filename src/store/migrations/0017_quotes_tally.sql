-- The weekly retro counts and averages a week of quotes per segment, delivery type and decision
-- (issue 13): a covering index answers it without reading the wide quote rows (JSON request and
-- price), 2,000 row fetches a week.
CREATE INDEX quotes_tally ON quotes (created_at, segment, delivery_type, decision, gross_margin_bp);
