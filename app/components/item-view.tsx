// Pieces of an item shared by the unit's page, the review page and the public news page.
import { ITEM_STATUSES, GRADES, TIERS, INSTRUCTION_LEVELS, nameOf } from "~/domain/catalog";
import { pointsText } from "~/domain/rankings-view";
import { signedPoints } from "~/domain/rules-policy";
import { distinctWords, highlightSegments, type WordHit } from "~/domain/sensitive-words";
import { formatShanghai, monthLabel } from "~/domain/time";
import { actionName } from "~/domain/workflow";

/** The facts every view of an item lists: its 约稿 and 报送要点 (when it has them), category, channel and event date (inside a <dl>). */
export function ItemFacts({
  item,
}: {
  item: {
    category: string; channel: string | null; event_date: string;
    theme?: string | null; theme_month?: string | null; request_id?: number | null; request_topic?: string | null;
  };
}) {
  return (
    <>
      {item.request_id && item.request_topic ? (
        <>
          <dt>约稿</dt>
          <dd>
            <a href={`/requests/${item.request_id}`}>{item.request_topic}</a>
          </dd>
        </>
      ) : null}
      {item.theme ? (
        <>
          <dt>报送要点</dt>
          <dd>
            <span className="badge">{item.theme}</span>
            {item.theme_month ? <span className="muted small">（{monthLabel(item.theme_month)}）</span> : null}
          </dd>
        </>
      ) : null}
      <dt>栏目</dt>
      <dd>{item.category}</dd>
      <dt>投送频道</dt>
      <dd>{item.channel ?? "—"}</dd>
      <dt>事件日期</dt>
      <dd>{item.event_date}</dd>
    </>
  );
}

/** Text runs, the sensitive-word hits among them marked. */
function Marked({ segments }: { segments: Array<{ text: string; hit?: string }> }) {
  return (
    <>
      {segments.map((s, j) =>
        s.hit ? (
          <mark key={j} className={`hit hit--${s.hit}`} title={s.hit === "block" ? "禁用词" : "提示词"}>
            {s.text}
          </mark>
        ) : (
          <span key={j}>{s.text}</span>
        ),
      )}
    </>
  );
}

/** A title with its sensitive-word hits marked. */
export function MarkedText({ text, hits }: { text: string; hits: WordHit[] }) {
  return <Marked segments={highlightSegments(text, hits)} />;
}

/** The reviewer's and lead's summary of the words found (title, body and captions): blocked ones first, then the ones to check. */
export function WordAlert({ hits }: { hits: WordHit[] }) {
  const blockWords = distinctWords(hits, "block");
  const warnWords = distinctWords(hits, "warn");
  if (blockWords.length === 0 && warnWords.length === 0) return null;
  const line = (label: string, words: string[], tone: "block" | "warn") =>
    words.length > 0 ? (
      <p>
        <strong className={tone === "block" ? "word-alert__block" : undefined}>{label}</strong>
        {words.map((w) => (
          <mark key={w} className={`hit hit--${tone}`}>
            {w}
          </mark>
        ))}
      </p>
    ) : null;
  return (
    <div className="word-alert" role="note" aria-label="错敏词提示">
      {line("禁用词：", blockWords, "block")}
      {line("提示词：", warnWords, "warn")}
      <p className="muted small">已在标题、正文和图片说明中标出，请逐一核实。</p>
    </div>
  );
}

/** The body as paragraphs; sensitive-word hits marked when given (lead and reviewer views). */
export function ItemBody({ body, hits }: { body: string; hits?: WordHit[] }) {
  // Hits carry offsets into the whole body, so paragraphs are cut from the highlighted runs.
  const segments = hits ? highlightSegments(body, hits) : [{ text: body }];
  const paragraphs: Array<Array<{ text: string; hit?: string }>> = [[]];
  for (const seg of segments) {
    const parts = seg.text.split(/\n\s*\n/);
    parts.forEach((part, i) => {
      if (i > 0) paragraphs.push([]);
      if (part) paragraphs[paragraphs.length - 1].push({ text: part, hit: seg.hit });
    });
  }
  return (
    <div className="item-body">
      {paragraphs
        .filter((p) => p.some((s) => s.text.trim()))
        .map((p, i) => (
          <p key={i}>
            <Marked segments={p} />
          </p>
        ))}
    </div>
  );
}

/** The photos with their captions; a caption's sensitive-word hits marked when given (lead and reviewer views), by photo id. */
export function PhotoGrid({
  photos,
  hits,
}: {
  photos: Array<{ id: number; caption: string; width: number; height: number }>;
  hits?: Record<string, WordHit[]>;
}) {
  if (photos.length === 0) return null;
  return (
    <div className="photo-grid">
      {photos.map((p) => (
        <figure key={p.id}>
          <a href={`/photos/${p.id}`}>
            <img src={`/photos/${p.id}/thumb`} alt={p.caption || "稿件图片"} loading="lazy" width={Math.min(p.width, 480)} height={Math.round((Math.min(p.width, 480) * p.height) / p.width)} />
          </a>
          {p.caption ? <figcaption>{hits?.[p.id] ? <MarkedText text={p.caption} hits={hits[p.id]} /> : p.caption}</figcaption> : null}
        </figure>
      ))}
    </div>
  );
}

export function ItemHistory({
  history,
}: {
  history: Array<{ id: number; action: string; to_status: string; grade: string | null; reason: string; at: string; actor_name: string }>;
}) {
  if (history.length === 0) return <p className="muted">尚无流转记录。</p>;
  return (
    <ol className="timeline">
      {history.map((e) => (
        <li key={e.id}>
          <time>{formatShanghai(e.at)}</time> <strong>{e.actor_name}</strong> {actionName(e.action)}
          {e.grade ? `（${nameOf(GRADES, e.grade)}）` : ""} → {nameOf(ITEM_STATUSES, e.to_status)}
          {e.reason ? <div className="muted small">理由：{e.reason}</div> : null}
        </li>
      ))}
    </ol>
  );
}

export function PickupList({
  pickups,
  instructions,
}: {
  pickups: Array<{ id: number; outlet: string; tier: string; picked_on: string; url: string }>;
  instructions: Array<{ id: number; level: string; leader: string; content: string; instructed_on: string }>;
}) {
  if (pickups.length === 0 && instructions.length === 0) return null;
  return (
    <ul className="report-rows">
      {pickups.map((p) => (
        <li key={`p${p.id}`}>
          上稿：{p.outlet}（{nameOf(TIERS, p.tier)}，{p.picked_on}）
          {p.url ? (
            <>
              {" "}
              <a href={p.url} rel="noopener noreferrer nofollow" target="_blank">
                链接
              </a>
            </>
          ) : null}
        </li>
      ))}
      {instructions.map((i) => (
        <li key={`i${i.id}`}>
          {/* As a 上稿 above it and the message on registering it: who, then (level, date). */}
          批示：{i.leader || "领导批示"}（{nameOf(INSTRUCTION_LEVELS, i.level)}，{i.instructed_on}）{i.content ? `：${i.content}` : ""}
        </li>
      ))}
    </ul>
  );
}

/** The item's points as a receipt naming each rule (shown to its unit and to reviewers). */
export function PointsReceipt({
  points,
}: {
  points: { lines: Array<{ rule: string; label: string; points: number }>; total: number; counted: boolean; shares: Array<{ name: string; points: number }> };
}) {
  if (!points.counted) return <p className="muted small">本稿件未采用或积分已取消，不计积分。</p>;
  return (
    <table className="data receipt">
      <caption className="sr-only">积分明细</caption>
      <tbody>
        {points.lines.map((l) => (
          <tr key={l.rule}>
            <td>{l.label}</td>
            <td className="num">{signedPoints(l.points)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">合计</th>
          <td className="num">
            <strong>{pointsText(points.total)}</strong>
          </td>
        </tr>
        {points.shares.length > 1 ? (
          <>
            <tr>
              <td colSpan={2}>署名 {points.shares.length} 人平分（精确到 0.01，合计等于稿件积分）</td>
            </tr>
            {points.shares.map((share, i) => (
              <tr key={i} className="receipt-share">
                <td>{share.name}</td>
                <td className="num">{pointsText(share.points)}</td>
              </tr>
            ))}
          </>
        ) : null}
      </tfoot>
    </table>
  );
}
