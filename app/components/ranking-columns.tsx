// The league page's columns: units of a kind, units across kinds (by completion), correspondents;
// and the cells they share (rank with 并列, a unit's name with its marker, status, movement).
import { QUOTA_STATUS_NAMES, type QuotaStatus } from "~/domain/points";
import { showMovement, type Movement } from "~/domain/ranking";
import { percentText, pointsText, type CorrespondentRankingRow, type UnitRankingRow } from "~/domain/rankings-view";
import { rankingColumnHelper } from "~/components/ranking-table";

/**
 * A unit's row in its kind's table: `own` marks the viewer's unit. The kind (the table's own) and
 * the 约稿 outcomes (in the points already) are not sent to the page.
 */
export type UnitTableRow = Omit<UnitRankingRow, "kind" | "kindName" | "requests"> & { own: boolean };
/** A row of the table across kinds, with only what it shows: completion, and the unit's rank in its kind. */
export type CrossTableRow = Pick<
  UnitRankingRow,
  "unitId" | "name" | "kindName" | "quota" | "adopted" | "completion" | "status" | "months" | "rank" | "tied"
> & { kind: string; own: boolean; kindRank: number; kindTied: boolean };
/** A correspondent's row (no username on the page): `own` marks the viewer. */
export type PersonTableRow = Omit<CorrespondentRankingRow, "username"> & { own: boolean };
export interface ChannelHead {
  id: number;
  name: string;
}

export function RankCell({ rank, tied }: { rank: number; tied: boolean }) {
  return (
    <span className="rank-no">
      <strong>{rank}</strong>
      {tied ? <span className="rank-tied">并列</span> : null}
    </span>
  );
}

/** ↑3 / ↓2 / — / 新 in text, the words for screen readers, and the colour as a third hint. */
export function MovementCell({ value }: { value: Movement }) {
  const { text, words, tone } = showMovement(value);
  return (
    <span className={`move move--${tone}`} title={words}>
      <span aria-hidden="true">{text}</span>
      <span className="sr-only">{words}</span>
    </span>
  );
}

function StatusText({ status }: { status: QuotaStatus }) {
  const tone = status === "met" ? "badge--ok" : status === "short" ? "badge--warn" : "badge--err";
  return <span className={`badge ${tone}`}>{QUOTA_STATUS_NAMES[status]}</span>;
}

function UnitName({ name, own }: { name: string; own: boolean }) {
  return (
    <span className="rank-unit">
      {name}
      {own ? <span className="own-marker">本单位</span> : null}
    </span>
  );
}

const STATUS_ORDER = { met: 3, short: 2, none: 1 } as const;
/** Sorts 新 (not ranked last month) below every number. */
const movementValue = (m: Movement) => m ?? -1e6;

/** The fields both unit tables show. */
type ShownUnit = Pick<UnitTableRow, "unitId" | "name" | "rank" | "tied" | "status" | "months" | "own">;

/** 名次 and 单位: the two columns a phone card leads with, the same in both unit tables. */
function leadColumns<T extends ShownUnit>() {
  const h = rankingColumnHelper<T>();
  return [
    h.accessor((r) => r.rank, {
      id: "rank",
      header: "名次",
      sortDescFirst: false,
      // Units tied on rank arrive in code order: back in arrival order.
      sortFn: (a, b) => a.original.rank - b.original.rank || a.index - b.index,
      meta: { lead: "rank" },
      cell: (info) => <RankCell rank={info.getValue()} tied={info.row.original.tied} />,
    }),
    h.accessor((r) => r.name, {
      id: "name",
      header: "单位",
      sortDescFirst: false,
      sortFn: (a, b) => a.original.name.localeCompare(b.original.name, "zh-CN"),
      meta: { lead: "name" },
      cell: (info) => <UnitName name={info.getValue()} own={info.row.original.own} />,
    }),
  ];
}

/** 状态 for a month (sorted 达标 first), 达标月数 for a year. */
function statusColumn<T extends ShownUnit>() {
  const h = rankingColumnHelper<T>();
  return h.accessor((r) => (r.status ? STATUS_ORDER[r.status] : 0), {
    id: "status",
    header: "状态",
    sortDescFirst: true,
    cell: (info) => (info.row.original.status ? <StatusText status={info.row.original.status} /> : "—"),
  });
}

function monthsColumns<T extends ShownUnit>(which: ReadonlyArray<"met" | "short" | "none">) {
  const h = rankingColumnHelper<T>();
  const header = { met: "达标月数", short: "未达标月数", none: "不报月数" } as const;
  return which.map((k) => h.accessor((r) => r.months?.[k] ?? 0, { id: k, header: header[k], sortDescFirst: true, meta: { numeric: true } }));
}

const unitHelper = rankingColumnHelper<UnitTableRow>();
const crossHelper = rankingColumnHelper<CrossTableRow>();
const personHelper = rankingColumnHelper<PersonTableRow>();

/** One column per channel: "报送/采用" in the bureau's channel order. */
function channelColumns(channels: readonly ChannelHead[]) {
  return channels.map((c, i) =>
    unitHelper.accessor((r) => r.channels?.[i]?.adopted ?? 0, {
      id: `channel-${c.id}`,
      // Two short lines keep the column narrow; a phone card labels the cell with the whole name,
      // on two of its four columns so that the label reads on one line.
      header: () => (
        <span className="channel-head">
          {c.name}
          <small>报送/采用</small>
        </span>
      ),
      sortDescFirst: true,
      meta: { numeric: true, wide: true, label: `${c.name}（报送/采用）` },
      cell: (info) => {
        const counts = info.row.original.channels?.[i];
        return counts ? `${counts.submitted}/${counts.adopted}` : "0/0";
      },
    }),
  );
}

/** A kind's table: counts, channels, completion, status (month) or status months (year), points, movement. */
export function unitColumns(scope: "month" | "year", channels: readonly ChannelHead[] = []) {
  return [
    ...leadColumns<UnitTableRow>(),
    unitHelper.accessor("quota", { id: "quota", header: "任务数", sortDescFirst: true, meta: { numeric: true } }),
    unitHelper.accessor("submitted", { id: "submitted", header: "报送", sortDescFirst: true, meta: { numeric: true } }),
    unitHelper.accessor("adopted", { id: "adopted", header: "采用", sortDescFirst: true, meta: { numeric: true } }),
    ...channelColumns(channels),
    unitHelper.accessor("completion", {
      id: "completion",
      header: "完成率",
      sortDescFirst: true,
      meta: { numeric: true },
      cell: (info) => percentText(info.getValue()),
    }),
    unitHelper.accessor("late", { id: "late", header: "迟报", sortDescFirst: true, meta: { numeric: true } }),
    ...(scope === "month" ? [statusColumn<UnitTableRow>()] : monthsColumns<UnitTableRow>(["met", "short", "none"])),
    unitHelper.accessor("points", {
      id: "points",
      header: "积分",
      sortDescFirst: true,
      meta: { numeric: true },
      cell: (info) => <strong>{pointsText(info.getValue())}</strong>,
    }),
    unitHelper.accessor((r) => movementValue(r.movement), {
      id: "movement",
      header: "变化",
      sortDescFirst: true,
      meta: { numeric: true },
      cell: (info) => <MovementCell value={info.row.original.movement} />,
    }),
  ];
}

/** The table across kinds: completion only, with the rank each unit has in its kind. */
export function crossColumns(scope: "month" | "year") {
  return [
    ...leadColumns<CrossTableRow>(),
    crossHelper.accessor("kindName", { id: "kind", header: "类别", sortDescFirst: false }),
    crossHelper.accessor("quota", { id: "quota", header: "任务数", sortDescFirst: true, meta: { numeric: true } }),
    crossHelper.accessor("adopted", { id: "adopted", header: "采用", sortDescFirst: true, meta: { numeric: true } }),
    crossHelper.accessor("completion", {
      id: "completion",
      header: "完成率",
      sortDescFirst: true,
      meta: { numeric: true },
      cell: (info) => <strong>{percentText(info.getValue())}</strong>,
    }),
    scope === "month" ? statusColumn<CrossTableRow>() : monthsColumns<CrossTableRow>(["met"])[0],
    crossHelper.accessor("kindRank", {
      id: "kindRank",
      header: "类别内名次",
      sortDescFirst: false,
      meta: { numeric: true },
      cell: (info) => (info.row.original.kindTied ? `${info.getValue()}（并列）` : info.getValue()),
    }),
  ];
}

export const personColumns = [
  personHelper.accessor("rank", {
    id: "rank",
    header: "名次",
    sortDescFirst: false,
    sortFn: (a, b) => a.original.rank - b.original.rank,
    meta: { lead: "rank" },
    cell: (info) => <RankCell rank={info.getValue()} tied={info.row.original.tied} />,
  }),
  personHelper.accessor("displayName", {
    id: "name",
    header: "姓名",
    sortDescFirst: false,
    sortFn: (a, b) => a.original.displayName.localeCompare(b.original.displayName, "zh-CN"),
    meta: { lead: "name" },
    cell: (info) => (
      <span className="rank-unit">
        {info.getValue()}
        {info.row.original.active ? null : <span className="muted small">（已停用）</span>}
        {info.row.original.own ? <span className="own-marker">本人</span> : null}
      </span>
    ),
  }),
  personHelper.accessor("unitName", {
    id: "unit",
    header: "单位",
    sortDescFirst: false,
    meta: { wide: true },
    sortFn: (a, b) => a.original.unitName.localeCompare(b.original.unitName, "zh-CN"),
  }),
  personHelper.accessor("items", {
    id: "items",
    header: "采用稿件",
    sortDescFirst: true,
    meta: { numeric: true },
    cell: (info) => pointsText(info.getValue()),
  }),
  personHelper.accessor("points", {
    id: "points",
    header: "积分",
    sortDescFirst: true,
    meta: { numeric: true },
    cell: (info) => <strong>{pointsText(info.getValue())}</strong>,
  }),
];
