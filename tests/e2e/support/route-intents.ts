// The intents a route module's action handles, read from its source: the access matrix tries each
// one as every role, the fuzz suite sends bad input to each.
import { readFileSync } from "node:fs";
import path from "node:path";
import { TOGGLE_INTENTS } from "~/domain/directory";
import { ITEM_INTENTS } from "~/domain/item-form";
import { REVIEW_INTENTS } from "~/domain/review";
import { CORRECTION_INTENTS } from "~/lib/corrections-actions.server";

const ROUTES_DIR = path.resolve("app/routes");

/** The intents a route's action handles, read from its source (and the shared handlers it calls). */
export function intentsIn(file: string): Set<string> {
  const src = readFileSync(path.join(ROUTES_DIR, file), "utf8");
  const found = new Set<string>();
  const scan = (text: string) => {
    const add = (re: RegExp) => {
      for (const m of text.matchAll(re)) found.add(m[1]);
    };
    add(/name="intent" value="([a-z_]+)"/g);
    add(/\bintent="([a-z_]+)"/g);
    add(/intent\s*[!=]==\s*"([a-z_]+)"/g);
    add(/get\("intent"\)\s*===\s*"([a-z_]+)"/g);
    add(/intent\s*\?\?\s*"([a-z_]+)"/g);
    for (const m of text.matchAll(/\[([^\]]*)\]\.includes\(intent\)/g)) for (const s of m[1].matchAll(/"([a-z_]+)"/g)) found.add(s[1]);
    for (const m of text.matchAll(/const intent = editing \? "([a-z_]+)" : "([a-z_]+)"/g)) [m[1], m[2]].forEach((s) => found.add(s));
    if (/switch \(intent\)/.test(text)) add(/case "([a-z_]+)":/g);
  };
  scan(src);
  if (src.includes("editNotice(")) scan(readFileSync(path.resolve("app/lib/notice-actions.server.ts"), "utf8"));
  if (src.includes("readItemForm(")) ITEM_INTENTS.forEach((i) => found.add(i));
  if (src.includes("isReviewIntent(")) REVIEW_INTENTS.forEach((i) => found.add(i));
  if (src.includes("isCorrectionIntent(")) CORRECTION_INTENTS.forEach((i) => found.add(i));
  if (src.includes("answerToggle(")) TOGGLE_INTENTS.forEach((i) => found.add(i));
  return found;
}
