// A small in-memory stand-in for `window.insight`, for component tests only (the real main
// process is driven by the e2e suite). It keeps the contract honest: every request is parsed
// with the channel's zod schema, so a component that sends a malformed payload fails its test.
import {
  ipcChannels,
  type InsightApi,
  type IpcChannel,
  type IpcEvent,
  type IpcEventPayload,
  type IpcParsedRequest,
  type IpcReply,
  type IpcResult,
} from '../../shared/ipc.js';

export type ChannelHandlers = {
  [C in IpcChannel]?: (request: IpcParsedRequest<C>) => IpcReply<C> | Promise<IpcReply<C>>;
};

export interface RecordedCall {
  channel: IpcChannel;
  request: unknown;
}

export interface TestInsight extends InsightApi {
  calls: RecordedCall[];
  /** The parsed requests sent to one channel, oldest first. */
  callsTo<C extends IpcChannel>(channel: C): IpcParsedRequest<C>[];
  emit<E extends IpcEvent>(event: E, payload: IpcEventPayload<E>): void;
  handlers: ChannelHandlers;
}

export const createTestInsight = (handlers: ChannelHandlers = {}): TestInsight => {
  const calls: RecordedCall[] = [];
  const listeners = new Map<IpcEvent, Set<(payload: never) => void>>();
  const api: TestInsight = {
    calls,
    handlers,
    callsTo: <C extends IpcChannel>(channel: C) =>
      calls.filter((c) => c.channel === channel).map((c) => c.request as IpcParsedRequest<C>),
    async invoke(channel, request) {
      const parsed = ipcChannels[channel].request.safeParse(request);
      if (!parsed.success) {
        return { ok: false, error: `test double: bad request for ${channel}: ${parsed.error.message}` };
      }
      calls.push({ channel, request: parsed.data });
      const handler = handlers[channel] as ((request: unknown) => unknown) | undefined;
      if (!handler) return { ok: false, error: `test double: no handler for ${channel}` };
      try {
        return { ok: true, value: await handler(parsed.data) } as IpcResult<never>;
      } catch (error) {
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    emit(event, payload) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: typeof payload) => void)(payload);
    },
  };
  return api;
};
