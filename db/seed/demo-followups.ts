// What happened to adopted demo items afterwards: media pickups (county, city, province, now and
// then national), leaders' written instructions, and the notifications their authors received.
import type { Insertable } from "kysely";
import type { InstructionLevelCode, TierCode } from "../../app/domain/catalog";
import { decisionNotice, type ItemAction } from "../../app/domain/workflow";
import type { Database } from "../schema";
import { INSTRUCTION_CONTENTS, INSTRUCTION_LEADERS, OUTLETS } from "./demo-texts";
import { atShanghai, DAY, dayOf, HOUR, iso, MINUTE, type CountyState, type ItemPlan } from "./demo-plan";
import type { Random } from "./random";

export function addPickupsAndInstructions(c: CountyState): void {
  const rng = c.rng;
  const adopted = c.items.filter((i) => i.status === "adopted" && i.decidedAt !== null);
  const tiers = ["county", "city", "province"] as const;
  const addPickup = (item: ItemPlan, tier: TierCode) => {
    const pickedAt = item.decidedAt! + rng.int(0, 6) * DAY;
    if (pickedAt > c.nowMs - 2 * HOUR) return;
    const pickedOn = dayOf(pickedAt);
    const createdAt = Math.min(atShanghai(pickedOn, rng.int(9 * 60, 18 * 60)) + rng.int(0, 2) * DAY, c.nowMs - 5 * MINUTE);
    item.pickups.push({
      outlet: rng.pick(OUTLETS[tier]),
      tier,
      pickedOn,
      createdAt: Math.max(createdAt, item.decidedAt! + HOUR),
      createdBy: c.reviewer().id,
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
  const picked = adopted.filter((i) => i.grade === "excellent" && i.pickups.length > 0 && i.decidedAt! < c.nowMs - 20 * DAY);
  for (const item of rng.sample(picked, 2)) addPickup(item, "national");

  const levels: InstructionLevelCode[] = ["county", "county", "county", "county", "county", "city", "city", "province"];
  for (const [i, item] of rng.sample(picked, levels.length).entries()) {
    const level = levels[i];
    const instructedAt = Math.min(item.decidedAt! + rng.int(2, 15) * DAY, c.nowMs - DAY);
    if (instructedAt <= item.decidedAt!) continue;
    item.instructions.push({
      level,
      leader: rng.pick(INSTRUCTION_LEADERS[level]),
      content: rng.pick(INSTRUCTION_CONTENTS),
      instructedOn: dayOf(instructedAt),
      createdAt: Math.min(instructedAt + rng.int(1, 48) * HOUR, c.nowMs - 5 * MINUTE),
      createdBy: c.reviewer().id,
    });
  }
}

const NOTIFIED_ACTIONS = new Set(["return", "adopt", "reject", "withdraw"]);

export function notificationsFor(items: readonly ItemPlan[], nowMs: number, rng: Random): Insertable<Database["notifications"]>[] {
  const rows: (Insertable<Database["notifications"]> & { at: number })[] = [];
  for (const item of items) {
    item.events.forEach((event, index) => {
      const isLast = index === item.events.length - 1;
      // Recent decisions, plus every return the school has not yet acted on.
      const recent = event.at >= nowMs - 5 * DAY;
      if (!recent && !(isLast && event.action === "return")) return;
      // Worded as the portal words them (a send-back or a sign-off is not among the demo's events).
      const message = NOTIFIED_ACTIONS.has(event.action)
        ? decisionNotice(event.action as ItemAction, item.title, { reason: event.reason, grade: event.grade })
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
