// A notice as a Word document laid out after GB/T 9704《党政机关公文格式》: A4, margins 37/35/28/26 mm,
// the red 版头 (发文机关标志 and separator line), 文号 centred, the title in 小标宋 二号, 主送 flush left, the body in 仿宋 三号 at a fixed 28 pt line,
// headings in 黑体, the 附件 line, 落款 and date placed as the standard says, page numbers "— 1 —"
// outside on odd and even pages, and each attached table on a page of its own with its header
// row repeated. The same input gives the same bytes: the core properties carry the publishing
// instant and every zip entry is stamped with it (through JSZip), so a stored notice can be rebuilt and checked.
import JSZip from "jszip";
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  LineRuleType,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableLayoutType,
  TableRow,
  TextRun,
  VerticalAlignTable,
  WidthType,
  type ISectionOptions,
} from "docx";
import {
  attachedTables,
  attachmentTitles,
  chineseDate,
  entryText,
  noticeOutline,
  titleLines,
  type AttachedTable,
  type NoticeDocument,
} from "~/domain/notices";
import { A4, blank, CHAR, coreProperties, DOCUMENT_RED, exactLine, font, FONTS, mm, run, SIZE } from "~/models/docx-kit.server";

const MARGIN = {
  top: mm(37),
  bottom: mm(35),
  left: mm(28),
  right: mm(26),
  header: mm(15),
  footer: mm(28) - 560,
};
const TEXT_WIDTH = A4.width - MARGIN.left - MARGIN.right;
const LANDSCAPE_MARGIN = { ...MARGIN, top: mm(28), bottom: mm(26) };
const LANDSCAPE_TEXT_WIDTH = A4.height - LANDSCAPE_MARGIN.left - LANDSCAPE_MARGIN.right;

function body(text: string, indentChars = 2) {
  return new Paragraph({
    alignment: AlignmentType.JUSTIFIED,
    spacing: exactLine(),
    indent: { firstLine: indentChars * CHAR },
    children: [run(text)],
  });
}

/** Width in twips of a line of 三号 text: full-width characters one em, ASCII half. */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += ch.charCodeAt(0) < 0x2e80 ? CHAR / 2 : CHAR;
  return w;
}

/**
 * 落款 without a seal (GB/T 9704 7.3.5.2): the issuer right-spaced two characters, the date on the
 * next line starting two characters right of the issuer's first character; a date longer than
 * that is right-spaced two characters and the issuer moves left to keep the offset.
 */
function signature(issuer: string, date: string): Paragraph[] {
  const issuerW = textWidth(issuer);
  const dateW = textWidth(date);
  let issuerLeft = TEXT_WIDTH - 2 * CHAR - issuerW;
  let dateLeft = issuerLeft + 2 * CHAR;
  if (dateLeft + dateW > TEXT_WIDTH - 2 * CHAR) {
    dateLeft = TEXT_WIDTH - 2 * CHAR - dateW;
    issuerLeft = dateLeft - 2 * CHAR;
  }
  const line = (text: string, left: number) =>
    new Paragraph({ spacing: exactLine(), indent: { left: Math.max(0, Math.round(left)) }, children: [run(text)] });
  return [line(issuer, issuerLeft), line(date, dateLeft)];
}

function cellParagraphs(text: string, size: number, bold: boolean, align: (typeof AlignmentType)[keyof typeof AlignmentType]) {
  return text.split("\n").map(
    (line) =>
      new Paragraph({
        alignment: align,
        spacing: { line: 240, lineRule: LineRuleType.AUTO, before: 0, after: 0 },
        children: [run(line, { size, bold, font: bold ? FONTS.heading : FONTS.body })],
      }),
  );
}

const thin = { style: BorderStyle.SINGLE, size: 4, color: "000000" };

function table(t: AttachedTable, width: number): Table {
  const size = t.landscape ? SIZE.xiaowu : SIZE.wuhao;
  // Each narrow column as wide as its longest line (header included); the unit column takes the rest.
  const em = size * 10;
  const lineWidth = (text: string) => [...text].reduce((w, ch) => w + (ch.charCodeAt(0) < 0x2e80 ? em / 2 : em), 0);
  const longest = (i: number) => Math.max(...[t.columns[i].header, ...t.rows.map((r) => r.cells[i] ?? "")].flatMap((x) => x.split("\n")).map(lineWidth));
  const narrow = t.columns.map((c, i) => (c.wide ? 0 : Math.max(2 * em, longest(i)) + 200));
  const unitWidth = Math.max(width - narrow.reduce((s, w) => s + w, 0), 6 * em);
  const scale = Math.min(1, width / (unitWidth + narrow.reduce((s, w) => s + w, 0)));
  const widths = t.columns.map((c, i) => Math.floor((c.wide ? unitWidth : narrow[i]) * scale));
  const cell = (text: string, i: number, header: boolean) =>
    new TableCell({
      width: { size: widths[i], type: WidthType.DXA },
      verticalAlign: VerticalAlignTable.CENTER,
      margins: { top: 40, bottom: 40, left: 60, right: 60 },
      children: cellParagraphs(text, size, header, header || !t.columns[i].wide ? AlignmentType.CENTER : AlignmentType.LEFT),
    });
  return new Table({
    width: { size: widths.reduce((s, w) => s + w, 0), type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    alignment: AlignmentType.CENTER,
    borders: { top: thin, bottom: thin, left: thin, right: thin, insideHorizontal: thin, insideVertical: thin },
    rows: [
      new TableRow({ tableHeader: true, cantSplit: true, children: t.columns.map((c, i) => cell(c.header, i, true)) }),
      ...t.rows.map((r) => new TableRow({ cantSplit: true, children: r.cells.map((text, i) => cell(text, i, false)) })),
    ],
  });
}

function pageNumberFooter(side: "odd" | "even") {
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === "odd" ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === "odd" ? { right: SIZE.sihao * 10 } : { left: SIZE.sihao * 10 },
        children: [
          new TextRun({ children: ["— ", PageNumber.CURRENT, " —"], font: font(FONTS.pageNumber), size: SIZE.sihao }),
        ],
      }),
    ],
  });
}

const footers = { default: pageNumberFooter("odd"), even: pageNumberFooter("even") };

/** GB/T 9704 red: the 发文机关标志 and the separator line. */
const RED = DOCUMENT_RED;

/**
 * The 版头 (GB/T 9704 7.2): the 发文机关标志 centred in red 小标宋, as large as fits one line of the
 * text width (at most 初号-like 42 pt), two lines above the 文号; under the 文号 the red separator
 * line across the text width, 4 mm below it.
 */
function letterhead(text: string, docNumber: string): Paragraph[] {
  const chars = Math.max(1, [...text].length);
  const halfPoints = Math.max(SIZE.erhao, Math.min(84, Math.floor(TEXT_WIDTH / chars / 10)));
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: halfPoints * 10 + 240, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
      children: [new TextRun({ text, font: font(FONTS.title), size: halfPoints, color: RED })],
    }),
    blank(),
    blank(),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: exactLine(),
      border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 11 } },
      children: [run(docNumber)],
    }),
  ];
}

function mainSection(doc: NoticeDocument): ISectionOptions {
  const { header } = doc;
  const children: Array<Paragraph | Table> = [];
  children.push(
    ...letterhead(header.letterhead ?? header.issuer, header.docNumber),
    blank(),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: exactLine(SIZE.erhao * 10 + 260),
      children: titleLines(header.title).map(
        (line, i) => new TextRun({ text: line, break: i > 0 ? 1 : undefined, font: font(FONTS.title), size: SIZE.erhao }),
      ),
    }),
    blank(),
    new Paragraph({ spacing: exactLine(), children: [run(`${header.addressee}：`)] }),
  );
  for (const block of noticeOutline(doc)) {
    if (block.type === "paragraph") children.push(body(block.text));
    else if (block.type === "heading") {
      children.push(
        new Paragraph({
          spacing: exactLine(),
          indent: { firstLine: 2 * CHAR },
          keepNext: true,
          children: [run(block.text, { font: FONTS.heading })],
        }),
      );
    } else {
      for (const g of block.groups) {
        const names = g.entries.map(entryText).join("、");
        children.push(body(g.label ? `${g.label}：${names}。` : `${names}。`));
      }
    }
  }
  const titles = attachmentTitles(doc.body);
  if (titles.length) {
    children.push(blank());
    const hang = 2 * CHAR + textWidth("附件：");
    titles.forEach((t, i) =>
      children.push(
        new Paragraph({
          alignment: AlignmentType.LEFT,
          spacing: exactLine(),
          indent: { left: hang + textWidth("1. "), hanging: (i === 0 ? textWidth("附件：") : 0) + textWidth("1. ") },
          children: [run(i === 0 ? `附件：${t}` : t)],
        }),
      ),
    );
  }
  children.push(blank(), blank(), ...signature(header.issuer, chineseDate(header.publishedAt ?? new Date(0))));
  return {
    properties: { page: { size: { ...A4, orientation: PageOrientation.PORTRAIT }, margin: MARGIN } },
    footers,
    children,
  };
}

function attachmentSection(t: AttachedTable, index: number): ISectionOptions {
  const width = t.landscape ? LANDSCAPE_TEXT_WIDTH : TEXT_WIDTH;
  return {
    properties: {
      page: {
        size: { ...A4, orientation: t.landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT },
        margin: t.landscape ? LANDSCAPE_MARGIN : MARGIN,
      },
    },
    footers,
    children: [
      new Paragraph({ spacing: exactLine(), children: [run(`附件${index + 1}`, { font: FONTS.heading })] }),
      blank(),
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { line: 640, lineRule: LineRuleType.EXACT, before: 0, after: 200 },
        children: [run(t.title, { font: FONTS.title, size: SIZE.xiaoer })],
      }),
      table(t, width),
      new Paragraph({
        spacing: { line: 320, lineRule: LineRuleType.AT_LEAST, before: 120, after: 0 },
        children: [run(`注：${t.note}`, { size: SIZE.wuhao })],
      }),
    ],
  };
}


/**
 * Rewrites a zip archive with every entry stamped with one instant, Asia/Shanghai wall-clock time
 * (the zip writer inside `docx` uses the clock and the machine's time zone). JSZip writes an
 * entry's date as DOS time from the date's UTC fields, so the instant is shifted by Shanghai's
 * offset first.
 */
export async function stampZipEntries(zip: Uint8Array, at: Date): Promise<Buffer> {
  const archive = await JSZip.loadAsync(zip);
  const shanghaiWallClock = new Date(at.getTime() + 8 * 3_600_000);
  archive.forEach((_path, entry) => {
    entry.date = shanghaiWallClock;
  });
  return archive.generateAsync({ type: "nodebuffer", compression: "DEFLATE", platform: "DOS" });
}

/** The .docx of a published notice (its header carries publishedAt). */
export async function noticeDocx(doc: NoticeDocument): Promise<Buffer> {
  if (!doc.header.publishedAt) throw new Error("only a published notice has a Word document");
  const at = new Date(doc.header.publishedAt);
  const file = new Document({
    creator: doc.header.issuer,
    title: doc.header.title,
    subject: doc.header.docNumber,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: font(FONTS.body), size: SIZE.sanhao },
          paragraph: { spacing: exactLine() },
        },
      },
    },
    sections: [mainSection(doc), ...attachedTables(doc.body).map(attachmentSection)],
  });
  const packed = await Packer.toBuffer(file, false, [{ path: "docProps/core.xml", data: coreProperties(at, { title: doc.header.title, subject: doc.header.docNumber, creator: doc.header.issuer, lastModifiedBy: doc.header.signerName ?? "" }) }]);
  return stampZipEntries(packed, at);
}
