import { portfolioCompliancePct } from '../domain/proposal.js';
import { SEGMENTS } from '../domain/pricing-types.js';
import { complianceLevel } from '../scheduler/helpers.js';
import type { Db } from '../store/open.js';
import { proposalComplianceBetween } from '../store/proposals.js';

/**
 * Playbook §55's "portfolio compliance" for a period: the compliance of the proposals built in it
 * (every option of every proposal counted once), with its dashboard level, and per segment for the
 * weekly review (§38: "inspect portfolio compliance trend by segment"). Single quotes have their own
 * figure, "guardrail compliance"; this one is about proposals only.
 */
export function portfolioCompliance(db: Db, from: Date, to: Date): { pct: number | null; proposals: number; options: number; line: string; bySegment: string } {
  const rows = proposalComplianceBetween(db, from, to);
  const value = portfolioCompliancePct(rows);
  const options = rows.reduce((s, r) => s + r.options, 0);
  const pct = value === null ? null : Number(value.toFixed(2));
  const line =
    value === null
      ? 'portfolio compliance none (no proposals)'
      : `portfolio compliance ${value.toFixed(2)}% of ${options} options in ${rows.length} proposal(s) (${complianceLevel(value)})`;
  const bySegment = SEGMENTS.flatMap((segment) => {
    const of = rows.filter((r) => r.segment === segment);
    const v = portfolioCompliancePct(of);
    return v === null ? [] : [`${segment} ${v.toFixed(2)}% (${of.length})`];
  }).join(' · ');
  return { pct, proposals: rows.length, options, line, bySegment };
}
