// The demo county: ~40 schools and kindergartens, their leads and correspondents, and 14 months
// of news items in every state, so that queues, league tables and notices look like a real
// bureau's from the first start.
//
// Deterministic: every choice comes from one seeded PRNG and every instant is derived from
// `now`, so two runs with the same `now` write identical rows (tests and screenshots rely on it).
//
// Item instants: `first_submitted_at` is the first arrival in the bureau's queue (after the
// school's sign-off, or at submission when the unit has sign-off switched off) and fixes the
// report month; `submitted_at` is the latest arrival. Items that never reached the bureau have
// neither.
import type { Insertable, Kysely } from "kysely";
import { GRADES, UNIT_KINDS, type GradeCode, type InstructionLevelCode, type TierCode, type UnitKindCode } from "../../app/domain/catalog";
import { addDays, addMonths, daysBetween, daysInMonth, isWeekend, shanghaiDate, shanghaiMidnight, shanghaiMonth } from "../../app/domain/time";
import type { Database, ItemStatus, RoleCode } from "../schema";
import { renderDemoImages, writeDemoImages, type DemoImage } from "./demo-photos";
import {
  CAPTIONS, CLOSINGS, GENERIC_CAPTIONS, GIVEN_FIRST, GIVEN_SECOND, INSTRUCTION_CONTENTS, INSTRUCTION_LEADERS,
  OUTLETS, REJECT_REASONS, RETURN_REASONS, SURNAMES, TOPICS, WITHDRAW_REASONS, type CategoryName, type Topic,
} from "./demo-texts";
import { Random } from "./random";
import { BASE_SETTINGS_MONTH, seedReferenceData } from "./reference";

export const DEMO_SEED = 20240410;

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

export interface DemoSummary {
  units: number;
  accounts: number;
  items: number;
  photos: number;
  byStatus: Record<string, number>;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SHANGHAI_OFFSET = 8 * HOUR;

const MONTHS_OF_HISTORY = 14;
const BATCH = 200;

// ---------------------------------------------------------------------------------------------
// Calendar helpers on epoch milliseconds (Asia/Shanghai); dates and months come from app/domain/time

function atShanghai(date: string, minutes: number): number {
  return Date.parse(shanghaiMidnight(date)) + minutes * MINUTE;
}

function minuteOfDay(instant: number): number {
  return Math.floor(((instant + SHANGHAI_OFFSET) % DAY) / MINUTE);
}

/** Asia/Shanghai calendar date and month of an instant held as epoch milliseconds. */
function dayOf(instant: number): string {
  return shanghaiDate(new Date(instant));
}

function monthOf(instant: number): string {
  return shanghaiMonth(new Date(instant));
}

function iso(instant: number): string {
  return new Date(instant).toISOString();
}

// ---------------------------------------------------------------------------------------------
// The county in memory

interface Person {
  id: number;
  username: string;
  name: string;
  role: RoleCode;
  unitId: number | null;
  phone: string;
  registeredOn: string | null;
  createdAt: number;
  deactivatedAt: number | null;
}

interface DemoUnit {
  id: number;
  code: string;
  name: string;
  township: string;
  kind: UnitKindCode;
  signoff: boolean;
  quota: number;
  /** Items sent relative to quota. */
  volume: number;
  /** −1…1: shifts grades, rejections, returns and lateness. */
  quality: number;
  headcount: number;
  lead: Person;
  correspondents: Person[];
  vocabulary: Record<string, string | readonly string[]>;
}

interface EventPlan {
  actorId: number;
  action: string;
  from: ItemStatus | null;
  to: ItemStatus;
  grade: GradeCode | null;
  reason: string;
  at: number;
}

interface PhotoPlan {
  image: DemoImage;
  caption: string;
}

interface PickupPlan {
  outlet: string;
  tier: TierCode;
  pickedOn: string;
  createdAt: number;
  createdBy: number;
}

interface InstructionPlan {
  level: InstructionLevelCode;
  leader: string;
  content: string;
  instructedOn: string;
  createdAt: number;
  createdBy: number;
}

interface ItemPlan {
  /** Generation order; breaks ties when items are numbered by creation time. */
  seq: number;
  id: number;
  unit: DemoUnit;
  title: string;
  body: string;
  category: CategoryName;
  channel: string;
  eventDate: string;
  status: ItemStatus;
  firstArrival: number | null;
  lastArrival: number | null;
  grade: GradeCode | null;
  decidedAt: number | null;
  decidedBy: number | null;
  pointsRevoked: boolean;
  lastReason: string;
  returnedCount: number;
  confidential: boolean;
  createdBy: Person;
  createdAt: number;
  bylines: Person[];
  events: EventPlan[];
  photos: PhotoPlan[];
  pickups: PickupPlan[];
  instructions: InstructionPlan[];
}

interface DemoCounty {
  units: DemoUnit[];
  people: Person[];
  items: ItemPlan[];
  unitsCreatedAt: number;
}

/** Applies an item's transitions in order, but only those that have happened by `now`. */
class Timeline {
  status: ItemStatus = "draft";
  readonly events: EventPlan[] = [];
  private halted = false;

  constructor(private readonly nowMs: number) {}

  step(at: number, actorId: number, action: string, to: ItemStatus, extra: { grade?: GradeCode; reason?: string } = {}): boolean {
    if (this.halted || at > this.nowMs) {
      this.halted = true;
      return false;
    }
    this.events.push({ actorId, action, from: this.status, to, grade: extra.grade ?? null, reason: extra.reason ?? "", at });
    this.status = to;
    return true;
  }

  /** The item stays where it is (e.g. the school has not yet revised a returned item). */
  halt(): void {
    this.halted = true;
  }
}

class CountyBuilder {
  private readonly rng = new Random(DEMO_SEED);
  private readonly nowMs: number;
  private readonly today: string;
  private readonly currentMonth: string;
  private readonly prevMonth: string;
  private readonly months: string[];
  private readonly usedNames = new Set<string>(["李晓梅", "张文斌"]);
  private readonly usedPhones = new Set<string>();
  private readonly people: Person[] = [];
  private readonly units: DemoUnit[] = [];
  private readonly items: ItemPlan[] = [];
  private reviewers: Person[] = [];
  private readonly createdYear: number;
  private readonly registerYear: number;

  constructor(now: Date, private readonly images: readonly DemoImage[]) {
    this.nowMs = now.getTime();
    this.today = shanghaiDate(now);
    this.currentMonth = shanghaiMonth(now);
    this.prevMonth = addMonths(this.currentMonth, -1);
    this.months = Array.from({ length: MONTHS_OF_HISTORY }, (_, i) => addMonths(this.currentMonth, i - (MONTHS_OF_HISTORY - 1)));
    // Accounts were first registered in the spring register round before the first month shown,
    // and re-registered in the latest round whose deadline (April 10) has passed.
    const [startYear, startMonth] = this.months[0].split("-").map(Number);
    this.createdYear = startMonth >= 5 ? startYear : startYear - 1;
    const todayYear = Number(this.today.slice(0, 4));
    this.registerYear = this.today.slice(5) >= "04-10" ? todayYear : todayYear - 1;
  }

  build(): DemoCounty {
    const unitsCreatedAt = atShanghai(`${this.createdYear}-03-01`, 8 * 60 + 30);
    this.createStaff(unitsCreatedAt);
    this.createUnits();
    const noneMonths = this.planNoneMonths();
    for (const month of this.months) {
      for (const unit of this.units) {
        if (noneMonths.get(month)?.has(unit.code)) continue;
        const count = this.plannedCount(unit, month);
        for (let i = 0; i < count; i++) this.items.push(this.arrivedItem(unit, month));
      }
    }
    for (const unit of this.units) this.addWorkInProgress(unit);
    this.addPickupsAndInstructions();

    // Numbered in order of creation, as the running portal would have numbered them.
    this.items.sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
    this.items.forEach((item, i) => (item.id = i + 1));
    return { units: this.units, people: this.people, items: this.items, unitsCreatedAt };
  }

  // -- people ---------------------------------------------------------------------------------

  private personName(): string {
    for (;;) {
      // Earlier surnames are the common ones: favour them.
      const surname = SURNAMES[Math.floor(SURNAMES.length * this.rng.next() ** 1.6)];
      const given = this.rng.chance(0.25)
        ? this.rng.pick(GIVEN_SECOND)
        : this.rng.pick(GIVEN_FIRST) + this.rng.pick(GIVEN_SECOND);
      const name = surname + given;
      if (!this.usedNames.has(name)) {
        this.usedNames.add(name);
        return name;
      }
    }
  }

  private phone(): string {
    for (;;) {
      const prefix = this.rng.pick(["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188", "189"]);
      const phone = prefix + String(this.rng.int(0, 99_999_999)).padStart(8, "0");
      if (!this.usedPhones.has(phone)) {
        this.usedPhones.add(phone);
        return phone;
      }
    }
  }

  private registerDate(year: number, late = false): string {
    return late ? addDays(`${year}-04-10`, this.rng.int(2, 28)) : addDays(`${year}-03-15`, this.rng.int(0, 26));
  }

  private addPerson(fields: Omit<Person, "id" | "phone"> & { phone?: string }): Person {
    const person: Person = { ...fields, id: this.people.length + 1, phone: fields.phone ?? this.phone() };
    this.people.push(person);
    return person;
  }

  private createStaff(unitsCreatedAt: number): void {
    const at = unitsCreatedAt + 30 * MINUTE;
    this.addPerson({ username: "admin", name: "系统管理员", role: "admin", unitId: null, phone: "", registeredOn: null, createdAt: at, deactivatedAt: null });
    this.reviewers = [
      this.addPerson({ username: "reviewer", name: "李晓梅", role: "reviewer", unitId: null, registeredOn: null, createdAt: at, deactivatedAt: null }),
      this.addPerson({ username: "reviewer2", name: "张文斌", role: "reviewer", unitId: null, registeredOn: null, createdAt: at, deactivatedAt: null }),
    ];
  }

  // -- units ----------------------------------------------------------------------------------

  private createUnits(): void {
    const specs: { code: string; name: string; township: string; kind: UnitKindCode }[] = [
      ...TOWNSHIPS.map((t, i) => ({ code: `X${pad(i + 1)}`, name: `${t}中心学校`, township: t, kind: "township_central" as const })),
      ...DISTRICT_SCHOOLS.map((name, i) => ({ code: `Q${pad(i + 1)}`, name, township: "城区", kind: "district_school" as const })),
      ...KINDERGARTENS.map(([name, township], i) => ({ code: `Y${pad(i + 1)}`, name, township, kind: "kindergarten" as const })),
    ];
    const quotas = new Map<string, number>(UNIT_KINDS.map((k) => [k.code, k.defaultQuota]));
    // A few correspondents registered after the deadline, so the register page has work to show.
    const lateRegistrants = new Set(this.rng.sample(specs.map((s) => s.code).filter((c) => c !== SHOWCASE_UNIT), 3));
    let deactivationDone = false;

    for (const [index, spec] of specs.entries()) {
      const chronic = (CHRONIC_NONE_UNITS as readonly string[]).includes(spec.code);
      const profile = chronic ? "weak" : spec.code === SHOWCASE_UNIT ? "steady" : this.rng.weighted([["star", 0.2], ["steady", 0.5], ["weak", 0.3]] as const);
      const volume = profile === "star" ? this.rng.between(1.45, 1.8) : profile === "steady" ? this.rng.between(1.1, 1.4) : this.rng.between(0.8, 1.05);
      const quality = profile === "star" ? this.rng.between(0.3, 0.8) : profile === "steady" ? this.rng.between(-0.3, 0.4) : this.rng.between(-0.8, 0);
      const headcount = spec.kind === "kindergarten" ? this.rng.int(150, 480) : spec.kind === "township_central" ? this.rng.int(700, 1900) : this.rng.int(600, 2800);
      const unitId = index + 1;
      const prefix = spec.code.toLowerCase();
      const firstRegistered = (): number => atShanghai(this.registerDate(this.createdYear), this.rng.int(8 * 60, 17 * 60));

      const lead = this.addPerson({
        username: `${prefix}-lead`, name: this.personName(), role: "school_lead", unitId,
        registeredOn: this.registerDate(this.registerYear), createdAt: firstRegistered(), deactivatedAt: null,
      });
      const hasSecond = this.rng.chance(spec.kind === "township_central" ? 0.75 : spec.kind === "district_school" ? 0.5 : 0.25);
      const correspondents = [1, ...(hasSecond ? [2] : [])].map((n) =>
        this.addPerson({
          username: `${prefix}-c${n}`, name: this.personName(), role: "correspondent", unitId,
          registeredOn: this.registerDate(this.registerYear, n === 1 && lateRegistrants.has(spec.code)),
          createdAt: firstRegistered(), deactivatedAt: null,
        }),
      );

      // One correspondent left at the end of a term (transferred); the account stays, inactive.
      if (!deactivationDone && hasSecond && spec.kind === "district_school") {
        const leaver = correspondents[1];
        leaver.deactivatedAt = atShanghai(addDays(`${addMonths(this.currentMonth, -2)}-01`, -1), 17 * 60 + 30);
        if (atShanghai(leaver.registeredOn!, 0) >= leaver.deactivatedAt) leaver.registeredOn = this.registerDate(this.createdYear);
        deactivationDone = true;
      }

      this.units.push({
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
  private planNoneMonths(): Map<string, Set<string>> {
    const past = this.months.slice(0, -1);
    const none = new Map<string, Set<string>>(past.map((m) => [m, new Set<string>()]));
    const latestYear = this.prevMonth.slice(0, 4);
    const inLatestYear = past.filter((m) => m.startsWith(latestYear));
    for (const code of CHRONIC_NONE_UNITS) {
      const chosen = inLatestYear.length >= 6
        ? [...this.rng.sample(inLatestYear, this.rng.int(3, 4)), ...this.rng.sample(past.filter((m) => !m.startsWith(latestYear)), this.rng.int(0, 1))]
        : this.rng.sample(past, this.rng.int(3, 5));
      for (const m of chosen) none.get(m)!.add(code);
    }
    const perYear = new Map<string, number>();
    const others = this.units.map((u) => u.code).filter((c) => !(CHRONIC_NONE_UNITS as readonly string[]).includes(c));
    for (const month of past) {
      const set = none.get(month)!;
      const target = this.rng.int(2, 4);
      for (const code of this.rng.sample(others, others.length)) {
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

  private plannedCount(unit: DemoUnit, month: string): number {
    // Somewhat fewer items in the winter and summer holidays (the quota still applies, so schools
    // keep writing); weak units hover around their quota rather than far below it.
    const season: Record<number, number> = { 1: 0.95, 2: 0.85, 7: 0.9, 8: 0.9 };
    const base = unit.quota * unit.volume * (season[Number(month.slice(5))] ?? 1) * this.rng.between(0.85, 1.2);
    if (month !== this.currentMonth) return Math.max(1, Math.round(base));
    const monthStart = atShanghai(`${month}-01`, 0);
    const elapsed = (this.nowMs - monthStart) / (daysInMonth(month) * DAY);
    return Math.round(base * elapsed);
  }

  // -- items ----------------------------------------------------------------------------------

  private reviewer(): Person {
    return this.rng.weighted([[this.reviewers[0], 0.65], [this.reviewers[1], 0.35]]);
  }

  private activeCorrespondents(unit: DemoUnit, at: number): Person[] {
    return unit.correspondents.filter((p) => p.deactivatedAt === null || at < p.deactivatedAt);
  }

  private officeMinute(): number {
    return this.rng.chance(0.85) ? this.rng.int(8 * 60, 18 * 60 + 30) : this.rng.int(19 * 60, 22 * 60 + 30);
  }

  /** How long a reviewer takes to act on a queued item: often within a day, at most about four. */
  private reviewLag(): number {
    return (2 + 110 * this.rng.next() ** 1.5) * HOUR;
  }

  /** An item that reached the bureau in `month`, with whatever happened to it since. */
  private arrivedItem(unit: DemoUnit, month: string): ItemPlan {
    const rng = this.rng;
    const isCurrent = month === this.currentMonth;
    const lastDay = isCurrent ? Number(this.today.slice(8)) : daysInMonth(month);
    const monthDays = daysInMonth(month);
    const day = rng.weighted(
      Array.from({ length: lastDay }, (_, i) => {
        const date = `${month}-${pad(i + 1)}`;
        // Weekends are quiet; the last week fills up as units chase their quota.
        const weight = (isWeekend(date) ? 0.2 : 1) * (i + 1 > monthDays - 7 ? 1.4 : 1);
        return [date, weight] as const;
      }),
    );

    // Submission by the correspondent, then the lead's sign-off: the arrival in the bureau.
    let submittedAt: number;
    let arrival: number;
    if (unit.signoff) {
      const gap = rng.weighted([[0, 0.6], [1, 0.3], [2, 0.07], [3, 0.03]] as const);
      if (gap === 0) {
        submittedAt = atShanghai(day, rng.int(8 * 60 + 30, 17 * 60));
        arrival = submittedAt + rng.int(20, 240) * MINUTE;
      } else {
        submittedAt = atShanghai(addDays(day, -gap), this.officeMinute());
        arrival = atShanghai(day, rng.int(8 * 60, 18 * 60));
      }
    } else {
      submittedAt = arrival = atShanghai(day, this.officeMinute());
    }
    const latestArrival = this.nowMs - 10 * MINUTE;
    if (arrival > latestArrival) {
      const shift = arrival - latestArrival + rng.int(0, 180) * MINUTE;
      arrival -= shift;
      submittedAt -= shift;
    }

    // The event, some days before submission; about 3% are reported late (more than 7 days after),
    // a little more in weaker units: a county where a late item is the exception.
    const submitDate = dayOf(submittedAt);
    const arrivalDate = dayOf(arrival);
    const gapDays = daysBetween(submitDate, arrivalDate);
    let back: number;
    if (rng.chance(0.03 - 0.015 * unit.quality)) {
      back = Math.max(0, rng.int(8, 20) - gapDays);
    } else {
      back = Math.min(rng.weighted([[0, 0.3], [1, 0.35], [2, 0.2], [3, 0.1], [4, 0.05]] as const), 7 - gapDays);
      if (back === 0 && minuteOfDay(submittedAt) < 12 * 60) back = Math.min(1, 7 - gapDays);
    }
    const eventDate = addDays(submitDate, -back);
    const createdAt = this.writingStart(eventDate, submittedAt);

    const item = this.newItem(unit, eventDate, createdAt);
    item.confidential = true;
    const author = item.createdBy;
    const reviewer = this.reviewer();
    const tl = new Timeline(this.nowMs);
    const queued: ItemStatus = unit.signoff ? "pending_school" : "submitted";

    tl.step(submittedAt, author.id, "submit", queued);
    if (unit.signoff) tl.step(arrival, unit.lead.id, "sign_off", "submitted");
    item.firstArrival = item.lastArrival = arrival;

    const returns = rng.chance(0.09 - 0.04 * unit.quality) ? rng.weighted([[1, 0.85], [2, 0.15]] as const) : 0;
    for (let r = 0; r < returns; r++) {
      const reason = rng.pick(RETURN_REASONS);
      if (!tl.step(arrival + this.reviewLag(), reviewer.id, "return", "draft", { reason })) break;
      item.returnedCount++;
      item.lastReason = reason;
      // In the open month some returned items are still with the school for revision.
      if (isCurrent && r === returns - 1 && rng.chance(0.5)) {
        tl.halt();
        break;
      }
      const resubmittedAt = tl.events[tl.events.length - 1].at + rng.int(3 * 60, 72 * 60) * MINUTE;
      // The author may have left meanwhile; a colleague then resubmits.
      const resubmitter = this.activeCorrespondents(unit, resubmittedAt).includes(author)
        ? author
        : this.activeCorrespondents(unit, resubmittedAt)[0];
      if (!tl.step(resubmittedAt, resubmitter.id, "resubmit", queued)) break;
      arrival = resubmittedAt;
      if (unit.signoff) {
        arrival = resubmittedAt + rng.int(30, 20 * 60) * MINUTE;
        if (!tl.step(arrival, unit.lead.id, "sign_off", "submitted")) break;
      }
      item.lastArrival = arrival;
    }

    // Part of the previous month's late arrivals still wait in the queue (the month is open).
    const backlog = month === this.prevMonth && Number(arrivalDate.slice(8)) > monthDays - 5 && rng.chance(0.2);
    if (!backlog) {
      const decidedAt = arrival + this.reviewLag();
      if (rng.chance(0.17 - 0.08 * unit.quality)) {
        const reason = rng.pick(REJECT_REASONS);
        if (tl.step(decidedAt, reviewer.id, "reject", "rejected", { reason })) {
          item.lastReason = reason;
          item.decidedAt = decidedAt;
          item.decidedBy = reviewer.id;
        }
      } else {
        const grade = rng.weighted([
          ["excellent", 0.25 + 0.12 * unit.quality],
          ["good", 0.5],
          ["fair", 0.25 - 0.12 * unit.quality],
        ] as const);
        if (tl.step(decidedAt, reviewer.id, "adopt", "adopted", { grade })) {
          item.grade = grade;
          item.decidedAt = decidedAt;
          item.decidedBy = reviewer.id;
          if (rng.chance(0.035)) {
            const reason = rng.pick(WITHDRAW_REASONS);
            if (tl.step(decidedAt + rng.int(1, 20) * DAY + rng.int(0, 8 * 60) * MINUTE, reviewer.id, "withdraw", "withdrawn", { reason })) {
              item.lastReason = reason;
              // Now and then the reviewer also takes the points back (e.g. wrong data).
              item.pointsRevoked = rng.chance(0.2);
            }
          }
        }
      }
    }

    // Guards the promise the portal relies on: only the open months have undecided items.
    if (month < this.prevMonth && !["adopted", "rejected", "withdrawn"].includes(tl.status)) {
      throw new Error(`演示数据生成错误：${month} 的信息仍处于“${tl.status}”状态`);
    }
    item.status = tl.status;
    item.events = tl.events;
    return item;
  }

  /** Drafts and items awaiting the school's sign-off, in the current month. */
  private addWorkInProgress(unit: DemoUnit): void {
    const rng = this.rng;
    const monthStart = atShanghai(`${this.currentMonth}-01`, 0);
    const drafts = rng.weighted([[0, 0.45], [1, 0.35], [2, 0.15], [3, 0.05]] as const);
    for (let i = 0; i < drafts; i++) {
      const createdAt = Math.max(monthStart, this.nowMs - rng.int(30, 6 * 24 * 60) * MINUTE);
      const eventDate = addDays(dayOf(createdAt), -rng.int(0, 3));
      const item = this.newItem(unit, eventDate, createdAt);
      item.confidential = rng.chance(0.5);
      item.status = "draft";
      this.items.push(item);
    }
    if (!unit.signoff) return;
    const pending = rng.weighted([[0, 0.5], [1, 0.35], [2, 0.15]] as const);
    for (let i = 0; i < pending; i++) {
      const submittedAt = Math.max(monthStart, this.nowMs - rng.int(20, 40 * 60) * MINUTE);
      const eventDate = addDays(dayOf(submittedAt), -rng.int(1, 3));
      const item = this.newItem(unit, eventDate, this.writingStart(eventDate, submittedAt));
      item.confidential = true;
      const tl = new Timeline(this.nowMs);
      tl.step(submittedAt, item.createdBy.id, "submit", "pending_school");
      item.status = tl.status;
      item.events = tl.events;
      this.items.push(item);
    }
  }

  /** When the correspondent started writing: after the event, before submitting. */
  private writingStart(eventDate: string, submittedAt: number): number {
    const start = Math.max(submittedAt - this.rng.int(20, 300) * MINUTE, atShanghai(eventDate, 9 * 60 + 30));
    return Math.min(start, submittedAt - 10 * MINUTE);
  }

  private newItem(unit: DemoUnit, eventDate: string, createdAt: number): ItemPlan {
    const rng = this.rng;
    const active = this.activeCorrespondents(unit, createdAt);
    const author = rng.pick(active);
    const bylines = [author];
    const colleague = active.find((p) => p !== author);
    if (colleague && rng.chance(0.3)) bylines.push(colleague);
    else if (rng.chance(0.08)) bylines.push(unit.lead);

    const text = this.writeText(unit, eventDate);
    const photoCount = rng.chance(0.4) ? rng.weighted([[1, 0.5], [2, 0.3], [3, 0.2]] as const) : 0;
    const captions = rng.sample([...CAPTIONS[text.category], ...GENERIC_CAPTIONS], photoCount);
    const photos = rng.sample(this.images, photoCount).map((image, i) => ({ image, caption: captions[i] }));

    return {
      seq: this.items.length,
      id: 0,
      unit,
      ...text,
      channel: rng.chance(0.7) ? "教育信息网" : "教育网",
      eventDate,
      status: "draft",
      firstArrival: null,
      lastArrival: null,
      grade: null,
      decidedAt: null,
      decidedBy: null,
      pointsRevoked: false,
      lastReason: "",
      returnedCount: 0,
      confidential: false,
      createdBy: author,
      createdAt,
      bylines,
      events: [],
      photos,
      pickups: [],
      instructions: [],
    };
  }

  private writeText(unit: DemoUnit, eventDate: string): { title: string; body: string; category: CategoryName } {
    const rng = this.rng;
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
      teacher: this.teacherName(),
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
  private teacherName(): string {
    const surname = SURNAMES[Math.floor(SURNAMES.length * this.rng.next() ** 1.6)];
    return surname + this.rng.pick(GIVEN_FIRST) + this.rng.pick(GIVEN_SECOND);
  }

  // -- media pickups and leaders' instructions ------------------------------------------------

  private addPickupsAndInstructions(): void {
    const rng = this.rng;
    const adopted = this.items.filter((i) => i.status === "adopted" && i.decidedAt !== null);
    const tiers = ["county", "city", "province"] as const;
    const addPickup = (item: ItemPlan, tier: TierCode) => {
      const pickedAt = item.decidedAt! + rng.int(0, 6) * DAY;
      if (pickedAt > this.nowMs - 2 * HOUR) return;
      const pickedOn = dayOf(pickedAt);
      const createdAt = Math.min(atShanghai(pickedOn, rng.int(9 * 60, 18 * 60)) + rng.int(0, 2) * DAY, this.nowMs - 5 * MINUTE);
      item.pickups.push({
        outlet: rng.pick(OUTLETS[tier]),
        tier,
        pickedOn,
        createdAt: Math.max(createdAt, item.decidedAt! + HOUR),
        createdBy: this.reviewer().id,
      });
    };

    for (const item of adopted) {
      const p = item.grade === "excellent" ? 0.3 : item.grade === "good" ? 0.1 : 0.02;
      if (!rng.chance(p)) continue;
      const first = rng.weighted([["county", 0.6], ["city", 0.36], ["province", 0.04]] as const);
      addPickup(item, first);
      // Some stories travel one tier further; the province rarely takes one up.
      const higher = tiers[tiers.indexOf(first) + 1];
      if (higher && rng.chance(higher === "province" ? 0.06 : 0.2)) addPickup(item, higher);
    }

    // National pickups are rare: two stories in the whole history.
    const picked = adopted.filter((i) => i.grade === "excellent" && i.pickups.length > 0 && i.decidedAt! < this.nowMs - 20 * DAY);
    for (const item of rng.sample(picked, 2)) addPickup(item, "national");

    const levels: InstructionLevelCode[] = ["county", "county", "county", "county", "county", "city", "city", "province"];
    for (const [i, item] of rng.sample(picked, levels.length).entries()) {
      const level = levels[i];
      const instructedAt = Math.min(item.decidedAt! + rng.int(2, 15) * DAY, this.nowMs - DAY);
      if (instructedAt <= item.decidedAt!) continue;
      item.instructions.push({
        level,
        leader: rng.pick(INSTRUCTION_LEADERS[level]),
        content: rng.pick(INSTRUCTION_CONTENTS),
        instructedOn: dayOf(instructedAt),
        createdAt: Math.min(instructedAt + rng.int(1, 48) * HOUR, this.nowMs - 5 * MINUTE),
        createdBy: this.reviewer().id,
      });
    }
  }
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** How a unit's items speak of themselves: a school has 学生 and a 校长, a kindergarten 幼儿 and a 园长. */
function vocabularyFor(kind: UnitKindCode): Record<string, string | readonly string[]> {
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

// ---------------------------------------------------------------------------------------------
// Writing it

function notificationsFor(items: readonly ItemPlan[], nowMs: number, rng: Random): Insertable<Database["notifications"]>[] {
  const gradeName = (code: GradeCode | null) => GRADES.find((g) => g.code === code)?.name ?? "";
  const rows: (Insertable<Database["notifications"]> & { at: number })[] = [];
  for (const item of items) {
    item.events.forEach((event, index) => {
      const isLast = index === item.events.length - 1;
      // Recent decisions, plus every return the school has not yet acted on.
      const recent = event.at >= nowMs - 5 * DAY;
      if (!recent && !(isLast && event.action === "return")) return;
      const message =
        event.action === "return" ? { kind: "item_returned", title: `《${item.title}》被退回修改`, body: `退回原因：${event.reason}` }
        : event.action === "adopt" ? { kind: "item_adopted", title: `《${item.title}》已采用`, body: `评定等级：${gradeName(event.grade)}` }
        : event.action === "reject" ? { kind: "item_rejected", title: `《${item.title}》未被采用`, body: `原因：${event.reason}` }
        : event.action === "withdraw" ? { kind: "item_withdrawn", title: `《${item.title}》已撤稿`, body: `撤稿原因：${event.reason}` }
        : null;
      if (!message) return;
      const readAt = event.at < nowMs - 2 * DAY && rng.chance(0.7) ? Math.min(event.at + rng.int(1, 30) * HOUR, nowMs - MINUTE) : null;
      rows.push({
        account_id: item.createdBy.id,
        ...message,
        link: `/items/${item.id}`,
        item_id: item.id,
        created_at: iso(event.at),
        read_at: readAt === null ? null : iso(readAt),
        at: event.at,
      });
    });
  }
  return rows.sort((a, b) => a.at - b.at || Number(a.item_id) - Number(b.item_id)).map(({ at: _at, ...row }) => row);
}

async function insertInBatches<T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) await insert(rows.slice(i, i + BATCH));
}

/**
 * The demo county's own names: a bureau's settings as a real county would fill them in (the
 * start message, the page header, the 落款, the 版头 and the 文号 all read them).
 */
export const DEMO_BUREAU = {
  countyName: "临溪县",
  bureauName: "临溪县教育和体育局",
  noticeIssuer: "临溪县教育和体育局办公室",
  letterheadText: "临溪县教育和体育局办公室",
  noticeDocPrefix: "临教体办",
  noticeAddressee: "各乡镇中心学校，县直各学校、幼儿园",
} as const;

export async function isDatabaseEmpty(db: Kysely<Database>): Promise<boolean> {
  const units = await db.selectFrom("units").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  const accounts = await db.selectFrom("accounts").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(units.n) === 0 && Number(accounts.n) === 0;
}

export async function seedDemoCounty(
  db: Kysely<Database>,
  options: { passwordHash: string; dataDir: string; now: Date },
): Promise<DemoSummary> {
  const { passwordHash, dataDir, now } = options;
  const nowMs = now.getTime();
  const images = renderDemoImages();
  const county = new CountyBuilder(now, images).build();
  // Files first: a row must never point at a photo that is not on disk. An aborted seed
  // leaves only unreferenced, content-addressed files behind, which a rerun reuses.
  writeDemoImages(dataDir, images);

  return db.transaction().execute(async (trx) => {
    await seedReferenceData(trx, now);
    if (!(await isDatabaseEmpty(trx))) throw new Error("数据库中已有单位或账号，演示数据只能写入空数据库。");
    for (const [key, value] of Object.entries(DEMO_BUREAU)) {
      await trx
        .updateTable("settings")
        .set({ value_json: JSON.stringify(value), updated_at: now.toISOString() })
        .where("key", "=", key)
        .where("effective_month", "=", BASE_SETTINGS_MONTH)
        .execute();
    }

    const categoryIds = new Map((await trx.selectFrom("categories").select(["id", "name"]).execute()).map((r) => [r.name, r.id]));
    const channelIds = new Map((await trx.selectFrom("channels").select(["id", "name"]).execute()).map((r) => [r.name, r.id]));
    const lookup = (map: Map<string, number>, name: string) => {
      const id = map.get(name);
      if (id === undefined) throw new Error(`参考数据缺少“${name}”`);
      return id;
    };

    const unitsAt = iso(county.unitsCreatedAt);
    await trx
      .insertInto("units")
      .values(county.units.map((u) => ({
        id: u.id, code: u.code, name: u.name, township: u.township, kind_code: u.kind,
        signoff_required: u.signoff ? 1 : 0, created_at: unitsAt, updated_at: unitsAt,
      } as const)))
      .execute();

    await insertInBatches(
      county.people.map((p) => {
        const registeredAt = p.registeredOn ? atShanghai(p.registeredOn, 9 * 60) : p.createdAt;
        const updatedAt = Math.max(p.createdAt, registeredAt, p.deactivatedAt ?? 0);
        return {
          id: p.id, username: p.username, display_name: p.name, phone: p.phone, role: p.role, unit_id: p.unitId,
          password_hash: passwordHash, active: p.deactivatedAt === null ? 1 : 0, registered_on: p.registeredOn,
          deactivated_at: p.deactivatedAt === null ? null : iso(p.deactivatedAt),
          created_at: iso(p.createdAt), updated_at: iso(updatedAt),
        } as const;
      }),
      (batch) => trx.insertInto("accounts").values(batch).execute(),
    );

    await insertInBatches(
      county.items.map((item) => {
        const lastEvent = item.events.length ? item.events[item.events.length - 1].at : item.createdAt;
        const late = item.firstArrival !== null && daysBetween(item.eventDate, dayOf(item.firstArrival)) > 7;
        return {
          id: item.id,
          unit_id: item.unit.id,
          title: item.title,
          body: item.body,
          category_id: lookup(categoryIds, item.category),
          channel_id: lookup(channelIds, item.channel),
          event_date: item.eventDate,
          status: item.status,
          report_month: item.firstArrival === null ? null : monthOf(item.firstArrival),
          first_submitted_at: item.firstArrival === null ? null : iso(item.firstArrival),
          submitted_at: item.lastArrival === null ? null : iso(item.lastArrival),
          late: late ? 1 : 0,
          grade: item.grade,
          decided_at: item.decidedAt === null ? null : iso(item.decidedAt),
          decided_by: item.decidedBy,
          points_revoked: item.pointsRevoked ? 1 : 0,
          last_reason: item.lastReason,
          returned_count: item.returnedCount,
          confidential_checked: item.confidential ? 1 : 0,
          version: item.events.length + 1,
          created_by: item.createdBy.id,
          created_at: iso(item.createdAt),
          updated_at: iso(Math.max(item.createdAt, lastEvent)),
        } as const;
      }),
      (batch) => trx.insertInto("items").values(batch).execute(),
    );

    await insertInBatches(
      county.items.flatMap((item) => item.bylines.map((p) => ({ item_id: item.id, account_id: p.id }))),
      (batch) => trx.insertInto("item_bylines").values(batch).execute(),
    );

    const photoRows = county.items.flatMap((item) =>
      item.photos.map((photo, i) => ({
        item_id: item.id, sha256: photo.image.sha256, mime: photo.image.mime, width: photo.image.width,
        height: photo.image.height, bytes: photo.image.bytes, caption: photo.caption, sort_order: i,
        created_at: iso(item.createdAt),
      })),
    );
    await insertInBatches(photoRows, (batch) => trx.insertInto("photos").values(batch).execute());

    // The audit trail in the order things happened, as the running portal would have written it.
    const events = county.items
      .flatMap((item) => item.events.map((e, order) => ({ item, e, order })))
      .sort((a, b) => a.e.at - b.e.at || a.item.id - b.item.id || a.order - b.order);
    await insertInBatches(
      events.map(({ item, e }) => ({
        item_id: item.id, actor_id: e.actorId, action: e.action, from_status: e.from, to_status: e.to,
        grade: e.grade, reason: e.reason, at: iso(e.at),
      })),
      (batch) => trx.insertInto("review_events").values(batch).execute(),
    );

    await insertInBatches(
      county.items
        .flatMap((item) => item.pickups.map((p) => ({ item, p })))
        .sort((a, b) => a.p.createdAt - b.p.createdAt || a.item.id - b.item.id)
        .map(({ item, p }) => ({
          item_id: item.id, outlet: p.outlet, tier: p.tier, picked_on: p.pickedOn,
          url: `https://example.org/${p.tier}/${p.pickedOn.replaceAll("-", "")}/${item.id}.html`,
          created_by: p.createdBy, created_at: iso(p.createdAt),
        })),
      (batch) => trx.insertInto("pickups").values(batch).execute(),
    );

    await insertInBatches(
      county.items
        .flatMap((item) => item.instructions.map((x) => ({ item, x })))
        .sort((a, b) => a.x.createdAt - b.x.createdAt || a.item.id - b.item.id)
        .map(({ item, x }) => ({
          item_id: item.id, level: x.level, leader: x.leader, content: x.content,
          instructed_on: x.instructedOn, created_by: x.createdBy, created_at: iso(x.createdAt),
        })),
      (batch) => trx.insertInto("instructions").values(batch).execute(),
    );

    // Its own stream, so tuning notifications never reshuffles the county itself.
    await insertInBatches(notificationsFor(county.items, nowMs, new Random(DEMO_SEED + 1)), (batch) =>
      trx.insertInto("notifications").values(batch).execute(),
    );

    const byStatus: Record<string, number> = {};
    const counts = await trx.selectFrom("items").select(["status", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("status").execute();
    for (const row of counts) byStatus[row.status] = Number(row.n);
    return {
      units: county.units.length,
      accounts: county.people.length,
      items: county.items.length,
      photos: photoRows.length,
      byStatus,
    };
  });
}
