import { readFileSync } from 'node:fs';
import type { z } from 'zod';

export class DataFileError extends Error {
  override name = 'DataFileError';
}

/**
 * Reads and validates one of the data files the business edits. A bad file stops the bot with a
 * message that names the file and, through `describe`, the entry and field at fault.
 */
export function loadJsonFile<S extends z.ZodType>(
  path: string,
  schema: S,
  describe: (issuePath: PropertyKey[], raw: unknown) => string,
): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new DataFileError(`${path}: cannot be read as JSON (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  - ${describe(issue.path, raw)}: ${issue.message}`);
    throw new DataFileError(`${path} is not valid:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
