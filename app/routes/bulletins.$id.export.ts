// GET /bulletins/:id/export?format=docx — the server maps /bulletins/12.docx here. A published
// issue: the bytes stored when it was signed, to anyone. A draft: a preview made now (not
// stored), for reviewers only; everyone else gets 404.
import { attachmentDisposition } from "~/domain/download-name";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { parseId } from "~/domain/fields";
import { can } from "~/domain/permissions";
import { badRequest } from "~/lib/form.server";
import { DOCX_TYPE } from "~/lib/notice-export.server";
import { getUser, notFound } from "~/lib/session.server";
import { bulletinFile } from "~/models/bulletin-publish.server";
import { getConfig } from "~/models/env.server";
import { resourceLoader } from "~/lib/resource-route.server";

export const loader = resourceLoader(async ({ request, params, context }: LoaderFunctionArgs) => {
  const format = new URL(request.url).searchParams.get("format") ?? "docx";
  if (format !== "docx") throw badRequest("简报只提供 Word（docx）格式下载。");
  const id = parseId(params.id) ?? notFound("没有这期简报。");
  const user = await getUser(request, context);
  const file = await bulletinFile(context.dbs.db, id, getConfig().dataDir, can(user?.role, "bulletin.edit"));
  if (!file) notFound("没有这期简报，或它尚未签发：简报签发后才能下载 Word 文件。");
  const ascii = `bulletin-${id}${file.published ? "" : "-draft"}.docx`;
  return new Response(new Uint8Array(file.bytes), {
    status: 200,
    headers: {
      "Content-Type": DOCX_TYPE,
      "Content-Disposition": attachmentDisposition(ascii, file.fileName),
      "Content-Length": String(file.bytes.byteLength),
      ...(file.published ? { "Cache-Control": "public, max-age=86400", ETag: `"${file.sha256}"` } : { "Cache-Control": "private, no-store" }),
    },
  });
});
