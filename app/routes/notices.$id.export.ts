// GET /notices/:id/export?format=docx|xlsx — the server maps /notices/12.docx and .xlsx here.
// Word: only a published notice has one, the bytes stored when it was signed, served as they are.
// Excel: the notice's lists (表扬, 通报批评, and the units passed over for 表扬), every entry, for the
// reviewers to check a draft before 签发 (a page shows a province's lists cut to each kind's first
// entries) or a signed notice after; nobody else.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getConfig } from "~/models/env.server";
import { badRequest } from "~/lib/form.server";
import { docxResponse } from "~/lib/notice-export.server";
import { noticeListsResponse, noticeListsWorkbookOffThread } from "~/lib/notice-lists-export.server";
import { notFound, requirePermission } from "~/lib/session.server";
import { getNotice, publishedNoticeFile } from "~/models/notices.server";
import { parseId } from "~/domain/fields";
import { resourceLoader } from "~/lib/resource-route.server";

export const loader = resourceLoader(async ({ request, params, context }: LoaderFunctionArgs) => {
  const format = new URL(request.url).searchParams.get("format") ?? "docx";
  if (format !== "docx" && format !== "xlsx") throw badRequest("请选择下载格式：docx（通报的 Word 文件）或 xlsx（通报名单，供审核员核对）。");
  const id = parseId(params.id) ?? notFound("没有这期通报。");
  if (format === "xlsx") {
    const user = await requirePermission(request, context, "notice.manage");
    const notice = await getNotice(context.dbs.reader, id, { role: user.role, unitId: null });
    if (!notice) notFound("没有这期通报。");
    // A year's lists are in its summary's workbook, with each unit's months.
    if (notice.kind === "annual") throw redirect(`/summary/${notice.period}.xlsx`);
    const published = notice.status === "published";
    return noticeListsResponse(await noticeListsWorkbookOffThread({ doc: notice.doc, published }), notice.doc, published);
  }
  const file = await publishedNoticeFile(context.dbs.reader, id, getConfig().dataDir);
  if (!file) notFound("没有这期通报，或它尚未签发：通报签发后才能下载 Word 文件。");
  return docxResponse(file);
});
