// Charts render in the browser only, from a separately loaded chunk, so pages without charts
// never download recharts and the server never measures a container it cannot see.
import { lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import type { TrendPoint } from "./monthly-trend";

const MonthlyTrendChart = lazy(() => import("./monthly-trend"));

function ClientOnly({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted ? <>{children}</> : <>{fallback}</>;
}

export function MonthlyTrend({ data, title }: { data: TrendPoint[]; title: string }) {
  const fallback = <p className="muted small">图表加载中…</p>;
  return (
    <figure className="card" aria-label={title} style={{ margin: "1rem 0" }}>
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <div className="chart-box">
        <ClientOnly fallback={fallback}>
          <Suspense fallback={fallback}>
            <MonthlyTrendChart data={data} />
          </Suspense>
        </ClientOnly>
      </div>
      <table className="sr-only">
        <caption>{title}</caption>
        <thead>
          <tr>
            <th>月份</th>
            <th>收到稿件</th>
            <th>已采用</th>
          </tr>
        </thead>
        <tbody>
          {data.map((d) => (
            <tr key={d.label}>
              <td>{d.label}</td>
              <td>{d.submitted}</td>
              <td>{d.adopted}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
