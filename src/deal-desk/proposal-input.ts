import Big from 'big.js';
import { z } from 'zod';
import { parseFields, tokenize, wordsToFields, type RawFields } from '../core/args.js';
import type { Catalog } from '../catalog/index.js';
import { UserError } from '../core/errors.js';
import { choice, percent, tokenCount } from '../core/input-types.js';
import { COMPLEXITIES, DELIVERY_TYPES, type Complexity, type DeliveryType, type QuoteRequest, type Segment } from '../domain/pricing-types.js';
import { CORE_TAGS, MAX_OPTIONS, MIN_OPTIONS, PROPOSAL_TAGS, type ProposalTag } from '../domain/proposal.js';
import { resolvePerson } from '../domain/team.js';
import type { ProposalInput, ProposalOptionInput } from './proposal.js';

/** The API's long names, as /quote takes them. */
export const PROPOSAL_ALIASES = {
  estimated_input: 'input',
  estimated_output: 'output',
  delivery_type: 'delivery',
  discount_pct: 'discount',
  scope_growth_pct: 'scope_growth',
} as const;

/**
 * What one option may say for itself; anything it leaves out comes from the proposal's shared
 * fields. Complexity comes first so a bare word places it: base=low, premium="high discount=10".
 */
export const optionSchema = ({ rateCard }: Pick<Catalog, 'rateCard'>) =>
  z.strictObject({
    complexity: choice(COMPLEXITIES, 'the option’s complexity,').optional(),
    model: choice([...rateCard.models.keys()] as [string, ...string[]], 'model from the rate card,').optional(),
    input: tokenCount('estimated input tokens,').optional(),
    output: tokenCount('estimated output tokens,').optional(),
    delivery: choice(DELIVERY_TYPES, 'how it is delivered,').optional(),
    discount: percent('discount in percent,').optional(),
    sla: choice(['standard', 'nonstandard'], 'SLA or liability terms,').optional(),
    scope_growth: percent('expected scope growth in percent,', 1000).optional(),
    scope: choice(['clear', 'unclear'], 'whether the scope is settled,').optional(),
    owner: z.string().trim().min(1).max(80).optional().describe('the strategic-exception owner, a person in data/team.json,'),
  });
export type OptionFields = z.output<ReturnType<typeof optionSchema>>;

/** The fields every option shares unless it says otherwise (the command's own schema gives them). */
export interface SharedFields {
  account: string;
  segment: Segment;
  model: string;
  complexity?: Complexity;
  input?: number;
  output?: number;
  delivery: DeliveryType;
  discount: number;
  sla: 'standard' | 'nonstandard';
  scope_growth: number;
  scope: 'clear' | 'unclear';
}

interface Problem {
  field: string;
  message: string;
}

/**
 * Parses one option's fields, naming the option in every message ("In `premium`: ..."). A typed
 * option's problem is reported on the option's own field (`premium`), so a Slack form marks that
 * input; a JSON option's on its place in the array (`options[2].discount_pct`).
 */
function parseOption(schema: z.ZodObject, label: string, field: (inner?: string) => string, raw: RawFields): OptionFields | Problem {
  try {
    return parseFields(schema, raw, PROPOSAL_ALIASES) as OptionFields;
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { field: field(error.details.field), message: `In ${label}: ${error.message}` };
  }
}

/** An option typed as text: `premium="high discount=10 owner=eli"`. */
export function parseOptionText(catalog: Pick<Catalog, 'rateCard'>, tag: ProposalTag, text: string): OptionFields | Problem {
  const schema = optionSchema(catalog);
  try {
    return parseOption(schema, `\`${tag}\``, () => tag, wordsToFields(tokenize(text), Object.keys(schema.shape), PROPOSAL_ALIASES));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return { field: tag, message: `In \`${tag}\`: ${error.message}` };
  }
}

/** An option sent as JSON by the HTTP API: its values keep their JSON types. */
export function parseOptionJson(catalog: Pick<Catalog, 'rateCard'>, index: number, tag: string, values: Record<string, unknown>): OptionFields | Problem {
  return parseOption(optionSchema(catalog), `options[${index}] (${tag})`, (inner) => `options[${index}]${inner ? `.${inner}` : ''}`, { values, source: 'json' });
}

// A parsed option is a strict object of the option's fields, none of which is called `message`.
const isProblem = (x: OptionFields | Problem): x is Problem => 'message' in x;

/** The option as `key=value` text, for the command's per-option field; values already parsed. */
export function optionText(fields: OptionFields): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => {
      const s = String(v);
      return /[\s"]/.test(s) ? `${k}=${s.includes('"') ? `'${s}'` : `"${s}"`}` : `${k}=${s}`;
    })
    .join(' ');
}

/**
 * Turns the shared fields and each tag's text into priced-ready options, or refuses with every
 * problem at once (nothing is written on a refusal): 2 to 4 options, each with a complexity and
 * token estimates from itself or the shared fields, and owners who are people on the team.
 */
export function proposalInput(catalog: Catalog, shared: SharedFields, tagged: Partial<Record<ProposalTag, string>>): ProposalInput {
  const given = PROPOSAL_TAGS.filter((t) => tagged[t] !== undefined);
  if (given.length < MIN_OPTIONS || given.length > MAX_OPTIONS) {
    throw new UserError(
      `A proposal has ${MIN_OPTIONS} to ${MAX_OPTIONS} options; you gave ${given.length}. Give base=, recommended= and premium= (and optionally stretch=), each with its complexity and any overrides.`,
      'invalid_input',
      // On a form, the first §38 option still empty is the one to fill in.
      { field: CORE_TAGS.find((t) => tagged[t] === undefined) ?? 'base' },
    );
  }
  const problems: Problem[] = [];
  const options: ProposalOptionInput[] = [];
  for (const tag of given) {
    const parsed = parseOptionText(catalog, tag, tagged[tag] ?? '');
    if (isProblem(parsed)) {
      problems.push(parsed);
      continue;
    }
    const option = toOption(catalog, shared, tag, parsed, problems);
    if (option) options.push(option);
  }
  const [first] = problems;
  if (first) throw new UserError(problems.map((p) => p.message).join('\n'), 'invalid_input', { field: first.field });
  return { account: shared.account, segment: shared.segment, options };
}

function toOption(catalog: Catalog, shared: SharedFields, tag: ProposalTag, o: OptionFields, problems: Problem[]): ProposalOptionInput | null {
  const complexity = o.complexity ?? shared.complexity;
  const input = o.input ?? shared.input;
  const output = o.output ?? shared.output;
  const missing = [complexity === undefined ? 'complexity' : null, input === undefined ? 'input' : null, output === undefined ? 'output' : null].filter((m) => m !== null);
  if (missing.length) {
    problems.push({
      field: tag,
      message: `\`${tag}\` has no ${missing.map((m) => `\`${m}\``).join(', ')}: give it for every option (${missing[0]}=...) or in this one (${tag}="${missing.map((m) => `${m}=...`).join(' ')}").`,
    });
    return null;
  }
  let exceptionOwner: string | null = null;
  if (o.owner !== undefined) {
    const person = resolvePerson(catalog.team, o.owner);
    if (!person) {
      const team = catalog.team.people.map((p) => p.id).join(', ');
      problems.push({ field: tag, message: `In \`${tag}\`: \`owner\` must be a person in data/team.json (${team}); you gave \`${o.owner.slice(0, 40)}\`.` });
      return null;
    }
    exceptionOwner = person.id;
  }
  if (complexity === undefined || input === undefined || output === undefined) return null;
  const request: QuoteRequest = {
    model: o.model ?? shared.model,
    complexity,
    segment: shared.segment,
    inputTokens: input,
    outputTokens: output,
    delivery: o.delivery ?? shared.delivery,
    discountPct: new Big(o.discount ?? shared.discount),
    nonStandardTerms: (o.sla ?? shared.sla) === 'nonstandard',
    scopeGrowthPct: new Big(o.scope_growth ?? shared.scope_growth),
    scopeUnclear: (o.scope ?? shared.scope) === 'unclear',
  };
  return { tag, request, exceptionOwner };
}

/**
 * The HTTP API's body, `{ account, segment, ..., options: [{ tag, complexity, discount, ... }] }`, as
 * the command's fields: each option checked with its JSON types kept (a discount of "10" is refused,
 * as everywhere in the API), then written as that tag's key=value text. Refuses with a UserError.
 */
export function proposalFieldsFromJson(catalog: Pick<Catalog, 'rateCard'>, body: Record<string, unknown>): Record<string, unknown> {
  const { options, ...shared } = body;
  if (options === undefined) return shared;
  const tagsGiven = PROPOSAL_TAGS.filter((t) => t in shared);
  if (tagsGiven.length) {
    throw new UserError(`Send the options either as \`options\` or as ${tagsGiven.map((t) => `\`${t}\``).join(', ')}, not both.`, 'invalid_input', { field: 'options' });
  }
  if (!Array.isArray(options) || options.length < MIN_OPTIONS || options.length > MAX_OPTIONS) {
    throw new UserError(`\`options\` must be an array of ${MIN_OPTIONS} to ${MAX_OPTIONS} objects, each with a \`tag\` (${PROPOSAL_TAGS.join(', ')}).`, 'invalid_input', { field: 'options' });
  }
  const fields: Record<string, unknown> = { ...shared };
  const problems: Problem[] = [];
  options.forEach((o: unknown, i) => {
    const { tag, ...values } = o && typeof o === 'object' && !Array.isArray(o) ? (o as Record<string, unknown>) : { tag: undefined };
    if (typeof tag !== 'string' || !(PROPOSAL_TAGS as readonly string[]).includes(tag)) {
      problems.push({ field: `options[${i}].tag`, message: `\`options[${i}].tag\` must be one of ${PROPOSAL_TAGS.join(', ')}.` });
      return;
    }
    if (tag in fields) {
      problems.push({ field: `options[${i}].tag`, message: `\`options[${i}]\`: there is already a ${tag} option; each tag is used once.` });
      return;
    }
    const parsed = parseOptionJson(catalog, i, tag, values);
    if (isProblem(parsed)) {
      problems.push(parsed);
      return;
    }
    // An option that only repeats the shared fields still needs a word: its (shared) complexity.
    const text = optionText(parsed) || (typeof shared.complexity === 'string' ? `complexity=${shared.complexity.trim()}` : '');
    if (!text) {
      problems.push({ field: `options[${i}].complexity`, message: `\`options[${i}]\` (${tag}) has no \`complexity\`: give it in the option or as \`complexity\` for all options.` });
      return;
    }
    fields[tag] = text;
  });
  const [first] = problems;
  if (first) throw new UserError(problems.map((p) => p.message).join('\n'), 'invalid_input', { field: first.field });
  return fields;
}
