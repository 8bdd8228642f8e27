import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';

const load = createRequire(import.meta.url);

/**
 * The SQLite driver for the Node this process runs on. better-sqlite3 12 is built on node::ObjectWrap,
 * which Node 24.19 and later abort on when a statement is garbage-collected ("Assertion failed:
 * (env) != nullptr" in RemoveEnvironmentCleanupHook, nodejs/node#65446): the bot died under load on
 * Node 24. better-sqlite3 13 uses Node-API and ships prebuilt binaries (linux-arm64 for the Pi), but
 * needs Node 22 or later and crashes on 20. So 13 runs on 22 and 24, 12 (optional, built from source)
 * on 20. Their APIs are the same; every module opens databases through this one.
 */
export const SQLITE_DRIVER = Number(process.versions.node.split('.')[0]) >= 22 ? 'better-sqlite3-napi' : 'better-sqlite3';
export const Sqlite = load(SQLITE_DRIVER) as typeof BetterSqlite3;
