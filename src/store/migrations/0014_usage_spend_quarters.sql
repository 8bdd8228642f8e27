-- Issue 13: a running total of AI spend per quarter hour (UTC), written in the transaction that
-- records the events. Every usage batch must know today's spend (for the budget signals); summing
-- the day's events for it cost more with every event of the day (42% of ingestion CPU at 200k
-- events). A day in any time zone in use today starts on a quarter hour, so the day's spend is
-- the sum of at most 100 rows; src/store/usage-totals.ts sums any edge that does not align from
-- usage_events itself. Kept as long as usage_events: one row per quarter hour with spend (<= 35k a year).

CREATE TABLE usage_spend_quarters (
  quarter_start TEXT    PRIMARY KEY, -- 'YYYY-MM-DDTHH:MM' in UTC, minutes 00, 15, 30 or 45
  micros        INTEGER NOT NULL CHECK (micros >= 0)
) STRICT, WITHOUT ROWID;

-- `at` is stored as an ISO instant in UTC ('2026-11-22T08:50:14.123Z'), so its quarter is its
-- first 14 characters and its minutes rounded down to a multiple of 15.
INSERT INTO usage_spend_quarters (quarter_start, micros)
SELECT substr(at, 1, 14) || CASE
         WHEN substr(at, 15, 2) < '15' THEN '00'
         WHEN substr(at, 15, 2) < '30' THEN '15'
         WHEN substr(at, 15, 2) < '45' THEN '30'
         ELSE '45'
       END AS quarter_start,
       SUM(cost_micros)
FROM usage_events
GROUP BY quarter_start;
