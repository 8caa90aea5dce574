// The renderer's only door to the Store Manager core. The Electron preload (app/preload.ts) or
// the web host's script (served as ./bridge.js, loaded before this bundle) puts an `InsightApi`
// on `window.insight`; everything here goes through it, never through Node or Electron.
import type { InsightApi, IpcChannel, IpcReply, IpcRequest, IpcResult } from '../../shared/ipc.js';

declare global {
  interface Window {
    insight?: InsightApi;
  }
}

/** A reply of `{ok: false}` turned into a throw, so react-query sees it as a failed query. */
class InsightError extends Error {
  constructor(
    readonly channel: IpcChannel,
    message: string,
  ) {
    super(message);
    this.name = 'InsightError';
  }
}

const unwrap = <T>(channel: IpcChannel, result: IpcResult<T>): T => {
  if (result.ok) return result.value;
  throw new InsightError(channel, result.error);
};

/** Calls one channel and returns its value, or throws its error message. */
export const call = async <C extends IpcChannel>(
  api: InsightApi,
  channel: C,
  request: IpcRequest<C>,
): Promise<IpcReply<C>> => unwrap(channel, await api.invoke(channel, request));

/** The event a bridge that connects asynchronously dispatches on `window` once `window.insight` is set. */
const insightReadyEvent = 'insight-ready';

/** `window.insight` if a host provided one. */
const readInsight = (): InsightApi | null => (typeof window !== 'undefined' && window.insight) || null;

/**
 * Waits briefly for the host's bridge: the preload sets `window.insight` before any page script
 * runs, but a web bridge may finish connecting a moment later and then fires `insight-ready`.
 * Resolves to null when nothing shows up, so the UI can say it is not connected.
 */
export const whenInsightReady = (timeoutMs = 3000): Promise<InsightApi | null> => {
  const present = readInsight();
  if (present) return Promise.resolve(present);
  return new Promise((resolve) => {
    const done = () => {
      window.removeEventListener(insightReadyEvent, done);
      clearTimeout(timer);
      resolve(readInsight());
    };
    const timer = setTimeout(done, timeoutMs);
    window.addEventListener(insightReadyEvent, done);
  });
};
