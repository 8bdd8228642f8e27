/** Codes that travel with errors the user can fix; adapters map them to a status or an icon. */
export type UserErrorCode = 'invalid_input' | 'unknown_command' | 'forbidden' | 'not_found' | 'conflict';

/** A problem the person can fix. Its message is shown to them as is, politely, and nothing is written. */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    message: string,
    readonly code: UserErrorCode = 'invalid_input',
    readonly details: { field?: string; allowed?: string } = {},
  ) {
    super(message);
  }
}
