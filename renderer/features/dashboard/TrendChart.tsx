// Several stores' values of one metric over time (a line each), with each store's target as a
// dashed line of the same colour (recharts; loaded on demand with the rest of the chart code).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { targetKey, type TrendPoint } from './trend-data.js';

/** Store colours from the design tokens (dashboard.css), so both themes stay legible. */
const colours = ['--chart-1', '--chart-2', '--chart-3', '--chart-4', '--chart-5', '--chart-6'];
const colour = (index: number) => `var(${colours[index % colours.length]})`;

interface Props {
  stores: string[];
  /** The stores that have a target somewhere in the window (the others get no dashed line). */
  withTarget: ReadonlySet<string>;
  points: TrendPoint[];
}

export const TrendChart = ({ stores, withTarget, points }: Props) => (
  <ResponsiveContainer width="100%" height={220}>
    <LineChart data={points} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
      <CartesianGrid strokeDasharray="3 3" stroke="var(--line)" />
      <XAxis dataKey="period" stroke="var(--muted)" fontSize={11} />
      <YAxis stroke="var(--muted)" fontSize={11} />
      <Tooltip contentStyle={{ background: 'var(--paper)', borderColor: 'var(--line)', fontSize: 12 }} />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      {stores.map((store, index) => (
        <Line
          key={store}
          type="monotone"
          dataKey={store}
          name={store}
          stroke={colour(index)}
          strokeWidth={2}
          connectNulls
          isAnimationActive={false}
        />
      ))}
      {stores.map((store, index) =>
        !withTarget.has(store) ? null : (
          <Line
            key={targetKey(store)}
            type="stepAfter"
            dataKey={targetKey(store)}
            name={targetKey(store)}
            stroke={colour(index)}
            strokeDasharray="5 4"
            strokeOpacity={0.7}
            dot={false}
            connectNulls
            legendType="plainline"
            isAnimationActive={false}
          />
        ),
      )}
    </LineChart>
  </ResponsiveContainer>
);

export default TrendChart;
