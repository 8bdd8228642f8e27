import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/open.js';
import { COMPLIANCE_BETWEEN, LIST_ALL, LIST_OWN } from '../../src/store/proposals.js';
import { testBed } from '../helpers/context.js';

const plan = (sql: string, params: unknown[]) =>
  (openDatabase(':memory:').prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');

describe('proposal queries use their indexes (the tables grow with every proposal)', () => {
  it.each([
    { name: 'the closure’s and retro’s compliance by creation time', sql: COMPLIANCE_BETWEEN, params: ['2026-11-23', '2026-11-24'], uses: /SEARCH p USING INDEX proposals_by_created/ },
    { name: 'a rep’s own list', sql: LIST_OWN, params: ['slack', 'U1', null, null, 20], uses: /SEARCH proposals USING INDEX proposals_by_user/ },
    { name: 'everyone’s list, newest first', sql: LIST_ALL, params: [null, null, 20], uses: /SCAN proposals(?! USING TEMP)/ },
  ])('$name', ({ sql, params, uses }) => {
    const detail = plan(sql, params);
    expect(detail).toMatch(uses);
    expect(detail).not.toContain('TEMP B-TREE FOR ORDER BY');
  });

  it('an option is found through its proposal’s key, and its quote by the quote’s key', () => {
    const detail = plan(COMPLIANCE_BETWEEN, ['a', 'b']);
    expect(detail).toMatch(/SEARCH o USING INDEX sqlite_autoindex_proposal_options_\d \(proposal_seq=\?\)/);
    expect(detail).toMatch(/SEARCH q USING INTEGER PRIMARY KEY/);
  });

  it('a quote is an option of one proposal at most, under one tag', async () => {
    const b = testBed();
    await b.run('/proposal account=A segment=smb input=1k output=1k base=low recommended=medium');
    const link = b.db.prepare("INSERT INTO proposal_options (proposal_seq, tag, quote_seq) VALUES (1, ?, ?)");
    expect(() => link.run('premium', 1)).toThrow(/UNIQUE/);
    expect(() => link.run('base', 2)).toThrow(/UNIQUE|PRIMARY KEY/);
  });
});
