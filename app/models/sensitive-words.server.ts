// The sensitive-word lexicon (错敏词库): kept by the admin, read by every submission and review
// page through one cached matcher. One change = one transaction = one audit row.
import type { Kysely, Transaction } from "kysely";
import type { Database } from "../../db/schema";
import { foldWord, type WordInput, type WordUpdate } from "~/domain/lexicon";
import { refusal, type Refusal } from "~/domain/refusal";
import { buildMatcher, type Matcher, type WordLevel } from "~/domain/sensitive-words";
import { recordAudit, type AuditActor } from "~/models/audit.server";
import { containsAny, paged, refusingUniqueViolation } from "~/models/units.server";
import { writeCache } from "~/models/write-cache.server";

type DB = Kysely<Database>;

export const WORDS_PAGE_SIZE = 50;
const INSERT_BATCH = 500;

// ---------------------------------------------------------------------------------------------
// The matcher, built once per change of the lexicon and shared

const matchers = writeCache<Matcher>();

/**
 * The lexicon's matcher, built once and shared until the lexicon changes (a write to it, in any
 * process, reaches everything: db/write-reach.ts). Never inside a write: a transaction reads its
 * own uncommitted rows, which the cache does not know of (it builds afresh for a transaction).
 */
export function lexiconMatcher(db: DB | Transaction<Database>): Promise<Matcher> {
  return matchers.get(db, "lexicon", async () => buildMatcher(await db.selectFrom("sensitive_words").select(["word", "level"]).execute()), "none");
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface WordFilters {
  level?: WordLevel;
  q?: string;
  page: number;
}

export async function listWords(db: DB, filters: WordFilters) {
  let query = db.selectFrom("sensitive_words").leftJoin("accounts", "accounts.id", "sensitive_words.created_by");
  if (filters.level) query = query.where("sensitive_words.level", "=", filters.level);
  const search = containsAny(["sensitive_words.word", "sensitive_words.note"], filters.q);
  if (search) query = query.where(search);
  const [page, byLevel] = await Promise.all([
    paged(query, filters.page, WORDS_PAGE_SIZE, (q) =>
      q
        .select([
          "sensitive_words.id", "sensitive_words.word", "sensitive_words.level", "sensitive_words.note",
          "sensitive_words.updated_at", "accounts.display_name as created_by_name",
        ])
        .orderBy("sensitive_words.updated_at", "desc")
        .orderBy("sensitive_words.id", "desc"),
    ),
    db
      .selectFrom("sensitive_words")
      .select(["level", (eb) => eb.fn.countAll<number>().as("n")])
      .groupBy("level")
      .execute(),
  ]);
  const levelCount = (level: WordLevel) => Number(byLevel.find((r) => r.level === level)?.n ?? 0);
  return {
    ...page,
    counts: { block: levelCount("block"), warn: levelCount("warn") },
  };
}

export async function getWord(db: DB, id: number) {
  return db.selectFrom("sensitive_words").select(["id", "word", "level", "note", "updated_at"]).where("id", "=", id).executeTakeFirst();
}

/** The lexicon word equal to `word` ignoring letter case, if any. */
async function findSameWord(trx: DB, word: string) {
  const key = foldWord(word);
  const rows = await trx.selectFrom("sensitive_words").select(["id", "word"]).execute();
  return rows.find((r) => foldWord(r.word) === key);
}

// ---------------------------------------------------------------------------------------------
// Changing

export type WordSaveResult = { ok: true; id: number; changed?: boolean } | Refusal;

export const WORD_NOT_FOUND = "该词不存在或已被删除。";

const duplicate = (word: string): Refusal => refusal(400, `“${word}”已在词库中`, { field: "word" });

export async function addWord(db: DB, input: WordInput, actor: AuditActor): Promise<WordSaveResult> {
  // Two admins adding the same word at once: the second loses at the unique index.
  return refusingUniqueViolation("sensitive_words.word", () => duplicate(input.word), () =>
    db.transaction().execute(async (trx): Promise<WordSaveResult> => {
      const same = await findSameWord(trx, input.word);
      if (same) return duplicate(same.word);
      const now = new Date().toISOString();
      const { id } = await trx
        .insertInto("sensitive_words")
        .values({ word: input.word, level: input.level, note: input.note, created_by: actor.id, created_at: now, updated_at: now })
        .returning("id")
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actorId: actor.id, actorName: actor.username, action: "word_added", entityType: "sensitive_word", entityId: id,
        ip: actor.ip, at: now, detail: { word: input.word, level: input.level, note: input.note },
      });
      return { ok: true, id };
    }),
  );
}

export async function updateWord(db: DB, id: number, input: WordUpdate, actor: AuditActor): Promise<WordSaveResult> {
  return db.transaction().execute(async (trx): Promise<WordSaveResult> => {
    const current = await trx.selectFrom("sensitive_words").select(["id", "word", "level", "note"]).where("id", "=", id).executeTakeFirst();
    if (!current) return refusal(404, WORD_NOT_FOUND);
    const changes: Record<string, [string, string]> = {};
    if (current.level !== input.level) changes.level = [current.level, input.level];
    if (current.note !== input.note) changes.note = [current.note, input.note];
    if (Object.keys(changes).length === 0) return { ok: true, id, changed: false };
    const now = new Date().toISOString();
    await trx.updateTable("sensitive_words").set({ level: input.level, note: input.note, updated_at: now }).where("id", "=", id).execute();
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "word_updated", entityType: "sensitive_word", entityId: id,
      from: changes.level?.[0] ?? null, to: changes.level?.[1] ?? null, ip: actor.ip, at: now,
      detail: { word: current.word, changes },
    });
    return { ok: true, id, changed: true };
  });
}

export type WordDeleteResult = { ok: true; word: string } | Refusal;

export async function deleteWord(db: DB, id: number, actor: AuditActor): Promise<WordDeleteResult> {
  return db.transaction().execute(async (trx): Promise<WordDeleteResult> => {
    const current = await trx.selectFrom("sensitive_words").select(["id", "word", "level", "note"]).where("id", "=", id).executeTakeFirst();
    if (!current) return refusal(404, WORD_NOT_FOUND);
    const now = new Date().toISOString();
    await trx.deleteFrom("sensitive_words").where("id", "=", id).execute();
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "word_deleted", entityType: "sensitive_word", entityId: id,
      from: current.level, ip: actor.ip, at: now, detail: { word: current.word, level: current.level, note: current.note },
    });
    return { ok: true, word: current.word };
  });
}

export interface ImportResult {
  ok: true;
  changed: boolean;
  added: Array<{ word: string; level: WordLevel }>;
  /** Already in the lexicon (ignoring letter case): skipped, their level left as it was. */
  existing: string[];
}

/**
 * Adds a parsed list of distinct words in one transaction. Words already in the lexicon are
 * skipped and reported, never changed; when nothing is new, nothing is written.
 */
export async function addWords(
  db: DB,
  entries: ReadonlyArray<{ word: string; level: WordLevel }>,
  note: string,
  actor: AuditActor,
  extra: { repeated?: readonly string[] } = {},
): Promise<ImportResult> {
  return db.transaction().execute(async (trx): Promise<ImportResult> => {
    const known = new Map((await trx.selectFrom("sensitive_words").select("word").execute()).map((r) => [foldWord(r.word), r.word]));
    const added: Array<{ word: string; level: WordLevel }> = [];
    const existing: string[] = [];
    for (const entry of entries) {
      const same = known.get(foldWord(entry.word));
      if (same !== undefined) existing.push(same);
      else {
        known.set(foldWord(entry.word), entry.word);
        added.push(entry);
      }
    }
    if (added.length === 0) return { ok: true, changed: false, added, existing };
    const now = new Date().toISOString();
    for (let i = 0; i < added.length; i += INSERT_BATCH) {
      await trx
        .insertInto("sensitive_words")
        .values(added.slice(i, i + INSERT_BATCH).map((e) => ({ word: e.word, level: e.level, note, created_by: actor.id, created_at: now, updated_at: now })))
        .execute();
    }
    await recordAudit(trx, {
      actorId: actor.id, actorName: actor.username, action: "words_imported", entityType: "sensitive_word", ip: actor.ip, at: now,
      detail: {
        added: added.length,
        block: added.filter((e) => e.level === "block").map((e) => e.word),
        warn: added.filter((e) => e.level === "warn").map((e) => e.word),
        note,
        skipped_existing: existing,
        skipped_repeated: extra.repeated ?? [],
      },
    });
    return { ok: true, changed: true, added, existing };
  });
}
