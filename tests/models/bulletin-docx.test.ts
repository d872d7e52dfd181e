// The Word document of a 简报: the 报头 in red (name, 期号, 编印单位 and date above a red rule), the
// 编者按, the items with their titles and units, the distribution block; the same bytes whenever made.
import { describe, expect, it } from "vitest";
import { BULLETIN_RED, bulletinDocx, type BulletinDocument } from "~/models/bulletin-docx.server";
import { expectSameBytesWhenever, unzip } from "../support/docx";

const DOC: BulletinDocument = {
  name: "临溪县教育信息", number: 9, editorUnit: "临溪县教育和体育局办公室", issueDate: "2026-11-03",
  editorNote: "十月，各校围绕安全教育开展了扎实工作，现将部分做法编发，供学习借鉴。",
  reportTo: "市教育局办公室", sendTo: "县委办、县政府办", issueTo: "各乡镇中心学校，县直各学校、幼儿园",
  items: [
    { title: "城关镇中心学校开展防溺水专题教育", unitName: "城关镇中心学校", body: "第一段正文。\n第二段正文。" },
    { title: "县实验小学举办秋季运动会", unitName: "县实验小学", body: "运动会正文。" },
  ],
  stampedAt: "2026-11-03T02:00:00.000Z",
};

const documentXml = async (doc = DOC) => unzip(await bulletinDocx(doc)).get("word/document.xml")!.text;
const texts = (xml: string) => [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((m) => m[1]).join("|");

describe("the 简报's Word document", () => {
  it("is the same bytes whenever it is made", async () => {
    const first = await expectSameBytesWhenever(() => bulletinDocx(DOC));
    // and another bulletin is other bytes
    expect((await bulletinDocx({ ...DOC, number: 10 })).equals(first)).toBe(false);
  });

  it("opens with the red 报头: the name in red, 第N期, the 编印单位 and the date above a red rule", async () => {
    const xml = await documentXml();
    const nameRun = /<w:r>(?:(?!<\/w:r>).)*临溪县教育信息<\/w:t><\/w:r>/s.exec(xml)?.[0] ?? "";
    expect(nameRun).toContain(`<w:color w:val="${BULLETIN_RED}"/>`);
    const t = texts(xml);
    expect(t.indexOf("临溪县教育信息")).toBeLessThan(t.indexOf("第9期"));
    expect(t.indexOf("第9期")).toBeLessThan(t.indexOf("临溪县教育和体育局办公室"));
    expect(t).toContain("2026年11月3日");
    // The rule under the 编印单位 line is red.
    expect(xml).toMatch(new RegExp(`<w:bottom w:val="thick" w:color="${BULLETIN_RED}"`));
  });

  it("carries the 编者按, each item's title, unit and paragraphs, and the distribution block at the end", async () => {
    const t = texts(await documentXml());
    for (const s of ["编者按：", DOC.editorNote, "城关镇中心学校开展防溺水专题教育", "（城关镇中心学校）", "第一段正文。", "第二段正文。", "县实验小学举办秋季运动会", "运动会正文。"]) {
      expect(t).toContain(s);
    }
    const order = ["编者按：", "城关镇中心学校开展防溺水专题教育", "县实验小学举办秋季运动会", "报：市教育局办公室", "送：县委办、县政府办", "发：各乡镇中心学校，县直各学校、幼儿园", "临溪县教育和体育局办公室　　2026年11月3日印发"];
    const at = order.map((s) => t.lastIndexOf(s));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it("leaves out an empty 编者按 and an empty 送 line", async () => {
    const t = texts(await documentXml({ ...DOC, editorNote: "", sendTo: "" }));
    expect(t).not.toContain("编者按");
    expect(t).not.toContain("送：");
    expect(t).toContain("报：市教育局办公室");
  });
});
