// What the demo items say: a topic fitting the season and the kind of unit, its title and
// paragraphs filled in from the templates in demo-texts.ts, in the unit's own vocabulary, now and
// then with a typical slip for the reviewer's warn-word highlighting to find.
import type { UnitKindCode } from "../../app/domain/catalog";
import { CLOSINGS, GIVEN_FIRST, GIVEN_SECOND, SURNAMES, TOPICS, type CategoryName, type Topic } from "./demo-texts";
import type { CountyState, DemoUnit } from "./demo-plan";
import type { Random } from "./random";

export function writeText(c: CountyState, unit: DemoUnit, eventDate: string): { title: string; body: string; category: CategoryName } {
  const rng = c.rng;
  const month = Number(eventDate.slice(5, 7));
  const year = Number(eventDate.slice(0, 4));
  const eligible = TOPICS.filter((t) => (!t.months || t.months.includes(month)) && (!t.kinds || t.kinds.includes(unit.kind)));
  // Seasonal topics (开学, 防溺水, 招生…) are what units actually write about in their season.
  const topic: Topic = rng.weighted(eligible.map((t) => [t, t.months ? 2.5 : 1] as const));

  const vars: Record<string, string> = {
    unit: unit.name,
    date: `${month}月${Number(eventDate.slice(8))}日`,
    month: `${month}月`,
    year: String(year),
    term: month >= 2 && month <= 7 ? "春季学期" : "秋季学期",
    season: month >= 3 && month <= 5 ? "春季" : month >= 6 && month <= 8 ? "夏季" : month >= 9 && month <= 11 ? "秋季" : "冬季",
    partyYears: String(year - 1921),
    leiFengYears: String(year - 1963),
    teachersDay: String(year - 1984),
    people: String(Math.round(unit.headcount * rng.between(0.85, 1))),
    teacher: teacherName(c),
  };
  for (const [key, value] of Object.entries(unit.vocabulary)) vars[key] = typeof value === "string" ? value : rng.pick(value);
  for (const [key, options] of Object.entries(topic.vars ?? {})) vars[key] = rng.pick(options);

  const render = (template: string) => renderTemplate(template, vars, rng);
  const details = rng.sample(topic.details.map((_, i) => i), rng.int(1, 2)).sort((a, b) => a - b);
  const paragraphs = [render(rng.pick(topic.openings)), ...details.map((i) => render(topic.details[i]))];
  if (rng.chance(0.65)) paragraphs.push(render(rng.pick(CLOSINGS[topic.category])));
  let body = paragraphs.join("\n\n");
  // A few items carry a typical slip, so the reviewer's warn-word highlighting has work to do.
  if (rng.chance(0.05)) body = introduceSlip(body, rng);
  return { title: render(rng.pick(topic.titles)), body, category: topic.category };
}

/** A teacher named in a story: not an account, so not reserved. */
function teacherName(c: CountyState): string {
  const surname = SURNAMES[Math.floor(SURNAMES.length * c.rng.next() ** 1.6)];
  return surname + c.rng.pick(GIVEN_FIRST) + c.rng.pick(GIVEN_SECOND);
}

/** How a unit's items speak of themselves: a school has 学生 and a 校长, a kindergarten 幼儿 and a 园长. */
export function vocabularyFor(kind: UnitKindCode): Record<string, string | readonly string[]> {
  if (kind === "kindergarten") {
    return {
      org: "幼儿园", campus: "园所", pupils: "幼儿", all: "全园师幼", teachers: "教职工", head: "园长",
      tenRules: "《新时代幼儿园教师职业行为十项准则》", pledge: "《师德师风承诺书》",
      guideline: "《3-6岁儿童学习与发展指南》", classMeeting: "主题教育活动",
      aid: "学前教育幼儿资助政策", sports: "亲子运动会", graduates: "大班",
      subject: ["语言", "科学", "艺术", "健康", "社会"],
    };
  }
  return {
    org: "学校", campus: "校园", pupils: "学生", all: "全体师生", teachers: "教师", head: "校长",
    tenRules: "《新时代中小学教师职业行为十项准则》", pledge: "《师德师风承诺书》和《拒绝有偿补课承诺书》",
    guideline: "义务教育课程标准", classMeeting: "主题班会",
    aid: "家庭经济困难学生生活补助、农村义务教育学生营养改善计划和生源地信用助学贷款等资助政策",
    sports: "田径运动会", graduates: "",
    subject: kind === "district_school"
      ? ["语文", "数学", "英语", "道德与法治", "科学", "物理", "化学", "历史", "信息科技", "体育与健康"]
      : ["语文", "数学", "英语", "道德与法治", "科学", "音乐", "美术"],
  };
}

/** `{name}` from vars, `{a|b}` a choice, `{n:10-60}` a number; an unknown name is a bug in the texts. */
function renderTemplate(template: string, vars: Readonly<Record<string, string>>, rng: Random): string {
  return template.replace(/\{([^{}]+)\}/g, (_, key: string) => {
    if (key.includes("|")) return rng.pick(key.split("|"));
    const range = /^n:(\d+)-(\d+)$/.exec(key);
    if (range) return String(rng.int(Number(range[1]), Number(range[2])));
    const value = vars[key];
    if (value === undefined) throw new Error(`演示文本模板中有未知变量 {${key}}`);
    return value;
  });
}

const SLIPS: readonly (readonly [correct: string, slip: string])[] = [
  ["截至目前", "截止目前"], ["部署", "布署"], ["作为", "做为"], ["安排", "按排"], ["其他", "其它"],
];

function introduceSlip(body: string, rng: Random): string {
  const slip = rng.sample(SLIPS, SLIPS.length).find(([correct]) => body.includes(correct));
  return slip ? body.replace(slip[0], slip[1]) : body;
}
