// The demo county in memory while it is being drawn up: the plans of people, units and items, the
// clock helpers they are timed with, and the one seeded random stream every choice comes from.
// The drawing itself is in demo-units.ts, demo-items.ts, demo-stories.ts and demo-followups.ts;
// demo-rows.ts writes the result; demo-county.ts runs the steps in order.
import type { GradeCode, InstructionLevelCode, TierCode, UnitKindCode } from "../../app/domain/catalog";
import { addDays, addMonths, shanghaiDate, shanghaiMidnight, shanghaiMonth } from "../../app/domain/time";
import type { ItemStatus, RoleCode } from "../schema";
import type { DemoImage } from "./demo-photos";
import type { CategoryName } from "./demo-texts";
import { GIVEN_FIRST, GIVEN_SECOND, SURNAMES } from "./demo-texts";
import { Random } from "./random";

export const DEMO_SEED = 20240410;

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const SHANGHAI_OFFSET = 8 * HOUR;

export const MONTHS_OF_HISTORY = 14;

// ---------------------------------------------------------------------------------------------
// Calendar helpers on epoch milliseconds (Asia/Shanghai); dates and months come from app/domain/time

export function atShanghai(date: string, minutes: number): number {
  return Date.parse(shanghaiMidnight(date)) + minutes * MINUTE;
}

export function minuteOfDay(instant: number): number {
  return Math.floor(((instant + SHANGHAI_OFFSET) % DAY) / MINUTE);
}

/** Asia/Shanghai calendar date and month of an instant held as epoch milliseconds. */
export function dayOf(instant: number): string {
  return shanghaiDate(new Date(instant));
}

export function monthOf(instant: number): string {
  return shanghaiMonth(new Date(instant));
}

export function iso(instant: number): string {
  return new Date(instant).toISOString();
}

export function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/**
 * When the demo bureau closes `month`: every month before last, on the 5th of the next month at
 * 10:00 Shanghai time (not after `now`); null for last month and this one, which stay open. The
 * seed closes them then (app/models/demo.server.ts), and the items are timed to agree: nothing of a
 * month waits in the queue at its close, and what the bureau does to its items after the close
 * leaves the frozen month as it was.
 */
export function demoCloseAt(month: string, now: Date): number | null {
  if (month >= addMonths(shanghaiMonth(now), -1)) return null;
  return Math.min(atShanghai(`${addMonths(month, 1)}-05`, 10 * 60), now.getTime());
}

// ---------------------------------------------------------------------------------------------
// The county in memory

export interface Person {
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

export interface DemoUnit {
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

export interface EventPlan {
  actorId: number;
  action: string;
  from: ItemStatus | null;
  to: ItemStatus;
  grade: GradeCode | null;
  reason: string;
  at: number;
}

export interface PhotoPlan {
  image: DemoImage;
  caption: string;
}

export interface PickupPlan {
  outlet: string;
  tier: TierCode;
  pickedOn: string;
  createdAt: number;
  createdBy: number;
}

export interface InstructionPlan {
  level: InstructionLevelCode;
  leader: string;
  content: string;
  instructedOn: string;
  createdAt: number;
  createdBy: number;
}

export interface ItemPlan {
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
  /** The month it counts in: of its first arrival, or, resubmitted after that month closed, the first open one. */
  reportMonth: string | null;
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

export interface DemoCounty {
  units: DemoUnit[];
  people: Person[];
  items: ItemPlan[];
  unitsCreatedAt: number;
  /** When a month is closed (demoCloseAt), or null while it stays open. */
  closeAt: (month: string) => number | null;
}

/** Applies an item's transitions in order, but only those that have happened by `now`. */
export class Timeline {
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

/** The county being drawn up: the random stream, the calendar of `now`, and everything planned so far. */
export class CountyState {
  readonly rng = new Random(DEMO_SEED);
  readonly nowMs: number;
  readonly today: string;
  readonly currentMonth: string;
  readonly prevMonth: string;
  readonly months: string[];
  private readonly usedNames = new Set<string>(["李晓梅", "张文斌"]);
  private readonly usedPhones = new Set<string>();
  readonly people: Person[] = [];
  readonly units: DemoUnit[] = [];
  readonly items: ItemPlan[] = [];
  reviewers: Person[] = [];
  readonly createdYear: number;
  readonly registerYear: number;

  constructor(now: Date, readonly images: readonly DemoImage[]) {
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

  personName(): string {
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

  phone(): string {
    for (;;) {
      const prefix = this.rng.pick(["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155", "156", "157", "158", "159", "180", "181", "182", "183", "185", "186", "187", "188", "189"]);
      const phone = prefix + String(this.rng.int(0, 99_999_999)).padStart(8, "0");
      if (!this.usedPhones.has(phone)) {
        this.usedPhones.add(phone);
        return phone;
      }
    }
  }

  registerDate(year: number, late = false): string {
    return late ? addDays(`${year}-04-10`, this.rng.int(2, 28)) : addDays(`${year}-03-15`, this.rng.int(0, 26));
  }

  addPerson(fields: Omit<Person, "id" | "phone"> & { phone?: string }): Person {
    const person: Person = { ...fields, id: this.people.length + 1, phone: fields.phone ?? this.phone() };
    this.people.push(person);
    return person;
  }

  reviewer(): Person {
    return this.rng.weighted([[this.reviewers[0], 0.65], [this.reviewers[1], 0.35]]);
  }

  activeCorrespondents(unit: DemoUnit, at: number): Person[] {
    return unit.correspondents.filter((p) => p.deactivatedAt === null || at < p.deactivatedAt);
  }

  officeMinute(): number {
    return this.rng.chance(0.85) ? this.rng.int(8 * 60, 18 * 60 + 30) : this.rng.int(19 * 60, 22 * 60 + 30);
  }

  closeAt(month: string): number | null {
    return demoCloseAt(month, new Date(this.nowMs));
  }

  /** The months closed by `at`. */
  closedBy(at: number): Set<string> {
    return new Set(this.months.filter((m) => (this.closeAt(m) ?? Infinity) <= at));
  }

  /**
   * When the reviewer acts on an item that arrived at `arrival` and counts in `month`, `lag` later:
   * before the month's close if it arrived before it (a month is closed only once its queue is
   * empty), so a late-in-the-month arrival is dealt with in the days before the 5th.
   */
  actionBeforeClose(month: string, arrival: number, lag: number): number {
    const close = this.closeAt(month);
    const at = arrival + lag;
    if (close === null || arrival >= close || at < close) return at;
    return arrival + Math.floor((close - arrival) * 0.8);
  }

  /** How long a reviewer takes to act on a queued item: often within a day, at most about four. */
  reviewLag(): number {
    return (2 + 110 * this.rng.next() ** 1.5) * HOUR;
  }
}
