import { describe, expect, it } from 'vitest';
import { tokenize, wordsToFields } from '../../src/core/args.js';
import { UserError } from '../../src/core/errors.js';

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
    expect(wordsToFields(['complexity=high', 'opus', 'smb'], keys)).toEqual({ complexity: 'high', model: 'opus', segment: 'smb' });
  });
  it('maps aliases and lower-cases keys', () => {
    expect(wordsToFields(['Estimated_Input=5'], ['input'], { estimated_input: 'input' })).toEqual({ input: '5' });
  });
  it('keeps "=" inside values', () => {
    expect(wordsToFields(['model=a=b'], keys)).toEqual({ model: 'a=b' });
  });
});
