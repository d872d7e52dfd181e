// Word documents no notice or 简报 names (a 签发 whose transaction failed after its file was stored)
// used to stay under notices/ for good. The sweep deletes them once older than a day, and the
// temporary files of writes that never finished; never a signed notice's or 简报's file, a young
// file, a name the store does not give, or anything a link points at.
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOTICES, storedPath, storeFile } from "../../db/file-store";
import { getConfig } from "~/models/env.server";
import { addBulletinItem, createBulletin } from "~/models/bulletins.server";
import { publishBulletin } from "~/models/bulletin-publish.server";
import { publishedNoticeFile } from "~/models/notices.server";
import { documentFileName, documentSweepMessage, PHOTO_SWEEP, sweepOrphanDocuments } from "~/models/photo-sweep.server";
import { setupCounty, type County } from "../support/app";
import { age } from "../support/file-age";
import { insertItem } from "../support/item-fixtures";
import { publishedMonthlyNotice } from "../support/notice-fixtures";

let county: County;
let dataDir: string;
let outside: string;
let noticeId = 0;
let noticeSha = "";
let bulletinSha = "";
const DAY = 24 * 60 * 60 * 1000;

beforeAll(async () => {
  county = await setupCounty();
  dataDir = getConfig().dataDir;
  outside = mkdtempSync(path.join(os.tmpdir(), "portal-outside-"));
  noticeId = await publishedMonthlyNotice(county);
  noticeSha = (await county.dbs.db.selectFrom("notices").select("docx_sha256").where("id", "=", noticeId).executeTakeFirstOrThrow()).docx_sha256!;
  const actor = { id: county.ids.reviewer, username: "reviewer", ip: "127.0.0.1" };
  const issue = await createBulletin(county.dbs.db, actor);
  if (!issue.ok) throw new Error(issue.message);
  const adopted = await insertItem(county.dbs.db, { unitId: county.units.A, createdBy: county.ids.correspondentA, status: "adopted", grade: "good" });
  const added = await addBulletinItem(county.dbs.db, actor, { id: issue.id, version: issue.version, itemId: adopted });
  if (!added.ok) throw new Error(added.message);
  const out = await publishBulletin(county.dbs.db, actor, { id: issue.id, version: added.version, dataDir });
  if (!out.ok) throw new Error(out.message);
  bulletinSha = (await county.dbs.db.selectFrom("bulletins").select("docx_sha256").where("id", "=", issue.id).executeTakeFirstOrThrow()).docx_sha256!;
});
afterAll(async () => {
  await county.dbs.dispose();
  rmSync(outside, { recursive: true, force: true });
});

const docPath = (sha: string) => storedPath(dataDir, NOTICES, sha);
const orphan = async (text: string) => (await storeFile(dataDir, NOTICES, Buffer.from(`PK 一份签发未成的通报 ${text}`))).sha256;

describe("documentFileName: which names under notices/ are the store's", () => {
  const sha = "ab".repeat(32);
  const cases: Array<[string, ReturnType<typeof documentFileName>]> = [
    [`${sha}.docx`, { sha256: sha, kind: "document" }],
    [`${sha}.docx.1234.a1b2c3d4e5f6.tmp`, { sha256: sha, kind: "temporary" }],
    [`${sha}.docx.1234.a1b2c3d4e5f6.sweep.tmp`, { sha256: sha, kind: "temporary", sweptFrom: `${sha}.docx` }],
    // Taken away under another name than the document's own: never put back as that name.
    [`${sha}.docx.x.1234.a1b2c3d4e5f6.sweep.tmp`, { sha256: sha, kind: "temporary" }],
    [sha, null],
    [`${sha}.doc`, null],
    [`${sha.toUpperCase()}.docx`, null],
    [`${sha}0.docx`, null],
    ["README.docx", null],
    [`../${sha}.docx`, null],
  ];
  it.each(cases)("%s", (name, expected) => expect(documentFileName(name)).toEqual(expected));
});

describe("sweepOrphanDocuments", () => {
  it("keeps the signed notice's and 简报's files however old, deletes old files nobody names and stale temporary files", async () => {
    const old = await orphan("旧");
    const young = await orphan("新");
    const stale = `${docPath(old)}.999.a1b2c3d4e5f6.tmp`;
    writeFileSync(stale, "没写完");
    const foreign = path.join(dataDir, NOTICES.dir, "说明.txt");
    writeFileSync(foreign, "不是文件库起的名字");
    for (const file of [docPath(noticeSha), docPath(bulletinSha), docPath(old), stale, foreign]) age(file, 3 * DAY);
    age(docPath(young), PHOTO_SWEEP.minAgeMs - 60_000);

    const result = await sweepOrphanDocuments(county.dbs.reader, dataDir);
    expect(result).toMatchObject({ files: 2, putBack: 0 });
    expect(result.bytes).toBeGreaterThan(0);
    expect(existsSync(docPath(old))).toBe(false);
    expect(existsSync(stale)).toBe(false);
    for (const kept of [docPath(noticeSha), docPath(bulletinSha), docPath(young), foreign]) expect(existsSync(kept)).toBe(true);
    expect(documentSweepMessage(result)).toMatch(/^Word 文件清理：删除了 2 个没有通报或简报引用、超过一天的文件.*共 0\.\d MB。$/);
    // The signed notice's download is the same bytes as before.
    const file = await publishedNoticeFile(county.dbs.reader, noticeId, dataDir);
    expect(file!.sha256).toBe(noticeSha);
    // Again: nothing left to delete.
    expect(await sweepOrphanDocuments(county.dbs.reader, dataDir)).toMatchObject({ files: 0 });
  });

  it("never follows a link, and puts back a file stored again while it was being taken away", async () => {
    const target = path.join(outside, "外面的文件.docx");
    writeFileSync(target, "不能删");
    const linked = docPath("cd".repeat(32));
    symlinkSync(target, linked);
    age(target, 3 * DAY);
    const sha = await orphan("又存了一次");
    const aside = `${docPath(sha)}.4242.a1b2c3d4e5f6.sweep.tmp`;
    // A sweep stopped after taking the file away, and the same document was signed again since: its row names it.
    writeFileSync(aside, readFileSync(docPath(sha)));
    rmSync(docPath(sha));
    await county.dbs.db.updateTable("notices").set({ docx_sha256: sha }).where("id", "=", noticeId).execute();
    try {
      const result = await sweepOrphanDocuments(county.dbs.reader, dataDir, { now: Date.now() + 3 * DAY });
      expect(result.putBack).toBe(1);
      expect(existsSync(docPath(sha))).toBe(true);
      expect(existsSync(aside)).toBe(false);
      expect(readFileSync(target, "utf8")).toBe("不能删");
      expect(lstatSync(linked).isSymbolicLink()).toBe(true);
    } finally {
      await county.dbs.db.updateTable("notices").set({ docx_sha256: noticeSha }).where("id", "=", noticeId).execute();
    }
  });
});
