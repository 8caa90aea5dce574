// The one door into the main-process core from a renderer, whichever host carries the message
// (Electron's ipcMain, or the web host's WebSocket). Every request is checked here against the
// contract in shared/ipc.ts before a handler sees it, and every outcome goes back as a value
// (`{ok:true,value}` / `{ok:false,error}`): nothing throws across the bridge, where Electron would
// otherwise turn an exception into an unreadable "Error invoking remote method" string.
import type { z } from 'zod';
import {
  ipcChannelNames,
  ipcChannels,
  type IpcChannel,
  type IpcParsedRequest,
  type IpcReply,
  type IpcResult,
} from '../../shared/ipc.js';
import { InvalidRowError } from '../db/outbox.js';
import { InvalidEditError, NotFoundError } from '../repos/errors.js';

export type IpcHandler<C extends IpcChannel> = (request: IpcParsedRequest<C>) => IpcReply<C> | Promise<IpcReply<C>>;
/** One handler per channel of the contract: a missing channel is a compile error. */
export type IpcHandlers = { [C in IpcChannel]: IpcHandler<C> };

/** The part of a pino logger the door uses (tests may pass nothing). */
export interface IpcLogger {
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/**
 * A handler throws this when the request is well-formed but cannot be done ("no form with that
 * id"): its message is meant for the user. Other errors are bugs: logged in full, and the user
 * sees the message with the channel name.
 */
export class IpcRequestError extends Error {
  override name = 'IpcRequestError';
}

/** Errors whose message is written for the user: the request was understood but cannot be done. */
const isUserFacing = (err: unknown): err is Error =>
  err instanceof IpcRequestError ||
  err instanceof NotFoundError ||
  err instanceof InvalidEditError ||
  err instanceof InvalidRowError;

/** zod issues as one plain sentence per problem: "form.title: A form needs a title". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.map(String).join('.');
      return where ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/**
 * Wraps one handler: parses the payload with the channel's request schema (defaults filled in,
 * unknown keys refused where the schema is strict), runs the handler, and turns every failure
 * into `{ok:false,error}`. The handler never sees unchecked data.
 */
/**
 * Replies are checked against the contract outside production (development, the test suites):
 * a handler that drifts from its declared reply fails loudly there instead of handing the
 * renderer a shape its types do not describe. Production skips the cost.
 */
export const checkRepliesByDefault = process.env.NODE_ENV !== 'production';

export function handle<C extends IpcChannel>(
  channel: C,
  handler: IpcHandler<C>,
  logger?: IpcLogger,
  checkReplies = checkRepliesByDefault,
): (payload: unknown) => Promise<IpcResult<IpcReply<C>>> {
  const schema = ipcChannels[channel].request as unknown as z.ZodType<IpcParsedRequest<C>>;
  const replySchema = ipcChannels[channel].reply as z.ZodType;
  return async (payload) => {
    // undefined (an argument left out) means "no arguments", as for `invoke('forms:list')`.
    const parsed = schema.safeParse(payload === undefined ? {} : payload);
    if (!parsed.success) {
      const error = `${channel}: ${describeIssues(parsed.error)}`;
      logger?.warn({ channel, error }, 'ipc request refused');
      return { ok: false, error };
    }
    try {
      const value = await handler(parsed.data);
      if (checkReplies) {
        const reply = replySchema.safeParse(value);
        if (!reply.success) {
          const error = `${channel}: the reply does not match the contract in shared/ipc.ts: ${describeIssues(reply.error)}`;
          logger?.error({ channel, error }, 'ipc reply off contract');
          return { ok: false, error };
        }
      }
      return { ok: true, value };
    } catch (err) {
      if (isUserFacing(err)) return { ok: false, error: err.message };
      logger?.error({ channel, err }, 'ipc handler failed');
      const message = err instanceof Error ? err.message : String(err);
      return { ok: false, error: `${channel} failed: ${message}` };
    }
  };
}

export interface IpcRouterOptions<Sender> {
  /**
   * Says whether a message's sender may talk to the core at all (Electron: the sender frame's URL
   * is our own app:// page). Returns null when allowed, else the reason.
   */
  checkSender?: (sender: Sender) => string | null;
  logger?: IpcLogger;
  /** Check every reply against its schema (default: outside production). */
  checkReplies?: boolean;
}

export interface IpcRouter<Sender> {
  /** Runs one request from a renderer, after the sender check; never rejects. */
  invoke(channel: unknown, payload: unknown, sender: Sender): Promise<IpcResult<unknown>>;
  /** Runs a request the host itself makes (the app menu's Sync Now): no sender to check. */
  invokeFromHost(channel: unknown, payload: unknown): Promise<IpcResult<unknown>>;
}

/** Every channel of the contract, each behind `handle()`, plus the sender check. */
export function createIpcRouter<Sender = undefined>(
  handlers: IpcHandlers,
  options: IpcRouterOptions<Sender> = {},
): IpcRouter<Sender> {
  const { checkSender, logger, checkReplies } = options;
  const doors = new Map<unknown, (payload: unknown) => Promise<IpcResult<unknown>>>();
  for (const channel of ipcChannelNames) {
    doors.set(channel, handle(channel, handlers[channel] as IpcHandler<typeof channel>, logger, checkReplies));
  }
  const run = (channel: unknown, payload: unknown): Promise<IpcResult<unknown>> => {
    const door = doors.get(channel);
    return door ? door(payload) : Promise.resolve({ ok: false, error: `Unknown channel ${JSON.stringify(channel)}` });
  };
  return {
    async invoke(channel, payload, sender) {
      let refusal: string | null;
      try {
        refusal = checkSender ? checkSender(sender) : null;
      } catch (err) {
        refusal = `the sender could not be checked (${err instanceof Error ? err.message : String(err)})`;
      }
      if (refusal) {
        logger?.warn({ channel, refusal }, 'ipc sender refused');
        return { ok: false, error: `Refused: ${refusal}` };
      }
      return run(channel, payload);
    },
    invokeFromHost: run,
  };
}
