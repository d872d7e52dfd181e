// Characters a writer can slip inside a blocked word so that a plain substring search no longer
// finds it while a reader still sees the word. The sensitive-word matcher must see through each
// (tests/domain/sensitive-words.test.ts), and so must saving an item (tests/e2e/attacks.test.ts).
export const WORD_SPLITTERS = {
  "零宽空格 U+200B": "\u200b",
  "软连字符 U+00AD": "\u00ad",
  "词连接符 U+2060": "\u2060",
  "零宽不连字 U+200C": "\u200c",
  "字节顺序标记 U+FEFF": "\ufeff",
  "从右到左标记 U+200F": "\u200f",
  "普通空格": " ",
  "全角空格": "\u3000",
  "换行": "\n",
} as const;

export type WordSplitter = keyof typeof WORD_SPLITTERS;
