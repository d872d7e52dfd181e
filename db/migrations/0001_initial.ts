// The whole domain's schema. Frozen: later changes go in new migrations.
import { sql, type Kysely } from "kysely";

const statements = [
  `create table unit_kinds (
     code text primary key,
     name text not null,
     sort_order integer not null default 0
   ) strict`,

  `create table units (
     id integer primary key,
     code text not null unique,
     name text not null,
     township text not null default '',
     kind_code text not null references unit_kinds(code),
     signoff_required integer not null default 1 check (signoff_required in (0, 1)),
     active integer not null default 1 check (active in (0, 1)),
     created_at text not null,
     updated_at text not null
   ) strict`,
  `create index units_kind on units(kind_code, code)`,

  `create table accounts (
     id integer primary key,
     username text not null unique collate nocase,
     display_name text not null,
     phone text not null default '',
     role text not null check (role in ('correspondent', 'school_lead', 'reviewer', 'admin')),
     unit_id integer references units(id),
     password_hash text not null,
     active integer not null default 1 check (active in (0, 1)),
     must_change_password integer not null default 0 check (must_change_password in (0, 1)),
     registered_on text,
     deactivated_at text,
     created_at text not null,
     updated_at text not null,
     check ((role in ('correspondent', 'school_lead')) = (unit_id is not null))
   ) strict`,
  `create index accounts_unit on accounts(unit_id, role)`,

  `create table sessions (
     id_hash text primary key,
     account_id integer not null references accounts(id),
     created_at text not null,
     expires_at text not null,
     last_seen_at text not null,
     ip text not null default '',
     user_agent text not null default ''
   ) strict`,
  `create index sessions_account on sessions(account_id)`,

  `create table login_attempts (
     id integer primary key,
     username text not null collate nocase,
     ip text not null,
     success integer not null check (success in (0, 1)),
     at text not null
   ) strict`,
  `create index login_attempts_username on login_attempts(username, at)`,
  `create index login_attempts_ip on login_attempts(ip, at)`,

  // Rules as versioned data: each version governs from its effective month until the next.
  `create table quota_rule_versions (
     id integer primary key,
     effective_month text not null unique check (effective_month glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
     note text not null default '',
     created_by integer references accounts(id),
     created_at text not null
   ) strict`,
  `create table quota_rules (
     version_id integer not null references quota_rule_versions(id),
     kind_code text not null references unit_kinds(code),
     quota integer not null check (quota >= 0),
     primary key (version_id, kind_code)
   ) strict`,
  `create table unit_quota_overrides (
     id integer primary key,
     unit_id integer not null references units(id),
     effective_month text not null check (effective_month glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
     quota integer not null check (quota >= 0),
     reason text not null default '',
     created_by integer references accounts(id),
     created_at text not null,
     unique (unit_id, effective_month)
   ) strict`,
  `create table points_rule_versions (
     id integer primary key,
     effective_month text not null unique check (effective_month glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
     rules_json text not null,
     note text not null default '',
     created_by integer references accounts(id),
     created_at text not null
   ) strict`,

  `create table categories (
     id integer primary key,
     name text not null unique,
     sort_order integer not null default 0,
     active integer not null default 1 check (active in (0, 1))
   ) strict`,
  `create table channels (
     id integer primary key,
     name text not null unique,
     sort_order integer not null default 0,
     active integer not null default 1 check (active in (0, 1))
   ) strict`,

  `create table items (
     id integer primary key,
     unit_id integer not null references units(id),
     title text not null,
     body text not null,
     category_id integer not null references categories(id),
     channel_id integer references channels(id),
     event_date text not null check (event_date glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
     status text not null check (status in
       ('draft', 'pending_school', 'submitted', 'adopted', 'rejected', 'withdrawn')),
     report_month text check (report_month is null or report_month glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
     first_submitted_at text,
     submitted_at text,
     late integer not null default 0 check (late in (0, 1)),
     grade text check (grade is null or grade in ('excellent', 'good', 'fair')),
     decided_at text,
     decided_by integer references accounts(id),
     points_revoked integer not null default 0 check (points_revoked in (0, 1)),
     last_reason text not null default '',
     returned_count integer not null default 0,
     confidential_checked integer not null default 0 check (confidential_checked in (0, 1)),
     version integer not null default 1,
     created_by integer not null references accounts(id),
     created_at text not null,
     updated_at text not null,
     check (status in ('draft', 'pending_school') or report_month is not null),
     check ((status in ('adopted', 'withdrawn')) = (grade is not null))
   ) strict`,
  `create index items_unit_status on items(unit_id, status, updated_at)`,
  `create index items_status_submitted on items(status, submitted_at)`,
  `create index items_report_month on items(report_month, unit_id, status)`,
  `create index items_adopted on items(status, decided_at)`,

  `create table item_bylines (
     item_id integer not null references items(id) on delete cascade,
     account_id integer not null references accounts(id),
     primary key (item_id, account_id)
   ) strict`,
  `create index item_bylines_account on item_bylines(account_id)`,

  `create table photos (
     id integer primary key,
     item_id integer not null references items(id) on delete cascade,
     sha256 text not null,
     mime text not null check (mime in ('image/jpeg', 'image/png', 'image/webp')),
     width integer not null,
     height integer not null,
     bytes integer not null,
     caption text not null default '',
     sort_order integer not null default 0,
     created_at text not null
   ) strict`,
  `create index photos_item on photos(item_id, sort_order)`,
  `create index photos_sha on photos(sha256)`,

  // The trail of an item: one row per transition, written in the transition's transaction.
  `create table review_events (
     id integer primary key,
     item_id integer not null references items(id) on delete cascade,
     actor_id integer not null references accounts(id),
     action text not null,
     from_status text,
     to_status text not null,
     grade text,
     reason text not null default '',
     at text not null
   ) strict`,
  `create index review_events_item on review_events(item_id, at)`,

  `create table pickups (
     id integer primary key,
     item_id integer not null references items(id),
     outlet text not null,
     tier text not null check (tier in ('county', 'city', 'province', 'national')),
     picked_on text not null,
     url text not null default '',
     created_by integer not null references accounts(id),
     created_at text not null
   ) strict`,
  `create index pickups_item on pickups(item_id)`,
  `create table instructions (
     id integer primary key,
     item_id integer not null references items(id),
     level text not null check (level in ('county', 'city', 'province')),
     leader text not null default '',
     content text not null default '',
     instructed_on text not null,
     created_by integer not null references accounts(id),
     created_at text not null
   ) strict`,
  `create index instructions_item on instructions(item_id)`,

  // Running monthly accounting per unit, updated with every decision that changes it.
  `create table unit_month_stats (
     unit_id integer not null references units(id),
     month text not null,
     submitted integer not null default 0,
     adopted integer not null default 0,
     late integer not null default 0,
     item_points real not null default 0,
     pickups_national integer not null default 0,
     pickups_province integer not null default 0,
     pickups_city integer not null default 0,
     primary key (unit_id, month)
   ) strict`,
  `create index unit_month_stats_month on unit_month_stats(month)`,

  `create table month_closes (
     id integer primary key,
     month text not null check (month glob '[0-9][0-9][0-9][0-9]-[0-1][0-9]'),
     quota_version_id integer not null references quota_rule_versions(id),
     points_version_id integer not null references points_rule_versions(id),
     closed_at text not null,
     closed_by integer not null references accounts(id),
     reopened_at text,
     reopened_by integer references accounts(id),
     reopen_reason text
   ) strict`,
  // At most one close of a month is in force (not reopened).
  `create unique index month_closes_current on month_closes(month) where reopened_at is null`,
  `create table month_unit_snapshots (
     close_id integer not null references month_closes(id),
     unit_id integer not null references units(id),
     kind_code text not null,
     quota integer not null,
     submitted integer not null,
     adopted integer not null,
     late integer not null,
     completion real not null,
     status text not null check (status in ('met', 'short', 'none')),
     points real not null,
     pickups_national integer not null,
     pickups_province integer not null,
     pickups_city integer not null,
     rank integer not null,
     tied integer not null default 0,
     movement text not null default '',
     primary key (close_id, unit_id)
   ) strict`,
  `create table month_correspondent_snapshots (
     close_id integer not null references month_closes(id),
     account_id integer not null references accounts(id),
     unit_id integer not null references units(id),
     items real not null,
     points real not null,
     rank integer not null,
     primary key (close_id, account_id)
   ) strict`,

  `create table notices (
     id integer primary key,
     kind text not null check (kind in ('monthly', 'annual')),
     period text not null,
     close_id integer references month_closes(id),
     doc_number text not null default '',
     title text not null,
     addressee text not null default '',
     opening_text text not null default '',
     closing_text text not null default '',
     data_json text not null,
     status text not null check (status in ('draft', 'published')),
     signer_name text,
     published_at text,
     published_by integer references accounts(id),
     docx_sha256 text,
     created_by integer not null references accounts(id),
     created_at text not null,
     updated_at text not null
   ) strict`,
  `create index notices_status on notices(status, kind, period)`,
  `create table notice_adjustments (
     id integer primary key,
     notice_id integer not null references notices(id) on delete cascade,
     unit_id integer not null references units(id),
     list text not null check (list in ('commended', 'criticised')),
     action text not null check (action in ('add', 'remove')),
     reason text not null,
     created_by integer not null references accounts(id),
     created_at text not null
   ) strict`,

  `create table notifications (
     id integer primary key,
     account_id integer not null references accounts(id),
     kind text not null,
     title text not null,
     body text not null default '',
     link text not null default '',
     item_id integer references items(id) on delete cascade,
     created_at text not null,
     read_at text
   ) strict`,
  `create index notifications_account on notifications(account_id, read_at, created_at)`,
  `create table reminders (
     id integer primary key,
     unit_id integer not null references units(id),
     month text not null,
     kind text not null check (kind in ('auto', 'manual')),
     reason text not null default '',
     sent_by integer references accounts(id),
     created_at text not null
   ) strict`,
  `create index reminders_unit on reminders(unit_id, month)`,

  `create table sensitive_words (
     id integer primary key,
     word text not null unique,
     level text not null check (level in ('block', 'warn')),
     note text not null default '',
     created_by integer references accounts(id),
     created_at text not null,
     updated_at text not null
   ) strict`,

  `create table audit_events (
     id integer primary key,
     at text not null,
     actor_id integer references accounts(id),
     actor_name text not null default '',
     action text not null,
     entity_type text not null default '',
     entity_id text not null default '',
     from_state text,
     to_state text,
     reason text not null default '',
     ip text not null default '',
     detail_json text not null default '{}'
   ) strict`,
  `create index audit_events_entity on audit_events(entity_type, entity_id, at)`,
  `create index audit_events_action on audit_events(action, at)`,

  // Settings keep their history: a value applies from its effective month on.
  `create table settings (
     id integer primary key,
     key text not null,
     value_json text not null,
     effective_month text not null default '0000-00',
     updated_by integer references accounts(id),
     updated_at text not null,
     unique (key, effective_month)
   ) strict`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const tables = statements
    .map((s) => /^create table (\w+)/.exec(s)?.[1])
    .filter((t): t is string => !!t)
    .reverse();
  for (const table of tables) await sql.raw(`drop table if exists ${table}`).execute(db);
}
