// The two ways a repository call refuses: the record is not there (or is tombstoned), or the
// request does not make sense for the data as it stands. Both carry a message a user can read;
// the IPC layer sends it as the reply's error, the CLI prints it. Nothing was written.
import type { z } from 'zod';

export class NotFoundError extends Error {
  constructor(what: string, id: string) {
    super(`${what} ${id} was not found (it may have been deleted)`);
    this.name = 'NotFoundError';
  }
}

export class InvalidEditError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEditError';
  }
}

/** Parses a repository input with its shared zod schema; a misfit becomes an InvalidEditError naming each problem. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidEditError(
    result.error.issues
      .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; '),
  );
}
