// The correspondent register: each unit's lead(s) and correspondents as the accounts say today,
// the year's deadline, the incomplete units (at the deadline once it has passed, and today), and a
// lead's corrections of phone and since-date.
// People who left are deactivated accounts: they appear only in a unit's "已停用" note, and their
// items and points stay theirs (nothing here touches items or the rollups).
import type { Kysely } from "kysely";
import type { Database } from "../../db/schema";
import { canActOnUnit } from "~/domain/permissions";
import {
  dateLabel, deadlinePassed, entryChanges, gapsAtDeadline, gapText, registeredLate, registerGaps,
  REGISTER_ROLES, yearRegisterDeadline, type DatedMember, type IncompleteUnit, type RegisterEntryInput, type RegisterGap,
  type RegisterPerson, type RegisterUnit, type RegisterView,
} from "~/domain/register";
import { shanghaiDate, shanghaiMidnight } from "~/domain/time";
import { recordAudit, type ScopedActor } from "~/models/audit.server";
import { storedVersionsOf } from "~/models/settings.server";
import { writeCache } from "~/models/write-cache.server";

type DB = Kysely<Database>;

/** The year's deadline: the one in force when it fell, from the setting's versions up to that year. */
export async function registerDeadlineFor(db: DB, year: number): Promise<string> {
  return yearRegisterDeadline(year, await storedVersionsOf(db, "registerDeadline"));
}

/**
 * The register of a year. The people listed are those on the accounts today; a unit's note lists
 * the accounts deactivated since that year began. Once the deadline has passed, the incomplete
 * units are judged by who was on the register at the end of the deadline day (since-dates and
 * deactivation dates), and today's gaps are listed beside them until fixed.
 */
export async function registerFor(db: DB, year: number, scope: { unitId: number | null }, now = new Date()): Promise<RegisterView> {
  const today = shanghaiDate(now);
  // It reads accounts, units and settings, no items or rollups (any write to those tables reaches
  // everything): read once per such write, by year, unit (or every unit) and day, and shared read-only.
  const key = `${year}|${scope.unitId === null ? "all" : `unit:${scope.unitId}`}|${today}`;
  return registers.get(db, key, () => readRegister(db, year, scope, today), "none");
}

const registers = writeCache<RegisterView>({ frozen: true });

async function readRegister(db: DB, year: number, scope: { unitId: number | null }, today: string): Promise<RegisterView> {
  const deadline = await registerDeadlineFor(db, year);
  let unitsQ = db
    .selectFrom("units")
    .innerJoin("unit_kinds", "unit_kinds.code", "units.kind_code")
    .select([
      "units.id", "units.code", "units.name", "units.township", "units.kind_code", "unit_kinds.name as kind_name",
      "unit_kinds.sort_order", "units.created_at",
    ])
    .where("units.active", "=", 1)
    .orderBy("unit_kinds.sort_order")
    .orderBy("units.kind_code")
    .orderBy("units.code");
  if (scope.unitId !== null) unitsQ = unitsQ.where("units.id", "=", scope.unitId);
  const units = await unitsQ.execute();

  let peopleQ = db
    .selectFrom("accounts")
    .select(["id", "username", "display_name", "role", "unit_id", "phone", "registered_on", "active", "deactivated_at", "created_at"])
    .where("role", "in", [...REGISTER_ROLES])
    .where("unit_id", "is not", null)
    .where((eb) =>
      eb.or([eb("active", "=", 1), eb("deactivated_at", "is", null), eb("deactivated_at", ">=", shanghaiMidnight(`${year}-01-01`))]),
    )
    .orderBy("registered_on")
    .orderBy("username");
  if (scope.unitId !== null) peopleQ = peopleQ.where("unit_id", "=", scope.unitId);
  const people = await peopleQ.execute();

  const byUnit = new Map<number, typeof people>();
  for (const p of people) byUnit.set(p.unit_id!, [...(byUnit.get(p.unit_id!) ?? []), p]);

  const person = (p: (typeof people)[number]): RegisterPerson => ({
    id: p.id, username: p.username, name: p.display_name, role: p.role as RegisterPerson["role"], phone: p.phone,
    registeredOn: p.registered_on, late: registeredLate(p.registered_on, year, deadline),
  });
  // Unknown since-dates last, else by date.
  const bySince = (a: RegisterPerson, b: RegisterPerson) =>
    (a.registeredOn ?? "9999") < (b.registeredOn ?? "9999") ? -1 : (a.registeredOn ?? "9999") > (b.registeredOn ?? "9999") ? 1 : 0;

  const membersOf = (unitId: number): DatedMember[] =>
    (byUnit.get(unitId) ?? []).map((m) => ({
      role: m.role, active: m.active === 1, registeredOn: m.registered_on, createdOn: shanghaiDate(m.created_at),
      deactivatedOn: m.deactivated_at ? shanghaiDate(m.deactivated_at) : null,
    }));
  const registerUnits: RegisterUnit[] = units.map((u) => {
    const members = byUnit.get(u.id) ?? [];
    const active = members.filter((m) => m.active === 1).map(person).sort(bySince);
    const dated = membersOf(u.id);
    const gaps = registerGaps(dated);
    return {
      id: u.id, code: u.code, name: u.name, township: u.township, kindCode: u.kind_code, kindName: u.kind_name,
      leads: active.filter((p) => p.role === "school_lead"),
      correspondents: active.filter((p) => p.role === "correspondent"),
      inactive: members
        .filter((m) => m.active === 0)
        .map((m) => ({ ...person(m), late: false, deactivatedOn: m.deactivated_at ? shanghaiDate(m.deactivated_at) : null })),
      gaps,
      gapText: gapText(gaps),
      gapsAtDeadline: gapsAtDeadline(shanghaiDate(u.created_at), dated, deadline, today),
    };
  });

  const kinds: RegisterView["kinds"] = [];
  for (const u of registerUnits) {
    let kind = kinds.at(-1);
    if (!kind || kind.code !== u.kindCode) kinds.push((kind = { code: u.kindCode, name: u.kindName, units: [] }));
    kind.units.push(u);
  }
  const everyone = registerUnits.flatMap((u) => [...u.leads, ...u.correspondents]);
  const listed = (gapsOf: (u: RegisterUnit) => RegisterGap[] | null): IncompleteUnit[] =>
    registerUnits.flatMap((u) => {
      const gaps = gapsOf(u) ?? [];
      return gaps.length === 0 ? [] : [{ unitId: u.id, code: u.code, name: u.name, kindName: u.kindName, gaps, text: gapText(gaps) }];
    });
  const passed = deadlinePassed(deadline, today);
  return {
    year,
    deadline,
    deadlineLabel: dateLabel(deadline),
    deadlinePassed: passed,
    today,
    scope: scope.unitId === null ? "all" : "unit",
    kinds,
    incomplete: listed((u) => (passed ? u.gapsAtDeadline : u.gaps)),
    incompleteToday: listed((u) => u.gaps),
    totals: {
      units: registerUnits.length,
      leads: registerUnits.reduce((s, u) => s + u.leads.length, 0),
      correspondents: registerUnits.reduce((s, u) => s + u.correspondents.length, 0),
      late: everyone.filter((p) => p.late).length,
      noPhone: everyone.filter((p) => p.phone === "").length,
      inactive: registerUnits.reduce((s, u) => s + u.inactive.length, 0),
    },
  };
}

/**
 * What a unit's register lacks today, for its dashboard ("本单位登记不全：缺少…"); null when
 * complete, or when the unit does not exist or is no longer active. Read from the unit and its
 * accounts once per write to those tables (any reaches everything) and shared read-only.
 */
export function unitRegisterProblems(db: DB, unitId: number): Promise<RegisterProblems | null> {
  return registerProblems.get(db, String(unitId), () => readRegisterProblems(db, unitId), "none");
}

type RegisterProblems = { gaps: RegisterGap[]; text: string; message: string };
const registerProblems = writeCache<RegisterProblems | null>({ frozen: true });

async function readRegisterProblems(db: DB, unitId: number): Promise<RegisterProblems | null> {
  const unit = await db.selectFrom("units").select("active").where("id", "=", unitId).executeTakeFirst();
  if (!unit || unit.active !== 1) return null;
  const members = await db
    .selectFrom("accounts")
    .select(["role", "active"])
    .where("unit_id", "=", unitId)
    .where("active", "=", 1)
    .where("role", "in", [...REGISTER_ROLES])
    .execute();
  const gaps = registerGaps(members.map((m) => ({ role: m.role, active: m.active === 1 })));
  if (gaps.length === 0) return null;
  const text = gapText(gaps);
  return { gaps, text, message: `本单位登记不全：${text}` };
}

export type RegisterEntryResult =
  | { ok: true; changed: boolean; name: string }
  | { ok: false; reason: "not_found" }
  | { ok: false; reason: "forbidden" }
  | { ok: false; reason: "conflict"; message: string };

/**
 * A lead corrects the phone and since-date of one of their unit's people: one transaction, and
 * one audit row when something changed.
 */
export async function updateRegisterEntry(db: DB, input: RegisterEntryInput, actor: ScopedActor, now = new Date()): Promise<RegisterEntryResult> {
  return db.transaction().execute(async (trx): Promise<RegisterEntryResult> => {
    const account = await trx
      .selectFrom("accounts")
      .select(["id", "username", "display_name", "role", "unit_id", "active", "phone", "registered_on"])
      .where("id", "=", input.account_id)
      .executeTakeFirst();
    if (!account || account.unit_id === null || !(REGISTER_ROLES as readonly string[]).includes(account.role)) {
      return { ok: false, reason: "not_found" };
    }
    if (!canActOnUnit({ role: actor.role, unitId: actor.unitId }, "register.edit_unit", account.unit_id)) {
      return { ok: false, reason: "forbidden" };
    }
    if (account.active !== 1) {
      return { ok: false, reason: "conflict", message: `${account.display_name}的账号已停用，不在登记表上，不能修改。` };
    }
    const changes = entryChanges(account, { phone: input.phone, registered_on: input.registered_on });
    if (Object.keys(changes).length === 0) return { ok: true, changed: false, name: account.display_name };
    const at = now.toISOString();
    await trx
      .updateTable("accounts")
      .set({ phone: input.phone, registered_on: input.registered_on, updated_at: at })
      .where("id", "=", account.id)
      .execute();
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "register_updated", entityType: "account", entityId: account.id,
      ip: actor.ip, at, detail: { username: account.username, unit_id: account.unit_id, changes },
    });
    return { ok: true, changed: true, name: account.display_name };
  });
}
