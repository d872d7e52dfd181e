// A 简报 as it reads: the red 报头, 编者按, items with their titles and units, the distribution
// block; and the diff of a bulletin text against the school's original (<ins>/<del>).
import { Fragment } from "react";
import { dateText, distributionLines, printedLine, type BulletinFields, type DiffPart } from "~/domain/bulletins";
import { paragraphsOf } from "~/domain/notice-document";

export interface BulletinSheetData extends BulletinFields {
  items: Array<{ itemId: number; title: string; body: string; unitName: string }>;
}

export function BulletinSheet({ b }: { b: BulletinSheetData }) {
  const note = paragraphsOf(b.editorNote);
  const lines = distributionLines(b);
  return (
    <article className="card bulletin-issue" aria-label={`${b.name}第${b.number}期`}>
      <header className="bulletin-masthead">
        <p className="bulletin-name">{b.name}</p>
        <p className="bulletin-number">第{b.number}期</p>
        <p className="bulletin-line">
          <span>{b.editorUnit}</span>
          <span>{dateText(b.issueDate)}</span>
        </p>
      </header>
      {note.length ? (
        <section className="bulletin-note" aria-label="编者按">
          {note.map((p, i) => (
            <p key={i} className="bulletin-para">
              {i === 0 ? <strong>编者按：</strong> : null}
              {p}
            </p>
          ))}
        </section>
      ) : null}
      {b.items.map((item) => (
        <section key={item.itemId} className="bulletin-article">
          <h2>{item.title}</h2>
          <p className="bulletin-source">（{item.unitName}）</p>
          {paragraphsOf(item.body).map((p, i) => (
            <p key={i} className="bulletin-para">
              {p}
            </p>
          ))}
        </section>
      ))}
      <footer className="bulletin-distribution">
        {lines.map((l) => (
          <p key={l}>{l}</p>
        ))}
        <p>{printedLine(b.editorUnit, b.issueDate)}</p>
      </footer>
    </article>
  );
}

/** The bulletin text against the original: inserted text in <ins>, removed text in <del>. */
export function DiffText({ parts, label }: { parts: DiffPart[]; label: string }) {
  return (
    <div className="bulletin-diff" aria-label={label}>
      {parts.map((p, i) => (
        <Fragment key={i}>{p.kind === "ins" ? <ins>{p.text}</ins> : p.kind === "del" ? <del>{p.text}</del> : p.text}</Fragment>
      ))}
    </div>
  );
}
