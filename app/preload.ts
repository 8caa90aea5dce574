// The preload: puts `window.insight` (InsightApi of shared/ipc.ts) on the page through
// contextBridge, one invoke per contract channel and one subscription per contract event.
// It never hands ipcRenderer itself to the page (checklist item: limit what the page can send).
// Runs sandboxed, so it is bundled into one CommonJS file (scripts/build-app.ts).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { ipcChannelNames, ipcEventNames, type InsightApi, type IpcResult } from '../shared/ipc.js';
import { eventChannel } from './ipc-names.js';

const channels = new Set<string>(ipcChannelNames);
const events = new Set<string>(ipcEventNames);

const insight: InsightApi = {
  invoke(channel, request) {
    if (!channels.has(channel)) {
      return Promise.resolve({ ok: false, error: `Unknown channel ${JSON.stringify(channel)}` }) as never;
    }
    return ipcRenderer.invoke(channel, request ?? {}) as Promise<IpcResult<never>>;
  },
  on(event, listener) {
    if (!events.has(event)) throw new Error(`Unknown event ${JSON.stringify(event)}`);
    // Only the payload crosses: the page never sees the IpcRendererEvent (it holds `sender`).
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload as never);
    ipcRenderer.on(eventChannel(event), forward);
    return () => {
      ipcRenderer.removeListener(eventChannel(event), forward);
    };
  },
};

contextBridge.exposeInMainWorld('insight', insight);
