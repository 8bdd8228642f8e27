-- Who an escalated quote goes to, one entry per escalation that fired (a failed guardrail's route,
-- the discount band's approver, legal/revops for non-standard terms, the Deal Desk for scope
-- growth), so the quote shows the routes its reasons name, never the standard-terms approver.
ALTER TABLE quotes ADD COLUMN escalated_to TEXT NOT NULL DEFAULT '[]';

-- Quotes recorded before this column: every one was decided under the first policy
-- (pricing_policy_v2026-11-22a: discounts over 20% and scope growth over 30% escalate), so the
-- routes can be rebuilt exactly from what each row already holds.
UPDATE quotes SET escalated_to = (
  SELECT json_group_array(route) FROM (SELECT DISTINCT route FROM (
    SELECT quotes.guardrail_route AS route WHERE quotes.guardrail_route IS NOT NULL
    UNION ALL SELECT quotes.approver WHERE quotes.discount_bp > 2000
    UNION ALL SELECT 'legal/revops' WHERE quotes.non_standard_terms = 1
    UNION ALL SELECT 'Deal Desk' WHERE quotes.scope_growth_bp > 3000
  ))
)
WHERE decision = 'escalated' AND policy_version = 'pricing_policy_v2026-11-22a';
