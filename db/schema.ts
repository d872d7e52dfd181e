// Row types of every table, snake_case as in SQL. Instants are ISO-8601 UTC text,
// months 'YYYY-MM', dates 'YYYY-MM-DD', booleans 0/1.
// One file (~655 lines) on purpose: it is only declarations, one interface per table, and the
// Database map at the end is its table of contents, read side by side with db/migrations/.
import type { Generated, Insertable, Selectable, Updateable } from "kysely";
// The vocabulary (statuses, grades, tiers, roles…) is the domain's, named once there.
import type { AppealStatusCode, AppealSubjectCode, CorrectionKindCode } from "../app/domain/appeals";
import type { GradeCode, InstructionLevelCode, ItemStatusCode, TierCode } from "../app/domain/catalog";
import type { NoticeKind, NoticeStatus } from "../app/domain/notice-lists";
import type { Role } from "../app/domain/permissions";
import type { QuotaStatus } from "../app/domain/points";

type Flag = 0 | 1;

export interface UnitKindTable {
  code: string;
  name: string;
  sort_order: Generated<number>;
}

export interface UnitTable {
  id: Generated<number>;
  code: string;
  name: string;
  township: Generated<string>;
  kind_code: string;
  signoff_required: Generated<Flag>;
  active: Generated<Flag>;
  created_at: string;
  updated_at: string;
}

/** A unit deactivated (active 0) or reactivated (active 1), for the months it was active in. */
export interface UnitStatusChangeTable {
  id: Generated<number>;
  unit_id: number;
  active: Flag;
  changed_at: string;
}

export type RoleCode = Role;

export interface AccountTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  phone: Generated<string>;
  role: RoleCode;
  unit_id: number | null;
  password_hash: string;
  active: Generated<Flag>;
  must_change_password: Generated<Flag>;
  registered_on: string | null;
  deactivated_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface SessionTable {
  id_hash: string;
  account_id: number;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: Generated<string>;
  user_agent: Generated<string>;
}

export interface LoginAttemptTable {
  id: Generated<number>;
  username: string;
  ip: string;
  success: Flag;
  at: string;
}

/** Login protection: one row per account+address, address or account key while it counts. */
export interface LoginCounterTable {
  key: string;
  points: number;
  expires_at: string;
  next_allowed_at: string | null;
  /** The audit row that summarises refusals for an address in this window. */
  audit_id: number | null;
}

export interface QuotaRuleVersionTable {
  id: Generated<number>;
  effective_month: string;
  note: Generated<string>;
  created_by: number | null;
  created_at: string;
}

export interface QuotaRuleTable {
  version_id: number;
  kind_code: string;
  quota: number;
}

export interface UnitQuotaOverrideTable {
  id: Generated<number>;
  unit_id: number;
  effective_month: string;
  quota: number;
  reason: Generated<string>;
  created_by: number | null;
  created_at: string;
}

export interface PointsRuleVersionTable {
  id: Generated<number>;
  effective_month: string;
  rules_json: string;
  note: Generated<string>;
  created_by: number | null;
  created_at: string;
}

export interface CategoryTable {
  id: Generated<number>;
  name: string;
  sort_order: Generated<number>;
  active: Generated<Flag>;
}

export type ChannelTable = CategoryTable;

export type ItemStatus = ItemStatusCode;
export type Grade = GradeCode;

export interface ItemTable {
  id: Generated<number>;
  unit_id: number;
  title: string;
  body: string;
  category_id: number;
  channel_id: number | null;
  event_date: string;
  status: ItemStatus;
  report_month: string | null;
  first_submitted_at: string | null;
  submitted_at: string | null;
  late: Generated<Flag>;
  grade: Grade | null;
  decided_at: string | null;
  decided_by: number | null;
  points_revoked: Generated<Flag>;
  last_reason: Generated<string>;
  returned_count: Generated<number>;
  confidential_checked: Generated<Flag>;
  version: Generated<number>;
  created_by: number;
  created_at: string;
  updated_at: string;
  /** The new-item form's one-time token (unique per author), so a repeated post creates nothing. */
  form_token: Generated<string | null>;
  /** The 报送要点 the item is tagged with (migration 0010). */
  theme_id: Generated<number | null>;
  /** The 约稿 this item answers (migration 0011). */
  request_id: Generated<number | null>;
}

/**
 * The FTS5 trigram index of items' titles and bodies (migration 0008): rowid = items.id, kept in
 * step by triggers on `items`. Queried only through app/models/search.server.ts.
 */
export interface ItemSearchTable {
  rowid: number;
  title: string;
  body: string;
}

/**
 * An item text's MinHash band keys (migration 0024, app/domain/text-bands.ts): which items may read
 * nearly the same as another. Written only by app/models/text-bands.server.ts.
 */
export interface ItemTextBandTable {
  band: number;
  item_id: number;
}

/** Items whose title or body was written since their band keys were (filled by triggers on `items`). */
export interface ItemTextQueueTable {
  item_id: number;
}

export interface ItemBylineTable {
  item_id: number;
  account_id: number;
}

export interface PhotoTable {
  id: Generated<number>;
  item_id: number;
  sha256: string;
  mime: "image/jpeg" | "image/png" | "image/webp";
  width: number;
  height: number;
  bytes: number;
  caption: Generated<string>;
  sort_order: Generated<number>;
  created_at: string;
}

export interface ReviewEventTable {
  id: Generated<number>;
  item_id: number;
  actor_id: number;
  action: string;
  from_status: ItemStatus | null;
  to_status: ItemStatus;
  grade: Grade | null;
  reason: Generated<string>;
  /** The client's address; '' for the system's own writes and for steps recorded before it was kept. */
  ip: Generated<string>;
  at: string;
}

export type Tier = TierCode;

export interface PickupTable {
  id: Generated<number>;
  item_id: number;
  outlet: string;
  tier: Tier;
  picked_on: string;
  url: Generated<string>;
  created_by: number;
  created_at: string;
}

export interface InstructionTable {
  id: Generated<number>;
  item_id: number;
  level: InstructionLevelCode;
  leader: Generated<string>;
  content: Generated<string>;
  instructed_on: string;
  created_by: number;
  created_at: string;
}

export interface UnitMonthStatsTable {
  unit_id: number;
  month: string;
  submitted: Generated<number>;
  adopted: Generated<number>;
  late: Generated<number>;
  item_points: Generated<number>;
  pickups_national: Generated<number>;
  pickups_province: Generated<number>;
  pickups_city: Generated<number>;
  /** 约稿 outcomes settled with this month (migration 0011) and their points. */
  requests_fulfilled: Generated<number>;
  requests_late: Generated<number>;
  requests_missed: Generated<number>;
  requests_declined: Generated<number>;
  request_points: Generated<number>;
}

/** Per unit, month and channel (channel_id 0: an item without a channel). */
export interface UnitMonthChannelStatsTable {
  unit_id: number;
  month: string;
  channel_id: number;
  submitted: Generated<number>;
  adopted: Generated<number>;
}

export interface MonthUnitChannelSnapshotTable {
  close_id: number;
  unit_id: number;
  channel_id: number;
  channel_name: string;
  sort_order: Generated<number>;
  submitted: number;
  adopted: number;
}

export interface CorrespondentMonthStatsTable {
  account_id: number;
  month: string;
  unit_id: number;
  items: Generated<number>;
  points: Generated<number>;
}

export interface MonthCloseTable {
  id: Generated<number>;
  month: string;
  quota_version_id: number;
  points_version_id: number;
  closed_at: string;
  closed_by: number;
  reopened_at: string | null;
  reopened_by: number | null;
  reopen_reason: string | null;
}

export interface MonthUnitSnapshotTable {
  close_id: number;
  unit_id: number;
  kind_code: string;
  quota: number;
  submitted: number;
  adopted: number;
  late: number;
  completion: number;
  status: QuotaStatus;
  points: number;
  pickups_national: number;
  pickups_province: number;
  pickups_city: number;
  rank: number;
  tied: Generated<Flag>;
  movement: number | null;
  requests_fulfilled: Generated<number>;
  requests_late: Generated<number>;
  requests_missed: Generated<number>;
  requests_declined: Generated<number>;
}

export interface MonthCorrespondentSnapshotTable {
  close_id: number;
  account_id: number;
  unit_id: number;
  items: number;
  points: number;
  rank: number;
  /** Adopted items bearing the person's name, each counted whole (db/migrations/0018_snapshot_adopted_items.ts). */
  adopted_items: Generated<number>;
}

/** Which closes a close's stored year totals sum (db/migrations/0013_year_totals.ts). */
export interface MonthCloseYearTotalsTable {
  close_id: number;
  basis: string;
  /** 1 when the close's channel totals are stored (db/migrations/0014_channel_year_totals.ts). */
  channels: Generated<number>;
  /** 1 when the close's people totals are stored (db/migrations/0015_people_year_totals.ts). */
  people: Generated<number>;
}

/** A correspondent's Σ over the closes of a close's basis, in hundredths (db/migrations/0015_people_year_totals.ts). */
export interface MonthCorrespondentYearTotalsTable {
  close_id: number;
  account_id: number;
  /** Their unit in the latest month of the basis they have a row in. */
  unit_id: number;
  latest: string;
  cents: number;
  item_cents: number;
}

/** A unit's Σ in one channel over the closes of a close's basis (db/migrations/0014_channel_year_totals.ts). */
export interface MonthUnitChannelYearTotalsTable {
  close_id: number;
  unit_id: number;
  channel_id: number;
  latest: string;
  channel_name: string;
  sort_order: number;
  submitted: number;
  adopted: number;
}

/** A unit's Σ over the closes of a close's basis (db/migrations/0013_year_totals.ts). */
export interface MonthUnitYearTotalsTable {
  close_id: number;
  unit_id: number;
  kind_code: string;
  latest: string;
  quota: number;
  submitted: number;
  adopted: number;
  late: number;
  pickups_national: number;
  pickups_province: number;
  pickups_city: number;
  cents: number;
  met: number;
  short: number;
  none: number;
}

export interface NoticeTable {
  id: Generated<number>;
  kind: NoticeKind;
  period: string;
  close_id: number | null;
  doc_number: Generated<string>;
  title: string;
  addressee: Generated<string>;
  opening_text: Generated<string>;
  closing_text: Generated<string>;
  data_json: string;
  status: NoticeStatus;
  signer_name: string | null;
  published_at: string | null;
  published_by: number | null;
  docx_sha256: string | null;
  /** Why it was published while appeals of its month were still open ('' when none were). */
  appeals_override: Generated<string>;
  created_by: number;
  created_at: string;
  updated_at: string;
}

export interface NoticeAdjustmentTable {
  id: Generated<number>;
  notice_id: number;
  unit_id: number;
  list: "commended" | "criticised";
  action: "add" | "remove";
  reason: string;
  created_by: number;
  created_at: string;
}

export interface NotificationTable {
  id: Generated<number>;
  account_id: number;
  kind: string;
  title: string;
  body: Generated<string>;
  link: Generated<string>;
  item_id: number | null;
  created_at: string;
  read_at: string | null;
}

export interface ReminderTable {
  id: Generated<number>;
  unit_id: number;
  month: string;
  kind: "auto" | "manual";
  reason: Generated<string>;
  sent_by: number | null;
  created_at: string;
}

export interface SensitiveWordTable {
  id: Generated<number>;
  word: string;
  level: "block" | "warn";
  note: Generated<string>;
  created_by: number | null;
  created_at: string;
  updated_at: string;
}

export interface AuditEventTable {
  id: Generated<number>;
  at: string;
  actor_id: number | null;
  actor_name: Generated<string>;
  action: string;
  entity_type: Generated<string>;
  entity_id: Generated<string>;
  from_state: string | null;
  to_state: string | null;
  reason: Generated<string>;
  ip: Generated<string>;
  detail_json: Generated<string>;
}

export type AppealSubject = AppealSubjectCode;
export type AppealStatus = AppealStatusCode;

export interface AppealTable {
  id: Generated<number>;
  item_id: number;
  unit_id: number;
  month: string;
  subject: AppealSubject;
  reason: string;
  status: AppealStatus;
  filed_by: number;
  filed_at: string;
  answer: Generated<string>;
  answered_by: number | null;
  answered_at: string | null;
}

export type CorrectionKind = CorrectionKindCode;

export interface CorrectionTable {
  id: Generated<number>;
  item_id: number;
  unit_id: number;
  month: string;
  kind: CorrectionKind;
  before_text: string;
  after_text: string;
  reason: string;
  appeal_id: number | null;
  /** 1 when the item's month was closed: the correction reached live numbers only. */
  month_closed: Generated<Flag>;
  created_by: number;
  created_at: string;
}

/** 报送要点: a theme the bureau asks units to cover in a month (migration 0010). */
export interface ThemeTable {
  id: Generated<number>;
  month: string;
  title: string;
  guidance: Generated<string>;
  category_id: number | null;
  sort_order: Generated<number>;
  /** Raised by every edit; a form of an older version is answered 409. */
  version: Generated<number>;
  created_by: number;
  created_at: string;
  updated_by: number;
  updated_at: string;
}

/** A theme's coverage frozen at a month's close. */
export interface MonthThemeSnapshotTable {
  close_id: number;
  theme_id: number;
  title: string;
  sort_order: number;
  expected: number;
  covered: number;
  reported: number;
}

/** 简报 (migration 0012): one issue of the bureau's bulletin. */
export interface BulletinTable {
  id: Generated<number>;
  year: number;
  number: number;
  name: string;
  editor_note: Generated<string>;
  editor_unit: string;
  issue_date: string;
  report_to: Generated<string>;
  send_to: Generated<string>;
  issue_to: Generated<string>;
  status: "draft" | "published";
  published_at: string | null;
  published_by: number | null;
  docx_sha256: string | null;
  version: Generated<number>;
  created_by: number;
  created_at: string;
  updated_at: string;
}

/** An item in a bulletin: the bulletin's text and the school's original as it was when included. */
export interface BulletinItemTable {
  bulletin_id: number;
  item_id: number;
  position: number;
  title: string;
  body: string;
  original_title: string;
  original_body: string;
  unit_name: string;
}

export interface SettingTable {
  id: Generated<number>;
  key: string;
  value_json: string;
  effective_month: Generated<string>;
  updated_by: number | null;
  updated_at: string;
}

/** 约稿 (migration 0011): a request to chosen units for a piece by a deadline. */
export interface RequestTable {
  id: Generated<number>;
  topic: string;
  guidance: Generated<string>;
  due_at: string;
  /** The Asia/Shanghai month of due_at: the month the request is settled with. */
  month: string;
  created_by: number;
  created_at: string;
  cancelled_at: string | null;
  cancelled_by: number | null;
  cancel_reason: Generated<string>;
  settled_at: string | null;
  /** The 发出约稿 form's one-time token (0020): a second post of the form finds this request. */
  form_token: Generated<string | null>;
}

export interface RequestUnitTable {
  request_id: number;
  unit_id: number;
  declined_at: string | null;
  declined_by: number | null;
  decline_reason: Generated<string>;
  reminded_at: string | null;
}

export interface Database {
  unit_kinds: UnitKindTable;
  units: UnitTable;
  unit_status_changes: UnitStatusChangeTable;
  accounts: AccountTable;
  sessions: SessionTable;
  login_attempts: LoginAttemptTable;
  login_counters: LoginCounterTable;
  quota_rule_versions: QuotaRuleVersionTable;
  quota_rules: QuotaRuleTable;
  unit_quota_overrides: UnitQuotaOverrideTable;
  points_rule_versions: PointsRuleVersionTable;
  categories: CategoryTable;
  channels: ChannelTable;
  items: ItemTable;
  item_search: ItemSearchTable;
  item_text_bands: ItemTextBandTable;
  item_text_queue: ItemTextQueueTable;
  item_bylines: ItemBylineTable;
  photos: PhotoTable;
  review_events: ReviewEventTable;
  pickups: PickupTable;
  instructions: InstructionTable;
  unit_month_stats: UnitMonthStatsTable;
  correspondent_month_stats: CorrespondentMonthStatsTable;
  unit_month_channel_stats: UnitMonthChannelStatsTable;
  month_unit_channel_snapshots: MonthUnitChannelSnapshotTable;
  month_closes: MonthCloseTable;
  month_unit_snapshots: MonthUnitSnapshotTable;
  month_correspondent_snapshots: MonthCorrespondentSnapshotTable;
  month_close_year_totals: MonthCloseYearTotalsTable;
  month_unit_year_totals: MonthUnitYearTotalsTable;
  month_unit_channel_year_totals: MonthUnitChannelYearTotalsTable;
  month_correspondent_year_totals: MonthCorrespondentYearTotalsTable;
  notices: NoticeTable;
  notice_adjustments: NoticeAdjustmentTable;
  notifications: NotificationTable;
  appeals: AppealTable;
  corrections: CorrectionTable;
  requests: RequestTable;
  request_units: RequestUnitTable;
  reminders: ReminderTable;
  sensitive_words: SensitiveWordTable;
  audit_events: AuditEventTable;
  settings: SettingTable;
  themes: ThemeTable;
  month_theme_snapshots: MonthThemeSnapshotTable;
  bulletins: BulletinTable;
  bulletin_items: BulletinItemTable;
}

export type Unit = Selectable<UnitTable>;
export type Account = Selectable<AccountTable>;
export type NewAccount = Insertable<AccountTable>;
export type AccountUpdate = Updateable<AccountTable>;
export type Item = Selectable<ItemTable>;
