import { defineSchedule } from '../src/core/schedule.js';
import { qaBandLabels } from '../src/domain/thresholds.js';
import { bullets, context, fields, header, reply, table, text } from '../src/reply/reply.js';
import { policyOfQuote } from '../src/policy/in-force.js';
import { qaFindings } from '../src/scheduler/qa.js';
import { listQuotesBetween } from '../src/store/quotes.js';
import { authorityMismatches, describeFinding } from '../src/deal-desk/approval-report.js';

/** Playbook §34: catch weak-margin quotes of the last 24 hours before they become churn. */
export default defineSchedule({
  name: 'nightly-qa',
  title: 'Nightly pricing QA',
  cron: '0 22 * * *',
  build(ctx) {
    const since = new Date(ctx.slot.getTime() - 86_400_000);
    const policyOf = policyOfQuote(ctx.db, ctx.catalog.policyFile);
    const findings = qaFindings(listQuotesBetween(ctx.db, since, ctx.slot), policyOf);
    // The desk's decisions of the day, each approver's authority checked against the matrix.
    const deskMismatches = authorityMismatches(ctx.db, ctx.catalog.team, policyOf, since, ctx.slot);
    const count = (band: string) => findings.filter((f) => f.band === band).length;
    const atRisk = findings.filter((f) => f.action);
    const mismatches = findings.filter((f) => f.approverMismatch);
    const bands = qaBandLabels();
    const summary = `Nightly QA: ${findings.length} quotes, ${count('critical')} critical, ${count('warning')} warning, ${mismatches.length + deskMismatches.length} approval mismatches`;
    return {
      ...reply(summary, [
        header('Nightly pricing QA · last 24 hours'),
        fields(
          { label: `Critical (${bands.critical})`, value: `${count('critical')} · same-night escalation to the revenue lead` },
          { label: `Warning (${bands.warning})`, value: `${count('warning')} · next-business-day review` },
          { label: `Healthy (${bands.healthy})`, value: String(count('healthy')) },
        ),
        atRisk.length
          ? table(['quote', 'margin', 'band', 'recovery action'], atRisk.map((f) => [f.quote.id, `${f.quote.price.grossMarginPct.toFixed(2)}%`, f.band, f.action ?? '']))
          : text('No at-risk quotes.'),
        text(mismatches.length
          ? `**Discount approvals not matching the matrix**\n${bullets(mismatches.map((f) => `${f.quote.id}: ${f.quote.request.discountPct.toFixed()}% recorded ${f.approverMismatch?.recorded}, matrix requires ${f.approverMismatch?.required}`))}`
          : '**Discount approvals** all match the Deal Desk matrix.'),
        text(deskMismatches.length
          ? `**Desk decisions by someone without the matrix's authority**\n${bullets(deskMismatches.map(describeFinding))}`
          : '**Desk decisions** were all made by a holder of the authority the matrix requires.'),
        context('Findings feed tonight’s handoff pack.'),
      ], 'channel'),
      data: { quotes: findings.length, critical: count('critical'), warning: count('warning'), at_risk: atRisk.map((f) => ({ quote_id: f.quote.id, band: f.band, action: f.action })), approval_mismatches: mismatches.map((f) => f.quote.id), desk_authority_mismatches: deskMismatches.map((f) => ({ quote_id: f.quoteId, decided_by: f.decidedBy, required: f.required })) },
    };
  },
});
