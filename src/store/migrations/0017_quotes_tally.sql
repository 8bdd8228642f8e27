-- Posts that count and sum a week of quotes (the weekly retro per segment, delivery type and
-- decision; the exec brief's revenue and model mix; issue 13): a covering index answers them without
-- reading the wide quote rows (JSON request and price), thousands of row fetches a week.
CREATE INDEX quotes_tally ON quotes (created_at, segment, delivery_type, decision, gross_margin_bp, final_price_micros, model);
