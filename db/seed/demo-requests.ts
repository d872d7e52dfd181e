// 约稿 in the demo county: 2–4 requests a month, each to 3–8 units, answered the ways real units
// answer — on time (an item of the topic's column that reached the bureau before the deadline), late
// (one that arrived after it), with an item the bureau did not adopt, declined with a reason, or
// not at all. Only the rows are written (requests, their units, declines, and the items' link); the
// outcomes and their points are the product's own computation in the rollup and at each close.
// Deterministic: its own seeded stream, and instants derived from the items and `now`.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../schema";
import { demoCloseAt } from "./demo-plan";
import { Random } from "./random";

const REQUEST_SEED = 14_0202;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Topics by the column an answering item is filed in, with the guidance a reviewer would write. */
const TOPICS: Record<string, Array<[string, string]>> = {
  党建工作: [["党建引领教育发展", "围绕支部活动、主题党日，写出具体做法和成效，配 1–2 张现场照片。"], ["“三会一课”落实情况", "写实不写虚，突出一线党员教师的作用。"]],
  作风建设: [["师德师风建设", "聚焦身边的好老师，讲清一件具体的事。"], ["教师作风纪律整顿", "写明学习、自查、整改的做法。"]],
  理念提升: [["课堂教学改革", "写一堂课、一个教研组的变化，少讲口号。"], ["教师培训成果", "培训之后课堂有什么不同，举例说明。"]],
  管理改革: [["“双减”落实情况", "作业管理、课后服务的具体做法和家长反映。"], ["课后服务提质", "服务项目、参与人数、学生收获。"]],
  养成教育: [["学生良好习惯养成", "从一个班、一项活动写起。"], ["劳动教育实践", "劳动课程、劳动基地、学生体会。"]],
  平安建设: [["防溺水安全教育", "家访、告家长书、“六不”宣传等做法，注意不出现学生正面清晰照片。"], ["校园安全隐患排查", "排查范围、发现的问题和整改情况。"]],
  政策解读: [["教育惠民政策宣传", "资助、营养改善等政策的宣传落实。"], ["义务教育招生政策", "招生入学政策的宣传解读。"]],
  典型引路: [["身边的好老师", "一位老师的一件事，写出细节。"], ["优秀班主任风采", "班级管理的好做法。"]],
  舆论引导: [["家校共育", "家长会、家访、家长学校的做法和反响。"], ["开学第一课", "活动内容与学生反响。"]],
  综合: [["校园文化活动", "艺术节、读书节、运动会等活动的亮点。"], ["教研活动开展情况", "教研主题、形式和收获。"]],
};

const DECLINE_REASONS = [
  "本单位本月未开展相关活动，暂无素材可写，下月补报。",
  "学校正在迎接办学督导评估，人手紧张，本次无法按时完成。",
  "负责该项工作的老师外出培训，材料尚未收集齐全。",
  "本园规模较小，未组织此项活动，无法撰写。",
];

type Trx = Kysely<Database> | Transaction<Database>;

interface Candidate {
  id: number;
  unit_id: number;
  status: string;
  submitted_at: string;
  category: string;
}

/**
 * Writes the county's 约稿 for every month that has items, up to `now`: requests of past months
 * with their answers, and this month's still open. Returns how many requests it wrote.
 */
export async function addDemoRequests(trx: Trx, now: Date): Promise<number> {
  const rng = new Random(REQUEST_SEED);
  const reviewer = await trx.selectFrom("accounts").select("id").where("username", "=", "reviewer").executeTakeFirstOrThrow();
  const units = await trx.selectFrom("units").select(["id", "code"]).where("active", "=", 1).orderBy("code").execute();
  const people = await trx.selectFrom("accounts").select(["id", "unit_id"]).where("role", "in", ["correspondent", "school_lead"]).where("active", "=", 1).orderBy("id").execute();
  const items: Candidate[] = await trx
    .selectFrom("items")
    .innerJoin("categories", "categories.id", "items.category_id")
    .select(["items.id", "items.unit_id", "items.status", "items.submitted_at", "categories.name as category"])
    .where("items.submitted_at", "is not", null)
    .where("items.status", "in", ["adopted", "rejected", "submitted"])
    .orderBy("items.id")
    .execute()
    .then((rows) => rows.map((r) => ({ ...r, submitted_at: r.submitted_at! })));
  const months = (await trx.selectFrom("items").select("report_month").distinct().where("report_month", "is not", null).orderBy("report_month").execute()).map((r) => r.report_month!);
  const linked = new Set<number>();
  const byUnit = new Map<number, Candidate[]>();
  for (const i of items) byUnit.set(i.unit_id, [...(byUnit.get(i.unit_id) ?? []), i]);
  const categories = Object.keys(TOPICS);
  let written = 0;

  for (const month of months) {
    const count = rng.int(2, 4);
    for (let n = 0; n < count; n++) {
      // Due at 17:00 Shanghai on a day between the 8th and the 26th; issued 6–10 days before.
      const day = rng.int(8, 26);
      const due = new Date(Date.parse(`${month}-${String(day).padStart(2, "0")}T17:00:00+08:00`));
      const created = new Date(due.getTime() - rng.int(6, 10) * DAY - rng.int(0, 8) * HOUR);
      const category = rng.pick(categories);
      const [topic, guidance] = rng.pick(TOPICS[category]);
      if (created >= now) continue;
      const addressed = rng.sample(units, rng.int(3, 8));
      const { id } = await trx
        .insertInto("requests")
        .values({
          topic, guidance, due_at: due.toISOString(), month, created_by: reviewer.id, created_at: created.toISOString(),
          cancelled_at: null, cancelled_by: null, settled_at: due < now ? due.toISOString() : null,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      written++;
      for (const unit of addressed) {
        let declinedAt: string | null = null;
        let declinedBy: number | null = null;
        let reason = "";
        // How this unit answers; an answer without a fitting item becomes no answer (未报送).
        const plan = rng.weighted([["on_time", 5], ["late", 2], ["rejected", 1], ["declined", 1], ["none", 1.5]] as const);
        const mine = (byUnit.get(unit.id) ?? []).filter((i) => !linked.has(i.id));
        const window = (from: number, to: number) => mine.filter((i) => Date.parse(i.submitted_at) > from && Date.parse(i.submitted_at) <= to);
        const fits = (list: Candidate[]) => [...list.filter((i) => i.category === category), ...list.filter((i) => i.category !== category)];
        let chosen: Candidate | undefined;
        if (plan === "on_time") chosen = fits(window(created.getTime(), due.getTime()).filter((i) => i.status !== "rejected"))[0];
        else if (plan === "rejected") chosen = window(created.getTime(), due.getTime()).find((i) => i.status === "rejected");
        // A late answer within ten days, and before the month's close (which settles the request as it stands then).
        else if (plan === "late" && due.getTime() + 10 * DAY < now.getTime()) chosen = fits(window(due.getTime(), Math.min(due.getTime() + 10 * DAY, demoCloseAt(month, now) ?? Infinity)))[0];
        else if (plan === "declined" && due < now) {
          declinedAt = new Date(created.getTime() + rng.int(1, 3) * DAY).toISOString();
          declinedBy = people.find((p) => p.unit_id === unit.id)?.id ?? null;
          reason = rng.pick(DECLINE_REASONS);
          if (declinedBy === null) declinedAt = null;
        }
        if (chosen) {
          linked.add(chosen.id);
          await trx.updateTable("items").set({ request_id: id }).where("id", "=", chosen.id).execute();
        }
        await trx
          .insertInto("request_units")
          .values({
            request_id: id, unit_id: unit.id, declined_at: declinedAt, declined_by: declinedBy, decline_reason: reason,
            reminded_at: due < now ? new Date(due.getTime() - 20 * HOUR).toISOString() : null,
          })
          .execute();
      }
    }
  }
  return written;
}
