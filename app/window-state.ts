// The window remembers its size and position (a desktop habit) in a small JSON file in the
// user's data folder. Plain Node, so it is tested without Electron; a missing, garbled or
// off-screen saved state falls back to the default instead of opening an invisible window.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export const WindowState = z.object({
  x: z.int().optional(),
  y: z.int().optional(),
  width: z.int().min(400).max(20_000),
  height: z.int().min(300).max(20_000),
  maximized: z.boolean().default(false),
});
export type WindowState = z.infer<typeof WindowState>;

export const defaultWindowState: WindowState = { width: 1280, height: 820, maximized: false };

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function loadWindowState(file: string): WindowState {
  try {
    const parsed = WindowState.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : defaultWindowState;
  } catch {
    return defaultWindowState;
  }
}

/** Written to a temporary file and renamed, so a crash mid-write never leaves half a JSON file. */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.tmp`;
  writeFileSync(temporary, JSON.stringify(WindowState.parse(state), null, 2));
  renameSync(temporary, file);
}

/**
 * The saved state if its title bar still lands on one of the displays (a monitor may have been
 * unplugged since), else the same size centred by the OS.
 */
export function placeOnDisplays(state: WindowState, workAreas: Rectangle[]): WindowState {
  if (state.x === undefined || state.y === undefined) return state;
  const { x, y } = state;
  const titleBarVisible = workAreas.some(
    (area) => x + 100 > area.x && x < area.x + area.width && y >= area.y && y < area.y + area.height,
  );
  return titleBarVisible ? state : { width: state.width, height: state.height, maximized: state.maximized };
}
