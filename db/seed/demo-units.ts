// The demo county's units and people: 12 township central schools, 16 district schools and 12
// kindergartens, each with a lead and one or two correspondents, the bureau's reviewers and admin,
// and how much each unit writes (its profile, and the months in which it sends nothing).
import { UNIT_KINDS, type UnitKindCode } from "../../app/domain/catalog";
import { addDays, addMonths, daysInMonth } from "../../app/domain/time";
import type { RoleCode } from "../schema";
import { atShanghai, DAY, MINUTE, pad, type CountyState, type DemoUnit } from "./demo-plan";
import { vocabularyFor } from "./demo-stories";

export interface DemoAccount {
  role: RoleCode;
  username: string;
  label: string;
}

const TOWNSHIPS = [
  "城关镇", "柳河镇", "石桥镇", "白沙镇", "龙泉镇", "青山乡",
  "河口镇", "马庄乡", "新集镇", "桃园镇", "双庙乡", "黄岗镇",
] as const;

const DISTRICT_SCHOOLS = [
  "县第一中学", "县第二中学", "县第三中学", "县实验中学", "育才初级中学", "城南初级中学",
  "城北初级中学", "县实验小学", "县第二实验小学", "城关第一小学", "城关第二小学", "东关小学",
  "西街小学", "解放路小学", "人民路小学", "县特殊教育学校",
] as const;

const KINDERGARTENS: readonly (readonly [name: string, township: string])[] = [
  ["县第一幼儿园", "城区"], ["县第二幼儿园", "城区"], ["县实验幼儿园", "城区"], ["县机关幼儿园", "城区"],
  ["城关镇中心幼儿园", "城关镇"], ["柳河镇中心幼儿园", "柳河镇"], ["石桥镇中心幼儿园", "石桥镇"],
  ["白沙镇中心幼儿园", "白沙镇"], ["龙泉镇中心幼儿园", "龙泉镇"], ["河口镇中心幼儿园", "河口镇"],
  ["新集镇中心幼儿园", "新集镇"], ["桃园镇中心幼儿园", "桃园镇"],
];

/** The unit whose items go straight to the bureau (school sign-off switched off). */
const NO_SIGNOFF_UNIT = "Y12";
/** Units that send nothing in several months, so the annual summary has someone to criticise. */
const CHRONIC_NONE_UNITS = ["X11", "Q14"] as const;
/** The unit the README's demo logins belong to; kept an ordinary, reasonably diligent unit. */
const SHOWCASE_UNIT = "X01";

const SHOWCASE_NAME = `${TOWNSHIPS[0]}中心学校`;

/** One login per role, for the README and the login page's demo hint. */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { role: "admin", username: "admin", label: "系统管理员" },
  { role: "reviewer", username: "reviewer", label: "审核员（教体局办公室）" },
  { role: "school_lead", username: "x01-lead", label: `分管领导（${SHOWCASE_NAME}）` },
  { role: "correspondent", username: "x01-c1", label: `信息员（${SHOWCASE_NAME}）` },
];

export function createStaff(c: CountyState, unitsCreatedAt: number): void {
  const at = unitsCreatedAt + 30 * MINUTE;
  c.addPerson({ username: "admin", name: "系统管理员", role: "admin", unitId: null, phone: "", registeredOn: null, createdAt: at, deactivatedAt: null });
  c.reviewers = [
    c.addPerson({ username: "reviewer", name: "李晓梅", role: "reviewer", unitId: null, registeredOn: null, createdAt: at, deactivatedAt: null }),
    c.addPerson({ username: "reviewer2", name: "张文斌", role: "reviewer", unitId: null, registeredOn: null, createdAt: at, deactivatedAt: null }),
  ];
}

export function createUnits(c: CountyState): void {
  const specs: { code: string; name: string; township: string; kind: UnitKindCode }[] = [
    ...TOWNSHIPS.map((t, i) => ({ code: `X${pad(i + 1)}`, name: `${t}中心学校`, township: t, kind: "township_central" as const })),
    ...DISTRICT_SCHOOLS.map((name, i) => ({ code: `Q${pad(i + 1)}`, name, township: "城区", kind: "district_school" as const })),
    ...KINDERGARTENS.map(([name, township], i) => ({ code: `Y${pad(i + 1)}`, name, township, kind: "kindergarten" as const })),
  ];
  const quotas = new Map<string, number>(UNIT_KINDS.map((k) => [k.code, k.defaultQuota]));
  // A few correspondents registered after the deadline, so the register page has work to show.
  const lateRegistrants = new Set(c.rng.sample(specs.map((s) => s.code).filter((code) => code !== SHOWCASE_UNIT), 3));
  let deactivationDone = false;

  for (const [index, spec] of specs.entries()) {
    const chronic = (CHRONIC_NONE_UNITS as readonly string[]).includes(spec.code);
    const profile = chronic ? "weak" : spec.code === SHOWCASE_UNIT ? "steady" : c.rng.weighted([["star", 0.2], ["steady", 0.5], ["weak", 0.3]] as const);
    const volume = profile === "star" ? c.rng.between(1.45, 1.8) : profile === "steady" ? c.rng.between(1.1, 1.4) : c.rng.between(0.8, 1.05);
    const quality = profile === "star" ? c.rng.between(0.3, 0.8) : profile === "steady" ? c.rng.between(-0.3, 0.4) : c.rng.between(-0.8, 0);
    const headcount = spec.kind === "kindergarten" ? c.rng.int(150, 480) : spec.kind === "township_central" ? c.rng.int(700, 1900) : c.rng.int(600, 2800);
    const unitId = index + 1;
    const prefix = spec.code.toLowerCase();
    const firstRegistered = (): number => atShanghai(c.registerDate(c.createdYear), c.rng.int(8 * 60, 17 * 60));

    const lead = c.addPerson({
      username: `${prefix}-lead`, name: c.personName(), role: "school_lead", unitId,
      registeredOn: c.registerDate(c.registerYear), createdAt: firstRegistered(), deactivatedAt: null,
    });
    const hasSecond = c.rng.chance(spec.kind === "township_central" ? 0.75 : spec.kind === "district_school" ? 0.5 : 0.25);
    const correspondents = [1, ...(hasSecond ? [2] : [])].map((n) =>
      c.addPerson({
        username: `${prefix}-c${n}`, name: c.personName(), role: "correspondent", unitId,
        registeredOn: c.registerDate(c.registerYear, n === 1 && lateRegistrants.has(spec.code)),
        createdAt: firstRegistered(), deactivatedAt: null,
      }),
    );

    // One correspondent left at the end of a term (transferred); the account stays, inactive.
    if (!deactivationDone && hasSecond && spec.kind === "district_school") {
      const leaver = correspondents[1];
      leaver.deactivatedAt = atShanghai(addDays(`${addMonths(c.currentMonth, -2)}-01`, -1), 17 * 60 + 30);
      if (atShanghai(leaver.registeredOn!, 0) >= leaver.deactivatedAt) leaver.registeredOn = c.registerDate(c.createdYear);
      deactivationDone = true;
    }

    c.units.push({
      ...spec,
      id: unitId,
      signoff: spec.code !== NO_SIGNOFF_UNIT,
      quota: quotas.get(spec.kind)!,
      volume,
      quality,
      headcount,
      lead,
      correspondents,
      vocabulary: vocabularyFor(spec.kind),
    });
  }
}

/** Per past month, the units that send nothing (2–4 a month; the chronic ones 3+ months a year). */
export function planNoneMonths(c: CountyState): Map<string, Set<string>> {
  const past = c.months.slice(0, -1);
  const none = new Map<string, Set<string>>(past.map((m) => [m, new Set<string>()]));
  const latestYear = c.prevMonth.slice(0, 4);
  const inLatestYear = past.filter((m) => m.startsWith(latestYear));
  for (const code of CHRONIC_NONE_UNITS) {
    const chosen = inLatestYear.length >= 6
      ? [...c.rng.sample(inLatestYear, c.rng.int(3, 4)), ...c.rng.sample(past.filter((m) => !m.startsWith(latestYear)), c.rng.int(0, 1))]
      : c.rng.sample(past, c.rng.int(3, 5));
    for (const m of chosen) none.get(m)!.add(code);
  }
  const perYear = new Map<string, number>();
  const others = c.units.map((u) => u.code).filter((code) => !(CHRONIC_NONE_UNITS as readonly string[]).includes(code));
  for (const month of past) {
    const set = none.get(month)!;
    const target = c.rng.int(2, 4);
    for (const code of c.rng.sample(others, others.length)) {
      if (set.size >= target) break;
      const key = `${code}:${month.slice(0, 4)}`;
      // Ordinary units miss at most two months a year; three is the annual criticism line.
      if ((perYear.get(key) ?? 0) >= 2) continue;
      perYear.set(key, (perYear.get(key) ?? 0) + 1);
      set.add(code);
    }
  }
  return none;
}

export function plannedCount(c: CountyState, unit: DemoUnit, month: string): number {
  // Somewhat fewer items in the winter and summer holidays (the quota still applies, so schools
  // keep writing); weak units hover around their quota rather than far below it.
  const season: Record<number, number> = { 1: 0.95, 2: 0.85, 7: 0.9, 8: 0.9 };
  const base = unit.quota * unit.volume * (season[Number(month.slice(5))] ?? 1) * c.rng.between(0.85, 1.2);
  if (month !== c.currentMonth) return Math.max(1, Math.round(base));
  const monthStart = atShanghai(`${month}-01`, 0);
  const elapsed = (c.nowMs - monthStart) / (daysInMonth(month) * DAY);
  return Math.round(base * elapsed);
}
