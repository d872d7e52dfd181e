// The demo county's 简报: for each closed month, which of the month's adopted items the bureau's
// office puts in that month's issue (4–8, 优 first, at most two from one unit), which of them it
// rewrites for the bulletin (a tighter title, the body cut to its first paragraphs; the school's
// original stays as it is), and the issue's 编者按 and distribution. Pure planning from its own
// seeded stream; the issues are made and published through the product's own code
// (app/models/demo-bulletins.server.ts), which also records the pickups.
import type { GradeCode } from "../../app/domain/catalog";
import { monthLabel } from "../../app/domain/time";
import { Random } from "./random";

export const DEMO_BULLETIN_SEED = 20261103;

export interface BulletinCandidate {
  id: number;
  unitId: number;
  title: string;
  body: string;
  grade: GradeCode | null;
}

export interface DemoBulletinPlan {
  itemIds: number[];
  /** The bulletin's own text of the items the office rewrote. */
  edits: Array<{ itemId: number; title: string; body: string }>;
  editorNote: string;
}

export const DEMO_DISTRIBUTION = {
  reportTo: "市教育局办公室，县委、县政府主要领导及分管领导",
  sendTo: "县委办、县政府办，县人大教科文卫工委、县政协教科文卫委",
  issueTo: "各乡镇中心学校，县直各学校、幼儿园，局机关各股室",
} as const;

const NOTES = [
  "各校认真落实本月工作部署，涌现出一批好做法、好经验。现将部分学校的做法编发，供各单位学习借鉴。",
  "本期集中反映各校在立德树人、安全管理和教学改革方面的新举措，请各单位结合实际，认真学习借鉴。",
  "现将各单位报送的优秀信息择要编发。希望各校进一步提高信息报送质量，及时反映工作亮点。",
];

const GRADE_ORDER: Record<string, number> = { excellent: 0, good: 1, fair: 2 };

/** A tighter bulletin version of an item: the title without a trailing flourish, the body cut to two paragraphs. */
export function rewriteForBulletin(title: string, body: string): { title: string; body: string } {
  const paragraphs = body.split(/\n+/).map((p) => p.trim()).filter(Boolean);
  const shortBody = paragraphs.length > 2 ? paragraphs.slice(0, 2).join("\n") : paragraphs.join("\n");
  const newTitle = title.includes("开展") && !title.includes("扎实开展") ? title.replace("开展", "扎实开展") : `${title}（摘编）`;
  return { title: newTitle, body: shortBody === body.trim() ? `${shortBody}（本刊有删节）` : shortBody };
}

/** The month's issue, or null when the month has fewer than 4 adopted items. */
export function planMonthBulletin(month: string, candidates: readonly BulletinCandidate[]): DemoBulletinPlan | null {
  if (candidates.length < 4) return null;
  const random = new Random(DEMO_BULLETIN_SEED + Number(month.replace("-", "")));
  const want = random.int(4, 8);
  // 优 first; within a grade a random order, so every unit has its chance.
  const shuffled = random.sample(candidates, candidates.length);
  const ordered = [...shuffled].sort((a, b) => (GRADE_ORDER[a.grade ?? "fair"] ?? 3) - (GRADE_ORDER[b.grade ?? "fair"] ?? 3));
  const perUnit = new Map<number, number>();
  const chosen: BulletinCandidate[] = [];
  for (const c of ordered) {
    if (chosen.length >= want) break;
    if ((perUnit.get(c.unitId) ?? 0) >= 2) continue;
    perUnit.set(c.unitId, (perUnit.get(c.unitId) ?? 0) + 1);
    chosen.push(c);
  }
  if (chosen.length < 4) return null;
  const editCount = random.int(1, 2);
  const edits = random.sample(chosen, editCount).map((c) => ({ itemId: c.id, ...rewriteForBulletin(c.title, c.body) }));
  return {
    itemIds: chosen.map((c) => c.id),
    edits,
    editorNote: `${monthLabel(month)}，${random.pick(NOTES)}`,
  };
}
