// The viewer's own unit above the league tables: its rank in its kind, points, completion and movement.
import { QUOTA_STATUS_NAMES } from "~/domain/points";
import { percentText, pointsText, type UnitRankingRow } from "~/domain/rankings-view";
import { MovementCell } from "~/components/ranking-columns";

export type OwnUnitRow = UnitRankingRow & { own: boolean; unitsInKind: number };

export function OwnUnit({ own }: { own: OwnUnitRow | null }) {
  if (!own) return null;
  return (
    <section className="card rank-own" id="own-unit" aria-labelledby="own-unit-title">
      <h2 id="own-unit-title">
        本单位：{own.name}
        <span className="muted small">（{own.kindName}）</span>
      </h2>
      <dl className="rank-own__facts">
        <div>
          <dt>类别内名次</dt>
          {/* "并列" on a line of its own under the rank, so "10 / 12" never breaks on a phone. */}
          <dd>
            {own.rank} / {own.unitsInKind}
            {own.tied ? <span className="rank-own__note">并列</span> : null}
          </dd>
        </div>
        <div>
          <dt>积分</dt>
          <dd>{pointsText(own.points)}</dd>
        </div>
        <div>
          <dt>采用 / 任务数</dt>
          <dd>
            {own.adopted} / {own.quota}
          </dd>
        </div>
        <div>
          <dt>完成率</dt>
          <dd>{percentText(own.completion)}</dd>
        </div>
        <div>
          <dt>{own.status ? "状态" : "达标/未达标/不报（月）"}</dt>
          <dd>{own.status ? QUOTA_STATUS_NAMES[own.status] : `${own.months?.met ?? 0} / ${own.months?.short ?? 0} / ${own.months?.none ?? 0}`}</dd>
        </div>
        <div>
          <dt>变化</dt>
          <dd>
            <MovementCell value={own.movement} />
          </dd>
        </div>
      </dl>
    </section>
  );
}
