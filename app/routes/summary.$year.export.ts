// GET /summary/:year/export?format=xlsx|docx — the server maps /summary/2025.xlsx and .docx here.
// The Excel table feeds the annual assessment and performance pay: frozen once published; a
// reviewer may download the draft's (or the preview's) beforehand. The Word document exists only
// once the summary is published.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getUser, notFound } from "~/lib/session.server";
import { getConfig } from "~/models/env.server";
import { badRequest } from "~/lib/form.server";
import { docxResponse, summaryWorkbookOf, xlsxResponse } from "~/lib/notice-export.server";
import { annualSummaryDocument, noticeIdFor, publishedNoticeFile } from "~/models/notices.server";
import { roleNeedsUnit } from "~/domain/permissions";
import { resourceLoader } from "~/lib/resource-route.server";

export const loader = resourceLoader(async ({ request, params, context }: LoaderFunctionArgs) => {
  const format = new URL(request.url).searchParams.get("format") ?? "xlsx";
  if (format !== "xlsx" && format !== "docx") throw badRequest("请选择下载格式：xlsx（Excel）或 docx（Word）。");
  const year = params.year ?? "";
  if (!/^\d{4}$/.test(year)) notFound("没有这个年度的汇总。");
  const db = context.dbs.reader;
  if (format === "docx") {
    const id = await noticeIdFor(db, "annual", year);
    const file = id === null ? null : await publishedNoticeFile(db, id, getConfig().dataDir);
    if (!file) notFound("该年度汇总尚未签发：签发后才能下载 Word 文件。");
    return docxResponse(file);
  }
  const user = await getUser(request, context);
  const viewer = { role: user?.role ?? null, unitId: user && roleNeedsUnit(user.role) ? user.unitId : null };
  const found = await annualSummaryDocument(db, year, viewer);
  if (!found) notFound("该年度汇总尚未签发。");
  return xlsxResponse(await summaryWorkbookOf(found.doc, found.published), found.doc, found.published);
});
