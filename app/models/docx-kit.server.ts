// The pieces the product's Word documents (the notices, the 简报) are built from: the official
// fonts and sizes, A4 in twips, fixed-line spacing, text runs, and the core properties that
// carry one instant so that the same document gives the same bytes.
import { LineRuleType, Paragraph, TextRun } from "docx";

export const FONTS = {
  title: "方正小标宋简体",
  body: "仿宋_GB2312",
  kai: "楷体_GB2312",
  heading: "黑体",
  latin: "Times New Roman",
  pageNumber: "宋体",
} as const;

/** Half-points: 二号 22 pt, 小二 18 pt, 三号 16 pt, 四号 14 pt, 五号 10.5 pt, 小五 9 pt. */
export const SIZE = { erhao: 44, xiaoer: 36, sanhao: 32, sihao: 28, wuhao: 21, xiaowu: 18 } as const;
/** One 三号 character: 16 pt = 320 twips. Digits and Latin letters in Times New Roman take half. */
export const CHAR = 320;
export const LINE = 560; // 28 pt
/** Millimetres to twips, rounded (docx's own helper truncates: A4 would come out 1 twip short). */
export const mm = (n: number) => Math.round((n * 1440) / 25.4);
export const A4 = { width: 11906, height: 16838 };
/** The red of a 版头 / 报头. */
export const DOCUMENT_RED = "E60012";

export const font = (eastAsia: string) => ({ ascii: FONTS.latin, hAnsi: FONTS.latin, eastAsia, cs: FONTS.latin });

export function run(text: string, options: { font?: string; size?: number; bold?: boolean; color?: string } = {}) {
  return new TextRun({ text, font: font(options.font ?? FONTS.body), size: options.size ?? SIZE.sanhao, bold: options.bold, color: options.color });
}

export const exactLine = (line = LINE) => ({ line, lineRule: LineRuleType.EXACT, before: 0, after: 0 });

export const blank = () => new Paragraph({ spacing: exactLine(), children: [run("")] });

const xmlText = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** docProps/core.xml with the given instant instead of the time the bytes were made; a field left out is not written. */
export function coreProperties(
  at: Date,
  p: { title: string; subject?: string; creator: string; lastModifiedBy?: string },
): string {
  const when = `${at.toISOString().slice(0, 19)}Z`;
  return (
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ` +
    `xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>${xmlText(p.title)}</dc:title>` +
    (p.subject === undefined ? "" : `<dc:subject>${xmlText(p.subject)}</dc:subject>`) +
    `<dc:creator>${xmlText(p.creator)}</dc:creator>` +
    (p.lastModifiedBy === undefined ? "" : `<cp:lastModifiedBy>${xmlText(p.lastModifiedBy)}</cp:lastModifiedBy>`) +
    `<cp:revision>1</cp:revision>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${when}</dcterms:created>` +
    `<dcterms:modified xsi:type="dcterms:W3CDTF">${when}</dcterms:modified>` +
    `</cp:coreProperties>`
  );
}
