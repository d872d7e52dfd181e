// A 简报 as a Word document in the layout county bulletins use: the red 报头 (the bulletin's name
// large in red, "第N期" centred, then the 编印单位 on the left and the date on the right above a
// red rule), the 编者按, each item with its title (bold, centred), its source unit and its
// paragraphs, and at the end the distribution block between two rules (报 / 送 / 发 and the
// 印发 line). The same bulletin gives the same bytes: the core properties and every zip entry
// carry one instant (the publishing instant), as the notices do.
import { AlignmentType, BorderStyle, Document, LineRuleType, Packer, Paragraph, TabStopType } from "docx";
import { dateText, distributionLines, printedLine, type BulletinFields } from "~/domain/bulletins";
import { paragraphsOf } from "~/domain/notice-document";
import { A4, blank, CHAR, coreProperties, DOCUMENT_RED, exactLine, font, FONTS, mm, run, SIZE } from "~/models/docx-kit.server";
import { stampZipEntries } from "~/models/notice-docx.server";

export interface BulletinDocument extends BulletinFields {
  items: Array<{ title: string; unitName: string; body: string }>;
  /** The instant the file is stamped with (the publishing instant; a draft's last change for a preview). */
  stampedAt: string;
}

const MARGIN = { top: mm(37), bottom: mm(35), left: mm(28), right: mm(26), header: mm(15), footer: mm(15) };
const TEXT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
/** The 报头's red (as the notices' 版头). */
export const BULLETIN_RED = DOCUMENT_RED;

function masthead(doc: BulletinDocument): Paragraph[] {
  const chars = Math.max(1, [...doc.name].length);
  // As large as fits one line, at most 60 pt.
  const halfPoints = Math.max(SIZE.erhao, Math.min(120, Math.floor(TEXT_WIDTH / chars / 10)));
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: halfPoints * 10 + 200, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
      children: [run(doc.name, { font: FONTS.title, size: halfPoints, bold: true, color: BULLETIN_RED })],
    }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: exactLine(), children: [run(`第${doc.number}期`)] }),
    blank(),
    new Paragraph({
      spacing: exactLine(),
      tabStops: [{ type: TabStopType.RIGHT, position: TEXT_WIDTH }],
      border: { bottom: { style: BorderStyle.THICK, size: 18, color: BULLETIN_RED, space: 6 } },
      children: [run(doc.editorUnit, { size: SIZE.sihao }), run(`\t${dateText(doc.issueDate)}`, { size: SIZE.sihao })],
    }),
    blank(),
  ];
}

function bodyParagraph(text: string) {
  return new Paragraph({ alignment: AlignmentType.JUSTIFIED, spacing: exactLine(), indent: { firstLine: 2 * CHAR }, children: [run(text)] });
}

function content(doc: BulletinDocument): Paragraph[] {
  const out: Paragraph[] = [];
  const note = paragraphsOf(doc.editorNote);
  note.forEach((text, i) =>
    out.push(
      new Paragraph({
        alignment: AlignmentType.JUSTIFIED,
        spacing: exactLine(),
        indent: { firstLine: 2 * CHAR },
        children: i === 0 ? [run("编者按：", { font: FONTS.heading, bold: true }), run(text, { font: FONTS.kai })] : [run(text, { font: FONTS.kai })],
      }),
    ),
  );
  if (note.length) out.push(blank());
  for (const item of doc.items) {
    out.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { line: 640, lineRule: LineRuleType.EXACT, before: 120, after: 0 },
        keepNext: true,
        children: [run(item.title, { font: FONTS.title, size: SIZE.xiaoer, bold: true })],
      }),
      new Paragraph({ alignment: AlignmentType.CENTER, spacing: exactLine(), keepNext: true, children: [run(`（${item.unitName}）`, { font: FONTS.kai })] }),
      ...paragraphsOf(item.body).map(bodyParagraph),
      blank(),
    );
  }
  return out;
}

function distribution(doc: BulletinDocument): Paragraph[] {
  const rule = { style: BorderStyle.SINGLE, size: 8, color: "000000", space: 4 };
  const lines = distributionLines(doc);
  const last = new Paragraph({
    spacing: exactLine(),
    border: { bottom: rule, ...(lines.length === 0 ? { top: rule } : {}) },
    children: [run(printedLine(doc.editorUnit, doc.issueDate), { size: SIZE.sihao })],
  });
  return [
    blank(),
    ...lines.map(
      (text, i) =>
        new Paragraph({
          spacing: exactLine(),
          indent: { left: textIndent(text), hanging: textIndent(text) },
          border: i === 0 ? { top: rule } : undefined,
          children: [run(text, { size: SIZE.sihao })],
        }),
    ),
    last,
  ];
}

/** "报：" hangs: continuation lines start under the first name. */
const textIndent = (_text: string) => 2 * 280;


/** The .docx bytes of a bulletin. */
export async function bulletinDocx(doc: BulletinDocument): Promise<Buffer> {
  const at = new Date(doc.stampedAt);
  const file = new Document({
    creator: doc.editorUnit,
    title: `${doc.name} 第${doc.number}期`,
    styles: { default: { document: { run: { font: font(FONTS.body), size: SIZE.sanhao }, paragraph: { spacing: exactLine() } } } },
    sections: [
      {
        properties: { page: { size: A4, margin: MARGIN } },
        children: [...masthead(doc), ...content(doc), ...distribution(doc)],
      },
    ],
  });
  const packed = await Packer.toBuffer(file, false, [{ path: "docProps/core.xml", data: coreProperties(at, { title: `${doc.name} 第${doc.number}期`, creator: doc.editorUnit }) }]);
  return stampZipEntries(packed, at);
}
