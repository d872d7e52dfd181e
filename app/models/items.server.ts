// Reading items. A school role's list is always scoped to its own unit, here.
import type { Kysely } from "kysely";
import type { Database, ItemStatus } from "../../db/schema";
import type { SessionUser } from "~/models/auth.server";

type DB = Kysely<Database>;

export const PAGE_SIZE = 20;

export interface UnitItemFilters {
  status?: ItemStatus;
  month?: string;
  page: number;
}

export async function listUnitItems(db: DB, user: SessionUser, filters: UnitItemFilters) {
  if (user.unitId === null) throw new Error("school role without a unit");
  let query = db
    .selectFrom("items")
    .innerJoin("categories", "categories.id", "items.category_id")
    .where("items.unit_id", "=", user.unitId);
  if (filters.status) query = query.where("items.status", "=", filters.status);
  if (filters.month) query = query.where("items.report_month", "=", filters.month);
  const [rows, total] = await Promise.all([
    query
      .select([
        "items.id", "items.title", "items.status", "items.report_month", "items.late", "items.grade",
        "items.updated_at", "items.event_date", "categories.name as category",
      ])
      .orderBy("items.updated_at", "desc")
      .orderBy("items.id", "desc")
      .limit(PAGE_SIZE)
      .offset((filters.page - 1) * PAGE_SIZE)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n), pages: Math.max(1, Math.ceil(Number(total.n) / PAGE_SIZE)) };
}

export async function listReviewQueue(db: DB, filters: { page: number }) {
  const base = db
    .selectFrom("items")
    .innerJoin("units", "units.id", "items.unit_id")
    .innerJoin("unit_kinds", "unit_kinds.code", "units.kind_code")
    .innerJoin("categories", "categories.id", "items.category_id")
    .where("items.status", "=", "submitted");
  const [rows, total] = await Promise.all([
    base
      .select([
        "items.id", "items.title", "items.submitted_at", "items.report_month", "items.late",
        "units.name as unit_name", "unit_kinds.name as kind_name", "categories.name as category",
      ])
      .orderBy("items.submitted_at", "asc")
      .orderBy("items.id", "asc")
      .limit(PAGE_SIZE)
      .offset((filters.page - 1) * PAGE_SIZE)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n), pages: Math.max(1, Math.ceil(Number(total.n) / PAGE_SIZE)) };
}
