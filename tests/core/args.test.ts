import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allowedText, parseFields, tokenize, wordsToFields, type RawFields } from '../../src/core/args.js';
import { UserError } from '../../src/core/errors.js';
import { calendarDate, choice, flag, instant, isCalendarDate, isInstant, percent, tokenCount, usdAmount, words } from '../../src/core/input-types.js';
import { closest } from '../../src/core/nearest.js';
import { objectFields } from '../../src/core/schema-fields.js';

describe('tokenize', () => {
  it.each([
    ['a=1 b=2', ['a=1', 'b=2']],
    ['  spaced   out  ', ['spaced', 'out']],
    ['account="Acme Corp" x=1', ['account=Acme Corp', 'x=1']],
    ["account='Acme Corp'", ['account=Acme Corp']],
    ['account=“Acme Corp”', ['account=Acme Corp']],
    ['note=""', ['note=']],
  ])('%j', (input, words) => {
    expect(tokenize(input)).toEqual(words);
  });

  it('refuses an unclosed quote', () => {
    expect(() => tokenize('account="Acme')).toThrow(UserError);
  });
});

describe('wordsToFields', () => {
  const keys = ['model', 'complexity', 'segment'];
  it('fills bare words in schema order around named ones', () => {
    expect(wordsToFields(['complexity=high', 'opus', 'smb'], keys).values).toEqual({ complexity: 'high', model: 'opus', segment: 'smb' });
  });
  it('keeps keys as typed (lower-cased), and lets an alias take its field from the bare words', () => {
    expect(wordsToFields(['Estimated_Input=5', 'x'], ['input', 'output'], { estimated_input: 'input' }).values).toEqual({ estimated_input: '5', output: 'x' });
  });
  it('keeps "=" inside values', () => {
    expect(wordsToFields(['model=a=b'], keys).values).toEqual({ model: 'a=b' });
  });
  it('keeps bare words it cannot place, and what they followed, for the error', () => {
    expect(wordsToFields(['model=a', 'complexity=b', 'segment=Acme', 'Corp'], keys).stray).toEqual([{ word: 'Corp', after: { key: 'segment', value: 'Acme', run: ['Corp'] } }]);
  });
});

/** A small schema with one field of every kind the commands use. */
const schema = z.strictObject({
  tokens: tokenCount('tokens,'),
  discount: percent('discount,').default(0),
  cost: usdAmount('cost,', 1000).optional(),
  essential: flag('essential,').default(true),
  tier: choice(['low', 'high'], 'tier,').default('low'),
  account: words(20, 'account,').optional(),
  day: calendarDate('day,', ['today', 'yesterday']).optional(),
  at: instant('at,').optional(),
});
const aliases = { estimated_tokens: 'tokens', discount_pct: 'discount' };
const parse = (values: Record<string, unknown>, source: RawFields['source']) => parseFields(schema, { values, source }, aliases);
const failure = (values: Record<string, unknown>, source: RawFields['source']) => {
  try {
    parse(values, source);
  } catch (error) {
    if (error instanceof UserError) return { message: error.message, field: error.details.field, allowed: error.details.allowed };
    throw error;
  }
  throw new Error(`accepted ${JSON.stringify(values)}`);
};

describe('parseFields: where a value came from decides what it may be', () => {
  it.each([
    // JSON: a number must be a JSON number, a flag a JSON boolean; null and "" mean "not given".
    [{ tokens: 5, cost: null }, { tokens: 5, discount: 0, essential: true, tier: 'low' }],
    [{ tokens: 5, cost: '', essential: null }, { tokens: 5, discount: 0, essential: true, tier: 'low' }],
    [{ tokens: 5, essential: false, discount: 12.5 }, { tokens: 5, essential: false, discount: 12.5, tier: 'low' }],
    [{ tokens: 0, account: '   ' }, { tokens: 0, discount: 0, essential: true, tier: 'low' }],
  ])('json %j is read as %j', (values, expected) => {
    expect(parse(values, 'json')).toEqual(expected);
  });

  it.each([
    [{ tokens: true }, 'tokens', '`tokens` must be a whole number from 0 to 100000000, sent as a JSON number; you gave `true`.'],
    [{ tokens: '0x10' }, 'tokens', 'you gave `"0x10"`'],
    [{ tokens: '2000' }, 'tokens', 'sent as a JSON number; you gave `"2000"`'],
    [{ tokens: [] }, 'tokens', 'you gave `[]`'],
    [{ tokens: null }, 'tokens', '`tokens` is missing'],
    [{ tokens: '' }, 'tokens', '`tokens` is missing'],
    [{ tokens: 1, cost: true }, 'cost', '`cost` must be a number from 0 to 1000, sent as a JSON number; you gave `true`.'],
    [{ tokens: 1, cost: '3.00' }, 'cost', 'you gave `"3.00"`'],
    [{ tokens: 1, essential: 'true' }, 'essential', '`essential` must be true or false, sent as a JSON true or false'],
    [{ tokens: 1, essential: 1 }, 'essential', 'you gave `1`'],
    [{ tokens: 1, tier: 2 }, 'tier', '`tier` must be one of low, high, sent as a JSON string'],
    [{ estimated_tokens: '12' }, 'estimated_tokens', '`estimated_tokens` must be a whole number'],
    [{ tokens: 1, discount_pct: 150 }, 'discount_pct', '`discount_pct` must be a number from 0 to 100; you gave `150`.'],
  ])('json %j is refused, naming %s', (values, field, message) => {
    const f = failure(values, 'json');
    expect(f.field).toBe(field);
    expect(f.message).toContain(message);
  });

  it.each([
    [{ tokens: '2,000' }, { tokens: 2000 }],
    [{ tokens: '2k', discount: '12.5%' }, { tokens: 2000, discount: 12.5 }],
    [{ tokens: '1', essential: 'FALSE', cost: '3.00' }, { essential: false, cost: 3 }],
  ])('text %j is read as %j', (values, expected) => {
    expect(parse(values, 'text')).toMatchObject(expected);
  });

  it('reads a blank text cell as not given', () => {
    expect(parse({ tokens: '1', cost: '' }, 'text')).not.toHaveProperty('cost');
  });

  it.each([
    [{ tokens: '0x10' }, 'tokens', '`tokens` must be a whole number from 0 to 100000000; you gave `0x10`.'],
    [{ tokens: '1e3' }, 'tokens', 'you gave `1e3`'],
    [{ tokens: '1', cost: '2k' }, 'cost', '`cost` must be a number from 0 to 1000; you gave `2k`.'],
    [{ tokens: '1', essential: 'maybe' }, 'essential', '`essential` must be true or false; you gave `maybe`.'],
    [{ tokens: '1', essential: 'yes' }, 'essential', 'must be true or false'],
  ])('text %j is refused, naming %s', (values, field, message) => {
    const f = failure(values, 'text');
    expect(f.field).toBe(field);
    expect(f.message).toContain(message);
  });
});

describe('parseFields: errors speak the caller’s words', () => {
  it('names every missing field at once', () => {
    const s = z.strictObject({ a: words(5, 'a,'), b: tokenCount('b,'), c: choice(['x', 'y'], 'c,') });
    expect(() => parseFields(s, { values: {}, source: 'json' })).toThrow(
      '3 fields are missing: `a` (text of at most 5 characters); `b` (a whole number from 0 to 100000000); `c` (one of x, y).',
    );
  });

  it.each([
    ['discont', 'discount'],
    ['disocunt', 'discount'],
    ['estimated_tokns', 'estimated_tokens'],
    ['acount', 'account'],
  ])('suggests the nearest key for %s', (key, guess) => {
    const f = failure({ tokens: 1, [key]: 1 }, 'json');
    expect(f.message).toContain(`I don't know \`${key}\`. Did you mean \`${guess}\`?`);
    expect(f.field).toBe(key);
  });

  it('reports an unknown key even when its value is blank, and cuts a huge key short', () => {
    expect(failure({ tokens: 1, zebra: null }, 'json').field).toBe('zebra');
    expect(failure({ tokens: '1', zebra: '' }, 'text').field).toBe('zebra');
    const huge = failure({ tokens: 1, ['k'.repeat(10_000)]: 1 }, 'json');
    expect(huge.field?.length).toBeLessThan(50);
    expect(huge.message.length).toBeLessThan(400);
  });

  it('suggests nothing for a key that is nowhere near', () => {
    expect(failure({ tokens: 1, zebra: 1 }, 'json').message).not.toContain('Did you mean');
    expect(closest('x', ['sla', 'at'])).toBeUndefined();
  });

  it('says "at most N characters" for long text, and never echoes it', () => {
    const long = 'A'.repeat(5000);
    const f = failure({ tokens: 1, account: long }, 'json');
    expect(f.message).toBe('`account` is too long: at most 20 characters; you gave 5000.');
    expect(f.allowed).toBe('text of at most 20 characters');
  });

  it('cuts any other echoed value short', () => {
    expect(failure({ tokens: 'x'.repeat(500) }, 'text').message.length).toBeLessThan(150);
  });

  it('refuses an alias and its field given together, in the caller’s words', () => {
    expect(() => parse({ tokens: 1, estimated_tokens: 2 }, 'json')).toThrow('`tokens` and `estimated_tokens` are the same field; give it once.');
  });

  it.each([
    ['tokens=1 account=Acme Corp', '`Corp` looks like the rest of `account`: put quotes around it: account="Acme Corp".'],
    ['tokens=1 account=Acme Corp Inc', '`Corp` looks like the rest of `account`: put quotes around it: account="Acme Corp Inc".'],
    ['account=Acme tokens=1 Corp', '`discount` must be a number from 0 to 100; you gave `Corp`.'],
    // After an enum or a number, a bad bare word is its own mistake, not the rest of a value.
    ['tier=high 5 200', '`discount` must be a number from 0 to 100; you gave `200`.'],
    ['tier=high 5 0 1 true low 2026-11-21 2026-11-21T10:00:00Z extra', "I can't place `extra`"],
  ])('%s: %s', (text, message) => {
    const raw = wordsToFields(tokenize(text), Object.keys(schema.shape), aliases);
    expect(() => parseFields(schema, raw, aliases)).toThrow(message);
  });
});

describe('dates', () => {
  it.each([
    ['2026-11-21', true],
    ['2028-02-29', true],
    ['2000-01-01', true],
    ['2100-12-31', true],
    ['2027-02-29', false],
    ['2027-13-45', false],
    ['2026-04-31', false],
    ['9999-99-99', false],
    ['9999-12-31', false],
    ['1999-12-31', false],
    ['1', false],
    ['2026-1-5', false],
    [' 2026-11-21', false],
  ])('%s is a calendar date: %s', (s, ok) => {
    expect(isCalendarDate(s)).toBe(ok);
  });

  it.each([
    ['2026-11-21T14:30:00Z', true],
    ['2026-11-21T14:30Z', true],
    ['2026-11-21T14:30:00.123+05:30', true],
    ['2026-11-21T14:30:00', false], // no zone: whose 14:30?
    ['2026-11-21', false],
    ['2026-02-30T10:00:00Z', false],
    ['2026-11-21T24:00:00Z', false],
    ['1', false],
    ['9999-12-31T00:00:00Z', false],
  ])('%s is an instant with a zone: %s', (s, ok) => {
    expect(isInstant(s)).toBe(ok);
  });

  it.each([
    [{ day: '2027-13-45' }, 'day'],
    [{ day: '9999-99-99' }, 'day'],
    [{ day: 'tomorrow' }, 'day'],
    [{ at: '1' }, 'at'],
    [{ at: '2026-11-21' }, 'at'],
  ])('%j is refused with the format and an example', (values, field) => {
    const f = failure({ tokens: 1, ...values }, 'json');
    expect(f.field).toBe(field);
    expect(f.message).toMatch(/YYYY-MM-DD|ISO 8601/);
    expect(f.message).toMatch(/e\.g\. 2026-11-21/);
  });

  it('accepts the day words a date field names', () => {
    expect(parse({ tokens: 1, day: ' Yesterday ' }, 'text')).toMatchObject({ day: 'yesterday' });
  });
});

describe('allowedText describes the real type, so help and errors agree with what is accepted', () => {
  it('for every kind', () => {
    expect(Object.fromEntries(objectFields(schema).map((f) => [f.name, allowedText(f)]))).toEqual({
      tokens: 'a whole number from 0 to 100000000',
      discount: 'a number from 0 to 100',
      cost: 'a number from 0 to 1000',
      essential: 'true or false',
      tier: 'one of low, high',
      account: 'text of at most 20 characters',
      day: 'a date as YYYY-MM-DD (e.g. 2026-11-21) from 2000-01-01 to 2100-12-31, or today or yesterday',
      at: 'a time in ISO 8601 with a zone (e.g. 2026-11-21T14:30:00Z)',
    });
  });
});
