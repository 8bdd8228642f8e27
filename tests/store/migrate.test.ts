import { Sqlite as Database } from '../../src/store/sqlite.js';
import { describe, expect, it } from 'vitest';
import { listMigrations, migrate } from '../../src/store/migrate.js';
import { openDatabase } from '../../src/store/open.js';

describe('migrations', () => {
  it('numbers the shipped migrations 1..N with no gap', () => {
    const versions = listMigrations().map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
  });

  it('brings a new database to the latest version in WAL mode with foreign keys on', () => {
    const dir = `${process.env.TMPDIR ?? '/tmp'}/j1msky-migrate-${process.pid}-${Date.now()}`;
    const db = openDatabase(`${dir}/ops.db`);
    expect(db.pragma('user_version', { simple: true })).toBe(listMigrations().length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('is idempotent: a second run changes nothing', () => {
    const db = new Database(':memory:');
    const v = migrate(db);
    expect(migrate(db)).toBe(v);
  });

  it('refuses a database written by newer code', () => {
    const db = new Database(':memory:');
    db.pragma(`user_version = ${listMigrations().length + 1}`);
    expect(() => migrate(db)).toThrow(/newer than this code knows/);
  });

  it('applies all pending migrations in one transaction: a failing one leaves the database untouched', () => {
    const db = new Database(':memory:');
    const broken = [...listMigrations(), { version: listMigrations().length + 1, name: '9999_broken.sql', sql: 'CREATE TABLE x (a); SELECT * FROM nope;' }];
    expect(() => migrate(db, broken)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(0);
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'quotes'").get()).toEqual({ n: 0 });
  });

  it('keeps quote rows across later migrations (migrate to N-1, insert, migrate to N)', () => {
    const all = listMigrations();
    const db = new Database(':memory:');
    migrate(db, all, 1);
    db.prepare(
      `INSERT INTO quotes (created_at, platform, surface, user_id, user_name, segment, complexity, delivery_type, model,
        input_tokens, output_tokens, internal_cost_micros, base_markup, segment_adjustment, final_markup, floor_applied,
        discount_bp, recommended_price_micros, final_price_micros, gross_margin_bp, margin_threshold_bp, guardrail,
        non_standard_terms, scope_growth_bp, scope_unclear, decision, reasons, conditions, approver, approver_condition, policy_version)
       VALUES ('2026-11-22T00:00:00.000Z', 'console', 'console', 'u', 'U', 'smb', 'medium', 'task', 'k2p5', 2000, 800, 3600,
        '4', '-0.5', '3.5', 1, 0, 500000, 500000, 9928, 5500, 'pass', 0, 0, 0, 'approved', '[]', '[]', 'account_executive', 'Standard terms only',
        'pricing_policy_v2026-11-22a')`,
    ).run();
    migrate(db, all);
    expect(db.prepare('SELECT final_price_micros FROM quotes').get()).toEqual({ final_price_micros: 500000 });
  });

  it('0008 rebuilds who each escalated quote goes to from what the row already holds', () => {
    const all = listMigrations();
    const db = new Database(':memory:');
    migrate(db, all, 7);
    const insert = db.prepare(
      `INSERT INTO quotes (created_at, platform, surface, user_id, user_name, segment, complexity, delivery_type, model,
        input_tokens, output_tokens, internal_cost_micros, base_markup, segment_adjustment, final_markup, floor_applied,
        discount_bp, recommended_price_micros, final_price_micros, gross_margin_bp, margin_threshold_bp, guardrail, guardrail_route,
        non_standard_terms, scope_growth_bp, scope_unclear, decision, reasons, conditions, approver, approver_condition, policy_version)
       VALUES ('2026-11-22T00:00:00.000Z', 'console', 'console', 'u', 'U', 'smb', 'medium', 'task', 'k2p5', 2000, 800, 3600,
        '4', '-0.5', '3.5', 0, ?, 500000, 500000, 9928, 5500, ?, ?, ?, ?, 0, ?, '[]', '[]', ?, 'c', 'pricing_policy_v2026-11-22a')`,
    );
    insert.run(0, 'pass', null, 0, 0, 'approved', 'account_executive');
    insert.run(6000, 'fail', 'Deal Desk', 0, 4000, 'escalated', 'executive');
    insert.run(2500, 'pass', null, 1, 0, 'escalated', 'revenue_lead');
    migrate(db, all, 8);
    const rows = db.prepare('SELECT escalated_to FROM quotes ORDER BY seq').all() as { escalated_to: string }[];
    expect(rows.map((r) => JSON.parse(r.escalated_to) as string[])).toEqual([[], ['Deal Desk', 'executive'], ['revenue_lead', 'legal/revops']]);
  });

  it('0009 starts each existing quote in its pricing decision, with one history row saying who asked and when', () => {
    const all = listMigrations();
    const db = new Database(':memory:');
    migrate(db, all, 8);
    const insert = db.prepare(
      `INSERT INTO quotes (created_at, platform, surface, user_id, user_name, segment, complexity, delivery_type, model,
        input_tokens, output_tokens, internal_cost_micros, base_markup, segment_adjustment, final_markup, floor_applied,
        discount_bp, recommended_price_micros, final_price_micros, gross_margin_bp, margin_threshold_bp, guardrail,
        non_standard_terms, scope_growth_bp, scope_unclear, decision, reasons, conditions, approver, approver_condition, policy_version)
       VALUES (?, 'slack', 'slash_command', ?, ?, 'smb', 'medium', 'task', 'k2p5', 2000, 800, 3600,
        '4', '-0.5', '3.5', 0, 0, 500000, 500000, 9928, 5500, 'pass', 0, 0, 0, ?, '[]', '[]', 'account_executive', 'c', 'pricing_policy_v2026-11-22a')`,
    );
    insert.run('2026-11-20T10:00:00.000Z', 'U1', 'Sam', 'approved');
    insert.run('2026-11-21T11:00:00.000Z', 'U2', 'Bo', 'approved_with_conditions');
    insert.run('2026-11-22T12:00:00.000Z', 'U1', 'Sam', 'escalated');
    migrate(db, all, 9);
    expect(db.prepare('SELECT seq, state, state_changed_at FROM quotes ORDER BY seq').all()).toEqual([
      { seq: 1, state: 'approved', state_changed_at: '2026-11-20T10:00:00.000Z' },
      { seq: 2, state: 'approved_with_conditions', state_changed_at: '2026-11-21T11:00:00.000Z' },
      { seq: 3, state: 'escalated', state_changed_at: '2026-11-22T12:00:00.000Z' },
    ]);
    expect(db.prepare('SELECT quote_seq, at, from_state, to_state, platform, user_id, user_name, note, detail FROM quote_history ORDER BY quote_seq').all()).toEqual([
      { quote_seq: 1, at: '2026-11-20T10:00:00.000Z', from_state: null, to_state: 'approved', platform: 'slack', user_id: 'U1', user_name: 'Sam', note: null, detail: '{}' },
      { quote_seq: 2, at: '2026-11-21T11:00:00.000Z', from_state: null, to_state: 'approved_with_conditions', platform: 'slack', user_id: 'U2', user_name: 'Bo', note: null, detail: '{}' },
      { quote_seq: 3, at: '2026-11-22T12:00:00.000Z', from_state: null, to_state: 'escalated', platform: 'slack', user_id: 'U1', user_name: 'Sam', note: null, detail: '{}' },
    ]);
    // The state is checked: a quote cannot be put in a state the life does not know.
    expect(() => db.prepare("UPDATE quotes SET state = 'sold' WHERE seq = 1").run()).toThrow(/CHECK constraint/);
  });
});
