// What an item's pages show to whom, and the small facts they state about it: the bureau's rules,
// kept here rather than in the pages.
import { roleNeedsUnit, type Role } from "./permissions";
import { daysBetween, shanghaiDate } from "./time";
import { canEditItem } from "./workflow";
import type { ItemStatusCode } from "./catalog";

export interface ItemPageAccess {
  /** The viewer belongs to the item's unit. */
  ownUnit: boolean;
  /** Sensitive-word hits are a review aid for the school's lead and the bureau, not for a public reader. */
  showsWordHits: boolean;
  /** Points are the unit's and the bureau's business, not another school's. */
  showsPoints: boolean;
  /**
   * The review record (grade, reasons, trail, appeals, corrections, pickups, 批示) is the unit's and
   * the bureau's: another school reads an adopted item as the public does, on its news page.
   */
  showsReviewRecord: boolean;
  canEdit: boolean;
  /** Only a draft that never reached the bureau may be deleted: one that did keeps its trail. */
  canDelete: boolean;
}

export function itemPageAccess(
  viewer: { role: Role; unitId: number | null },
  item: { unitId: number; status: ItemStatusCode; reportMonth: string | null },
): ItemPageAccess {
  const ownUnit = roleNeedsUnit(viewer.role) && viewer.unitId === item.unitId;
  const canEdit = canEditItem(viewer, { status: item.status, unitId: item.unitId });
  return {
    ownUnit,
    showsWordHits: viewer.role === "reviewer" || (viewer.role === "school_lead" && ownUnit),
    showsPoints: ownUnit || viewer.role === "reviewer",
    showsReviewRecord: ownUnit || !roleNeedsUnit(viewer.role),
    canEdit,
    canDelete: canEdit && item.reportMonth === null,
  };
}

/** Days from the event to the item's first arrival at the bureau (Asia/Shanghai), or null before it arrived. */
export function daysToArrival(eventDate: string, firstSubmittedAt: string | null): number | null {
  return firstSubmittedAt ? daysBetween(eventDate, shanghaiDate(firstSubmittedAt)) : null;
}

/** How many adopted items a unit still needs this month (0 once its quota is met). */
export function stillToDo(m: { adopted: number; quota: number }): number {
  return Math.max(0, m.quota - m.adopted);
}
