// The demo county's items: those that reached the bureau in each month, with their sign-offs,
// returns, decisions and withdrawals timed as a real county's would be, and the current month's
// drafts and items still waiting for the school's sign-off.
import type { ItemStatus } from "../schema";
import { reportMonthOnArrival } from "../../app/domain/report-month";
import { addDays, daysBetween, daysInMonth, isWeekend } from "../../app/domain/time";
import { CAPTIONS, GENERIC_CAPTIONS, REJECT_REASONS, RETURN_REASONS, WITHDRAW_REASONS } from "./demo-texts";
import { atShanghai, DAY, dayOf, iso, MINUTE, minuteOfDay, pad, Timeline, type CountyState, type DemoUnit, type ItemPlan } from "./demo-plan";
import { writeText } from "./demo-stories";

/** An item that reached the bureau in `month`, with whatever happened to it since. */
export function arrivedItem(c: CountyState, unit: DemoUnit, month: string): ItemPlan {
  const rng = c.rng;
  const isCurrent = month === c.currentMonth;
  const lastDay = isCurrent ? Number(c.today.slice(8)) : daysInMonth(month);
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
      submittedAt = atShanghai(addDays(day, -gap), c.officeMinute());
      arrival = atShanghai(day, rng.int(8 * 60, 18 * 60));
    }
  } else {
    submittedAt = arrival = atShanghai(day, c.officeMinute());
  }
  const latestArrival = c.nowMs - 10 * MINUTE;
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
  const createdAt = writingStart(c, eventDate, submittedAt);

  const item = newItem(c, unit, eventDate, createdAt);
  item.confidential = true;
  const author = item.createdBy;
  const reviewer = c.reviewer();
  const tl = new Timeline(c.nowMs);
  const queued: ItemStatus = unit.signoff ? "pending_school" : "submitted";

  tl.step(submittedAt, author.id, "submit", queued);
  if (unit.signoff) tl.step(arrival, unit.lead.id, "sign_off", "submitted");
  item.firstArrival = item.lastArrival = arrival;
  // The month it counts in, as the portal fixes it on each arrival (app/domain/report-month.ts).
  const arrive = (at: number) => (item.reportMonth = reportMonthOnArrival({ current: item.reportMonth, arrivedAt: iso(at), closedMonths: c.closedBy(at) }));
  arrive(arrival);

  const returns = rng.chance(0.09 - 0.04 * unit.quality) ? rng.weighted([[1, 0.85], [2, 0.15]] as const) : 0;
  for (let r = 0; r < returns; r++) {
    const reason = rng.pick(RETURN_REASONS);
    if (!tl.step(c.actionBeforeClose(item.reportMonth!, arrival, c.reviewLag()), reviewer.id, "return", "draft", { reason })) break;
    item.returnedCount++;
    item.lastReason = reason;
    // In the open month some returned items are still with the school for revision.
    if (isCurrent && r === returns - 1 && rng.chance(0.5)) {
      tl.halt();
      break;
    }
    const resubmittedAt = tl.events[tl.events.length - 1].at + rng.int(3 * 60, 72 * 60) * MINUTE;
    // The author may have left meanwhile; a colleague then resubmits.
    const resubmitter = c.activeCorrespondents(unit, resubmittedAt).includes(author)
      ? author
      : c.activeCorrespondents(unit, resubmittedAt)[0];
    if (!tl.step(resubmittedAt, resubmitter.id, "resubmit", queued)) break;
    arrival = resubmittedAt;
    if (unit.signoff) {
      arrival = resubmittedAt + rng.int(30, 20 * 60) * MINUTE;
      if (!tl.step(arrival, unit.lead.id, "sign_off", "submitted")) break;
    }
    item.lastArrival = arrival;
    arrive(arrival);
  }

  // Part of the previous month's late arrivals still wait in the queue (the month is open).
  const backlog = month === c.prevMonth && Number(arrivalDate.slice(8)) > monthDays - 5 && rng.chance(0.2);
  if (!backlog) {
    const decidedAt = c.actionBeforeClose(item.reportMonth!, arrival, c.reviewLag());
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
          const withdrawnAt = decidedAt + rng.int(1, 20) * DAY + rng.int(0, 8 * 60) * MINUTE;
          if (tl.step(withdrawnAt, reviewer.id, "withdraw", "withdrawn", { reason })) {
            item.lastReason = reason;
            // Now and then the reviewer also takes the points back (e.g. wrong data), while the
            // month is open: a closed month's figures stay as they were frozen.
            const revoke = rng.chance(0.2);
            item.pointsRevoked = revoke && withdrawnAt < (c.closeAt(item.reportMonth!) ?? Infinity);
          }
        }
      }
    }
  }

  // Guards the promise the portal relies on: only the open months have undecided items.
  if (item.reportMonth! < c.prevMonth && !["adopted", "rejected", "withdrawn"].includes(tl.status)) {
    throw new Error(`演示数据生成错误：${month} 的信息仍处于“${tl.status}”状态`);
  }
  item.status = tl.status;
  item.events = tl.events;
  return item;
}

/** Drafts and items awaiting the school's sign-off, in the current month. */
export function addWorkInProgress(c: CountyState, unit: DemoUnit): void {
  const rng = c.rng;
  const monthStart = atShanghai(`${c.currentMonth}-01`, 0);
  const drafts = rng.weighted([[0, 0.45], [1, 0.35], [2, 0.15], [3, 0.05]] as const);
  for (let i = 0; i < drafts; i++) {
    const createdAt = Math.max(monthStart, c.nowMs - rng.int(30, 6 * 24 * 60) * MINUTE);
    const eventDate = addDays(dayOf(createdAt), -rng.int(0, 3));
    const item = newItem(c, unit, eventDate, createdAt);
    item.confidential = rng.chance(0.5);
    item.status = "draft";
    c.items.push(item);
  }
  if (!unit.signoff) return;
  const pending = rng.weighted([[0, 0.5], [1, 0.35], [2, 0.15]] as const);
  for (let i = 0; i < pending; i++) {
    const submittedAt = Math.max(monthStart, c.nowMs - rng.int(20, 40 * 60) * MINUTE);
    const eventDate = addDays(dayOf(submittedAt), -rng.int(1, 3));
    const item = newItem(c, unit, eventDate, writingStart(c, eventDate, submittedAt));
    item.confidential = true;
    const tl = new Timeline(c.nowMs);
    tl.step(submittedAt, item.createdBy.id, "submit", "pending_school");
    item.status = tl.status;
    item.events = tl.events;
    c.items.push(item);
  }
}

/** When the correspondent started writing: after the event, before submitting. */
function writingStart(c: CountyState, eventDate: string, submittedAt: number): number {
  const start = Math.max(submittedAt - c.rng.int(20, 300) * MINUTE, atShanghai(eventDate, 9 * 60 + 30));
  return Math.min(start, submittedAt - 10 * MINUTE);
}

function newItem(c: CountyState, unit: DemoUnit, eventDate: string, createdAt: number): ItemPlan {
  const rng = c.rng;
  const active = c.activeCorrespondents(unit, createdAt);
  const author = rng.pick(active);
  const bylines = [author];
  const colleague = active.find((p) => p !== author);
  if (colleague && rng.chance(0.3)) bylines.push(colleague);
  else if (rng.chance(0.08)) bylines.push(unit.lead);

  const text = writeText(c, unit, eventDate);
  const photoCount = rng.chance(0.4) ? rng.weighted([[1, 0.5], [2, 0.3], [3, 0.2]] as const) : 0;
  const captions = rng.sample([...CAPTIONS[text.category], ...GENERIC_CAPTIONS], photoCount);
  const photos = rng.sample(c.images, photoCount).map((image, i) => ({ image, caption: captions[i] }));

  return {
    seq: c.items.length,
    id: 0,
    unit,
    ...text,
    channel: rng.chance(0.7) ? "教育信息网" : "教育网",
    eventDate,
    status: "draft",
    reportMonth: null,
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
