// A notice as the web shows it (the same outline and tables the Word document is made from), and
// the school's own standing in it.
import { Fragment } from "react";
import { Link } from "~/components/link";
import { ANNEX_ROWS_SHOWN, LIST_ENTRIES_SHOWN } from "~/domain/notice-pages";
import { attachedTables, chineseDate, noticeOutline, standingOf, titleLines, type NoticeBody, type NoticeDocument } from "~/domain/notices";

function Lines({ text }: { text: string }) {
  const lines = text.split("\n");
  if (lines.length === 1) return <>{text}</>;
  return (
    <>
      {lines.map((l, i) => (
        <span key={i} className={`cell-line cell-line--${i === 0 ? "a" : "b"}`}>
          {l}
        </span>
      ))}
    </>
  );
}

/** The notice itself: 文号, title, 主送, body, 附件 line, 落款 and date, then each attached table. */
export function BulletinDocument({ doc, ownUnitId, annexTotals = null }: {
  doc: NoticeDocument;
  ownUnitId: number | null;
  /** Each unit table's rows in all, when the page shows only its first rows (noticeShown). */
  annexTotals?: readonly number[] | null;
}) {
  const { header, body } = doc;
  const tables = attachedTables(body);
  const published = !!header.publishedAt;
  return (
    <>
      <article className="bulletin-doc" aria-labelledby="bulletin-title">
        <p className="bulletin-doc__letterhead">{header.letterhead ?? header.issuer}</p>
        <p className="bulletin-doc__number">{header.docNumber || <span className="muted">（文号待定）</span>}</p>
        <h1 id="bulletin-title" className="bulletin-doc__title">
          {titleLines(header.title).map((line) => (
            <span key={line}>{line}</span>
          ))}
        </h1>
        <p className="bulletin-doc__to">{header.addressee}：</p>
        {noticeOutline(doc).map((block, i) => {
          if (block.type === "heading") {
            return (
              <h2 key={i} className="bulletin-doc__heading">
                {block.text}
              </h2>
            );
          }
          if (block.type === "paragraph") return <p key={i}>{block.text}</p>;
          return (
            <div key={i} className={`bulletin-entries bulletin-entries--${block.list}`}>
              {block.groups.map((g) => (
                <Fragment key={g.label}>
                  {g.label ? <p className="bulletin-entries__label">{g.label}：</p> : null}
                  <ul>
                    {g.entries.map((e) => {
                      const own = ownUnitId !== null && e.unitId === ownUnitId;
                      return (
                        <li key={`${e.unitId ?? ""}${e.name}`} className={own ? "is-own" : undefined}>
                          <strong>{e.name}</strong>
                          {own ? <span className="own-marker">本单位</span> : null}
                          {e.note ? <span className="bulletin-entries__note">（{e.note}）</span> : null}
                        </li>
                      );
                    })}
                  </ul>
                </Fragment>
              ))}
              {block.cut ? (
                <p className="muted small bulletin-entries__cut">
                  {block.list === "outstanding"
                    ? `名单共 ${block.cut.total} 人，这里列出前 ${LIST_ENTRIES_SHOWN} 人`
                    : `名单共 ${block.cut.total} 个单位，这里列出每类前 ${LIST_ENTRIES_SHOWN} 个${block.cut.ownAdded ? "和本单位" : ""}`}
                  {published ? "；完整名单载于 Word 文件。" : "；完整名单签发前可在页首下载 Excel 核对，签发后的 Word 文件也载有全部单位。"}
                </p>
              ) : null}
            </div>
          );
        })}
        {tables.length > 0 ? (
          <div className="bulletin-doc__annexes">
            <span>附件：</span>
            <ol>
              {tables.map((t, i) => (
                <li key={t.title}>
                  <a href={`#annex-${i + 1}`}>{t.title}</a>
                </li>
              ))}
            </ol>
          </div>
        ) : null}
        <div className="bulletin-doc__sign">
          <p>{header.issuer}</p>
          <p>{published ? chineseDate(header.publishedAt!) : <span className="muted">（签发日期）</span>}</p>
        </div>
      </article>
      {tables.map((t, i) => (
        <section
          key={t.title}
          id={`annex-${i + 1}`}
          className={`bulletin-annex${t.landscape ? " bulletin-annex--wide" : ""}`}
          aria-labelledby={`annex-${i + 1}-title`}
        >
          <p className="bulletin-annex__label">附件{i + 1}</p>
          <h2 id={`annex-${i + 1}-title`}>{t.title}</h2>
          <div className="table-wrap">
            <table className={`bulletin-table ${t.landscape ? "bulletin-table--wide" : "bulletin-table--stack"}`}>
              <thead>
                <tr>
                  {t.columns.map((c) => (
                    <th key={c.header} scope="col" className={c.numeric ? "num" : undefined}>
                      <Lines text={c.header} />
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {t.rows.map((r) => {
                  const own = ownUnitId !== null && r.unitId === ownUnitId;
                  return (
                    <tr key={r.unitId} className={own ? "is-own" : undefined}>
                      {r.cells.map((cell, ci) => {
                        const label = t.columns[ci].header.replace("\n", "");
                        return ci === 1 ? (
                          <th key={ci} scope="row" data-label={label}>
                            <span className="bulletin-table__rank" aria-hidden="true">
                              {r.cells[0]}
                            </span>
                            {cell}
                            {own ? <span className="own-marker">本单位</span> : null}
                          </th>
                        ) : (
                          <td
                            key={ci}
                            data-label={label}
                            className={
                              [
                                t.columns[ci].numeric ? "num" : "",
                                ci === 0 ? "bulletin-table__rank-cell" : "",
                                // A two-line header (a channel's 报送/采用) is a wide label on a phone card.
                                t.columns[ci].header.includes("\n") ? "bulletin-table__pair" : "",
                              ].filter(Boolean).join(" ") || undefined
                            }
                          >
                            <Lines text={cell} />
                          </td>
                        );
                      })}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {annexTotals && i < annexTotals.length && annexTotals[i] > t.rows.length ? (
            <p className="callout bulletin-annex__cut">
              此表共 {annexTotals[i]} 个单位，这里列出排在最前的 {ANNEX_ROWS_SHOWN} 个
              {t.rows.length > ANNEX_ROWS_SHOWN ? "和本单位" : ""}。逐页查看、查找单位和下载全部单位的 Excel 表格，请到
              <Link to={`/rankings/${doc.body.period}`}>排行榜</Link>
              {published ? "；签发的 Word 文件也载有全表" : ""}。
            </p>
          ) : null}
          <p className="small muted bulletin-annex__note">注：{t.note}</p>
        </section>
      ))}
    </>
  );
}

/** A school's place in the notice, said plainly at the top of the page. */
export function OwnStanding({ body, unitId, unitName }: { body: NoticeBody; unitId: number; unitName: string }) {
  const { commended, criticised } = standingOf(body, unitId);
  const row = body.tables.flatMap((t) => t.rows as Array<{ unitId: number; rank: number; tied: boolean; kindName: string }>).find((r) => r.unitId === unitId);
  return (
    <section className={`card bulletin-own${criticised ? " bulletin-own--criticised" : commended ? " bulletin-own--commended" : ""}`} aria-labelledby="own-standing">
      <h2 id="own-standing">本单位（{unitName}）在本期通报中</h2>
      {commended ? (
        <p>
          <strong>受到表扬</strong>：{commended.reasons.join("；")}
        </p>
      ) : null}
      {criticised ? (
        <p>
          <strong>被通报批评</strong>，原因：{criticised.reasons.join("；")}
        </p>
      ) : null}
      {!commended && !criticised ? <p>未列入表扬或通报批评名单。</p> : null}
      {row ? (
        <p className="small muted">
          {row.kindName}类别内第 {row.rank} 名{row.tied ? "（并列）" : ""}。
        </p>
      ) : null}
    </section>
  );
}
