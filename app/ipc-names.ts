// Names of the Electron IPC messages. Requests use the contract's channel names as they are
// (ipcMain.handle('forms:list', …)); events travel under a prefix so a pushed 'sync:status'
// can never be mistaken for the request channel of the same name.
import type { IpcEvent } from '../shared/ipc.js';

export const eventChannel = (event: IpcEvent): string => `insight-event:${event}`;
