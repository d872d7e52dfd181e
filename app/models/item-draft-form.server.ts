// Reading a draft for its form: the categories, channels and people the item form offers, and a
// draft as its edit form needs it (or why this person cannot edit it).
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { roleName } from "~/domain/permissions";
import { canEditItem } from "~/domain/workflow";
import type { SessionUser } from "~/models/auth.server";
import { currentBylines } from "~/models/item-draft-checks.server";
import { themeChoices } from "~/models/themes.server";

type DB = Kysely<Database>;

/**
 * What the item form offers: active categories and channels, the unit's active people, and the
 * 报送要点 of the month the item would count in (plus the one it carries).
 */
export async function draftFormOptions(
  db: DB,
  user: SessionUser,
  keepBylines: readonly number[] = [],
  tag: { reportMonth: string | null; themeId: number | null } = { reportMonth: null, themeId: null },
) {
  if (user.unitId === null) throw new Error("school role without a unit");
  const [categories, channels, people, themes] = await Promise.all([
    db.selectFrom("categories").select(["id", "name"]).where("active", "=", 1).orderBy("sort_order").orderBy("id").execute(),
    db.selectFrom("channels").select(["id", "name"]).where("active", "=", 1).orderBy("sort_order").orderBy("id").execute(),
    db
      .selectFrom("accounts")
      .select(["id", "display_name", "role", "active"])
      .where("unit_id", "=", user.unitId)
      .where("role", "in", ["correspondent", "school_lead"])
      .where((eb) => (keepBylines.length > 0 ? eb.or([eb("active", "=", 1), eb("id", "in", [...keepBylines])]) : eb("active", "=", 1)))
      .orderBy("role")
      .orderBy("display_name")
      .execute(),
    themeChoices(db, tag),
  ]);
  return {
    categories,
    channels,
    themes: themes.themes.map((t) => ({ id: t.id, name: t.title, guidance: t.guidance, month: t.month })),
    people: people.map((p) => ({ id: p.id, name: p.display_name, role: roleName(p.role), active: p.active === 1 })),
  };
}

export type DraftFormOptions = Awaited<ReturnType<typeof draftFormOptions>>;

export type DraftForEdit =
  | { status: "not_found" }
  | { status: "forbidden" }
  | { status: "not_editable"; itemId: number }
  | {
      status: "ok";
      item: {
        id: number; title: string; body: string; category_id: number; channel_id: number | null; event_date: string;
        version: number; report_month: string | null; last_reason: string; theme_id: number | null;
      };
      bylines: number[];
      photos: Array<{ id: number; caption: string; width: number; height: number }>;
      options: DraftFormOptions;
    };

/** A draft as its edit form needs it, or why it cannot be edited by this person. */
export async function draftForEdit(db: DB, user: SessionUser, itemId: number): Promise<DraftForEdit> {
  const item = await db
    .selectFrom("items")
    .select([
      "id", "unit_id", "status", "title", "body", "category_id", "channel_id", "event_date", "version", "report_month", "last_reason", "theme_id",
    ])
    .where("id", "=", itemId)
    .executeTakeFirst();
  if (!item) return { status: "not_found" };
  if (user.unitId !== item.unit_id) return { status: "forbidden" };
  if (!canEditItem({ role: user.role, unitId: user.unitId }, { status: item.status, unitId: item.unit_id })) {
    return user.role === "correspondent" ? { status: "not_editable", itemId } : { status: "forbidden" };
  }
  const [bylines, photos] = await Promise.all([
    currentBylines(db, itemId),
    db.selectFrom("photos").select(["id", "caption", "width", "height"]).where("item_id", "=", itemId).orderBy("sort_order").orderBy("id").execute(),
  ]);
  const { unit_id: _u, status: _s, ...fields } = item;
  const options = await draftFormOptions(db, user, bylines, { reportMonth: item.report_month, themeId: item.theme_id });
  return { status: "ok", item: fields, bylines, photos, options };
}
