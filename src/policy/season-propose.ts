import { checkPolicyRules } from '../catalog/pricing-policy.js';
import { actingPerson, actingRole } from '../core/acting.js';
import type { CommandContext } from '../core/command.js';
import { UserError } from '../core/errors.js';
import { formatLocalTime, localDate } from '../domain/calendar.js';
import { applyChanges, classifyChange, type FieldChange } from '../domain/policy-change.js';
import { overlappingSeasons, seasonProblems, seasonWindow } from '../domain/policy-season.js';
import { nextVersionId, type ExpectedMargin, type PolicyVersion } from '../domain/policy-version.js';
import { peopleWithRole } from '../domain/team.js';
import { bullets, context, fields, header, reply, table, type Reply } from '../reply/reply.js';
import { insertSeason, liveSeasonsAfter } from '../store/policy-seasons.js';
import { insertVersion, versionIdsOn, versionInForce } from '../store/policy-versions.js';
import { seedPolicy } from './in-force.js';
import { requestReview } from './review-request.js';
import { scheduleSeasonEnd } from './season.js';
import { announceDueVersions } from './switch.js';

/** §48: an emergency takes effect at once and is reviewed within this many hours. */
const EMERGENCY_REVIEW_HOURS = 24;

export interface SeasonInput {
  name: string;
  changes: string;
  start: string;
  end: string;
  promotion: 'yes' | 'no';
  type?: 'emergency' | undefined;
  rationale: string;
  drift?: string | undefined;
  expected: string;
  expected_margin: ExpectedMargin;
  rollback_criteria: string;
}

const refuse = (problems: readonly string[]) =>
  new UserError(problems.length === 1 ? `The season cannot be scheduled: ${problems[0]}.` : `The season cannot be scheduled:\n${bullets(problems)}`, 'invalid_input');

/**
 * /policy season (§52): a scheduled version with a mandatory end. Checked whole (dates, lead time,
 * promotion limits, guardrails, the rules' structure, no overlap with another season) before anything
 * is written; then written as a proposed season_start and sent for review in one transaction. A
 * declared emergency is approved at once like any emergency change (§48), its end scheduled and its
 * review due within 24 hours.
 */
export function proposeSeason(ctx: CommandContext, input: SeasonInput): Reply {
  const { db, now } = ctx;
  const tz = ctx.config.timezone;
  const person = actingPerson(ctx);
  if (actingRole(ctx, person) !== 'pricing_admin') {
    const admins = peopleWithRole(ctx.catalog.team, 'pricing_admin').map((p) => p.name);
    throw new UserError(`Only a pricing admin schedules a season (§48)${admins.length ? `: ask ${admins.join(' or ')}` : ''}.`, 'forbidden');
  }
  const window = seasonWindow(input.start, input.end, tz);
  if (!window.ok) throw refuse(window.problems);
  const { startsAt, endsAt } = window.window;
  const emergency = input.type === 'emergency';
  // An emergency season starting today is in force from now, never from a midnight already past
  // (a change that took effect this morning would otherwise outrank it).
  const effectiveAt = emergency && startsAt < now ? now : startsAt;
  seedPolicy(db, ctx.catalog.policyFile, now);

  const version = db
    .transaction(() => {
      const before = versionInForce(db, new Date(effectiveAt.getTime() - 1));
      if (!before) throw new Error(`no pricing policy version is in force before ${effectiveAt.toISOString()}`);
      const applied = applyChanges(before.rules, input.changes);
      if (!applied.ok) throw refuse(applied.problems.map((p) => `changes: ${p}`));
      // Every problem at once: the rules' structure, §52's rules and the calendar.
      const checked = checkPolicyRules(applied.rules);
      const problems = [
        ...(checked.ok ? [] : checked.problems),
        ...seasonProblems({ window: window.window, now, timezone: tz, emergency, promotion: input.promotion === 'yes', before: before.rules, after: applied.rules }),
      ];
      for (const other of overlappingSeasons(liveSeasonsAfter(db, now), window.window)) {
        problems.push(`it overlaps the season "${other.name}" (${other.id}, ${formatLocalTime(other.startsAt, tz)} to ${formatLocalTime(other.endsAt, tz)}): one season at a time, so each end restores what was in force before it`);
      }
      if (problems.length || !checked.ok) throw refuse(problems);
      const date = localDate(now, tz);
      const v = insertVersion(db, {
        id: nextVersionId(date, versionIdsOn(db, date)),
        previous: before.id,
        kind: 'season_start',
        changeType: emergency ? 'emergency' : classifyChange(applied.changes).type,
        state: emergency ? 'approved' : 'proposed',
        rules: checked.rules,
        proposedBy: { platform: ctx.actor.platform, userId: ctx.actor.userId, name: ctx.actor.name, personId: person?.id ?? null },
        proposedAt: now,
        rationale: input.rationale,
        metricDrift: input.drift ?? null,
        expectedOutcome: input.expected,
        expectedMargin: input.expected_margin,
        rollbackCriteria: input.rollback_criteria,
        effectiveAt,
        endsAt,
        reviewDueAt: emergency ? new Date(now.getTime() + EMERGENCY_REVIEW_HOURS * 3_600_000) : null,
      });
      insertSeason(db, { startId: v.id, name: input.name, promotion: input.promotion === 'yes' });
      if (emergency) scheduleSeasonEnd(db, v, now);
      requestReview(ctx, v);
      if (emergency) announceDueVersions({ db, catalog: ctx.catalog, timezone: tz, platforms: ctx.platforms, now });
      return { v, before, changes: applied.changes };
    })
    .immediate();
  ctx.notify?.();
  ctx.log.info({ version: version.v.id, season: input.name, emergency }, 'season proposed');
  return seasonReply(version.v, input, version.before, version.changes, tz);
}

function seasonReply(v: PolicyVersion, input: SeasonInput, before: PolicyVersion, changes: readonly FieldChange[], tz: string): Reply {
  const start = v.effectiveAt ? formatLocalTime(v.effectiveAt, tz) : '—';
  const end = v.endsAt ? formatLocalTime(v.endsAt, tz) : '—';
  const classification = classifyChange(changes);
  const summary = `Season "${input.name}" ${v.state === 'approved' ? 'scheduled (emergency)' : 'proposed'}: ${v.id}, ${start} to ${end}`;
  return {
    ...reply(summary, [
      header(`Season ${v.state === 'approved' ? 'scheduled' : 'proposed'}: ${input.name}`),
      fields(
        { label: 'Version', value: v.id },
        { label: 'Runs', value: `${start} to ${end} (ends at 00:00 after ${input.end})` },
        { label: 'Type', value: `${v.changeType}${classification.reasons.length ? ` (${classification.reasons.join('; ')})` : ''}` },
        { label: 'Promotion', value: input.promotion },
        { label: 'Builds on', value: before.id },
      ),
      table(['field', 'before', 'during the season'], changes.map((c) => [c.path, String(c.before ?? '—'), String(c.after ?? '—')])),
      context(
        v.state === 'approved'
          ? `Declared emergency: approved at once, in force from ${start}; its review is due within ${EMERGENCY_REVIEW_HOURS} hours. At ${end} the rules of ${before.id} return by themselves.`
          : `Waiting for review. Once approved it takes effect at ${start}, and at ${end} the rules in force before it return by themselves.`,
      ),
    ]),
    data: {
      version: v.id, name: input.name, state: v.state, change_type: v.changeType, promotion: input.promotion === 'yes',
      starts_at: v.effectiveAt?.toISOString() ?? null, ends_at: v.endsAt?.toISOString() ?? null, previous: before.id,
      changes: changes.map((c) => ({ path: c.path, before: c.before ?? null, after: c.after ?? null })),
    },
  };
}
