// One request to the sync server made by a manager Mac with its own token, outside the sync engine
// (the Devices screen's analytics, revoking a device, moving a device to another store). Nothing is queued or retried: what it asks
// for lives on the server, so without a connection it cannot happen, and every failure is said in
// the manager's words, which each caller writes for its own action.
import type { z } from 'zod';
import { API_PREFIX, ErrorResponse } from '../../shared/protocol/sync.js';
import type { ConnectionConfig } from './config.js';
import { describeNetworkError, normaliseServerUrl } from './http.js';

/** A failure whose message is written for the manager. */
export class ManagerRequestError extends Error {
  override name = 'ManagerRequestError';
}

export interface ManagerRequestOptions {
  /** Injected by tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The server's refusal: its status and reason, and whether the reason came from the server's own error body. */
export interface ManagerRefusal {
  status: number;
  reason: string;
  fromServer: boolean;
}

/** What the manager reads when the request cannot be made or is not answered as asked. */
export interface ManagerRequestWords {
  notConnected: string;
  notManager: (self: string) => string;
  unreachable: (server: string, networkError: string) => string;
  refused: (server: string, self: string, refusal: ManagerRefusal) => string;
  unexpected: (server: string, issue: string) => string;
}

export interface ManagerRequest<Answer> {
  method: 'GET' | 'POST';
  /** Below the API prefix, e.g. "/sync/devices?days=7"; the caller encodes what it puts in. */
  path: string;
  /** Sent as JSON (a POST's request body); none when absent. */
  body?: unknown;
  answer: z.ZodType<Answer>;
  words: ManagerRequestWords;
}

/** The connection if it is a manager's, else the reason in the manager's words. */
export function managerConnection(connection: ConnectionConfig | null, words: ManagerRequestWords): ConnectionConfig {
  if (!connection) throw new ManagerRequestError(words.notConnected);
  if (connection.role !== 'manager') throw new ManagerRequestError(words.notManager(connection.device_id));
  return connection;
}

export async function callServerAsManager<Answer>(
  connection: ConnectionConfig | null,
  request: ManagerRequest<Answer>,
  options: ManagerRequestOptions = {},
): Promise<Answer> {
  const { words } = request;
  const { server_url: server, device_id: self, token } = managerConnection(connection, words);
  const url = `${normaliseServerUrl(server)}${API_PREFIX}${request.path}`;
  let response: Response;
  let text: string;
  try {
    response = await (options.fetch ?? globalThis.fetch)(url, {
      method: request.method,
      headers: {
        Accept: 'application/json',
        'Accept-Encoding': 'gzip',
        Authorization: `Bearer ${token}`,
        ...(request.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      ...(request.body === undefined ? {} : { body: JSON.stringify(request.body) }),
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
    text = await response.text();
  } catch (error) {
    throw new ManagerRequestError(words.unreachable(server, describeNetworkError(error)));
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const refusal = ErrorResponse.safeParse(body);
    const reason = refusal.success ? refusal.data.error : `HTTP ${response.status}`;
    throw new ManagerRequestError(
      words.refused(server, self, { status: response.status, reason, fromServer: refusal.success }),
    );
  }
  const answer = request.answer.safeParse(body);
  if (!answer.success) {
    throw new ManagerRequestError(words.unexpected(server, answer.error.issues[0]?.message ?? 'unreadable'));
  }
  return answer.data;
}
