// When each unit was deactivated or reactivated, so a month's league can tell which units were
// active during that month (units.active says only how a unit stands now). Filled from the audit
// trail, which has recorded every such act as unit_deactivated / unit_reactivated (entity_id: the
// unit's id); from here on the act writes its row here in the same transaction as the audit row.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table unit_status_changes (
     id integer primary key,
     unit_id integer not null references units(id),
     active integer not null check (active in (0, 1)),
     changed_at text not null
   ) strict`.execute(db);
  await sql`create index unit_status_changes_unit on unit_status_changes(unit_id, changed_at)`.execute(db);
  await sql`insert into unit_status_changes (unit_id, active, changed_at)
    select u.id, case a.action when 'unit_reactivated' then 1 else 0 end, a.at
    from audit_events a join units u on u.id = cast(a.entity_id as integer)
    where a.action in ('unit_deactivated', 'unit_reactivated') and a.entity_type = 'unit'
    order by a.at, a.id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table unit_status_changes`.execute(db);
}
