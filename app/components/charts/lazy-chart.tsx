// Charts render in the browser only, from separately loaded chunks, so pages without charts
// never download recharts and the server never measures a container it cannot see. Each chart
// comes with the same numbers as a table for screen readers and for printing.
import { lazy, Suspense, useEffect, useState, type ComponentType, type ReactNode } from "react";

const dashboard = () => import("./dashboard-charts");
const CHARTS = {
  monthlyTrend: lazy(() => import("./monthly-trend")),
  rankHistory: lazy(() => dashboard().then((m) => ({ default: m.RankHistoryChart }))),
  pointsHistory: lazy(() => dashboard().then((m) => ({ default: m.PointsHistoryChart }))),
  submissionsByDay: lazy(() => dashboard().then((m) => ({ default: m.SubmissionsByDayChart }))),
  byCategory: lazy(() => dashboard().then((m) => ({ default: m.CategoryChart }))),
} satisfies Record<string, ComponentType<{ data: any }>>;

export type ChartKind = keyof typeof CHARTS;

function ClientOnly({ children, fallback }: { children: ReactNode; fallback: ReactNode }) {
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted ? <>{children}</> : <>{fallback}</>;
}

interface Props<Row> {
  kind: ChartKind;
  title: string;
  data: Row[];
  /** The same data as a table: column headers and a cell renderer. */
  columns: Array<[string, (row: Row) => ReactNode]>;
  height?: number;
  /** What the chart counts, when its title alone could be read two ways. */
  note?: string;
  /** Said instead of an empty frame when there is no row to draw (a chart of categories before any arrives). */
  empty?: string;
}

export function ChartFigure<Row>({ kind, title, data, columns, height = 260, note, empty }: Props<Row>) {
  const Chart = CHARTS[kind] as ComponentType<{ data: Row[] }>;
  const fallback = <p className="muted small">图表加载中…</p>;
  return (
    <figure className="card chart-figure" aria-label={title}>
      <figcaption>
        <strong>{title}</strong>
        {note ? <span className="muted small chart-note">{note}</span> : null}
      </figcaption>
      {empty !== undefined && data.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <div className="chart-box" style={{ height }}>
          <ClientOnly fallback={fallback}>
            <Suspense fallback={fallback}>
              <Chart data={data} />
            </Suspense>
          </ClientOnly>
        </div>
      )}
      {/* A table ignores the 1px width of .sr-only, so a wrapper clips it; otherwise it widens the page. */}
      <div className="sr-only">
        <table>
          <caption>
            {title}
            {note ? `（${note}）` : null}
          </caption>
          <thead>
            <tr>
              {columns.map(([h]) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.map((row, i) => (
              <tr key={i}>
                {columns.map(([h, cell]) => (
                  <td key={h}>{cell(row)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
