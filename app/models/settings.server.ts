// Settings with history: the value in force for a month is the latest one effective on or before it.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { DEFAULT_SETTINGS } from "~/domain/catalog";

type DB = Kysely<Database> | Transaction<Database>;
export type SettingKey = keyof typeof DEFAULT_SETTINGS;
type SettingValue<K extends SettingKey> = (typeof DEFAULT_SETTINGS)[K] extends number ? number : string;

export async function getSetting<K extends SettingKey>(db: DB, key: K, month = "9999-12"): Promise<SettingValue<K>> {
  const row = await db
    .selectFrom("settings")
    .select("value_json")
    .where("key", "=", key)
    .where("effective_month", "<=", month)
    .orderBy("effective_month", "desc")
    .limit(1)
    .executeTakeFirst();
  return (row ? JSON.parse(row.value_json) : DEFAULT_SETTINGS[key]) as SettingValue<K>;
}
