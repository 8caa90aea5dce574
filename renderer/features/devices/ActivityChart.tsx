// One device's pulls and pushes per day over the window, as a small bar chart (recharts) for the
// eye, named for screen readers and tests by its totals ("12 pulls and 3 pushes in 7 days").
// Fixed size: it sits in a table cell, where a responsive container would measure nothing.
import { Bar, BarChart, Tooltip, XAxis } from 'recharts';
import type { DeviceDayActivity } from '../../../shared/protocol/analytics.js';

export const activitySummary = (days: readonly DeviceDayActivity[]): string => {
  const pulls = days.reduce((n, d) => n + d.pulls, 0);
  const pushes = days.reduce((n, d) => n + d.pushes, 0);
  const count = (n: number, one: string, many: string) => `${n.toLocaleString()} ${n === 1 ? one : many}`;
  return `${count(pulls, 'pull', 'pulls')} and ${count(pushes, 'push', 'pushes')} in ${count(days.length, 'day', 'days')}`;
};

export const ActivityChart = ({ days }: { days: DeviceDayActivity[] }) => (
  <div role="img" aria-label={activitySummary(days)} className="device-chart">
    <BarChart width={168} height={40} data={days} margin={{ top: 2, right: 0, bottom: 0, left: 0 }} barGap={1}>
      <XAxis dataKey="day" hide />
      <Tooltip cursor={false} wrapperStyle={{ fontSize: 11 }} />
      <Bar dataKey="pulls" name="Pulls" className="device-chart__pulls" isAnimationActive={false} />
      <Bar dataKey="pushes" name="Pushes" className="device-chart__pushes" isAnimationActive={false} />
    </BarChart>
  </div>
);
