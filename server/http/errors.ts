// Every refusal the server makes is an HttpError: a status, a message that names the problem and,
// for validation, the parts of the request at fault. The error middleware turns it into the wire
// ErrorResponse; nothing else ever reaches a client, and nothing a client sends kills the process.
import type { ErrorRequestHandler } from 'express';
import type { z } from 'zod';
import type { ErrorResponse } from '../../shared/protocol/sync.js';
import type { Logger } from 'pino';

export interface ErrorDetail {
  path: string;
  message: string;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
  }
}

/** `changes.forms[0].title` from zod's path array. */
export const formatPath = (segments: readonly PropertyKey[]) =>
  segments.reduce<string>((out, seg) => {
    if (typeof seg === 'number') return `${out}[${seg}]`;
    const name = String(seg);
    return out ? `${out}.${name}` : name;
  }, '');

const article: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

/** What a JSON value is, in the words of a message ("got a string"). */
const kindOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'a list' : (article[typeof value] ?? typeof value);

/** The value at a zod path in what was parsed, or `missing` when the path leads nowhere. */
const missing = Symbol('missing');
function valueAt(input: unknown, segments: readonly PropertyKey[]): unknown {
  let at: unknown = input;
  for (const seg of segments) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, seg)) return missing;
    at = (at as Record<PropertyKey, unknown>)[seg];
  }
  return at === undefined ? missing : at;
}

/**
 * Turns zod issues into details whose messages name the table, the column and the problem. `input`
 * is what was parsed: zod's issues do not carry it (unless asked), and only it tells a field that
 * is missing ("is required") from one of the wrong type ("must be a number, got a string").
 */
export function detailsOf(error: z.ZodError, input: unknown): ErrorDetail[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      // In a row (changes.<table>[i]) the keys are columns; at changes.* they are tables (the
      // shared schema already words that one); elsewhere they are request fields.
      const inRow = issue.path.length === 3 && issue.path[0] === 'changes';
      const what = inRow ? 'column' : 'field';
      const message =
        issue.path.length === 1 && issue.path[0] === 'changes'
          ? issue.message
          : issue.keys.map((key) => `unknown ${what} ${JSON.stringify(key)}`).join(', ');
      return { path: formatPath(issue.path), message };
    }
    // zod's own wording ("Invalid input: expected number, received undefined") is replaced; a
    // schema's own message (e.g. "days must be a whole number") is kept.
    if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) {
      const received = valueAt(input, issue.path);
      const expected = article[issue.expected] ?? issue.expected;
      const message = received === missing ? 'is required' : `must be ${expected}, got ${kindOf(received)}`;
      return { path: formatPath(issue.path), message };
    }
    return { path: formatPath(issue.path), message: issue.message };
  });
}

/** A 400 for a request `input` that `error` refused; the message leads with the first problem. */
export function validationError(prefix: string, error: z.ZodError, input: unknown): HttpError {
  const details = detailsOf(error, input);
  const first = details[0];
  const more = details.length > 1 ? ` (and ${details.length - 1} more problem${details.length > 2 ? 's' : ''})` : '';
  const summary = first ? `${first.path ? `${first.path}: ` : ''}${first.message}${more}` : 'invalid request';
  return new HttpError(400, `${prefix}: ${summary}`, details);
}

/** The fields read from what reaches the error middleware: body-parser's errors, pg's (`code`, maybe under `cause`). */
interface ThrownFields {
  type?: string;
  status?: number;
  code?: string;
  message?: string;
  cause?: { code?: string; message?: string };
}

const isDataException = (err: ThrownFields | null | undefined) =>
  /^22/.test(String(err?.cause?.code ?? err?.code ?? ''));

/** Express 5 error middleware: body-parser's errors, our HttpErrors, and anything unexpected. */
export const errorHandler =
  (bodyLimit: string): ErrorRequestHandler =>
  (err: ThrownFields | null | undefined, req, res, _next) => {
    const log = (res.locals.log ?? req.app.locals.logger) as Logger | undefined;
    let status = 500;
    let body: ErrorResponse = { success: false, error: 'internal server error' };
    if (err instanceof HttpError) {
      status = err.status;
      body = { success: false, error: err.message, ...(err.details ? { details: err.details } : {}) };
    } else if (err?.type === 'entity.parse.failed') {
      status = 400;
      body = { success: false, error: 'malformed JSON body' };
    } else if (err?.type === 'entity.too.large') {
      status = 413;
      body = { success: false, error: `request body too large: the limit is ${bodyLimit}` };
    } else if (isDataException(err)) {
      // PostgreSQL "data exception" (class 22). A request's values never get here: the door
      // refuses what PostgreSQL cannot store (zod's limits, body-shape.ts's NUL check) with a 400
      // naming the field. So this is the server's data or our own SQL: a 500 with a generic
      // message (the database's words are not the client's business) and the details in the log.
      log?.error(
        { err, pg_code: err?.cause?.code ?? err?.code },
        'sync failed: PostgreSQL refused a value after the request passed validation (server data or server SQL)',
      );
    } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      // Other body-parser refusals (bad gzip, unsupported charset/encoding).
      status = err.status;
      body = { success: false, error: String(err.message ?? 'bad request') };
    }
    res.locals.errorMessage = body.error;
    if (status >= 500 && !isDataException(err)) log?.error({ err }, 'sync failed: internal error');
    if (res.headersSent) return;
    res.status(status).json(body);
  };
