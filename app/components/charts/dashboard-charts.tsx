// The dashboards' charts. Loaded only by the pages that draw them (see lazy-chart.tsx).
import {
  Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis,
} from "recharts";

const axis = { tick: { fontSize: 12 } };

export function RankHistoryChart({ data }: { data: Array<{ label: string; rank: number | null }> }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <LineChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" {...axis} interval="preserveStartEnd" />
        {/* Rank 1 is best, so the axis runs downwards. */}
        <YAxis reversed allowDecimals={false} domain={[1, "dataMax"]} padding={{ top: 10, bottom: 10 }} {...axis} />
        <Tooltip formatter={(v) => [`第 ${v} 名`, "类别内名次"]} />
        <Line type="linear" dataKey="rank" name="类别内名次" stroke="#b3261e" strokeWidth={2} connectNulls dot isAnimationActive={false} />
      </LineChart>
    </ResponsiveContainer>
  );
}

export function PointsHistoryChart({ data }: { data: Array<{ label: string; points: number | null }> }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" {...axis} interval="preserveStartEnd" />
        <YAxis {...axis} />
        {/* Zero always on the axis, drawn: a unit whose every month is negative gets bars hanging from 0, not from its best month. */}
        <ReferenceLine y={0} stroke="#666" ifOverflow="extendDomain" />
        <Tooltip formatter={(v) => [`${v} 分`, "月度积分"]} />
        <Bar dataKey="points" name="月度积分" fill="#b3261e" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function SubmissionsByDayChart({ data }: { data: Array<{ label: string; count: number }> }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 12, bottom: 4, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" {...axis} interval="preserveStartEnd" />
        <YAxis allowDecimals={false} {...axis} />
        <Tooltip formatter={(v) => [`${v} 篇`, "首次报送"]} />
        <Bar dataKey="count" name="首次报送" fill="#9aa5b1" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}

export function CategoryChart({ data }: { data: Array<{ category: string; submitted: number; adopted: number }> }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} layout="vertical" margin={{ top: 8, right: 12, bottom: 4, left: 8 }}>
        <CartesianGrid strokeDasharray="3 3" horizontal={false} />
        <XAxis type="number" allowDecimals={false} {...axis} />
        <YAxis type="category" dataKey="category" width={72} interval={0} {...axis} />
        <Tooltip />
        <Legend />
        <Bar dataKey="submitted" name="收到" fill="#9aa5b1" isAnimationActive={false} />
        <Bar dataKey="adopted" name="采用" fill="#b3261e" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
