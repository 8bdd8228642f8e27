-- Issue 12 §3: a version approved but not yet in force is cancelled rather than rolled back (no
-- rollback version is needed: it never priced a quote). Who cancelled it, when and why are on
-- record like every other decision on a version.
ALTER TABLE policy_versions ADD COLUMN cancelled_at TEXT;
ALTER TABLE policy_versions ADD COLUMN cancelled_by TEXT;
ALTER TABLE policy_versions ADD COLUMN cancel_note TEXT;
