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

/** Turns zod issues into details whose messages name the table, the column and the problem. */
export function detailsOf(error: z.ZodError): ErrorDetail[] {
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
    const received = (issue as { input?: unknown }).input;
    const missing = issue.code === 'invalid_type' && received === undefined;
    return { path: formatPath(issue.path), message: missing ? 'is required' : issue.message };
  });
}

export function validationError(prefix: string, error: z.ZodError): HttpError {
  const details = detailsOf(error);
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
    } else if (/^22/.test(String(err?.cause?.code ?? err?.code ?? ''))) {
      // PostgreSQL "data exception" (e.g. a NUL character text cannot hold): the client's data,
      // not our fault. The transaction rolled back, so nothing was written.
      status = 400;
      body = { success: false, error: `a value cannot be stored: ${String(err?.cause?.message ?? err?.message)}` };
    } else if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      // Other body-parser refusals (bad gzip, unsupported charset/encoding).
      status = err.status;
      body = { success: false, error: String(err.message ?? 'bad request') };
    }
    res.locals.errorMessage = body.error;
    if (status >= 500) log?.error({ err }, 'sync failed: internal error');
    if (res.headersSent) return;
    res.status(status).json(body);
  };
