// One store's metric over time against its target (recharts).
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

export interface KpiPoint {
  when: string;
  value: number;
  target: number | null;
}

export const KpiChart = ({ title, points }: { title: string; points: KpiPoint[] }) => (
  <figure className="kpi-chart">
    <figcaption>{title}</figcaption>
    <div role="img" aria-label={`Chart of ${title}: ${points.length} values`}>
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={points} margin={{ top: 8, right: 24, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e3e6ea" />
          <XAxis dataKey="when" />
          <YAxis />
          <Tooltip />
          <Legend />
          <Line type="linear" dataKey="value" name="Value" stroke="#2563eb" strokeWidth={2} isAnimationActive={false} />
          <Line
            type="stepAfter"
            dataKey="target"
            name="Target"
            stroke="#dc2626"
            strokeDasharray="6 4"
            connectNulls
            dot={false}
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  </figure>
);
