// Reference data every installation starts from: unit kinds, categories, channels, the first
// quota and points rule versions, settings and a starter sensitive-word lexicon.
//
// Idempotent: rows already present are left alone, so running it again after the bureau has
// edited a category name or a setting never overwrites their work.
import type { Kysely } from "kysely";
import { DEFAULT_CATEGORIES, DEFAULT_CHANNELS, DEFAULT_POINTS_RULES, UNIT_KINDS } from "../../app/domain/catalog";
import { BASE_RULES_MONTH } from "../../app/domain/rule-versions";
import { DEFAULT_SETTINGS } from "../../app/domain/settings";
import type { Database } from "../schema";

/** The base rule versions take effect long before any real month, so every month has a rule. */
export const BASE_EFFECTIVE_MONTH = BASE_RULES_MONTH;
/** Settings rows with this month hold the default that applies until a dated change. */
export const BASE_SETTINGS_MONTH = "0000-00";

interface LexiconEntry {
  word: string;
  level: "block" | "warn";
  note: string;
}

/**
 * A starter lexicon. `block` words stop submission: classification marks (涉密信息不得报送) and
 * political wording the official style guides forbid. `warn` words are only highlighted:
 * frequent misspellings and wording education departments are told to avoid.
 */
export const STARTER_SENSITIVE_WORDS: readonly LexiconEntry[] = [
  { word: "绝密", level: "block", note: "涉密标识，涉密信息不得报送" },
  { word: "机密", level: "block", note: "涉密标识，涉密信息不得报送" },
  { word: "秘密级", level: "block", note: "涉密标识，涉密信息不得报送" },
  { word: "国家秘密", level: "block", note: "涉密信息不得报送" },
  { word: "涉密文件", level: "block", note: "涉密信息不得报送" },
  { word: "内部资料", level: "block", note: "内部资料不得公开发布" },
  { word: "内部文件", level: "block", note: "内部文件不得公开发布" },
  { word: "内部传阅", level: "block", note: "限定范围传阅的材料不得公开发布" },
  { word: "请勿外传", level: "block", note: "限定范围的材料不得公开发布" },
  { word: "台湾总统", level: "block", note: "错误政治表述，应为“台湾地区领导人”" },
  { word: "台湾政府", level: "block", note: "错误政治表述，应为“台湾当局”" },
  { word: "中华民国", level: "block", note: "错误政治表述" },
  { word: "北朝鲜", level: "block", note: "不规范国名，应为“朝鲜”" },
  { word: "两岸三地", level: "block", note: "错误表述，不得使用" },
  { word: "高考状元", level: "block", note: "严禁宣传炒作“状元”" },
  { word: "中考状元", level: "block", note: "严禁宣传炒作“状元”" },
  { word: "做为", level: "warn", note: "错别字，应为“作为”" },
  { word: "其它", level: "warn", note: "规范用法为“其他”" },
  { word: "既使", level: "warn", note: "错别字，应为“即使”" },
  { word: "按排", level: "warn", note: "错别字，应为“安排”" },
  { word: "布署", level: "warn", note: "错别字，应为“部署”" },
  { word: "部暑", level: "warn", note: "错别字，应为“部署”" },
  { word: "截止目前", level: "warn", note: "应为“截至目前”" },
  { word: "迄今未止", level: "warn", note: "应为“迄今为止”" },
  { word: "再接再励", level: "warn", note: "错别字，应为“再接再厉”" },
  { word: "精减", level: "warn", note: "多为“精简”之误，请核实" },
  { word: "不径而走", level: "warn", note: "错别字，应为“不胫而走”" },
  { word: "一愁莫展", level: "warn", note: "错别字，应为“一筹莫展”" },
  { word: "中国大陆", level: "warn", note: "涉台表述一般称“大陆”或“内地”，请核实" },
  { word: "重点班", level: "warn", note: "义务教育阶段不得分设重点班、非重点班" },
  { word: "快慢班", level: "warn", note: "义务教育阶段不得分设快慢班" },
  { word: "升学率排名", level: "warn", note: "不得公布、炒作升学率排名" },
];

export async function seedReferenceData(db: Kysely<Database>, now: Date): Promise<void> {
  // Inside a caller's transaction (the demo seed), join it; otherwise make this one atomic.
  if (db.isTransaction) return insertReferenceData(db, now);
  await db.transaction().execute((trx) => insertReferenceData(trx, now));
}

async function insertReferenceData(db: Kysely<Database>, now: Date): Promise<void> {
  const at = now.toISOString();

  await db
    .insertInto("unit_kinds")
    .values(UNIT_KINDS.map((kind, i) => ({ code: kind.code, name: kind.name, sort_order: i + 1 })))
    .onConflict((oc) => oc.column("code").doNothing())
    .execute();

  await db
    .insertInto("categories")
    .values(DEFAULT_CATEGORIES.map((name, i) => ({ name, sort_order: i + 1 })))
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();

  await db
    .insertInto("channels")
    .values(DEFAULT_CHANNELS.map((name, i) => ({ name, sort_order: i + 1 })))
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();

  await db
    .insertInto("quota_rule_versions")
    .values({ effective_month: BASE_EFFECTIVE_MONTH, note: "初始月度任务数（乡镇中心校10条，区直中小学、幼儿园5条）", created_at: at })
    .onConflict((oc) => oc.column("effective_month").doNothing())
    .execute();
  const quotaVersion = await db
    .selectFrom("quota_rule_versions")
    .select("id")
    .where("effective_month", "=", BASE_EFFECTIVE_MONTH)
    .executeTakeFirstOrThrow();
  await db
    .insertInto("quota_rules")
    .values(UNIT_KINDS.map((kind) => ({ version_id: quotaVersion.id, kind_code: kind.code, quota: kind.defaultQuota })))
    .onConflict((oc) => oc.columns(["version_id", "kind_code"]).doNothing())
    .execute();

  await db
    .insertInto("points_rule_versions")
    .values({
      effective_month: BASE_EFFECTIVE_MONTH,
      rules_json: JSON.stringify(DEFAULT_POINTS_RULES),
      note: "初始积分规则",
      created_at: at,
    })
    .onConflict((oc) => oc.column("effective_month").doNothing())
    .execute();

  await db
    .insertInto("settings")
    .values(
      Object.entries(DEFAULT_SETTINGS).map(([key, value]) => ({
        key,
        value_json: JSON.stringify(value),
        effective_month: BASE_SETTINGS_MONTH,
        updated_at: at,
      })),
    )
    .onConflict((oc) => oc.columns(["key", "effective_month"]).doNothing())
    .execute();

  await db
    .insertInto("sensitive_words")
    .values(STARTER_SENSITIVE_WORDS.map((entry) => ({ ...entry, created_at: at, updated_at: at })))
    .onConflict((oc) => oc.column("word").doNothing())
    .execute();
}
