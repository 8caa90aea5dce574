// The manager's own calendar days, as the dashboard asks main for them: today, the Monday this
// week started on (ISO weeks), and the offset from UTC, so main can count in SQL by local day.
import type { IpcRequest } from '../../../shared/ipc.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** The local calendar day of `date` as YYYY-MM-DD. */
export const localDay = (date: Date): string =>
  `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;

/** The local day `days` before `date`. */
export const daysBefore = (date: Date, days: number): Date =>
  new Date(date.getFullYear(), date.getMonth(), date.getDate() - days);

export const completionRequest = (now: Date): IpcRequest<'dashboard:completion'> => {
  const sinceMonday = (now.getDay() + 6) % 7; // getDay: Sunday 0 … Saturday 6
  return {
    today: localDay(now),
    week_start: localDay(daysBefore(now, sinceMonday)),
    utc_offset_minutes: -now.getTimezoneOffset(),
  };
};
