// GET /notices/:id/export?format=docx — the server maps /notices/12.docx here. Only a published
// notice has a Word document: the bytes stored when it was signed, served as they are.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getConfig } from "~/models/env.server";
import { badRequest } from "~/lib/form.server";
import { docxResponse } from "~/lib/notice-export.server";
import { notFound } from "~/lib/session.server";
import { publishedNoticeFile } from "~/models/notices.server";
import { parseId } from "~/domain/fields";
import { resourceLoader } from "~/lib/resource-route.server";

export const loader = resourceLoader(async ({ request, params, context }: LoaderFunctionArgs) => {
  const format = new URL(request.url).searchParams.get("format") ?? "docx";
  if (format !== "docx") throw badRequest("通报只提供 Word（docx）格式下载。");
  const id = parseId(params.id) ?? notFound("没有这期通报。");
  const file = await publishedNoticeFile(context.dbs.reader, id, getConfig().dataDir);
  if (!file) notFound("没有这期通报，或它尚未签发：通报签发后才能下载 Word 文件。");
  return docxResponse(file);
});
