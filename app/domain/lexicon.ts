// The lexicon's input rules: what a sensitive word may look like, and how a pasted list of
// words (one a line, optionally "词,warn") is read. Pure, so the forms and the tests share it.
import { z } from "zod";
import { builtOnce, optionalText } from "./fields";
import { normaliseForMatch, type WordLevel } from "./sensitive-words";
import { nameOf } from "./vocabulary";

export const WORD_MAX = 30;
export const NOTE_MAX = 100;
/** A pasted list may hold at most this many lines with a word on them. */
export const MAX_BULK_WORDS = 2000;

export const WORD_LEVELS: ReadonlyArray<{ code: WordLevel; name: string; hint: string }> = [
  { code: "block", name: "禁用", hint: "命中后不能报送" },
  { code: "warn", name: "提示", hint: "审核时高亮提示" },
];

export const levelName = (level: string): string => nameOf(WORD_LEVELS, level);

export function isWordLevel(value: string): value is WordLevel {
  return value === "block" || value === "warn";
}

/**
 * How two words are compared: as the matcher sees them (NFKC, any case, no hidden characters or
 * spaces), so "高考", "⾼考" and "高 考" are one word in the lexicon too.
 */
export function foldWord(word: string): string {
  return normaliseForMatch(word);
}

/**
 * Why a (trimmed) word cannot go into the lexicon, or null. Commas are refused because the
 * pasted list uses them to separate a word from its level.
 */
export function wordProblem(word: string): string | null {
  if (word === "" || normaliseForMatch(word) === "") return "请填写词语";
  if (word.length > WORD_MAX) return `词语不能超过 ${WORD_MAX} 个字`;
  if (/[,，]/.test(word)) return "词语不能包含逗号";
  if (/[\u0000-\u001f\u007f]/.test(word)) return "词语不能包含换行等控制字符";
  return null;
}

// Built by functions: a module-level zod call would carry zod into the pages' browser bundles.
function levelField() {
  return z.enum(["block", "warn"], { error: "请选择等级（禁用或提示）" });
}

export const wordFormSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    word: z
      .string({ error: "请填写词语" })
      .trim()
      .superRefine((word, ctx) => {
        const problem = wordProblem(word);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    level: levelField(),
    note: optionalText("说明", NOTE_MAX),
  }),
);
export type WordInput = z.output<ReturnType<typeof wordFormSchema>>;

export const wordUpdateSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    level: levelField(),
    note: optionalText("说明", NOTE_MAX),
  }),
);
export type WordUpdate = z.output<ReturnType<typeof wordUpdateSchema>>;

export const bulkFormSchema = /* @__PURE__ */ builtOnce(() =>
  z.object({
    words: z.string({ error: "请至少填写一个词" }),
    level: levelField(),
    note: optionalText("说明", NOTE_MAX),
  }),
);

const LEVEL_WORDS: Record<string, WordLevel> = {
  block: "block", warn: "warn", 禁用: "block", 提示: "warn",
};

export interface BulkLineProblem {
  line: number;
  text: string;
  message: string;
}

export type BulkParse =
  | {
      ok: true;
      /** Distinct words in the order given, each with its level. */
      entries: Array<{ word: string; level: WordLevel }>;
      /** Words given more than once: only their first line counts. */
      repeated: string[];
    }
  | { ok: false; problems: BulkLineProblem[] };

/**
 * Reads a pasted list: one word a line, blank lines ignored, "词,warn" / "词，禁用" give the
 * line its own level, otherwise `defaultLevel`. Any bad line refuses the whole list.
 */
export function parseBulkWords(text: string, defaultLevel: WordLevel): BulkParse {
  const problems: BulkLineProblem[] = [];
  const entries: Array<{ word: string; level: WordLevel }> = [];
  const seen = new Set<string>();
  const repeated: string[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let counted = 0;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === "") return;
    counted++;
    let word = line;
    let level = defaultLevel;
    const comma = Math.max(line.lastIndexOf(","), line.lastIndexOf("，"));
    if (comma >= 0) {
      const given = line.slice(comma + 1).trim();
      const known = LEVEL_WORDS[given.toLowerCase()] ?? LEVEL_WORDS[given];
      if (!known) {
        problems.push({ line: index + 1, text: line, message: "逗号后的等级只能是“禁用”或“提示”" });
        return;
      }
      level = known;
      word = line.slice(0, comma).trim();
    }
    const problem = wordProblem(word);
    if (problem) {
      problems.push({ line: index + 1, text: line, message: problem });
      return;
    }
    const key = foldWord(word);
    if (seen.has(key)) {
      if (!repeated.includes(word)) repeated.push(word);
      return;
    }
    seen.add(key);
    entries.push({ word, level });
  });
  if (counted > MAX_BULK_WORDS) {
    return { ok: false, problems: [{ line: 0, text: "", message: `一次最多导入 ${MAX_BULK_WORDS} 个词，请分批导入` }] };
  }
  if (problems.length > 0) return { ok: false, problems };
  if (entries.length === 0) return { ok: false, problems: [{ line: 0, text: "", message: "请至少填写一个词" }] };
  return { ok: true, entries, repeated };
}
