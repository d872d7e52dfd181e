// Login protection counters. The old throttle counted failures after checking, so parallel
// attempts all passed the check before any failure was written. A counter row per
// account+address, per address and per account is read and bumped inside one write transaction
// before the password is evaluated, and settled afterwards.
import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table login_counters (
     key text primary key,
     points integer not null check (points >= 0),
     expires_at text not null,
     next_allowed_at text,
     audit_id integer
   ) strict`.execute(db);
  await sql`create index login_counters_expires on login_counters(expires_at)`.execute(db);
  // Pruning login history by age, and looking up whether an account has signed in from an address.
  await sql`create index login_attempts_at on login_attempts(at)`.execute(db);
  await sql`create index login_attempts_pair on login_attempts(username, ip, success)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists login_attempts_pair`.execute(db);
  await sql`drop index if exists login_attempts_at`.execute(db);
  await sql`drop table if exists login_counters`.execute(db);
}
