// 12 months of items reaching the bureau and adopted. Loaded only by pages that draw it.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface TrendPoint {
  label: string;
  submitted: number;
  adopted: number;
}

export default function MonthlyTrendChart({ data }: { data: TrendPoint[] }) {
  return (
    <ResponsiveContainer width="100%" height="100%">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: -16 }}>
        <CartesianGrid strokeDasharray="3 3" vertical={false} />
        <XAxis dataKey="label" tick={{ fontSize: 12 }} interval="preserveStartEnd" />
        <YAxis allowDecimals={false} tick={{ fontSize: 12 }} />
        <Tooltip formatter={(value, name) => [`${value} 篇`, name]} />
        <Legend />
        <Bar dataKey="submitted" name="收到稿件" fill="#9aa5b1" isAnimationActive={false} />
        <Bar dataKey="adopted" name="已采用" fill="#b3261e" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}
