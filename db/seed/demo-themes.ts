// The demo county's 报送要点: 2–4 themes for every month of its history (and the next month, published
// ahead), as a county bureau's office would set them through the year, and a deterministic share
// of the items whose titles fit a theme tagged with it. Only items counting in the theme's month
// are tagged (the rule the item form applies, app/domain/themes.ts taggableThemes); items whose
// titles fit no theme stay untagged. Runs inside the seed's transaction, before any month is
// closed, so the closes freeze the tags.
import type { Transaction } from "kysely";
import type { Database } from "../schema";
import { taggableThemes, THEME_LIMITS } from "../../app/domain/themes";
import { addMonths, shanghaiMidnight } from "../../app/domain/time";
import { Random } from "./random";

interface PlannedTheme {
  title: string;
  guidance: string;
  category: string | null;
  /** A title containing any of these fits the theme. */
  keywords: readonly string[];
}

const t = (title: string, category: string | null, keywords: readonly string[], guidance: string): PlannedTheme => ({ title, category, keywords, guidance });

/** The bureau's year, by calendar month. */
const CALENDAR: Record<number, readonly PlannedTheme[]> = {
  1: [
    t("寒假安全教育", "平安建设", ["寒假", "安全"], "报送寒假前安全教育、致家长一封信、安全隐患排查等做法。"),
    t("元旦主题活动", "养成教育", ["元旦"], "报送迎新年文艺展演、主题班会等活动，突出育人实效。"),
    t("期末教学常规", "管理改革", ["常规", "教研"], "报送期末复习、教学常规检查与质量分析的做法。"),
  ],
  2: [
    t("春季开学准备", "平安建设", ["开学", "安全"], "报送开学前校园安全检查、教材发放、返校准备等情况。"),
    t("作风建设", "作风建设", ["作风"], "报送作风纪律整顿、优化服务的具体举措和成效。"),
  ],
  3: [
    t("开学第一课", "养成教育", ["开学"], "报送春季开学典礼、开学第一课，突出思政引领。"),
    t("学雷锋志愿服务", "养成教育", ["雷锋", "志愿"], "报送学雷锋纪念日前后的志愿服务活动，写清人数和服务内容。"),
    t("安全教育日", "平安建设", ["安全", "演练"], "报送全国中小学生安全教育日主题活动与应急演练。"),
  ],
  4: [
    t("清明祭英烈", "党建工作", ["清明", "烈士", "红色"], "报送清明节缅怀先烈、网上祭英烈等活动。"),
    t("世界读书日", "理念提升", ["读书", "阅读", "书香"], "报送读书节、阅读分享等活动，推荐有特色的做法。"),
    t("安全隐患排查", "平安建设", ["排查", "隐患"], "报送春季校园安全隐患排查整治情况。"),
  ],
  5: [
    t("劳动教育", "养成教育", ["劳动"], "报送劳动教育课程、校园劳动实践基地建设等做法。"),
    t("防溺水安全教育", "平安建设", ["溺水"], "报送防溺水专题教育、家访、巡查等措施，突出“六不”要求。"),
    t("心理健康教育", "理念提升", ["心理"], "报送“5·25”心理健康月活动和心理辅导工作。"),
  ],
  6: [
    t("防溺水", "平安建设", ["溺水"], "报送暑前防溺水教育与重点水域巡查情况。"),
    t("六一儿童节", "养成教育", ["六一", "儿童节"], "报送庆六一文艺展演、游园等活动。"),
    t("中考高考服务保障", "综合", ["中考", "高考", "毕业"], "报送考前心理疏导、考务保障、毕业典礼等情况。"),
  ],
  7: [
    t("暑期安全", "平安建设", ["暑期", "暑假", "溺水"], "报送暑假安全教育、假期家访与防溺水值守情况。"),
    t("庆祝建党", "党建工作", ["党日", "建党", "七一", "两优一先"], "报送“七一”主题党日、表彰大会等活动。"),
  ],
  8: [
    t("暑期教师培训", "理念提升", ["培训", "研修"], "报送暑期全员培训、专题研修的组织与收获。"),
    t("秋季开学准备", "管理改革", ["开学", "维修", "改造", "轮岗"], "报送校舍维修改造、交流轮岗教师到岗等开学准备。"),
  ],
  9: [
    t("开学第一课", "养成教育", ["开学"], "报送秋季开学典礼、开学第一课，突出思政引领。"),
    t("教师节", "典型引路", ["教师节", "师德"], "报送庆祝教师节、表彰优秀教师、师德师风建设活动。"),
    t("家访活动", "作风建设", ["家访"], "报送教师家访的做法和家校共育成效。"),
  ],
  10: [
    t("国庆爱国主义教育", "养成教育", ["国庆", "爱国", "红色"], "报送国庆主题教育、升旗仪式、红色研学等活动。"),
    t("双减与课后服务", "管理改革", ["双减", "课后服务"], "报送作业管理、课后服务提质增效的做法和家长反馈。"),
    t("教研活动", "理念提升", ["教研", "优质课"], "报送校本教研、青年教师优质课展示等活动。"),
  ],
  11: [
    t("消防安全", "平安建设", ["消防"], "报送“119”消防宣传月活动与疏散演练。"),
    t("双减与课后服务", "管理改革", ["双减", "课后服务"], "报送作业管理、课后服务提质增效的做法和家长反馈。"),
    t("读书活动", "理念提升", ["读书", "阅读", "书香"], "报送读书月、经典诵读等活动。"),
  ],
  12: [
    t("冬季安全", "平安建设", ["冬季", "安全", "消防"], "报送冬季防火、防寒、交通安全等教育与排查情况。"),
    t("宪法宣传周", "政策解读", ["宪法", "法治"], "报送“12·4”国家宪法日和宪法宣传周活动。"),
    t("作风建设", "作风建设", ["作风"], "报送年底作风纪律整顿与服务提升举措。"),
  ],
};

/** Share of the fitting items a correspondent tags (the rest are filed without a tag). */
const TAG_SHARE = 0.7;
const THEME_SEED = 140_001;

export async function seedDemoThemes(trx: Transaction<Database>, input: { now: Date }): Promise<{ themes: number; tagged: number }> {
  const rng = new Random(THEME_SEED);
  const reviewer = await trx.selectFrom("accounts").select("id").where("username", "=", "reviewer").executeTakeFirstOrThrow();
  const categories = new Map((await trx.selectFrom("categories").select(["id", "name"]).execute()).map((c) => [c.name, c.id]));
  const itemMonths = await trx.selectFrom("items").select("report_month").distinct().where("report_month", "is not", null).orderBy("report_month").execute();
  const nowMonth = new Date(input.now.getTime() + 8 * 3_600_000).toISOString().slice(0, 7);
  const months = [...new Set([...itemMonths.map((r) => r.report_month!), nowMonth, addMonths(nowMonth, 1)])].sort();
  let themes = 0;
  let tagged = 0;
  for (const month of months) {
    // Published on the 25th of the month before, 09:00 Shanghai time (never after "now").
    const publishedMs = Math.min(Date.parse(shanghaiMidnight(`${addMonths(month, -1)}-25`)) + 9 * 3_600_000, input.now.getTime());
    const at = new Date(publishedMs).toISOString();
    const planned = CALENDAR[Number(month.slice(5))].slice(0, THEME_LIMITS.perMonthMax);
    const created: Array<{ id: number; month: string; keywords: readonly string[] }> = [];
    for (const [i, theme] of planned.entries()) {
      const { id } = await trx
        .insertInto("themes")
        .values({
          month, title: theme.title, guidance: theme.guidance, category_id: theme.category ? (categories.get(theme.category) ?? null) : null,
          sort_order: i + 1, created_by: reviewer.id, created_at: at, updated_by: reviewer.id, updated_at: at,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      created.push({ id, month, keywords: theme.keywords });
      themes++;
    }
    const items = await trx.selectFrom("items").select(["id", "title", "report_month"]).where("report_month", "=", month).orderBy("id").execute();
    for (const item of items) {
      const allowed = taggableThemes(created, { countMonth: item.report_month!, currentThemeId: null });
      const fit = allowed.find((th) => th.keywords.some((k) => item.title.includes(k)));
      // One draw per fitting item, in id order: the same items are tagged on every run.
      if (!fit || !rng.chance(TAG_SHARE)) continue;
      await trx.updateTable("items").set({ theme_id: fit.id }).where("id", "=", item.id).execute();
      tagged++;
    }
  }
  return { themes, tagged };
}
