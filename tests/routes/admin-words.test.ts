import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findSensitiveWords } from "~/domain/sensitive-words";
import { readFlash } from "~/lib/flash.server";
import { lexiconMatcher, WORDS_PAGE_SIZE } from "~/models/sensitive-words.server";
import * as words from "~/routes/admin.words";
import { bodyOf, call, expectFieldErrors, setupCounty, type County } from "../support/app";

let county: County;
beforeAll(async () => {
  county = await setupCounty();
  for (const user of ["admin", "reviewer", "leadA", "correspondentA"] as const) await county.cookieFor(user);
});
afterAll(async () => county.dbs.dispose());

const count = async (table: "sensitive_words" | "audit_events") =>
  Number((await county.dbs.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
const snapshot = async () => [await count("sensitive_words"), await count("audit_events")];
const wordRow = (word: string) => county.dbs.db.selectFrom("sensitive_words").selectAll().where("word", "=", word).executeTakeFirst();
const auditsOf = (action: string) =>
  county.dbs.db.selectFrom("audit_events").selectAll().where("action", "=", action).orderBy("id").execute();

async function flashOf(response: Response) {
  const cookie = (response.headers.get("Set-Cookie") ?? "").split(";")[0];
  return (await readFlash(new Request("http://localhost/", { headers: { Cookie: cookie } })))?.message;
}

const post = (body: Record<string, string>, url = "/admin/words") => call(words.action, county, { url, user: "admin", body });

describe("access", () => {
  it("shows the lexicon to the admin only; anonymous goes to login", async () => {
    expect((await call(words.loader, county, { url: "/admin/words", user: "admin" })).status).toBe(200);
    for (const user of ["reviewer", "leadA", "correspondentA"] as const) {
      expect((await call(words.loader, county, { url: "/admin/words", user })).status).toBe(403);
    }
    const anonymous = await call(words.loader, county, { url: "/admin/words" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("Location")).toBe("/login?redirectTo=%2Fadmin%2Fwords");
  });

  it("refuses every change to anyone but the admin, writing nothing", async () => {
    const before = await snapshot();
    const id = String((await wordRow("机密"))!.id);
    for (const user of ["reviewer", "leadA", "correspondentA"] as const) {
      const attempts: Array<Record<string, string>> = [
        { intent: "add", word: "越权词", level: "block" },
        { intent: "update", id, level: "warn" },
        { intent: "delete", id },
        { intent: "bulk", words: "越权一\n越权二", level: "block" },
      ];
      for (const body of attempts) {
        expect((await call(words.action, county, { url: "/admin/words", user, body })).status).toBe(403);
      }
    }
    expect((await call(words.action, county, { url: "/admin/words", body: { intent: "delete", id } })).status).toBe(302);
    expect(await snapshot()).toEqual(before);
    expect((await wordRow("机密"))?.level).toBe("block");
  });
});

describe("GET /admin/words", () => {
  it("lists the starter lexicon with counts per level", async () => {
    const body = await bodyOf(await call(words.loader, county, { url: "/admin/words", user: "admin" }));
    expect(body.list.total).toBe(await count("sensitive_words"));
    expect(body.list.counts.block + body.list.counts.warn).toBe(body.list.total);
    expect(body.list.rows.map((r: { word: string }) => r.word)).toContain("布署");
    expect(body.editing).toBeNull();
  });

  it("filters by level and by text in the word or its note", async () => {
    const block = await bodyOf(await call(words.loader, county, { url: "/admin/words?level=block", user: "admin" }));
    expect(block.list.rows.length).toBeGreaterThan(0);
    expect(block.list.rows.every((r: { level: string }) => r.level === "block")).toBe(true);
    expect(block.filters.level).toBe("block");
    const byWord = await bodyOf(await call(words.loader, county, { url: `/admin/words?q=${encodeURIComponent("状元")}`, user: "admin" }));
    expect(byWord.list.rows.map((r: { word: string }) => r.word).sort()).toEqual(["中考状元", "高考状元"]);
    const byNote = await bodyOf(await call(words.loader, county, { url: `/admin/words?level=warn&q=${encodeURIComponent("部署")}`, user: "admin" }));
    expect(byNote.list.rows.map((r: { word: string }) => r.word).sort()).toEqual(["布署", "部暑"]);
    const nonsense = await bodyOf(await call(words.loader, county, { url: "/admin/words?level=red&q=%25", user: "admin" }));
    expect(nonsense.filters.level).toBe("");
    expect(nonsense.list.rows).toEqual([]);
  });

  it("pages the list", async () => {
    const now = new Date().toISOString();
    await county.dbs.db
      .insertInto("sensitive_words")
      .values(Array.from({ length: WORDS_PAGE_SIZE + 1 }, (_, i) => ({ word: `分页词${i}`, level: "warn" as const, note: "分页", created_at: now, updated_at: now })))
      .execute();
    const first = await bodyOf(await call(words.loader, county, { url: `/admin/words?q=${encodeURIComponent("分页词")}`, user: "admin" }));
    expect(first.list.total).toBe(WORDS_PAGE_SIZE + 1);
    expect(first.list.pages).toBe(2);
    expect(first.list.rows).toHaveLength(WORDS_PAGE_SIZE);
    const second = await bodyOf(await call(words.loader, county, { url: `/admin/words?q=${encodeURIComponent("分页词")}&page=2`, user: "admin" }));
    expect(second.list.rows).toHaveLength(1);
    await county.dbs.db.deleteFrom("sensitive_words").where("note", "=", "分页").execute();
  });

  it("opens the edit box for ?edit=id", async () => {
    const row = (await wordRow("其它"))!;
    const body = await bodyOf(await call(words.loader, county, { url: `/admin/words?edit=${row.id}`, user: "admin" }));
    expect(body.editing).toMatchObject({ id: row.id, word: "其它", level: "warn" });
  });
});

describe("add", () => {
  it("adds a word with one word_added audit row and goes back to the list it came from", async () => {
    const res = await call(words.action, county, {
      url: "/admin/words?level=block&q=x&edit=3", user: "admin", ip: "10.7.7.7",
      body: { intent: "add", word: "  秘密文件 ", level: "block", note: "涉密" },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/admin/words?level=block&q=x");
    expect(await flashOf(res)).toBe("已添加禁用词“秘密文件”");
    const row = await wordRow("秘密文件");
    expect(row).toMatchObject({ level: "block", note: "涉密", created_by: county.ids.admin });
    const audits = await auditsOf("word_added");
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actor_id: county.ids.admin, entity_type: "sensitive_word", entity_id: String(row!.id), ip: "10.7.7.7" });
    expect(JSON.parse(audits[0].detail_json)).toEqual({ word: "秘密文件", level: "block", note: "涉密" });
  });

  it("answers bad input with 400, a Chinese message per field, the typed values, and writes nothing", async () => {
    const before = await snapshot();
    const res = await post({ intent: "add", word: "长".repeat(31), level: "red", note: "" });
    const body = await expectFieldErrors(res, { word: "词语不能超过 30 个字", level: "请选择等级（禁用或提示）" });
    expect(body.values).toMatchObject({ intent: "add", word: "长".repeat(31), level: "red" });
    const empty = await post({ intent: "add", word: "   ", level: "warn" });
    await expectFieldErrors(empty, { word: "请填写词语" });
    const comma = await post({ intent: "add", word: "甲,乙", level: "warn" });
    expect((await bodyOf(comma)).fieldErrors).toEqual({ word: "词语不能包含逗号" });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a word already in the lexicon, ignoring letter case", async () => {
    await post({ intent: "add", word: "VPN", level: "warn" });
    const before = await snapshot();
    for (const word of ["机密", "vpn"]) {
      const res = await post({ intent: "add", word, level: "block" });
      await expectFieldErrors(res, { word: `“${word === "vpn" ? "VPN" : word}”已在词库中` });
    }
    expect(await snapshot()).toEqual(before);
    expect((await wordRow("机密"))?.level).toBe("block");
  });
});

describe("update and delete", () => {
  it("changes level and note with one word_updated audit row naming the changes", async () => {
    const row = (await wordRow("其它"))!;
    const res = await call(words.action, county, {
      url: `/admin/words?edit=${row.id}`, user: "admin", body: { intent: "update", id: String(row.id), level: "block", note: "一律改为“其他”" },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/admin/words");
    expect(await flashOf(res)).toBe("修改已保存");
    expect(await wordRow("其它")).toMatchObject({ level: "block", note: "一律改为“其他”" });
    const audits = await auditsOf("word_updated");
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ entity_id: String(row.id), from_state: "warn", to_state: "block" });
    expect(JSON.parse(audits[0].detail_json)).toEqual({
      word: "其它", changes: { level: ["warn", "block"], note: ["规范用法为“其他”", "一律改为“其他”"] },
    });

    // Saving the same values again writes nothing.
    const again = await post({ intent: "update", id: String(row.id), level: "block", note: "一律改为“其他”" });
    expect(await flashOf(again)).toBe("没有需要保存的修改");
    expect(await auditsOf("word_updated")).toHaveLength(1);
  });

  it("answers a bad level with 400 and a missing word with 404, writing nothing", async () => {
    const row = (await wordRow("做为"))!;
    const before = await snapshot();
    const bad = await post({ intent: "update", id: String(row.id), level: "", note: "x" });
    await expectFieldErrors(bad, { level: "请选择等级（禁用或提示）" });
    expect((await post({ intent: "update", id: "999999", level: "warn" })).status).toBe(404);
    expect((await post({ intent: "update", id: "abc", level: "warn" })).status).toBe(404);
    expect((await post({ intent: "delete", id: "999999" })).status).toBe(404);
    expect(await snapshot()).toEqual(before);
    expect(await wordRow("做为")).toMatchObject({ level: "warn", note: row.note });
  });

  it("deletes a word with one word_deleted audit row; deleting it again is 404", async () => {
    const row = (await wordRow("既使"))!;
    const res = await post({ intent: "delete", id: String(row.id) });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toBe("已删除“既使”");
    expect(await wordRow("既使")).toBeUndefined();
    const audits = await auditsOf("word_deleted");
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0].detail_json)).toMatchObject({ word: "既使", level: "warn" });
    expect((await post({ intent: "delete", id: String(row.id) })).status).toBe(404);
    expect(await auditsOf("word_deleted")).toHaveLength(1);
  });

  it("answers an unknown intent with 400 in Chinese", async () => {
    const before = await snapshot();
    const res = await post({ intent: "purge" });
    expect(res.status).toBe(400);
    expect((await bodyOf(res)).formError).toBe("未知的操作，请刷新页面后重试。");
    expect(await snapshot()).toEqual(before);
  });
});

describe("bulk add", () => {
  it("adds the new words in one transaction with one words_imported row; existing and repeated words are skipped and reported", async () => {
    const before = await count("sensitive_words");
    const res = await post({
      intent: "bulk", level: "warn", note: "2026 年通报",
      words: "新词甲\n新词乙,block\n\n机密,warn\n新词甲\n新词丙，禁用\nvpn",
    });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toBe("已导入 3 个词；跳过词库中已有的“机密”、“VPN”（等级未改动）；重复填写的“新词甲”只导入一次");
    expect(await count("sensitive_words")).toBe(before + 3);
    expect(await wordRow("新词甲")).toMatchObject({ level: "warn", note: "2026 年通报" });
    expect(await wordRow("新词乙")).toMatchObject({ level: "block" });
    expect(await wordRow("新词丙")).toMatchObject({ level: "block" });
    expect((await wordRow("机密"))?.level).toBe("block");
    const audits = await auditsOf("words_imported");
    expect(audits).toHaveLength(1);
    expect(JSON.parse(audits[0].detail_json)).toEqual({
      added: 3, block: ["新词乙", "新词丙"], warn: ["新词甲"], note: "2026 年通报",
      skipped_existing: ["机密", "VPN"], skipped_repeated: ["新词甲"],
    });
  });

  it("writes nothing, and records nothing, when every word is already there", async () => {
    const before = await snapshot();
    const res = await post({ intent: "bulk", level: "warn", words: "新词甲\n机密" });
    expect(res.status).toBe(302);
    expect(await flashOf(res)).toBe("没有导入新词；跳过词库中已有的“新词甲”、“机密”（等级未改动）");
    expect(await snapshot()).toEqual(before);
  });

  it("refuses the whole list when a line is bad: 400, each bad line named, nothing written", async () => {
    const before = await snapshot();
    const res = await post({ intent: "bulk", level: "warn", words: `好词一\n坏词,red\n${"长".repeat(31)}\n好词二` });
    const body = await expectFieldErrors(res, { words: "有 2 行无法导入，未写入任何词，请修改后重试" });
    expect(body.problems).toEqual([
      { line: 2, text: "坏词,red", message: "逗号后的等级只能是“禁用”或“提示”" },
      { line: 3, text: "长".repeat(31), message: "词语不能超过 30 个字" },
    ]);
    expect(body.values.words).toContain("好词一");
    expect(await wordRow("好词一")).toBeUndefined();
    const empty = await post({ intent: "bulk", level: "warn", words: "\n  \n" });
    await expectFieldErrors(empty, { words: "请至少填写一个词" });
    const noLevel = await post({ intent: "bulk", level: "", words: "好词一" });
    await expectFieldErrors(noLevel, { level: "请选择等级（禁用或提示）" });
    expect(await snapshot()).toEqual(before);
  });
});

describe("the cached matcher", () => {
  const blocked = async (text: string) => findSensitiveWords(await lexiconMatcher(county.dbs.reader), text).filter((h) => h.level === "block").map((h) => h.word);

  it("is built once and reused while nothing changes", async () => {
    expect(await lexiconMatcher(county.dbs.reader)).toBe(await lexiconMatcher(county.dbs.reader));
  });

  it("sees every change made through the lexicon page at once", async () => {
    const text = "这是一份校内保密材料，其他内容正常。";
    expect(await blocked(text)).toEqual([]);

    await post({ intent: "add", word: "保密材料", level: "block" });
    expect(await blocked(text)).toEqual(["保密材料"]);

    const id = String((await wordRow("保密材料"))!.id);
    await post({ intent: "update", id, level: "warn" });
    expect(await blocked(text)).toEqual([]);

    await post({ intent: "update", id, level: "block" });
    await post({ intent: "delete", id });
    expect(await blocked(text)).toEqual([]);

    await post({ intent: "bulk", level: "block", words: "校内保密\n正常,warn" });
    expect(await blocked(text)).toEqual(["校内保密"]);
  });

  it("is not rebuilt by a refused change", async () => {
    const before = await lexiconMatcher(county.dbs.reader);
    await post({ intent: "add", word: "机密", level: "block" });
    await post({ intent: "bulk", level: "warn", words: "机密" });
    expect(await lexiconMatcher(county.dbs.reader)).toBe(before);
  });
});
